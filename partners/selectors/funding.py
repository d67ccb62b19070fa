"""Reads of funding plans and leverage, as of any day (SPEC §3.4, §4.3).

Every figure here is computed with `status_on(day)`, so the totals by status, the secured
amounts and the leverage agree with `leverage_of(..., as_of=day)` — the scorecard's
FIN-LEVIER — whatever day is asked.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, NullIf

from partners.choices import PLANNED_STATUSES, SECURED_STATUSES, FundingStatus, PartnerType
from partners.models import FundingLine, Instalment
from partners.selectors import ZERO, Leverage, correlated_sum, status_on, visible_lines, visible_projects
from portfolio.choices import ACTIVE_PHASES, Phase
from portfolio.selectors import not_abandoned_on

STATUS_ORDER = [s.value for s in FundingStatus]
CLOSED_STATUSES = [FundingStatus.REFUSE, FundingStatus.CADUC]


def paid_by(day: datetime.date):
    """Sum of a line's instalments received on or before `day`."""
    return correlated_sum(Instalment.objects.filter(funding_line=OuterRef("pk"), date__lte=day))


def lines_on(lines: QuerySet, day: datetime.date) -> QuerySet:
    """`lines` that existed on `day`, annotated with `status_at` and `paid_at`."""
    return lines.annotate(status_at=status_on(day), paid_at=paid_by(day)).filter(status_at__isnull=False)


# A project's funding plan ----------------------------------------------------------------------


@dataclass
class FundingPlan:
    """City contribution + external lines by status, against the project's total cost."""

    project: object
    as_of: datetime.date
    lines: list
    by_status: dict[str, Decimal] = field(default_factory=dict)
    paid: Decimal = Decimal("0.00")

    @property
    def total_cost(self) -> Decimal:
        return self.project.total_cost

    @property
    def city_contribution(self) -> Decimal:
        return self.project.city_contribution

    def total(self, *statuses) -> Decimal:
        return sum((self.by_status.get(s, Decimal("0.00")) for s in statuses), Decimal("0.00"))

    @property
    def secured(self) -> Decimal:
        return self.total(*SECURED_STATUSES)

    @property
    def requested(self) -> Decimal:
        return self.total(FundingStatus.SOLLICITE)

    @property
    def planned(self) -> Decimal:
        """External lines counted in the balance: requested, granted or paid."""
        return self.total(*PLANNED_STATUSES)

    @property
    def funded(self) -> Decimal:
        return self.city_contribution + self.planned

    @property
    def gap(self) -> Decimal:
        """What remains to find (negative when the plan exceeds the cost)."""
        return self.total_cost - self.funded

    @property
    def shortfall(self) -> Decimal:
        return max(self.gap, Decimal("0.00"))

    @property
    def excess(self) -> Decimal:
        return max(-self.gap, Decimal("0.00"))

    @property
    def gap_share(self) -> Decimal | None:
        return self.share(self.shortfall)

    @property
    def balanced(self) -> bool:
        return self.gap == 0

    @property
    def leverage(self) -> Leverage:
        return Leverage(secured=self.secured, city_contribution=self.city_contribution)

    @property
    def open_lines(self) -> list:
        return [line for line in self.lines if line.status_at not in CLOSED_STATUSES]

    @property
    def closed_lines(self) -> list:
        return [line for line in self.lines if line.status_at in CLOSED_STATUSES]

    def share(self, amount: Decimal) -> Decimal | None:
        """`amount` as a percentage of the total cost (None without a cost)."""
        if not self.total_cost:
            return None
        return (amount * 100 / self.total_cost).quantize(Decimal("0.1"))


def funding_plan(project, *, as_of: datetime.date) -> FundingPlan:
    """One query: the project's lines as they stood on `as_of`, with their payments."""
    lines = list(
        lines_on(project.funding_lines.all(), as_of).select_related("partner").order_by("status", "partner__name", "pk")
    )
    lines.sort(key=lambda line: (STATUS_ORDER.index(line.status_at), line.partner.name.lower(), line.pk))
    by_status: dict[str, Decimal] = {}
    for line in lines:
        by_status[line.status_at] = by_status.get(line.status_at, Decimal("0.00")) + line.amount
    paid = sum((line.paid_at for line in lines), Decimal("0.00"))
    return FundingPlan(project=project, as_of=as_of, lines=lines, by_status=by_status, paid=paid)


# The portfolio on a day ----------------------------------------------------------------------


def portfolio_projects(user, day: datetime.date) -> QuerySet:
    """Projects counted in the leverage on `day`: not abandoned then, visible to `user`."""
    return not_abandoned_on(visible_projects(user), day)


def portfolio_lines(user, day: datetime.date) -> QuerySet:
    return lines_on(visible_lines(user).filter(project__in=portfolio_projects(user, day).values("pk")), day)


@dataclass
class TypeRow:
    type: str
    by_status: dict[str, Decimal]
    paid: Decimal
    city_total: Decimal

    @property
    def label(self) -> str:
        return PartnerType(self.type).label

    @property
    def secured(self) -> Decimal:
        return sum((self.by_status.get(s, Decimal("0.00")) for s in SECURED_STATUSES), Decimal("0.00"))

    def status(self, status: str) -> Decimal:
        return self.by_status.get(status, Decimal("0.00"))

    @property
    def per_city_euro(self) -> Decimal | None:
        """This type's part of the portfolio's leverage: its secured euros per city euro."""
        return Leverage(self.secured, self.city_total).ratio


@dataclass
class PortfolioLeverage:
    as_of: datetime.date
    leverage: Leverage
    by_status: dict[str, Decimal]
    paid: Decimal
    project_count: int
    types: list[TypeRow]

    def status(self, status: str) -> Decimal:
        return self.by_status.get(status, Decimal("0.00"))

    def share(self, amount: Decimal) -> Decimal | None:
        """`amount` as a percentage of the secured funds."""
        if not self.leverage.secured:
            return None
        return (amount * 100 / self.leverage.secured).quantize(Decimal("0.1"))


def portfolio_leverage(user, *, as_of: datetime.date) -> PortfolioLeverage:
    """The headline figure and its breakdown by funder type and status (four queries)."""
    projects = portfolio_projects(user, as_of)
    totals = projects.aggregate(city=Coalesce(Sum("city_contribution"), ZERO), count=Count("pk"))
    lines = portfolio_lines(user, as_of)
    grid = lines.values("partner__type", "status_at").annotate(total=Sum("amount")).order_by()
    paid_rows = (
        Instalment.objects.filter(funding_line__in=lines.values("pk"), date__lte=as_of)
        .values("funding_line__partner__type")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    paid_by_type = {row["funding_line__partner__type"]: row["total"] for row in paid_rows}
    cells: dict[str, dict[str, Decimal]] = {}
    by_status: dict[str, Decimal] = {}
    for row in grid:
        cells.setdefault(row["partner__type"], {})[row["status_at"]] = row["total"]
        by_status[row["status_at"]] = by_status.get(row["status_at"], Decimal("0.00")) + row["total"]
    types = [
        TypeRow(type=t, by_status=cells[t], paid=paid_by_type.get(t, Decimal("0.00")), city_total=totals["city"])
        for t in PartnerType.values
        if t in cells
    ]
    types.sort(key=lambda row: (-row.secured, -sum(row.by_status.values()), row.label))
    secured = sum((by_status.get(s, Decimal("0.00")) for s in SECURED_STATUSES), Decimal("0.00"))
    return PortfolioLeverage(
        as_of=as_of,
        leverage=Leverage(secured=secured, city_contribution=totals["city"]),
        by_status=by_status,
        paid=sum(paid_by_type.values(), Decimal("0.00")),
        project_count=totals["count"],
        types=types,
    )


def _statuscorrelated_sum(statuses) -> Coalesce:
    return Coalesce(Sum("amount", filter=Q(status_at__in=list(statuses))), ZERO)


def partner_totals(user, *, as_of: datetime.date) -> QuerySet:
    """One row per partner with lines on the portfolio on `as_of`, biggest secured first."""
    return (
        portfolio_lines(user, as_of)
        .values("partner", "partner__name", "partner__type")
        .annotate(
            requested=_statuscorrelated_sum([FundingStatus.SOLLICITE]),
            secured=_statuscorrelated_sum(SECURED_STATUSES),
            paid=Coalesce(Sum("paid_at"), ZERO),
            line_count=Count("pk"),
        )
        .order_by("-secured", "partner__name", "partner")
    )


def project_totals(user, *, as_of: datetime.date) -> QuerySet:
    """The portfolio's projects on `as_of` with their secured and requested funds."""
    lines = lines_on(FundingLine.objects.filter(project=OuterRef("pk")), as_of)
    return (
        portfolio_projects(user, as_of)
        .annotate(
            secured=correlated_sum(lines.filter(status_at__in=SECURED_STATUSES)),
            requested=correlated_sum(lines.filter(status_at=FundingStatus.SOLLICITE)),
        )
        .annotate(
            gap=F("total_cost") - F("city_contribution") - F("secured") - F("requested"),
            ratio=F("secured") / NullIf(F("city_contribution"), ZERO),
        )
        .select_related("lead")
    )


def editable_projects(user, *, limit: int = 12) -> list:
    """The open projects `user` leads or works on, whose funding plans they keep."""
    return list(
        visible_projects(user)
        .filter(Q(lead=user) | Q(team=user), phase__in=[*ACTIVE_PHASES, Phase.SUSPENDU, Phase.LIVRE])
        .distinct()
        .order_by("-phase_since", "code")[:limit]
    )


# Expiring lines ------------------------------------------------------------------------------


def expiring_lines(user, *, today: datetime.date, days: int) -> QuerySet:
    """Open lines whose deadline falls before `today + days` (overdue ones included),
    soonest first: requests not yet answered, grants not yet (fully) paid."""
    return (
        visible_lines(user)
        .filter(
            status__in=PLANNED_STATUSES,
            expires_on__isnull=False,
            expires_on__lte=today + datetime.timedelta(days=days),
        )
        .annotate(paid_total=correlated_sum(Instalment.objects.filter(funding_line=OuterRef("pk"))))
        .exclude(status=FundingStatus.VERSE, paid_total__gte=F("amount"))
        .select_related("project", "partner", "project__lead")
        .order_by("expires_on", "project__code", "pk")
    )
