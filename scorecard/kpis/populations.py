"""The sets of records the computed indicators count (SPEC §5.2).

Each function takes the base queryset to start from: the indicators pass the whole city
(`Project.objects.all()`, confidential projects included); the drill-down lists pass
`Project.objects.visible_to(user)`, so the records behind a value follow the viewer's
visibility while the value itself does not. One definition serves both, so a list never
disagrees with the rule that produced the number.
"""

import datetime

from django.db.models import F, OuterRef, Q, QuerySet, Subquery

from partners.models import Interaction, Partner
from partners.selectors import secured_lines
from portfolio.choices import Phase
from portfolio.models import Milestone, PhaseTransition, ProgressNote, Project
from portfolio.selectors import active_on, not_abandoned_on
from scorecard.periods import Period


def with_weather_on(projects: QuerySet, day: datetime.date) -> QuerySet:
    """Annotate `weather_on`: the weather of the latest progress note dated on or before
    `day` (ties broken by the later entry), None for a project without such a note. This is
    the weather "as of" a date — not the project's current `weather` field."""
    latest = ProgressNote.objects.filter(project=OuterRef("pk"), date__lte=day).order_by("-date", "-pk")
    return projects.annotate(weather_on=Subquery(latest.values("weather")[:1]))


def with_decision_date(projects: QuerySet) -> QuerySet:
    """Annotate `decided_on`: the first time the project entered `realisation` (the "go"
    decision, as `portfolio.workflow.LeadTimes` reads it from the log)."""
    first_go = PhaseTransition.objects.filter(project=OuterRef("pk"), to_phase=Phase.REALISATION).order_by(
        "effective_date", "pk"
    )
    return projects.annotate(decided_on=Subquery(first_go.values("effective_date")[:1]))


def active_projects(period: Period, projects: QuerySet | None = None) -> QuerySet:
    """Projects active at the end of M, from the transition log (`portfolio.selectors.active_on`)."""
    return active_on(Project.objects.all() if projects is None else projects, period.end)


def leverage_projects(period: Period, projects: QuerySet | None = None) -> QuerySet:
    """Projects existing at the end of M and not abandoned at that date."""
    return not_abandoned_on(Project.objects.all() if projects is None else projects, period.end)


def secured_funding(period: Period, projects: QuerySet) -> QuerySet:
    """Funding lines `accorde`/`verse` granted on or before the end of M, of `projects`."""
    return secured_lines(period.end).filter(project__in=projects.values("pk"))


def instruction_window(period: Period) -> tuple[datetime.date, datetime.date]:
    """The 12 months ending at the end of M: from the first day of M−11 to the last day of M."""
    return period.shift(-11).start, period.end


def decided_projects(period: Period, projects: QuerySet | None = None) -> QuerySet:
    """Projects whose decision date lies in the 12 months ending at the end of M."""
    base = Project.objects.all() if projects is None else projects
    return with_decision_date(base).filter(decided_on__range=instruction_window(period))


def milestones_planned(period: Period, projects: QuerySet | None = None) -> QuerySet:
    """Milestones whose planned date lies in M."""
    milestones = Milestone.objects.filter(planned_date__range=(period.start, period.end))
    if projects is not None:
        milestones = milestones.filter(project__in=projects.values("pk"))
    return milestones


# A milestone is on time when it was done on or before its planned date.
ON_TIME = Q(actual_date__isnull=False, actual_date__lte=F("planned_date"))


def deliveries(period: Period, projects: QuerySet | None = None) -> QuerySet:
    """Transitions into `livre` dated in M."""
    rows = PhaseTransition.objects.filter(to_phase=Phase.LIVRE, effective_date__range=(period.start, period.end))
    if projects is not None:
        rows = rows.filter(project__in=projects.values("pk"))
    return rows


def members_on(day: datetime.date) -> QuerySet:
    """Network members at the end of `day`: joined on or before it, and not left on or
    before it (a partner who leaves on the last day of M is no longer counted for M)."""
    return Partner.objects.filter(network_joined_on__lte=day).filter(
        Q(network_left_on__isnull=True) | Q(network_left_on__gt=day)
    )


def members_joined(period: Period) -> QuerySet:
    """Partners whose network joining date lies in M (whether or not they left since)."""
    return Partner.objects.filter(network_joined_on__range=(period.start, period.end))


def interactions_in(period: Period, projects: QuerySet | None = None) -> QuerySet:
    """Partner interactions dated in M. With `projects`, an interaction about a project
    outside that set is left out (one about no project stays)."""
    rows = Interaction.objects.filter(date__range=(period.start, period.end))
    if projects is not None:
        rows = rows.filter(Q(project__isnull=True) | Q(project__in=projects.values("pk")))
    return rows
