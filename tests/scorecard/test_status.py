from decimal import Decimal

import pytest

from scorecard.choices import Direction, Status
from scorecard.status import status_for, thresholds, worst

GREEN, AMBER, RED = Status.VERT, Status.ORANGE, Status.ROUGE


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("5.01", GREEN),  # beyond the target
        ("5", GREEN),  # exactly the target: green
        ("4.99", AMBER),
        ("4.5", AMBER),  # target 5, tolerance 10 % → band 0.5: exactly at its end is still orange
        ("4.49", RED),
        ("0", RED),
    ],
)
def test_higher_is_better(value, expected):
    assert status_for(Decimal(value), Decimal("5"), Direction.UP, Decimal("10")) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("80", GREEN),
        ("90", GREEN),  # exactly the target
        ("90.01", AMBER),
        ("99", AMBER),  # target 90 days, tolerance 10 % → up to 99 is orange
        ("99.01", RED),
        ("400", RED),
    ],
)
def test_lower_is_better(value, expected):
    assert status_for(Decimal(value), Decimal("90"), Direction.DOWN, Decimal("10")) == expected


def test_no_value_or_no_target_gives_no_status():
    assert status_for(None, Decimal("5"), Direction.UP, 10) == ""
    assert status_for(Decimal("5"), None, Direction.UP, 10) == ""


def test_zero_tolerance_and_zero_target():
    assert status_for(Decimal("4.99"), Decimal("5"), Direction.UP, 0) == RED
    # A "zero" target for a lower-is-better percentage: only 0 is green, no orange band.
    assert status_for(Decimal("0"), Decimal("0"), Direction.DOWN, 20) == GREEN
    assert status_for(Decimal("0.01"), Decimal("0"), Direction.DOWN, 20) == RED


def test_negative_target_keeps_a_band_of_the_right_width():
    assert status_for(Decimal("-11"), Decimal("-10"), Direction.UP, 10) == AMBER
    assert status_for(Decimal("-11.01"), Decimal("-10"), Direction.UP, 10) == RED


def test_thresholds_for_charts():
    up = thresholds(Decimal("5"), Direction.UP, Decimal("10"))
    assert (up.target, up.limit) == (Decimal("5"), Decimal("4.5"))
    down = thresholds(Decimal("90"), Direction.DOWN, Decimal("10"))
    assert (down.target, down.limit) == (Decimal("90"), Decimal("99"))
    assert thresholds(None, Direction.UP, 10) is None


def test_worst_status_of_several():
    assert worst([GREEN, AMBER, ""]) == AMBER
    assert worst([GREEN, RED, AMBER]) == RED
    assert worst(["", ""]) == ""
