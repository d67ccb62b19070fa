"""The partner list, a partner's page and the leverage page cost the same number of queries
with 10 partners as with 500 (SPEC §8: constant query counts as data grows)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partners.choices import FundingStatus, PartnerType
from partners.models import FundingLine, Instalment, Interaction, Partner
from partners.validators import search_text
from tests.partners.factories import ContactFactory
from tests.portfolio.factories import ProjectFactory

D = dt.date
TYPES = PartnerType.values


def _grow(to: int, projects, author, hub: Partner) -> None:
    """Add partners up to `to`, each with a line, a payment and an interaction; the hub
    partner gets a line on every growth step too, so its own page grows."""
    start = Partner.objects.count()
    partners = Partner.objects.bulk_create(
        [
            Partner(
                name=f"Partenaire {i:04d}",
                type=TYPES[i % len(TYPES)],
                sector=f"Secteur {i % 7}",
                search=search_text(f"Partenaire {i:04d}", "", f"Secteur {i % 7}"),
                network_joined_on=D(2015, 1, 1) if i % 3 else None,
            )
            for i in range(start, to)
        ]
    )
    lines = FundingLine.objects.bulk_create(
        [
            FundingLine(
                project=projects[i % len(projects)],
                partner=partner,
                amount=Decimal("1000.00") + i,
                status=FundingStatus.VERSE if i % 2 else FundingStatus.SOLLICITE,
                requested_on=D(2024, 1, 1),
                granted_on=D(2024, 3, 1) if i % 2 else None,
                paid_on=D(2024, 5, 1) if i % 2 else None,
            )
            for i, partner in enumerate([*partners, *[hub] * len(partners)])
        ]
    )
    Instalment.objects.bulk_create(
        [Instalment(funding_line=line, date=D(2024, 5, 1), amount=line.amount) for line in lines if line.paid_on]
    )
    interactions = Interaction.objects.bulk_create(
        [Interaction(date=D(2025, 1, 1), kind="reunion", author=author, summary="Point") for _ in partners]
    )
    Interaction.partners.through.objects.bulk_create(
        [
            Interaction.partners.through(interaction=interaction, partner=partner)
            for interaction, partner in zip(interactions, partners, strict=True)
        ]
        + [Interaction.partners.through(interaction=interaction, partner=hub) for interaction in interactions]
    )


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.django_db
@pytest.mark.usefixtures("without_session_refresh")
def test_query_counts_stay_the_same_from_10_to_500_partners(client_for, lead, other_lead):
    projects = [ProjectFactory(lead=lead if i % 2 else other_lead, confidential=i % 5 == 0) for i in range(6)]
    hub = Partner.objects.create(name="Région", type=PartnerType.REGION)
    ContactFactory(partner=hub)
    client = client_for(lead)
    urls = {
        "liste": reverse("partners:partner_list"),
        "liste filtrée": reverse("partners:partner_list") + "?financement=securise&echange=12mois&sort=financements",
        "fiche": reverse("partners:partner_detail", args=[hub.pk]),
        "levier": reverse("partners:leverage"),
        "levier par partenaire": reverse("partners:leverage") + "?vue=partenaires",
        "levier par projet": reverse("partners:leverage") + "?vue=projets",
        "levier, lignes": reverse("partners:leverage") + "?vue=lignes&date=2024-12-31",
    }
    client.get(urls["liste"])  # first request of the session: cache and session set-up
    _grow(10, projects, lead, hub)
    small = {name: _count(client, url) for name, url in urls.items()}
    _grow(500, projects, lead, hub)
    assert Partner.objects.count() == 500
    large = {name: _count(client, url) for name, url in urls.items()}
    assert small == large, (small, large)
    # Pinned, so that a new per-row query shows up here (session and user included).
    assert large == {
        "liste": 7,
        "liste filtrée": 6,
        "fiche": 12,
        "levier": 7,
        "levier par partenaire": 8,
        "levier par projet": 8,
        "levier, lignes": 8,
    }
