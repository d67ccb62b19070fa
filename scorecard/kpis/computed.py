"""The eleven computed indicators of SPEC §5.2, one function of the period each.

Common rules, exact because they are checked from outside:
- Period M is a calendar month. A *stock* is measured as of the last day of M, `M.end`
  (a date in Europe/Paris); a *flow* counts what is dated from `M.start` to `M.end` included.
- "Active" = phase `commande`, `instruction`, `arbitrage` or `realisation` at the end of the
  day, from the transition log (`portfolio.selectors.active_on`); a project exists from its
  commission-letter date.
- Every project counts, confidential ones included: indicators describe the whole city.
- Each function runs a fixed number of queries (SQL aggregates), whatever the data size.
- The result is a `Decimal`, or None when the value is empty (meaning "no basis to compute
  it this month", shown as « — » and given no status).
"""

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, DecimalField, Q, Sum, Value
from django.db.models.functions import Coalesce

from partners.selectors import leverage_of
from portfolio.choices import Weather
from portfolio.workflow import median
from scorecard.kpis import populations as pop
from scorecard.periods import Period

CENT = Decimal("0.01")
ZERO = Value(Decimal("0.00"), output_field=DecimalField(max_digits=18, decimal_places=2))


def percent(part: int, whole: int) -> Decimal | None:
    """100 × part ÷ whole, rounded half-up to 2 decimals; None when whole is 0."""
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(CENT, rounding=ROUND_HALF_UP)


def fin_levier(period: Period) -> Decimal | None:
    """FIN-LEVIER — leverage (ratio) as of the end of M.

    Over the projects existing at the end of M and not abandoned at that date (from the
    transition log): Σ amount of their funding lines whose status is `accorde` or `verse`
    and whose grant date is on or before the end of M, divided by Σ their city contribution;
    2 decimals (`partners.selectors.leverage_of(...).ratio`). A line's status is its status
    today (lines keep no status log), so a line refused or lapsed since no longer counts.
    Empty when those projects' city contribution adds up to 0 (including: no project yet).
    """
    return leverage_of(pop.leverage_projects(period), as_of=period.end).ratio


def fin_cofi(period: Period) -> Decimal:
    """FIN-COFI — co-financing secured as of the end of M, in euros: the numerator of
    FIN-LEVIER (Σ external lines `accorde`/`verse` granted on or before the end of M, of the
    projects not abandoned at that date). 0 when there is none; never empty."""
    return leverage_of(pop.leverage_projects(period), as_of=period.end).secured


def fin_portefeuille(period: Period) -> Decimal:
    """FIN-PORTEFEUILLE — Σ total cost of the projects active at the end of M, in euros
    (0 when no project is active; never empty)."""
    return pop.active_projects(period).aggregate(total=Coalesce(Sum("total_cost"), ZERO))["total"]


def proc_file_active(period: Period) -> Decimal:
    """PROC-FILE-ACTIVE — number of projects active at the end of M (suspended and
    abandoned ones are not active; delivered and evaluated ones neither). Never empty."""
    return Decimal(pop.active_projects(period).count())


def proc_delai_instruction(period: Period) -> Decimal | None:
    """PROC-DELAI-INSTRUCTION — median instruction time, in days.

    Instruction time of a project = decision date − commission-letter date, in days, where
    the decision date is its first entry into `realisation` (the "go"; a "no-go" is not a
    decision date). Over the projects whose decision date lies in the 12 months ending at
    the end of M (first day of M−11 to last day of M). Median with percentile_cont
    semantics (`portfolio.workflow.median`: the mean of the two middle values for an even
    count), 2 decimals. Empty when no project was decided in that window.

    One query fetches the (decision, letter) date pairs; the median is taken by the same
    function as the lead-time pages, so both agree on every database.
    """
    pairs = pop.decided_projects(period).values_list("decided_on", "commission_letter__date")
    days = [(decided - letter).days for decided, letter in pairs]
    value = median(days)
    return None if value is None else Decimal(str(value)).quantize(CENT)


def proc_jalons(period: Period) -> Decimal | None:
    """PROC-JALONS — % of the milestones planned in M (planned date from the first to the
    last day of M) that were done on or before their planned date (actual date set and ≤
    planned date). Rounded half-up to 2 decimals. Empty when no milestone was planned in M."""
    counts = pop.milestones_planned(period).aggregate(total=Count("pk"), on_time=Count("pk", filter=pop.ON_TIME))
    return percent(counts["on_time"], counts["total"])


def proc_livres(period: Period) -> Decimal:
    """PROC-LIVRES — number of projects entering `livre` during M (a transition into
    `livre` dated in M). 0 when none; never empty."""
    return Decimal(pop.deliveries(period).aggregate(n=Count("project", distinct=True))["n"])


def proc_alerte(period: Period) -> Decimal | None:
    """PROC-ALERTE — % of the projects active at the end of M whose weather as of the end of
    M is `orage`. The weather as of a date is that of the latest progress note dated on or
    before it (not the project's current weather); an active project without any such note
    counts as not stormy. Rounded half-up to 2 decimals. Empty when no project is active."""
    projects = pop.with_weather_on(pop.active_projects(period), period.end)
    counts = projects.aggregate(active=Count("pk"), stormy=Count("pk", filter=Q(weather_on=Weather.ORAGE)))
    return percent(counts["stormy"], counts["active"])


def usa_partenaires(period: Period) -> Decimal:
    """USA-PARTENAIRES — network members at the end of M: partners whose joining date is on
    or before the end of M and who have not left by then (no leaving date, or one after the
    end of M). Never empty."""
    return Decimal(pop.members_on(period.end).count())


def usa_nouveaux(period: Period) -> Decimal:
    """USA-NOUVEAUX — partners whose network joining date lies in M (counted even if they
    left later). Never empty."""
    return Decimal(pop.members_joined(period).count())


def usa_interactions(period: Period) -> Decimal:
    """USA-INTERACTIONS — partner interactions dated in M (one interaction with several
    partners counts once). Never empty."""
    return Decimal(pop.interactions_in(period).count())
