"""Months as measurement periods (SPEC §5.1): `YYYY-MM`, stored as the first day of the month.

A *stock* is measured as of `Period.end` (the last day of the month, a calendar date of
Europe/Paris, the time zone every "today" of the product is taken in); a *flow* counts what
is dated between `Period.start` and `Period.end`, both included.
"""

import calendar
import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.translation import gettext as _

_PATTERN = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True, order=True)
class Period:
    """One calendar month."""

    year: int
    month: int

    def __post_init__(self):
        if not 1 <= self.month <= 12 or not 1900 <= self.year <= 2999:
            raise ValueError(f"not a month: {self.year}-{self.month}")

    @classmethod
    def parse(cls, value: str) -> "Period":
        """`"2025-03"` → Period(2025, 3); anything else → ValidationError in French."""
        match = _PATTERN.match((value or "").strip())
        if match:
            try:
                return cls(int(match.group(1)), int(match.group(2)))
            except ValueError:
                pass
        raise ValidationError(
            _("« %(value)s » n'est pas un mois valide : écrivez-le AAAA-MM, par exemple 2025-03.") % {"value": value},
            code="invalid_period",
        )

    @classmethod
    def of(cls, day: datetime.date) -> "Period":
        return cls(day.year, day.month)

    @classmethod
    def current(cls) -> "Period":
        """The month of today in Europe/Paris (the project's TIME_ZONE)."""
        return cls.of(timezone.localdate())

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, self.month, 1)

    @property
    def end(self) -> datetime.date:
        return datetime.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    def shift(self, months: int) -> "Period":
        index = self.year * 12 + (self.month - 1) + months
        return Period(index // 12, index % 12 + 1)

    def previous(self) -> "Period":
        return self.shift(-1)

    def until(self, last: "Period") -> list["Period"]:
        """Every month from this one to `last`, both included (empty when `last` is earlier)."""
        count = (last.year - self.year) * 12 + last.month - self.month
        return [self.shift(n) for n in range(count + 1)]

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def label(self) -> str:
        """« mars 2025 » (Django's own translated month names)."""
        return f"{MONTHS[self.month]} {self.year}"

    @property
    def short_label(self) -> str:
        """« 03/2025 », for chart axes."""
        return f"{self.month:02d}/{self.year}"
