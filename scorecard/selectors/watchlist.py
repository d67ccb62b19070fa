"""What needs attention on a date, for the dashboards: phase counts, late and stormy
projects, milestones coming up, funding lines near their deadline.

Every function takes the projects to look at — pass `Project.objects.visible_to(user)` — so
the lists follow the viewer's visibility. Named for what they return, so the portfolio and
partner pages may share them later.

The state of every project on a date is read in one pass over the transition log (a window
function ranks each project's transitions; the latest on or before the date wins, the same
order as `portfolio.selectors.with_phase_on`), rather than one correlated subquery per
project and per use: at 10,000 projects that is what keeps the dashboard fast.
"""

import datetime
from collections import Counter
from dataclasses import dataclass

from django.db.models import BooleanField, Count, ExpressionWrapper, F, Q, QuerySet, Window
from django.db.models.functions import RowNumber

from partners.choices import FundingStatus
from partners.models import FundingLine
from portfolio.choices import ACTIVE_PHASES, Phase, Weather
from portfolio.models import Milestone, PhaseTarget, PhaseTransition, ProgressNote, Project
from portfolio.selectors import existing_on
from portfolio.workflow import OPEN_PHASES

FUNNEL_PHASES = [*ACTIVE_PHASES, Phase.LIVRE, Phase.EVALUE]
LIVE_FUNDING = [FundingStatus.SOLLICITE, FundingStatus.ACCORDE, FundingStatus.VERSE]


def latest_transitions_on(day: datetime.date, projects: QuerySet | None = None) -> QuerySet:
    """One transition per project (of `projects`, default all): its latest dated on or before
    `day` (ties: the later row) — the project's phase at the end of that day."""
    transitions = PhaseTransition.objects.filter(effective_date__lte=day)
    if projects is not None:
        transitions = transitions.filter(project__in=projects.values("pk"))
    ranked = transitions.annotate(
        rank=Window(RowNumber(), partition_by=[F("project_id")], order_by=[F("effective_date").desc(), F("pk").desc()])
    ).filter(rank=1)
    return PhaseTransition.objects.filter(pk__in=ranked.values("pk"))


@dataclass(frozen=True)
class PhaseState:
    """Where a project stood on a date: its phase and since when (and its code, to sort by)."""

    code: str
    phase: str
    since: datetime.date


def phase_states_on(projects: QuerySet, day: datetime.date) -> dict[int, PhaseState]:
    """{project id: PhaseState} for the projects of `projects` existing at `day` (two queries).

    A project whose current phase began on or before `day` was already in it then: the
    workflow keeps `Project.phase` / `phase_since` equal to the latest transition, and a
    transition is never dated before the previous one. Only the projects that moved since
    `day` need the log, so the running month reads no log at all and a past month little of it.
    """
    existing = existing_on(projects, day)
    settled = existing.filter(phase_since__lte=day).values_list("pk", "code", "phase", "phase_since")
    moved = latest_transitions_on(day, existing.filter(phase_since__gt=day)).values_list(
        "project_id", "project__code", "to_phase", "effective_date"
    )
    return {pid: PhaseState(code, phase, since) for rows in (settled, moved) for pid, code, phase, since in rows}


def latest_notes_on(day: datetime.date) -> QuerySet:
    """One progress note per project: its latest dated on or before `day` (its weather then)."""
    ranked = (
        ProgressNote.objects.filter(date__lte=day)
        .annotate(rank=Window(RowNumber(), partition_by=[F("project_id")], order_by=[F("date").desc(), F("pk").desc()]))
        .filter(rank=1)
    )
    return ProgressNote.objects.filter(pk__in=ranked.values("pk"))


def phase_targets() -> dict[str, int]:
    return dict(PhaseTarget.objects.values_list("phase", "target_days"))


@dataclass
class WatchItem:
    project: Project
    state: PhaseState

    @property
    def phase_label(self) -> str:
        return str(Phase(self.state.phase).label)


@dataclass
class PortfolioWatch:
    """The portfolio on a date: projects per phase, and which are late or stormy (ids, in
    display order: longest overdue first; by code)."""

    counts: dict[str, int]
    late_ids: list[int]
    stormy_ids: list[int]
    states: dict[int, PhaseState]

    def first(self, limit: int) -> tuple[list[WatchItem], list[WatchItem]]:
        """The first `limit` late and stormy projects, fetched together in one query."""
        late, stormy = self.late_ids[:limit], self.stormy_ids[:limit]
        projects = Project.objects.select_related("lead").in_bulk({*late, *stormy})
        return (
            [WatchItem(projects[pid], self.states[pid]) for pid in late if pid in projects],
            [WatchItem(projects[pid], self.states[pid]) for pid in stormy if pid in projects],
        )


def portfolio_watch_on(projects: QuerySet, day: datetime.date, targets: dict[str, int]) -> PortfolioWatch:
    """Counts per phase; late = open (active or suspended) and in its phase for longer than the
    phase's target duration at `day` (SPEC §3.2, en retard); stormy = active at `day` with the
    latest note on or before it at `orage`. Three queries whatever the number of projects.

    The same states as `phase_states_on`, without bringing every project into Python (10,000
    rows at 100× were most of the dashboard's time, bench/): the projects that changed phase
    since `day` come from the log, the others are counted by the database, and only the late
    or stormy ones are read, the weather from each project's latest note on or before `day`."""
    existing = existing_on(projects, day)
    moved = {
        pid: PhaseState(code, phase, since)
        for pid, code, phase, since in latest_transitions_on(day, existing.filter(phase_since__gt=day)).values_list(
            "project_id", "project__code", "to_phase", "effective_date"
        )
    }
    settled = existing.filter(phase_since__lte=day)
    counts = Counter(dict(settled.order_by().values_list("phase").annotate(count=Count("pk"))))
    counts.update(state.phase for state in moved.values())

    def is_late(state: PhaseState) -> bool:
        return (
            state.phase in OPEN_PHASES
            and state.phase in targets
            and state.since < day - datetime.timedelta(days=targets[state.phase])
        )

    late_settled = Q(pk__in=[])
    for phase, days in targets.items():
        if phase in OPEN_PHASES:
            late_settled |= Q(phase=phase, phase_since__lt=day - datetime.timedelta(days=days))
    moved_active = [pid for pid, state in moved.items() if state.phase in ACTIVE_PHASES]
    stormy_rule = Q(pk__in=latest_notes_on(day).filter(weather=Weather.ORAGE).values("project_id"))
    candidates = (
        existing.annotate(stormy=ExpressionWrapper(stormy_rule, output_field=BooleanField()))
        .filter(
            (Q(phase_since__lte=day) & late_settled)
            | ((Q(phase_since__lte=day, phase__in=ACTIVE_PHASES) | Q(pk__in=moved_active)) & stormy_rule)
        )
        .order_by()
        .values_list("pk", "code", "phase", "phase_since", "stormy")
    )
    states = dict(moved)
    late = [(state.since, pid) for pid, state in moved.items() if is_late(state)]
    stormy = []
    for pid, code, phase, since, is_stormy in candidates:
        state = states.setdefault(pid, PhaseState(code, phase, since))
        if pid not in moved and is_late(state):
            late.append((state.since, pid))
        if is_stormy and state.phase in ACTIVE_PHASES:
            stormy.append(pid)
    return PortfolioWatch(
        counts=dict(counts),
        late_ids=[pid for _since, pid in sorted(late)],
        stormy_ids=sorted(stormy, key=lambda pid: states[pid].code),
        states=states,
    )


def milestones_due(projects: QuerySet, start: datetime.date, days: int) -> QuerySet:
    """Milestones planned from `start` to `start + days` and not done by `start`."""
    return (
        Milestone.objects.filter(
            project__in=projects.values("pk"),
            planned_date__range=(start, start + datetime.timedelta(days=days)),
        )
        .filter(Q(actual_date__isnull=True) | Q(actual_date__gt=start))
        .select_related("project")
        .order_by("planned_date", "pk")
    )


def funding_lines_expiring(projects: QuerySet, start: datetime.date, days: int) -> QuerySet:
    """Funding lines still alive (requested, granted or paid — not refused or lapsed) whose
    deadline falls from `start` to `start + days`, soonest first."""
    return (
        FundingLine.objects.filter(
            project__in=projects.values("pk"),
            status__in=LIVE_FUNDING,
            expires_on__range=(start, start + datetime.timedelta(days=days)),
        )
        .select_related("project", "partner")
        .order_by("expires_on", "pk")
    )
