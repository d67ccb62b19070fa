"""Fixtures of the portfolio tests: stored files in a temporary folder, real PDFs, a lead's
project and a confidential one, phase targets."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.signals import request_finished
from django.db import close_old_connections

from portfolio.choices import Phase
from portfolio.models import PhaseTarget
from tests.portfolio.factories import CommissionLetterFactory, ProjectFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded files go to a temporary folder, never to var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def close_response(response) -> None:
    """Release what a streamed response holds (a download's open file), as a server does
    once it has sent it — without the end-of-request signal closing the test's database."""
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)


def pdf_upload(name: str = "lettre.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def targets(db):
    """Target durations in days, as the demo sets them."""
    values = {Phase.COMMANDE: 30, Phase.INSTRUCTION: 90, Phase.ARBITRAGE: 45, Phase.REALISATION: 540}
    for phase, days in values.items():
        PhaseTarget.objects.create(phase=phase, target_days=days)
    return values


@pytest.fixture
def project(lead):
    """The lead's project, in arbitrage, ready for the "go" decision: its cost is entered and
    funded (here by the city alone, which satisfies the funding-plan gate of any app)."""
    return ProjectFactory(
        lead=lead,
        title="Halle gourmande du marché couvert",
        total_cost=Decimal("1000000.00"),
        city_contribution=Decimal("1000000.00"),
        commission_letter=CommissionLetterFactory(date=dt.date(2025, 1, 6)),
        phases={Phase.INSTRUCTION: dt.date(2025, 2, 3), Phase.ARBITRAGE: dt.date(2025, 6, 2)},
    )


@pytest.fixture
def secret(lead):
    """A confidential project of the same lead."""
    return ProjectFactory(lead=lead, title="Acquisition foncière discrète", confidential=True)
