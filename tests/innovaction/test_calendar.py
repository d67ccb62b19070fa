from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from innovaction.calendar import first_working_day, is_first_working_day, is_working_day, iso_week, public_holidays


@pytest.mark.parametrize(
    ("year", "month", "expected", "why"),
    [
        (2026, 3, date(2026, 3, 2), "1 March 2026 is a Sunday"),
        (2027, 1, date(2027, 1, 4), "1 January is a holiday, a Friday; then the weekend"),
        (2026, 1, date(2026, 1, 2), "1 January 2026 is a Thursday holiday; Friday 2 works"),
        (2026, 5, date(2026, 5, 4), "1 May 2026 (Fête du Travail) is a Friday; then the weekend"),
        (2026, 8, date(2026, 8, 3), "1 August 2026 is a Saturday"),
        (2027, 5, date(2027, 5, 3), "1 May 2027 is a Saturday: holiday and weekend at once"),
        (2027, 11, date(2027, 11, 2), "1 November 2027 (Toussaint) is a Monday"),
        (2026, 11, date(2026, 11, 2), "1 November 2026 (Toussaint) is a Sunday"),
        (2026, 6, date(2026, 6, 1), "1 June 2026 is an ordinary Monday"),
        (2026, 10, date(2026, 10, 1), "1 October 2026 is an ordinary Thursday"),
    ],
)
def test_first_working_day(year, month, expected, why):
    assert first_working_day(year, month) == expected, why
    assert is_first_working_day(expected)
    assert not is_first_working_day(expected - timedelta(days=1))
    assert not is_first_working_day(expected + timedelta(days=1))


def test_public_holidays_are_the_french_ones():
    assert {date(2026, 1, 1), date(2026, 4, 6), date(2026, 5, 1), date(2026, 5, 8), date(2026, 7, 14)} <= (
        public_holidays(2026)
    )
    assert date(2026, 12, 25) in public_holidays(2026)
    assert not is_working_day(date(2026, 11, 11))  # Armistice, a Wednesday
    assert not is_working_day(date(2026, 3, 7))  # a Saturday
    assert is_working_day(date(2026, 3, 9))


@given(st.integers(min_value=2000, max_value=2100), st.integers(min_value=1, max_value=12))
def test_first_working_day_is_the_first_day_of_the_month_that_works(year, month):
    day = first_working_day(year, month)
    assert (day.year, day.month) == (year, month)
    assert day.weekday() < 5 and day not in public_holidays(year)
    assert all(not is_working_day(date(year, month, n)) for n in range(1, day.day))


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 11, 16), "2026-W47"),  # a Monday
        (date(2026, 11, 22), "2026-W47"),  # the Sunday of the same week
        (date(2026, 1, 5), "2026-W02"),
        (date(2027, 1, 1), "2026-W53"),  # the ISO year ends on 3 January 2027
        (date(2027, 1, 4), "2027-W01"),
    ],
)
def test_iso_week_labels_the_week_of_a_day(day, expected):
    assert iso_week(day) == expected
