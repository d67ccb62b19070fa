"""The cabinet dashboard (SPEC §5.4) for a month, as a user may see it, in a fixed number of
queries: the grid and tiles come from the stored measurements, the lists from the watchlist
selectors on the user's visible projects, as of the end of the month (or today for the
current month)."""

import datetime
import math
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from innovaction.models import Organisation
from portfolio.choices import Phase
from portfolio.models import Project
from scorecard.models import PeriodComputation, PeriodLock
from scorecard.periods import Period
from scorecard.selectors import watchlist
from scorecard.selectors.grid import IndicatorLine, PerspectiveBlock, lines_by_code, scorecard_grid

HEADLINE_CODES = ["PROC-FILE-ACTIVE", "PROC-DELAI-INSTRUCTION", "FIN-LEVIER", "FIN-COFI", "USA-PARTENAIRES"]
LIST_SIZE = 8
MILESTONE_DAYS = 30
LEVERAGE_REFERENCE = Decimal(5)  # the DADI's "1 € of city money → 5 € of partner money"


@dataclass
class Watch:
    """The first items of a list and how many there are in all."""

    items: list
    count: int

    @property
    def more(self) -> int:
        return self.count - len(self.items)


def _watch(queryset) -> Watch:
    return Watch(list(queryset[:LIST_SIZE]), queryset.count())


@dataclass
class Dashboard:
    period: Period
    as_of: datetime.date
    blocks: list[PerspectiveBlock]
    tiles: list[IndicatorLine]
    funnel: list[tuple[str, int]]
    suspended: int
    abandoned: int
    late: Watch
    stormy: Watch
    milestones: Watch
    funding: Watch
    funding_days: int
    milestone_days: int
    computed_at: datetime.datetime | None
    locked: bool

    @property
    def has_values(self) -> bool:
        return any(line.current for block in self.blocks for line in block.lines)

    @property
    def leverage_maximum(self) -> Decimal:
        """The end of the leverage gauge: twice the target, or the value if it goes beyond."""
        line = next((t for t in self.tiles if t.indicator.code == "FIN-LEVIER"), None)
        target = (line.current.target if line and line.current else None) or LEVERAGE_REFERENCE
        value = line.current.value if line and line.current and line.current.value is not None else 0
        return Decimal(max(math.ceil(target * 2), math.ceil(value)))


def as_of_date(period: Period) -> datetime.date:
    """The day a month's lists are read at: its last day, or today while it is running."""
    return min(period.end, timezone.localdate())


def dashboard(user, period: Period) -> Dashboard:
    return dashboard_of(Project.objects.visible_to(user), period)


def dashboard_of(visible, period: Period) -> Dashboard:
    """The dashboard whose lists show the projects of `visible` (the monthly report passes
    the non-confidential ones: it is read outside the application)."""
    as_of = as_of_date(period)
    blocks = scorecard_grid(period)
    by_code = lines_by_code(blocks)
    watch = watchlist.portfolio_watch_on(visible, as_of, watchlist.phase_targets())
    counts = watch.counts
    late, stormy = watch.first(LIST_SIZE)
    funding_days = Organisation.current().funding_alert_days
    computation = PeriodComputation.objects.filter(period=period.start).values_list("computed_at", flat=True).first()
    return Dashboard(
        period=period,
        as_of=as_of,
        blocks=blocks,
        tiles=[by_code[code] for code in HEADLINE_CODES if code in by_code],
        funnel=[(str(Phase(p).label), counts.get(p, 0)) for p in watchlist.FUNNEL_PHASES],
        suspended=counts.get(Phase.SUSPENDU, 0),
        abandoned=counts.get(Phase.ABANDONNE, 0),
        late=Watch(late, len(watch.late_ids)),
        stormy=Watch(stormy, len(watch.stormy_ids)),
        milestones=_watch(watchlist.milestones_due(visible, as_of, MILESTONE_DAYS)),
        funding=_watch(watchlist.funding_lines_expiring(visible, as_of, funding_days)),
        funding_days=funding_days,
        milestone_days=MILESTONE_DAYS,
        computed_at=computation,
        locked=PeriodLock.objects.filter(period=period.start).exists(),
    )
