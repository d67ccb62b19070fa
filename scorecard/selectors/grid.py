"""The scorecard grid: indicators by perspective, with their current value, the previous
month's and a year of history (for sparklines), in three queries."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Max, Min

from scorecard.choices import Direction
from scorecard.models import Indicator, Measurement, Objective, Perspective, Target
from scorecard.periods import Period
from scorecard.status import worst


@dataclass
class IndicatorLine:
    """One indicator over `periods` (oldest first; the last one is the month shown)."""

    indicator: Indicator
    periods: list[Period]
    by_period: dict[Period, Measurement] = field(default_factory=dict)

    @property
    def current(self) -> Measurement | None:
        return self.by_period.get(self.periods[-1])

    @property
    def previous(self) -> Measurement | None:
        return self.by_period.get(self.periods[-2]) if len(self.periods) > 1 else None

    @property
    def values(self) -> list[Decimal | None]:
        return [m.value if (m := self.by_period.get(p)) else None for p in self.periods]

    @property
    def status(self) -> str:
        return self.current.status if self.current else ""

    @property
    def change(self) -> Decimal | None:
        """Change since the previous month (None unless both months have a value)."""
        current, previous = self.current, self.previous
        if current is None or previous is None or current.value is None or previous.value is None:
            return None
        return current.value - previous.value

    @property
    def trend(self) -> str:
        """« better », « worse » or « same » since the previous month, given the direction;
        "" when there is nothing to compare."""
        change = self.change
        if change is None:
            return ""
        if change == 0:
            return "same"
        improving = change > 0 if self.indicator.direction == Direction.UP else change < 0
        return "better" if improving else "worse"


@dataclass
class PerspectiveBlock:
    perspective: Perspective
    lines: list[IndicatorLine]


def indicator_lines(period: Period, *, months: int = 12, indicators=None) -> list[IndicatorLine]:
    """Active indicators (or `indicators`) with their current measurements over the `months`
    months ending with `period`."""
    periods = period.shift(-(months - 1)).until(period)
    if indicators is None:
        indicators = Indicator.objects.filter(is_active=True).select_related("perspective", "objective", "owner")
    indicators = list(indicators)
    lines = {i.pk: IndicatorLine(i, periods) for i in indicators}
    rows = Measurement.objects.filter(
        is_current=True, indicator__in=list(lines), period__range=(periods[0].start, periods[-1].start)
    )
    for row in rows:
        lines[row.indicator_id].by_period[Period.of(row.period)] = row
    return list(lines.values())


def scorecard_grid(period: Period, *, months: int = 12) -> list[PerspectiveBlock]:
    """Every perspective (in order, also those without indicators) with its indicators."""
    lines = indicator_lines(period, months=months)
    blocks = {p.pk: PerspectiveBlock(p, []) for p in Perspective.objects.all()}
    for line in lines:
        blocks[line.indicator.perspective_id].lines.append(line)
    return list(blocks.values())


def lines_by_code(blocks: list[PerspectiveBlock]) -> dict[str, IndicatorLine]:
    return {line.indicator.code: line for block in blocks for line in block.lines}


@dataclass
class ObjectiveState:
    objective: Objective
    lines: list[IndicatorLine]

    @property
    def status(self) -> str:
        """As good as its weakest measured indicator (SPEC §5.4, strategy map)."""
        return worst(line.status for line in self.lines)


def objective_states(period: Period) -> tuple[list[Perspective], list[ObjectiveState], list[tuple[int, int]]]:
    """Perspectives, objectives with their indicators' lines for `period`, and the
    cause → effect links as (cause id, effect id) pairs: four queries."""
    perspectives = list(Perspective.objects.all())
    objectives = list(Objective.objects.select_related("perspective"))
    lines = indicator_lines(period, months=1)
    by_objective: dict[int, list[IndicatorLine]] = {}
    for line in lines:
        if line.indicator.objective_id:
            by_objective.setdefault(line.indicator.objective_id, []).append(line)
    links = list(Objective.effects.through.objects.values_list("from_objective_id", "to_objective_id"))
    return perspectives, [ObjectiveState(o, by_objective.get(o.pk, [])) for o in objectives], links


def measured_range() -> tuple[Period, Period] | None:
    """The first and last months that have a measurement."""
    bounds = Measurement.objects.aggregate(first=Min("period"), last=Max("period"))
    if bounds["first"] is None:
        return None
    return Period.of(bounds["first"]), Period.of(bounds["last"])


def selectable_periods(*, months_back: int = 120) -> list[Period]:
    """The months a period picker offers, newest first: from the first measured month (at
    most `months_back` months ago) to the current month."""
    current = Period.current()
    measured = measured_range()
    first = measured[0] if measured else current
    first = max(first, current.shift(-(months_back - 1)))
    return list(reversed(first.until(current)))


def indicator_history(indicator: Indicator, period: Period, *, months: int = 36) -> IndicatorLine:
    return indicator_lines(period, months=months, indicators=[indicator])[0]


def indicator_revisions(indicator: Indicator) -> list[Measurement]:
    """Every row of the months that have more than one revision, newest month first."""
    revised = (
        Measurement.objects.filter(indicator=indicator, revision__gt=1).values_list("period", flat=True).distinct()
    )
    return list(
        Measurement.objects.filter(indicator=indicator, period__in=list(revised))
        .select_related("recorded_by")
        .order_by("-period", "-revision")
    )


def indicator_targets(indicator: Indicator) -> list[Target]:
    return list(indicator.targets.order_by("-year"))
