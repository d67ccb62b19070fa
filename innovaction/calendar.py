"""Working days of a French collectivité: Monday to Friday, public holidays excluded.

Scheduled jobs that must run "on the first working day of the month" (the monthly scorecard,
SPEC §6) are planned every morning of the month's first days and ask `is_first_working_day`
whether today is the day: a crontab alone cannot know that 1 May or 1 January is a holiday.
"""

from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def public_holidays(year: int) -> frozenset[date]:
    """France's public holidays of `year` (metropolitan calendar)."""
    return frozenset(holidays.France(years=year))


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in public_holidays(day.year)


def first_working_day(year: int, month: int) -> date:
    """The first day of `month` that is neither a weekend day nor a public holiday."""
    day = date(year, month, 1)
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def is_first_working_day(day: date) -> bool:
    return day == first_working_day(day.year, day.month)


def iso_week(day: date) -> str:
    """The ISO week of `day` ("2026-W47"), as written in the outbox keys of weekly reminders
    ("reminder:milestone:12:2026-W47"): one reminder per object per week is one key."""
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"
