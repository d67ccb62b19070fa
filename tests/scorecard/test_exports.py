"""Exports of the scorecard's lists (issue 7): the indicators of a month (the list page) and an
indicator's month-by-month values (its page). CSV for French Excel (BOM, `;`, decimal comma),
XLSX with the same rows, the page's month as the filter, the page's readers only."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from innovaction.importing import importer_class, run_import
from scorecard import services
from scorecard.models import Measurement
from scorecard.periods import Period
from tests.scorecard.factories import IndicatorFactory, ObjectiveFactory, PerspectiveFactory, TargetFactory

pytestmark = pytest.mark.django_db
MARCH = Period(2025, 3)


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    raw = b"".join(response.streaming_content)
    assert raw.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(raw.decode("utf-8")[1:]), delimiter=";"))


def _xlsx(response) -> list[tuple]:
    assert response.status_code == 200
    return list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))


@pytest.fixture
def scorecard(lead, director):
    finances = PerspectiveFactory(code="finances", name="Finances", order=1)
    usagers = PerspectiveFactory(code="usagers", name="Usagers & partenaires", order=2)
    qvt = IndicatorFactory(
        code="APP-QVT", name="Qualité de vie au travail", perspective=finances, unit="score", owner=lead
    )
    TargetFactory(indicator=qvt, year=2025, value=Decimal("7"))
    satisfaction = IndicatorFactory(
        code="USA-SATIS",
        name="Satisfaction des partenaires",
        perspective=usagers,
        objective=ObjectiveFactory(perspective=usagers, name="Fidéliser les financeurs"),
        unit="pct",
        owner=director,
    )
    retired = IndicatorFactory(code="OLD-1", name="Ancien indicateur", perspective=finances, is_active=False)
    for indicator, period, value, comment, by in [
        (qvt, Period(2022, 1), "5", "Premier baromètre", lead),  # more than 36 months before March 2025
        (qvt, Period(2025, 2), "6.8", "Baromètre de février ; 42 réponses", lead),
        (qvt, MARCH, "7.25", "", lead),
        (qvt, Period(2025, 4), "6.1", "Après la réorganisation", lead),  # after the month shown
        (satisfaction, MARCH, "80.5", "", director),
        (retired, MARCH, "3", "", director),
    ]:
        services.measurement_record(indicator=indicator, period=period, value=Decimal(value), comment=comment, by=by)
    return {"qvt": qvt, "satisfaction": satisfaction}


def _list_export(client, fmt="csv", **params):
    return client.get(reverse("scorecard:indicator_list"), {**params, "export": fmt})


def test_the_indicators_csv_holds_the_months_values_in_the_pages_order(client_for, lead, scorecard):
    rows = _csv(_list_export(client_for(lead), periode="2025-03"))
    assert rows[0] == [
        "perspective",
        "objectif",
        "indicateur",
        "nom",
        "unite",
        "source",
        "responsable",
        "periode",
        "valeur",
        "cible",
        "statut",
        "valeur_mois_precedent",
        "evolution_sur_un_mois",
    ]
    by_code = {row[2]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert [row[2] for row in rows[1:]] == ["APP-QVT", "USA-SATIS"]  # the retired one is not on the page
    assert by_code["APP-QVT"] == {
        "perspective": "Finances",
        "objectif": "",
        "indicateur": "APP-QVT",
        "nom": "Qualité de vie au travail",
        "unite": "score",
        "source": "saisi",
        "responsable": str(lead),
        "periode": "2025-03",
        "valeur": "7,2500",
        "cible": "7,0000",
        "statut": "vert",
        "valeur_mois_precedent": "6,8000",
        "evolution_sur_un_mois": "0,4500",
    }
    assert by_code["USA-SATIS"]["objectif"] == "Fidéliser les financeurs"
    assert (by_code["USA-SATIS"]["valeur"], by_code["USA-SATIS"]["cible"]) == ("80,5000", "")


def test_the_month_shown_is_the_month_exported(client_for, lead, scorecard):
    rows = _csv(_list_export(client_for(lead), periode="2025-04"))
    values = {row[2]: (row[7], row[8], row[11]) for row in rows[1:]}
    assert values == {"APP-QVT": ("2025-04", "6,1000", "7,2500"), "USA-SATIS": ("2025-04", "", "80,5000")}


def test_the_indicators_xlsx_holds_the_same_rows_as_numbers(client_for, elected, scorecard):
    client = client_for(elected)
    rows = _xlsx(_list_export(client, "xlsx", periode="2025-03"))
    assert [(row[2], row[8], row[9], row[10]) for row in rows[1:]] == [
        ("APP-QVT", 7.25, 7, "vert"),
        ("USA-SATIS", 80.5, None, None),  # an empty cell
    ]
    assert len(rows) == len(_csv(_list_export(client, periode="2025-03")))


def _history_export(client, code, fmt="csv", **params):
    return client.get(reverse("scorecard:indicator_detail", args=[code]), {**params, "export": fmt})


def test_an_indicators_history_exports_the_36_months_of_its_page_newest_first(client_for, cabinet, lead, scorecard):
    rows = _csv(_history_export(client_for(cabinet), "APP-QVT", periode="2025-03", vue="x", page="2"))
    # SPEC §7 `indicateurs` headers first: a manual history imports again.
    assert rows[0][:4] == ["indicateur", "periode", "valeur", "commentaire"]
    assert rows[0][4:] == ["cible", "statut", "origine", "revision", "enregistree_le", "saisie_par"]
    assert [row[:4] for row in rows[1:]] == [
        ["APP-QVT", "2025-03", "7,2500", ""],
        ["APP-QVT", "2025-02", "6,8000", "Baromètre de février ; 42 réponses"],
    ]
    assert rows[1][4:8] == ["7,0000", "vert", "saisi", "1"]
    assert rows[1][9] == str(lead)


def test_an_indicators_history_xlsx_has_the_same_rows(client_for, elected, scorecard):
    rows = _xlsx(_history_export(client_for(elected), "APP-QVT", "xlsx", periode="2025-04"))
    assert [row[:3] for row in rows[1:]] == [
        ("APP-QVT", "2025-04", 6.1),
        ("APP-QVT", "2025-03", 7.25),
        ("APP-QVT", "2025-02", 6.8),
    ]


def test_a_computed_indicator_exports_its_values_without_its_records(client_for, elected, indicators, city):
    services.recompute_period(period=MARCH)
    rows = _csv(_history_export(client_for(elected), "FIN-LEVIER", periode="2025-03"))
    assert [(row[0], row[1], row[6]) for row in rows[1:]] == [("FIN-LEVIER", "2025-03", "calculé")]
    # One row per month and nothing of the projects behind the value (confidential ones included).
    assert all(project.code not in str(rows) for project in city["projects"].values())


def test_the_exports_are_for_the_scorecards_readers_only(client_for, make_user, scorecard):
    client = client_for(make_user())
    assert _list_export(client).status_code == 403
    assert _history_export(client, "APP-QVT", "xlsx").status_code == 403


def test_the_pages_offer_their_exports_for_the_month_shown(client_for, lead, scorecard):
    client = client_for(lead)
    listing = client.get(reverse("scorecard:indicator_list"), {"periode": "2025-03"})
    assert '?periode=2025-03&amp;export=csv"' in listing.text and '?periode=2025-03&amp;export=xlsx"' in listing.text
    detail = client.get(reverse("scorecard:indicator_detail", args=["APP-QVT"]), {"periode": "2025-03", "vue": "x"})
    assert '?periode=2025-03&amp;export=csv"' in detail.text and '?periode=2025-03&amp;export=xlsx"' in detail.text


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_manual_history_export_imports_again_to_the_same_values(client_for, director, scorecard, fmt):
    client = client_for(director)
    exported = _history_export(client, "APP-QVT", fmt, periode="2025-04")
    before = b"".join(exported.streaming_content) if fmt == "csv" else exported.content
    Measurement.objects.filter(indicator=scorecard["qvt"]).delete()
    report = run_import(importer_class("indicateurs")(user=director), before, dry_run=False)
    assert (report.file_errors, report.errors, report.created) == ([], [], 3)
    again = _csv(_history_export(client, "APP-QVT", periode="2025-04"))
    assert [row[:7] for row in again[1:]] == [
        ["APP-QVT", "2025-04", "6,1000", "Après la réorganisation", "7,0000", "rouge", "saisi"],
        ["APP-QVT", "2025-03", "7,2500", "", "7,0000", "vert", "saisi"],
        ["APP-QVT", "2025-02", "6,8000", "Baromètre de février ; 42 réponses", "7,0000", "orange", "saisi"],
    ]
    # A second import of the same file changes nothing.
    assert run_import(importer_class("indicateurs")(user=director), before, dry_run=False).unchanged == 3
