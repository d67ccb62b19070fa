"""Export → import into an empty database → export gives the same files (issue 7, point 3)."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from innovaction.importing import importer_class, run_import
from innovaction.roles import Role
from partners.choices import FundingStatus, PartnerType
from partners.models import FundingLine, Partner
from partners.services.directory import partner_create
from partners.services.funding import funding_line_create
from portfolio.choices import Phase
from portfolio.models import CommissionLetter, District, Project, Theme
from tests.portfolio.factories import CommissionLetterFactory, DistrictFactory, ProjectFactory, ThemeFactory

pytestmark = pytest.mark.django_db

D = datetime.date


def _portfolio(lead, other):
    def project(code, *, phases=None, **fields):
        return ProjectFactory(
            code=code,
            lead=fields.pop("lead", lead),
            commission_letter=CommissionLetterFactory(date=fields.pop("letter", D(2023, 5, 2))),
            phases=phases or {},
            **fields,
        )

    halle = project(
        "P-2023-001",
        title="Halle gourmande ; « centre »",
        theme=ThemeFactory(name="Commerce"),
        district=DistrictFactory(name="Centre historique"),
        total_cost=Decimal("1234567.89"),
        city_contribution=Decimal("234567.89"),
        phases={Phase.INSTRUCTION: D(2023, 6, 1), Phase.ARBITRAGE: D(2023, 9, 1), Phase.REALISATION: D(2023, 10, 2)},
    )
    project(
        "P-2023-002",
        title="=Tiers-lieu numérique",
        theme=ThemeFactory(name="Numérique"),
        lead=other,
        confidential=True,
        phases={Phase.INSTRUCTION: D(2023, 7, 1), Phase.ABANDONNE: D(2023, 8, 1)},
    )
    project(
        "P-2023-003",
        title="Voie verte",
        theme=ThemeFactory(name="Urbanisme"),
        phases={Phase.SUSPENDU: D(2023, 6, 15)},
    )
    project(
        "P-2022-004",
        title="Marché couvert",
        theme=ThemeFactory(name="Commerce"),
        letter=D(2022, 1, 10),
        total_cost=Decimal("500000.00"),
        city_contribution=Decimal("0.00"),
        phases={
            Phase.INSTRUCTION: D(2022, 2, 1),
            Phase.ARBITRAGE: D(2022, 3, 1),
            Phase.REALISATION: D(2022, 4, 1),
            Phase.LIVRE: D(2023, 1, 5),
        },
    )
    bank = partner_create(
        name="Banque des Territoires",
        type=PartnerType.CAISSE_DEPOTS,
        siret="18002002600019",
        sector="Finance",
        network_joined_on=D(2019, 3, 12),
        charter_signed=True,
    )
    region = partner_create(name="Région Auvergne-Rhône-Alpes", type=PartnerType.REGION)
    partner_create(
        name="Ancien membre",
        type=PartnerType.ENTREPRISE,
        network_joined_on=D(2016, 1, 1),
        network_left_on=D(2020, 12, 31),
    )
    funding_line_create(
        project=halle,
        partner=bank,
        amount=Decimal("150000.00"),
        status=FundingStatus.VERSE,
        scheme="DSIL",
        requested_on=D(2023, 6, 2),
        granted_on=D(2023, 9, 5),
        paid_on=D(2023, 11, 30),
        expires_on=D(2026, 12, 31),
    )
    funding_line_create(
        project=halle,
        partner=region,
        amount=Decimal("80000.50"),
        status=FundingStatus.REFUSE,
        scheme="Contrat de plan",
        requested_on=D(2023, 6, 3),
        closed_on=D(2023, 10, 1),
    )
    funding_line_create(
        project=halle,
        partner=region,
        amount=Decimal("60000.00"),
        status=FundingStatus.ACCORDE,
        scheme="Contrat de plan",
        requested_on=D(2023, 11, 3),
        granted_on=D(2024, 1, 15),
    )


def _exports(client, fmt="csv"):
    projects = client.get(reverse("portfolio:project_export", args=[fmt]))
    partners = client.get(reverse("partners:partner_list"), {"export": fmt})
    lines = client.get(reverse("partners:leverage"), {"vue": "lignes", "export": fmt})
    files = {}
    for kind, response in (("projets", projects), ("partenaires", partners), ("financements", lines)):
        assert response.status_code == 200
        files[kind] = b"".join(response.streaming_content) if response.streaming else response.content
    return files


def test_export_import_into_an_empty_database_export_gives_the_same_files(make_user, client_for, director):
    lead = make_user(Role.LEAD, email="cheffe.projet@ville.test")
    other = make_user(Role.LEAD, email="autre.chef@ville.test")
    _portfolio(lead, other)
    client = client_for(director)
    before = _exports(client)
    assert before["projets"].startswith("\ufeffcode;titre;theme;quartier;chef_de_projet;".encode())
    assert len(before["projets"].splitlines()) == 5 and len(before["financements"].splitlines()) == 4

    FundingLine.objects.all().delete()
    Project.objects.all().delete()
    CommissionLetter.objects.all().delete()
    Partner.objects.all().delete()
    Theme.objects.all().delete()
    District.objects.all().delete()

    for kind in ("projets", "partenaires", "financements"):
        report = run_import(importer_class(kind)(user=director), before[kind], dry_run=False)
        assert report.ok and report.created == len(before[kind].splitlines()) - 1, report.as_text()

    assert _exports(client) == before


def test_an_xlsx_export_imports_too(make_user, client_for, director):
    lead = make_user(Role.LEAD, email="cheffe.projet@ville.test")
    other = make_user(Role.LEAD, email="autre.chef@ville.test")
    _portfolio(lead, other)
    files = _exports(client_for(director), "xlsx")
    for kind in ("projets", "partenaires", "financements"):
        report = run_import(importer_class(kind)(user=director), files[kind], dry_run=True)
        assert report.ok and report.unchanged == report.rows, report.as_text()
