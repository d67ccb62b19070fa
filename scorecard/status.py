"""The one rule that turns a value into a traffic light (SPEC §5.1).

Given the year's target, the indicator's direction and its tolerance (a percentage of the
target):

- direction `up` (higher is better): **vert** when value ≥ target; **orange** when
  target − band ≤ value < target; **rouge** below that;
- direction `down` (lower is better): **vert** when value ≤ target; **orange** when
  target < value ≤ target + band; **rouge** above that;

where band = |target| × tolerance / 100. The edges belong to the better colour (a value
exactly at the target is green, exactly at the end of the band is orange). No value or no
target → no status (empty string), shown as « sans objet ».
"""

from dataclasses import dataclass
from decimal import Decimal

from scorecard.choices import Direction, Status

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Thresholds:
    """Where the colours change, for the charts' bands: vert on the `target` side, orange
    between `target` and `limit`, rouge beyond `limit`."""

    target: Decimal
    limit: Decimal
    direction: str


def thresholds(target, direction: str, tolerance_pct) -> Thresholds | None:
    if target is None:
        return None
    target = Decimal(target)
    band = abs(target) * Decimal(tolerance_pct or 0) / HUNDRED
    limit = target - band if direction == Direction.UP else target + band
    return Thresholds(target=target, limit=limit, direction=direction)


def status_for(value, target, direction: str, tolerance_pct) -> str:
    """`Status.VERT` / `ORANGE` / `ROUGE`, or "" when there is no value or no target."""
    if value is None:
        return ""
    limits = thresholds(target, direction, tolerance_pct)
    if limits is None:
        return ""
    value = Decimal(value)
    if direction == Direction.UP:
        if value >= limits.target:
            return Status.VERT
        return Status.ORANGE if value >= limits.limit else Status.ROUGE
    if value <= limits.target:
        return Status.VERT
    return Status.ORANGE if value <= limits.limit else Status.ROUGE


SEVERITY = {Status.VERT: 1, Status.ORANGE: 2, Status.ROUGE: 3}


def worst(statuses) -> str:
    """The most severe of several statuses ("" when none is set): an objective is as good as
    its weakest measured indicator."""
    present = [s for s in statuses if s]
    return max(present, key=SEVERITY.__getitem__) if present else ""
