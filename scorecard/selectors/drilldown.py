"""The records behind a computed value (SPEC §5.4: "every number drills down").

The sets are those the indicator counts (`scorecard.kpis.populations`), started from the
projects the viewer may see: an elected official never sees a confidential project here,
while the value itself counts every project of the city.
"""

from dataclasses import dataclass, field

from django.core.paginator import Page
from django.db.models import Case, DecimalField, IntegerField, OuterRef, QuerySet, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from innovaction.lists import paginate
from partners.selectors import RATIO, secured_lines
from portfolio.choices import Weather
from portfolio.models import Project
from scorecard import kpis
from scorecard.choices import Source
from scorecard.kpis import populations as pop
from scorecard.models import Indicator
from scorecard.periods import Period

ZERO = Value(0, output_field=DecimalField(max_digits=18, decimal_places=2))


@dataclass
class Records:
    kind: str
    page: Page
    tabs: list[tuple[str, str | Promise]] = field(default_factory=list)
    tab: str = ""
    total: object = None


def _leverage_lines(period: Period, visible: QuerySet) -> QuerySet:
    return (
        pop.secured_funding(period, pop.leverage_projects(period, visible))
        .select_related("project", "partner")
        .order_by("-amount", "pk")
    )


def _leverage_projects(period: Period, visible: QuerySet) -> QuerySet:
    secured = (
        secured_lines(period.end)
        .filter(project=OuterRef("pk"))
        .order_by()
        .values("project")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return (
        pop.leverage_projects(period, visible)
        .annotate(secured=Coalesce(Subquery(secured), ZERO))
        .order_by("-city_contribution", "code")
    )


def _stormy_first(projects: QuerySet) -> QuerySet:
    return projects.annotate(
        stormy_rank=Case(When(weather_on=Weather.ORAGE, then=0), default=1, output_field=IntegerField())
    ).order_by("stormy_rank", "code")


def _queryset(kind: str, period: Period, visible: QuerySet, tab: str) -> QuerySet:
    if kind == "leverage":
        return _leverage_projects(period, visible) if tab == "projets" else _leverage_lines(period, visible)
    if kind == "active":
        return pop.active_projects(period, visible).select_related("lead").order_by("code")
    if kind == "decisions":
        return pop.decided_projects(period, visible).select_related("commission_letter").order_by("decided_on", "code")
    if kind == "milestones":
        return pop.milestones_planned(period, visible).select_related("project").order_by("planned_date", "pk")
    if kind == "deliveries":
        return pop.deliveries(period, visible).select_related("project").order_by("effective_date", "pk")
    if kind == "weather":
        return _stormy_first(pop.with_weather_on(pop.active_projects(period, visible), period.end))
    if kind == "members":
        return pop.members_on(period.end).order_by("name", "pk")
    if kind == "new_members":
        return pop.members_joined(period).order_by("network_joined_on", "name", "pk")
    if kind == "interactions":
        return (
            pop.interactions_in(period, visible)
            .select_related("project")
            .prefetch_related("partners")
            .order_by("date", "pk")
        )
    raise ValueError(kind)


LEVERAGE_TABS = [("lignes", _("Financements acquis")), ("projets", _("Part ville par projet"))]


def records_behind(indicator: Indicator, period: Period, user, *, page=1, tab: str = "") -> Records | None:
    """The page of records behind `indicator`'s value for `period`, as `user` may see them;
    None for a manual indicator (its value is entered, nothing lies behind it)."""
    kpi = kpis.get(indicator.code) if indicator.source == Source.COMPUTED else None
    if kpi is None:
        return None
    visible = Project.objects.visible_to(user)
    tabs = LEVERAGE_TABS if kpi.records == "leverage" else []
    if tabs and tab not in dict(tabs):
        tab = tabs[0][0]
    queryset = _queryset(kpi.records, period, visible, tab)
    records = Records(kind=kpi.records, page=paginate(queryset, page), tabs=tabs, tab=tab)
    if kpi.records == "leverage":
        if tab == "projets":
            records.total = queryset.aggregate(total=Coalesce(Sum("city_contribution"), ZERO))["total"]
        else:
            records.total = queryset.aggregate(total=Coalesce(Sum("amount"), ZERO))["total"]
    for row in records.page.object_list:
        _decorate(kpi.records, row, tab)
    return records


def _decorate(kind: str, row, tab: str) -> None:
    """Per-row figures the templates show (computed on the page's rows only)."""
    if kind == "decisions":
        row.instruction_days = (row.decided_on - row.commission_letter.date).days
    elif kind == "milestones":
        row.on_time = row.actual_date is not None and row.actual_date <= row.planned_date
    elif kind == "leverage" and tab == "projets":
        row.ratio = (row.secured / row.city_contribution).quantize(RATIO) if row.city_contribution else None
