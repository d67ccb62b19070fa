"""What the report tests share: a small scorecard for a past month, and reading PDFs."""

import datetime
import subprocess

from portfolio.choices import Phase
from scorecard import services
from scorecard.periods import Period
from scorecard.reports.models import Recipient
from tests.scorecard.conftest import make_registry_indicators
from tests.scorecard.datasets import make_project

PERIOD = Period(2025, 3)


def small_city(*, title="Halle du marché"):
    """Registry indicators with 2025 targets, one active project, March 2025 computed."""
    make_registry_indicators()
    project = make_project(
        datetime.date(2024, 10, 1),
        [(Phase.INSTRUCTION, datetime.date(2024, 11, 1))],
        total="1000000.00",
        city="100000.00",
        code="P-2024-001",
        title=title,
    )
    services.recompute_period(period=PERIOD)
    return project


def recipients(count: int, start: int = 1) -> list[Recipient]:
    return [
        Recipient.objects.create(name=f"Élu·e n° {n}", email=f"elu{n}@ville.test") for n in range(start, start + count)
    ]


def pdftotext(pdf: bytes, tmp_path, first: int | None = None, last: int | None = None) -> str:
    path = tmp_path / "rapport.pdf"
    path.write_bytes(pdf)
    pages = ["-f", str(first), "-l", str(last or first)] if first else []
    return subprocess.run(["pdftotext", *pages, str(path), "-"], check=True, capture_output=True, text=True).stdout


def compact(text: str) -> str:
    """Without any whitespace: a long title wrapped in a table cell still reads as one string."""
    return "".join(text.split())


def flat(text: str) -> str:
    """Spaces of every width (the money and unit separators) as one plain space."""
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())
