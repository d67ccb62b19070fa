"""A small city holding one object of every kind the URLs name, for an open and a confidential
project, and the seven people of the access matrix (SPEC §2)."""

import datetime as dt
from decimal import Decimal

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from rest_framework.authtoken.models import Token

from innovaction.models import Organisation
from innovaction.outbox.models import OutboxAttachment, OutboxAttempt, OutboxMessage
from innovaction.roles import Role
from partners.choices import FundingStatus
from portfolio.choices import DocumentKind, Phase
from portfolio.models import Document, PhaseTarget, TransitionProposal
from scorecard.choices import JobState, Source
from scorecard.models import Measurement, PeriodComputation, PeriodLock, RecomputeJob, Target
from scorecard.reports.models import Recipient, Report, ReportDelivery
from tests import snapshot
from tests.conftest import PEOPLE, made_once, make_person, restored
from tests.partners.factories import ContactFactory, FundingLineFactory, InteractionFactory, PartnerFactory
from tests.portfolio.factories import (
    DistrictFactory,
    MilestoneFactory,
    ProgressNoteFactory,
    ProjectFactory,
    RiskFactory,
)
from tests.scorecard.factories import IndicatorFactory, ObjectiveFactory, PerspectiveFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# The columns of the matrix, in order: who asks.
ROLES = ("anonymous", "lead", "other_lead", "cabinet", "elected", "director", "admin")


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded files go to a temporary folder, never to var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _make_people() -> dict:
    """`lead` owns both projects; `other_lead` is a lead outside their team."""
    return {"anonymous": None, **{key: make_person(key) for key in PEOPLE}}


def _make_people_and_city() -> tuple[dict, dict]:
    people = _make_people()
    return people, _make_city(people)


@pytest.fixture(scope="session")
def _people_and_city_once(django_db_setup, django_db_blocker, tmp_path_factory):
    """The people and their city, made once per process: the ~60 tests that start from them
    restore their snapshot in a fraction of the time the factories take."""
    return made_once(django_db_blocker, _make_people_and_city, media_root=tmp_path_factory.mktemp("city-media"))


@pytest.fixture
def _people_and_city(db, _people_and_city_once, _media_in_tmp) -> tuple[dict, dict]:
    return restored(_people_and_city_once, _make_people_and_city, media_root=_media_in_tmp, fixture="_people_and_city")


@pytest.fixture
def people(_people_and_city):
    """The seven columns of the matrix (`ROLES`), the anonymous visitor being None."""
    return _people_and_city[0]


@pytest.fixture
def city(_people_and_city):
    """Every object a URL of the project can name, once per kind of project."""
    return _people_and_city[1]


def _project_objects(*, lead, director, partner, confidential: bool) -> dict:
    project = ProjectFactory(
        lead=lead,
        confidential=confidential,
        title="Acquisition foncière discrète" if confidential else "Halle gourmande",
        total_cost=Decimal("1000000.00"),
        city_contribution=Decimal("400000.00"),
        phases={Phase.INSTRUCTION: dt.date(2024, 3, 1)},
    )
    project.commission_letter.signed_pdf.save("lettre.pdf", ContentFile(PDF), save=True)
    document = Document(
        project=project,
        kind=DocumentKind.AUTRE,
        title="Plan de financement",
        original_name="plan.pdf",
        mime_type="application/pdf",
        size=len(PDF),
        sha256="0" * 64,
        uploaded_by=lead,
    )
    document.file.save("plan.pdf", ContentFile(PDF), save=False)
    document.save()
    line = FundingLineFactory(
        project=project,
        partner=partner,
        amount=Decimal("250000.00"),
        status=FundingStatus.ACCORDE,
        granted_on=dt.date(2024, 9, 1),
        convention_name="convention.pdf",
    )
    line.convention.save("convention.pdf", ContentFile(PDF), save=True)
    return {
        "project": project,
        "milestone": MilestoneFactory(project=project),
        "note": ProgressNoteFactory(project=project),
        "risk": RiskFactory(project=project),
        "document": document,
        "proposal": TransitionProposal.objects.create(
            project=project,
            to_phase=Phase.ARBITRAGE,
            effective_date=dt.date(2024, 6, 3),
            comment="Dossier complet",
            proposed_by=lead,
        ),
        "line": line,
        "interaction": InteractionFactory(partners=[partner], project=project, author=lead),
    }


def _make_city(people: dict) -> dict:
    lead, director = people["lead"], people["director"]
    partner = PartnerFactory(name="Région Auvergne-Rhône-Alpes", member=True)
    contact = ContactFactory(partner=partner, name="Camille Martin")
    worlds = {
        "open": _project_objects(lead=lead, director=director, partner=partner, confidential=False),
        "secret": _project_objects(lead=lead, director=director, partner=partner, confidential=True),
    }
    perspective = PerspectiveFactory()
    objective = ObjectiveFactory(perspective=perspective)
    indicator = IndicatorFactory(
        code="APP-QVT",
        name="Qualité de vie au travail",
        perspective=perspective,
        objective=objective,
        source=Source.MANUAL,
        unit="score",
        decimals=1,
        owner=lead,
        min_value=Decimal(0),
        max_value=Decimal(10),
    )
    computed = IndicatorFactory(
        code="FIN-LEVIER", name="Effet de levier", perspective=perspective, source=Source.COMPUTED, unit="ratio"
    )
    Measurement.objects.create(
        indicator=computed, period=dt.date(2025, 3, 1), value=Decimal("2.5"), origin=Source.COMPUTED
    )
    target = Target.objects.create(indicator=indicator, year=2025, value=Decimal("7"))
    measurement = Measurement.objects.create(
        indicator=indicator, period=dt.date(2025, 3, 1), value=Decimal("6.5"), origin=Source.MANUAL, recorded_by=lead
    )
    job = RecomputeJob.objects.create(
        first_period=dt.date(2025, 3, 1),
        last_period=dt.date(2025, 3, 1),
        periods_total=1,
        periods_done=1,
        state=JobState.DONE,
        requested_by=director,
    )
    message = OutboxMessage.objects.create(
        key=f"reminder:test:{lead.pk}",
        kind="reminder",
        to_email=lead.email,
        user=lead,
        subject="Rappel : point d'avancement",
        text_body="Bonjour",
        message_id="<rappel@innovaction.test>",
    )
    stored = default_storage.save("outbox/rappel.pdf", ContentFile(PDF))
    attachment = OutboxAttachment.objects.create(message=message, storage_name=stored, filename="rappel.pdf")
    # Rows for the Django admin pages of technical models.
    OutboxAttempt.objects.create(message=message, number=1, started_at=timezone.now())
    PeriodLock.objects.create(period=dt.date(2025, 3, 1), locked_by=director)  # its report was sent
    DistrictFactory()
    PhaseTarget.objects.create(phase=Phase.INSTRUCTION, target_days=90)
    PeriodComputation.objects.create(period=dt.date(2025, 3, 1), computed_at=timezone.now())
    Organisation.objects.get_or_create(pk=1)
    AccessAttempt.objects.create(username="intrus@ville.test", ip_address="192.0.2.1", failures_since_start=1)
    AccessLog.objects.create(username=lead.email, ip_address="192.0.2.2")
    AccessFailureLog.objects.create(username="intrus@ville.test", ip_address="192.0.2.1", locked_out=False)
    # The March 2025 report, sent to one recipient (scorecard/reports).
    report = Report(
        period=dt.date(2025, 3, 1), sha256="0" * 64, size=len(PDF), generated_at=timezone.now(), generated_by=director
    )
    report.file.save("rapport-2025-03.pdf", ContentFile(PDF), save=False)
    report.save()
    recipient = Recipient.objects.create(name="Mme l'adjointe", email="adjointe@ville.test")
    sent = OutboxMessage.objects.create(
        key=f"report:2025-03:recipient:{recipient.pk}",
        kind="report",
        to_email=recipient.email,
        subject="Tableau de bord de mars 2025",
        text_body="Bonjour",
        message_id="<rapport-2025-03@innovaction.test>",
    )
    delivery = ReportDelivery.objects.create(report=report, recipient=recipient, message=sent)
    Token.objects.create(user=director)
    return {
        **worlds,
        "report": report,
        "recipient": recipient,
        "delivery": delivery,
        "partner": partner,
        "contact": contact,
        "perspective": perspective,
        "objective": objective,
        "indicator": indicator,
        "computed": computed,
        "target": target,
        "measurement": measurement,
        "job": job,
        "message": message,
        "attachment": attachment,
        "theme": worlds["open"]["project"].theme,
    }


def table_rows() -> dict[str, int]:
    """Row count of every table of the project, in one round trip (for partial-write checks)."""
    return snapshot.row_counts()


__all__ = ["PDF", "ROLES", "Role", "table_rows"]
