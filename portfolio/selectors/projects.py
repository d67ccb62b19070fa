"""Reads of projects for the list, the board, the roadmap, the exports and the project page.

Every read starts from `Project.objects.visible_to(user)`; joins and annotations are decided
here so each page runs the same number of queries whatever the number of projects.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber
from django.utils import timezone

from innovaction.lists import Sort
from innovaction.models import Organisation
from portfolio.choices import ACTIVE_PHASES, ORDERED_PHASES, Phase, Weather
from portfolio.models import Milestone, PhaseTarget, PhaseTransition, Project
from portfolio.workflow import OPEN_PHASES

BOARD_PHASES = [*ORDERED_PHASES, Phase.SUSPENDU, Phase.ABANDONNE]
PHASE_RANK = {phase: rank for rank, phase in enumerate(BOARD_PHASES)}
WEATHER_RANK = {Weather.ORAGE: 0, Weather.NUAGE: 1, Weather.SOLEIL: 2}

PROJECT_SORT = Sort(
    options={
        "code": ("code",),
        "titre": ("title",),
        "phase": ("phase_rank", "phase_since"),
        "depuis": ("phase_since",),
        "chef": ("lead__last_name", "lead__first_name"),
        "meteo": ("weather_rank",),
        "point": ("last_note_on",),
        "jalon": ("next_milestone_on",),
        "cout": ("total_cost",),
    },
    default="phase",
)


@dataclass(frozen=True)
class Thresholds:
    """Today's yardsticks: phase target durations (days) and the "sans nouvelles" delay."""

    today: datetime.date
    targets: dict[str, int]
    stale_days: int

    @property
    def stale_cutoff(self) -> datetime.date:
        return self.today - datetime.timedelta(days=self.stale_days)


def thresholds(today: datetime.date | None = None) -> Thresholds:
    """One query (the targets); the organisation's settings are cached."""
    return Thresholds(
        today=today or timezone.localdate(),
        targets=dict(PhaseTarget.objects.values_list("phase", "target_days")),
        stale_days=Organisation.current().stale_after_days,
    )


def late_q(limits: Thresholds) -> Q:
    """Open files over the target duration of their current phase (age > target)."""
    condition = Q(pk__in=[])
    for phase, days in limits.targets.items():
        if phase in OPEN_PHASES:
            condition |= Q(phase=phase, phase_since__lt=limits.today - datetime.timedelta(days=days))
    return condition


def stale_q(limits: Thresholds) -> Q:
    """Active files without a progress note for `stale_days` days or more (SPEC §3.3); a file
    that never had one counts from its commission letter."""
    cutoff = limits.stale_cutoff
    return Q(phase__in=ACTIVE_PHASES) & (
        Q(last_note_on__lte=cutoff) | Q(last_note_on__isnull=True, commission_letter__date__lte=cutoff)
    )


def late_milestones_q(today: datetime.date) -> Q:
    return Q(actual_date__isnull=True, planned_date__lt=today)


def has_late_milestones_q(today: datetime.date) -> Q:
    return Q(Exists(Milestone.objects.filter(late_milestones_q(today), project=OuterRef("pk"))))


def attention_q(limits: Thresholds) -> Q:
    """Open files that need a look: late, stormy, without news or with late milestones."""
    return Q(phase__in=OPEN_PHASES) & (
        late_q(limits) | stale_q(limits) | Q(weather=Weather.ORAGE) | has_late_milestones_q(limits.today)
    )


def _flag(condition: Q) -> ExpressionWrapper:
    return ExpressionWrapper(condition, output_field=BooleanField())


def _rank(field: str, ranks: dict) -> Case:
    return Case(
        *[When(**{field: key}, then=Value(rank)) for key, rank in ranks.items()],
        default=Value(len(ranks)),
        output_field=IntegerField(),
    )


def with_follow_up(projects: QuerySet, limits: Thresholds) -> QuerySet:
    """Annotate what the lists show and sort on: late, stale, late milestones, next milestone."""
    today = limits.today
    late_count = (
        Milestone.objects.filter(late_milestones_q(today), project=OuterRef("pk"))
        .order_by()
        .values("project")
        .annotate(count=Count("pk"))
        .values("count")
    )
    next_planned = (
        Milestone.objects.filter(project=OuterRef("pk"), actual_date__isnull=True, planned_date__gte=today)
        .order_by("planned_date", "pk")
        .values("planned_date")[:1]
    )
    return projects.annotate(
        is_late=_flag(late_q(limits)),
        is_stale=_flag(stale_q(limits)),
        late_milestones=Coalesce(Subquery(late_count, output_field=IntegerField()), 0),
        next_milestone_on=Subquery(next_planned),
        phase_rank=_rank("phase", PHASE_RANK),
        weather_rank=_rank("weather", WEATHER_RANK),
    )


def visible_projects(user) -> QuerySet:
    return Project.objects.visible_to(user).select_related("theme", "district", "lead")


def listed_projects(user, params, *, limits: Thresholds | None = None):
    """The filtered, annotated, sorted projects of the list, board, roadmap and exports.

    Returns (filterset, queryset, sort key); an invalid filter value leaves the set unfiltered
    on that field and the form shows the error."""
    from portfolio.filters import ProjectFilter

    limits = limits or thresholds()
    base = with_follow_up(visible_projects(user), limits)
    filterset = ProjectFilter(params, queryset=base, user=user, limits=limits)
    queryset = filterset.qs if filterset.is_valid() else base
    queryset, sort_key = PROJECT_SORT.apply(queryset, params.get("sort"))
    return filterset, queryset, sort_key


# Board ----------------------------------------------------------------------------------------


@dataclass
class BoardColumn:
    phase: Phase
    count: int
    cards: list

    @property
    def hidden(self) -> int:
        return self.count - len(self.cards)


def board_columns(projects: QuerySet, *, per_column: int = 10) -> list[BoardColumn]:
    """One column per phase: its count and the files waiting longest in it (two queries)."""
    counts = dict(projects.order_by().values_list("phase").annotate(count=Count("pk")))
    ranked = projects.annotate(
        board_rank=Window(RowNumber(), partition_by=[F("phase")], order_by=[F("phase_since").asc(), F("pk").asc()])
    ).filter(board_rank__lte=per_column)
    cards: dict[str, list] = {phase: [] for phase in BOARD_PHASES}
    for project in ranked.order_by("phase_since", "pk"):
        cards[project.phase].append(project)
    return [BoardColumn(phase=phase, count=counts.get(phase, 0), cards=cards[phase]) for phase in BOARD_PHASES]


# Exports and roadmap ---------------------------------------------------------------------------


def with_log(projects: QuerySet) -> QuerySet:
    """Prefetch each project's transition log (one query per batch of projects)."""
    return projects.prefetch_related(
        Prefetch("transitions", queryset=PhaseTransition.objects.order_by("effective_date", "pk"))
    )


def with_milestones(projects: QuerySet) -> QuerySet:
    return projects.prefetch_related(Prefetch("milestones", queryset=Milestone.objects.order_by("planned_date", "pk")))


def phase_dates(transitions: Iterable) -> dict[str, datetime.date]:
    """The first date each phase was entered, from a project's log."""
    first: dict[str, datetime.date] = {}
    for row in transitions:
        first.setdefault(row.to_phase, row.effective_date)
    return first


def next_free_code(year: int) -> str:
    """The next code of the letter's year, `P-2026-014` style: one more than the highest."""
    prefix = f"P-{year}-"
    numbers = [
        int(code[len(prefix) :])
        for code in Project.objects.filter(code__startswith=prefix).values_list("code", flat=True)
        if code[len(prefix) :].isdigit()
    ]
    return f"{prefix}{max(numbers, default=0) + 1:03d}"
