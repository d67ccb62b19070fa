"""Exports of the partner-side lists (issue 7): the interactions list and the funding lines of
the leverage page. CSV opens right in French Excel (UTF-8 with BOM, `;`, decimal comma), XLSX
holds the same rows; both carry the page's filters and its visibility — what belongs to a
confidential project never reaches an outsider."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from partners.choices import FundingStatus, InteractionKind, PartnerType
from tests.partners.factories import FundingLineFactory, InteractionFactory, PartnerFactory

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2025, 9, 15, 10, 0), tick=False):
        yield


def _csv(response) -> list[list[str]]:
    """The rows of a CSV export, after checking it is what French Excel opens right."""
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    raw = b"".join(response.streaming_content)
    assert raw.startswith("\ufeff".encode())  # the BOM: Excel reads UTF-8
    text = raw.decode("utf-8")[1:]
    assert text.splitlines()[0].count(";") >= 3 and "," not in text.splitlines()[0]
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def _xlsx(response) -> list[tuple]:
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx"')
    return list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))


# Interactions ---------------------------------------------------------------------------------


@pytest.fixture
def log(lead, other_lead, project, secret_project, region):
    bank = PartnerFactory(name="Banque des Territoires", siret="18002002600019")
    InteractionFactory(
        date=D(2025, 6, 3),
        kind=InteractionKind.REUNION,
        partners=[region, bank],
        project=project,
        author=lead,
        summary="Tour de table du cofinancement ; relance le 10/06.",
    )
    InteractionFactory(date=D(2025, 7, 8), kind=InteractionKind.APPEL, partners=[region], author=lead, summary="=1+1")
    InteractionFactory(
        date=D(2025, 8, 20),
        kind=InteractionKind.REUNION,
        partners=[bank],
        project=secret_project,
        author=other_lead,
        summary="Rachat de la friche Jourdan",
    )
    return {"bank": bank}


def _interaction_export(user_client, fmt="csv", **params):
    return user_client.get(reverse("partners:interaction_list"), {**params, "export": fmt})


def test_the_interactions_csv_has_the_filtered_rows_in_french_excel_form(client_for, lead, project, region, log):
    rows = _csv(_interaction_export(client_for(lead), nature="reunion", partenaire=region.pk))
    assert rows[0] == [
        "date",
        "nature",
        "nature_libelle",
        "partenaires",
        "siret_partenaires",
        "projet",
        "titre_projet",
        "resume",
        "auteur",
    ]
    # The call (another nature) is filtered out; the confidential meeting is not the lead's to see.
    assert rows[1:] == [
        [
            "03/06/2025",
            "reunion",
            "Réunion",
            "Banque des Territoires | Région Auvergne-Rhône-Alpes",
            "18002002600019 | ",
            project.code,
            project.title,
            "Tour de table du cofinancement ; relance le 10/06.",
            str(lead),
        ]
    ]


def test_every_interaction_the_viewer_may_see_and_no_formula(client_for, lead, log):
    rows = _csv(_interaction_export(client_for(lead)))
    assert [(row[0], row[1]) for row in rows[1:]] == [("08/07/2025", "appel"), ("03/06/2025", "reunion")]
    assert rows[1][7] == "'=1+1"  # typed text stays text in Excel


def test_a_confidential_projects_interactions_never_reach_an_outsider(
    client_for, director, other_lead, lead, elected, secret_project, log
):
    for user in (lead, elected):
        client = client_for(user)
        text = str(_csv(_interaction_export(client))) + str(_xlsx(_interaction_export(client, "xlsx")))
        assert "friche" not in text and secret_project.code not in text
    # Those who may see the project get its meeting.
    for user in (other_lead, director):
        assert "Rachat de la friche Jourdan" in str(
            _csv(_interaction_export(client_for(user), partenaire=log["bank"].pk))
        )


def test_the_interactions_xlsx_holds_the_same_rows_with_typed_dates(client_for, lead, log):
    client = client_for(lead)
    rows = _xlsx(_interaction_export(client, "xlsx"))
    assert rows[0][:3] == ("date", "nature", "nature_libelle")
    assert [(row[0].date(), row[1]) for row in rows[1:]] == [(D(2025, 7, 8), "appel"), (D(2025, 6, 3), "reunion")]
    assert len(rows) == len(_csv(_interaction_export(client)))


def test_the_interaction_list_offers_its_exports_with_the_filters(client_for, lead, region, log):
    page = client_for(lead).get(reverse("partners:interaction_list"), {"nature": "appel", "partenaire": region.pk})
    assert f"?nature=appel&amp;partenaire={region.pk}&amp;export=csv" in page.text
    assert f"?nature=appel&amp;partenaire={region.pk}&amp;export=xlsx" in page.text


def test_an_unknown_export_format_shows_the_page(client_for, lead, log):
    response = client_for(lead).get(reverse("partners:interaction_list"), {"export": "pdf"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")


# Funding lines (the leverage page's lines view is the funding-lines list) ----------------------


@pytest.fixture
def lines(project, secret_project, region):
    commune = PartnerFactory(name="Valence Romans Agglo", type=PartnerType.EPCI)
    FundingLineFactory(
        project=project,
        partner=region,
        amount=Decimal("48500.50"),
        status=FundingStatus.ACCORDE,
        requested_on=D(2024, 3, 1),
        granted_on=D(2024, 9, 1),
    )
    FundingLineFactory(project=project, partner=commune, amount=Decimal("12000.00"), requested_on=D(2025, 2, 1))
    FundingLineFactory(
        project=secret_project,
        partner=region,
        amount=Decimal("90000.00"),
        status=FundingStatus.ACCORDE,
        scheme="Fonds friches",
        requested_on=D(2024, 3, 1),
        granted_on=D(2024, 10, 1),
    )


def _lines_export(client, fmt="csv", **params):
    return client.get(reverse("partners:leverage"), {"vue": "lignes", **params, "export": fmt})


def test_the_funding_lines_export_carries_the_type_status_and_date_filters(
    client_for, director, project, secret_project, lines
):
    client = client_for(director)
    rows = _csv(_lines_export(client, type=PartnerType.REGION, statut=FundingStatus.ACCORDE, date="2024-12-31"))
    header = rows[0]
    assert header[:9] == [
        "projet",
        "partenaire",
        "montant",
        "statut",
        "dispositif",
        "date_demande",
        "date_accord",
        "date_versement",
        "date_echeance",
    ]
    assert header[-2:] == ["statut_au_2024_12_31", "verse_au_2024_12_31"]
    assert [(row[0], row[2]) for row in rows[1:]] == [(secret_project.code, "90000,00"), (project.code, "48500,50")]
    # On a date before the region's grant, that line was only requested: the filter drops it.
    rows = _csv(_lines_export(client, type=PartnerType.REGION, statut=FundingStatus.ACCORDE, date="2024-09-15"))
    assert [row[0] for row in rows[1:]] == [project.code]
    # The commune's request did not exist yet at the end of 2024.
    assert [row[1] for row in _csv(_lines_export(client, date="2024-12-31"))[1:]] == [
        "Région Auvergne-Rhône-Alpes",
        "Région Auvergne-Rhône-Alpes",
    ]


def test_the_funding_lines_xlsx_matches_the_csv_and_hides_confidential_lines(
    client_for, lead, elected, project, secret_project, lines
):
    for user in (lead, elected):
        client = client_for(user)
        rows = _xlsx(_lines_export(client, "xlsx"))
        assert [(row[0], row[1], row[2]) for row in rows[1:]] == [
            (project.code, "Région Auvergne-Rhône-Alpes", 48500.5),
            (project.code, "Valence Romans Agglo", 12000),
        ]
        text = str(rows) + str(_csv(_lines_export(client)))
        assert secret_project.code not in text and "Fonds friches" not in text and "90000" not in text


# The deadlines page (open lines whose deadline is near) -----------------------------------------


@pytest.fixture
def deadlines(project, secret_project, region):
    FundingLineFactory(
        project=project, partner=region, amount=Decimal("12000.50"), scheme="FEDER", expires_on=D(2025, 10, 1)
    )
    FundingLineFactory(project=project, partner=region, scheme="Plus tard", expires_on=D(2026, 6, 30))
    FundingLineFactory(project=secret_project, partner=region, scheme="Fonds friches", expires_on=D(2025, 9, 20))


def test_the_deadlines_export_lists_the_pages_lines_with_days_left(client_for, director, project, lead, deadlines):
    rows = _csv(client_for(director).get(reverse("partners:expiring"), {"export": "csv"}))
    assert rows[0][:9] == [
        "projet",
        "partenaire",
        "montant",
        "statut",
        "dispositif",
        "date_demande",
        "date_accord",
        "date_versement",
        "date_echeance",
    ]
    assert rows[0][9:] == ["jours_restants", "deja_verse", "chef_de_projet"]
    assert [(row[4], row[8], row[9]) for row in rows[1:]] == [
        ("Fonds friches", "20/09/2025", "5"),
        ("FEDER", "01/10/2025", "16"),
    ]
    assert rows[2][2] == "12000,50" and rows[2][10] == "0,00" and rows[2][11] == str(lead)


def test_the_deadlines_export_hides_confidential_lines_from_outsiders(client_for, lead, elected, deadlines):
    for user in (lead, elected):
        client = client_for(user)
        rows = _csv(client.get(reverse("partners:expiring"), {"export": "csv"}))
        assert [row[4] for row in rows[1:]] == ["FEDER"]
        xlsx = _xlsx(client.get(reverse("partners:expiring"), {"export": "xlsx"}))
        assert [(row[4], row[2]) for row in xlsx[1:]] == [("FEDER", 12000.5)]
