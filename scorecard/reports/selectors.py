"""Reads of the monthly report: its content for a month, the archive, the delivery log.

The content is the cabinet dashboard's (`scorecard.selectors.dashboard.dashboard_of`), read
through the same selectors, so every figure of the PDF is the one the dashboard shows for that
month. Its lists show non-confidential projects only: the report leaves the application (it
is e-mailed and printed), while the indicators, as everywhere, count every project.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Prefetch, QuerySet, Sum
from django.db.models.functions import Coalesce

from innovaction.outbox.models import OutboxMessage
from partners.choices import FundingStatus
from partners.models import FundingLine
from partners.selectors import ZERO, secured_lines
from partners.selectors.funding import lines_on
from portfolio.models import Project
from scorecard.kpis import populations as pop
from scorecard.models import Measurement
from scorecard.periods import Period
from scorecard.reports.models import Recipient, Report, ReportDelivery
from scorecard.selectors import watchlist
from scorecard.selectors.dashboard import Dashboard, Watch, dashboard_of
from scorecard.selectors.grid import IndicatorLine, PerspectiveBlock
from scorecard.status import worst

# How many rows each list of the report prints; the rest is counted. At 10,000 projects the
# annex stays a few pages long (SPEC §6: top-N plus counts, not a 300-page table).
LIST_SIZE = 8
ANNEX_SIZE = 25
STATUSES = ["vert", "orange", "rouge"]


def report_audience() -> QuerySet:
    """The projects a report may name: the non-confidential ones."""
    return Project.objects.filter(confidential=False)


@dataclass
class PerspectiveSummary:
    """One perspective's traffic light: how many indicators are green, orange, red, unmeasured."""

    block: PerspectiveBlock
    counts: dict[str, int]
    status: str
    comments: list[tuple[IndicatorLine, str]] = field(default_factory=list)

    @property
    def unmeasured(self) -> int:
        return self.counts.get("", 0)


@dataclass
class Money:
    """A list of funding lines with their count and total."""

    lines: list
    count: int
    total: Decimal

    @property
    def more(self) -> int:
        return self.count - len(self.lines)


@dataclass
class ReportContent:
    period: Period
    board: Dashboard
    perspectives: list[PerspectiveSummary]
    next_month: Period
    next_milestones: Watch
    new_grants: Money
    pending: Money
    annex: list
    annex_count: int
    annex_by_theme: list[tuple[str, int]]

    @property
    def leverage(self) -> IndicatorLine | None:
        return next((t for t in self.board.tiles if t.indicator.code == "FIN-LEVIER"), None)

    @property
    def line_count(self) -> int:
        return sum(len(block.lines) for block in self.board.blocks)


def _summaries(blocks: list[PerspectiveBlock]) -> list[PerspectiveSummary]:
    summaries = []
    for block in blocks:
        counts: dict[str, int] = dict.fromkeys([*STATUSES, ""], 0)
        for line in block.lines:
            counts[line.status] = counts.get(line.status, 0) + 1
        comments = [(line, line.current.comment) for line in block.lines if line.current and line.current.comment]
        summaries.append(PerspectiveSummary(block, counts, worst(line.status for line in block.lines), comments))
    return summaries


def _money(lines: QuerySet, size: int) -> Money:
    totals = lines.order_by().aggregate(count=Count("pk"), total=Coalesce(Sum("amount"), ZERO))
    return Money(list(lines[:size]), totals["count"], totals["total"])


def report_content(period: Period) -> ReportContent:
    """Everything the report of `period` prints, in a fixed number of queries."""
    visible = report_audience()
    board = dashboard_of(visible, period)
    next_month = period.shift(1)
    milestones = watchlist.milestones_due(visible, next_month.start, (next_month.end - next_month.start).days)
    lines = FundingLine.objects.filter(project__in=visible.values("pk")).select_related("project", "partner")
    new_grants = secured_lines(period.end).filter(
        pk__in=lines.values("pk"), granted_on__gte=period.start, granted_on__lte=period.end
    )
    pending = lines_on(lines, period.end).filter(status_at=FundingStatus.SOLLICITE)
    active = pop.active_projects(period, visible)
    annex = list(active.select_related("lead", "theme").order_by("-total_cost", "code")[:ANNEX_SIZE])
    by_theme = list(active.order_by().values_list("theme__name").annotate(n=Count("pk")).order_by("-n", "theme__name"))
    visible_active = sum(n for _name, n in by_theme)
    return ReportContent(
        period=period,
        board=board,
        perspectives=_summaries(board.blocks),
        next_month=next_month,
        next_milestones=Watch(list(milestones[:LIST_SIZE]), milestones.count()),
        new_grants=_money(new_grants.select_related("project", "partner").order_by("-amount", "pk"), LIST_SIZE),
        pending=_money(pending.select_related("project", "partner").order_by("-amount", "pk"), LIST_SIZE),
        annex=annex,
        annex_count=visible_active,
        annex_by_theme=by_theme,
    )


def headline_values(content: ReportContent) -> list[tuple[str, str]]:
    """(indicator name, value as printed) of the headline tiles — what the e-mail summarises."""
    from scorecard.formatting import format_value

    return [
        (
            line.indicator.name,
            format_value(line.current.value if line.current else None, line.indicator.unit, line.indicator.decimals),
        )
        for line in content.board.tiles
    ]


# Archive and delivery log ---------------------------------------------------------------------


def report_for(period: Period) -> Report | None:
    return Report.objects.filter(period=period.start).select_related("generated_by", "sent_by").first()


def report_archive() -> QuerySet:
    return (
        Report.objects.select_related("generated_by", "sent_by")
        .annotate(delivery_count=Count("deliveries"))
        .order_by("-period")
    )


def active_recipients() -> QuerySet:
    return Recipient.objects.filter(is_active=True).order_by("name", "pk")


def delivery_log(report: Report) -> list[ReportDelivery]:
    """Each recipient's delivery: the message, its attempts, and the copies resent by hand
    (each with its own attempts and who asked), in a fixed number of queries."""
    resends = OutboxMessage.objects.select_related("requested_by").prefetch_related("delivery_attempts")
    return list(
        report.deliveries.select_related("recipient", "message", "message__requested_by").prefetch_related(
            "message__delivery_attempts", Prefetch("message__resends", queryset=resends.order_by("created_at", "pk"))
        )
    )


def measured_months_without_report(months: int = 12) -> list[Period]:
    """Closed months that have values but no issued report yet, newest first (for the archive page)."""
    current = Period.current()
    first = current.shift(-months)
    measured = set(
        Measurement.objects.filter(period__gte=first.start, period__lt=current.start)
        .values_list("period", flat=True)
        .distinct()
    )
    issued = set(Report.objects.filter(period__gte=first.start).values_list("period", flat=True))
    return [Period.of(day) for day in sorted(measured - issued, reverse=True)]
