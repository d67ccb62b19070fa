import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook

from innovaction.importing import (
    Importer,
    RowErrors,
    normalise_header,
    parse_bool,
    parse_date,
    parse_decimal,
    parse_period,
    read_rows,
    run_import,
    text_cell,
)
from portfolio.models import Theme


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1 234,50", "1234.50"),
        ("1\u00a0234,5", "1234.50"),
        ("1\u202f234\u202f567,89 €", "1234567.89"),
        ("1.234,50", "1234.50"),
        ("1,234.50", "1234.50"),
        ("1234.5", "1234.50"),
        ("1.234", "1234.00"),
        ("0,1", "0.10"),
        (1234.5, "1234.50"),
        ("", None),
    ],
)
def test_decimals_in_french_and_english_writing(raw, expected):
    value = parse_decimal(raw)
    assert (str(value) if value is not None else None) == expected


@pytest.mark.parametrize("raw", ["abc", "1,2,3", "12,345", "NaN", "1e400", "1,005"])
def test_bad_decimals_are_refused(raw):
    with pytest.raises(ValidationError):
        parse_decimal(raw)


def test_dates_booleans_periods_headers():
    assert parse_date("31/12/2025") == parse_date("2025-12-31") == datetime.date(2025, 12, 31)
    assert parse_date(datetime.datetime(2025, 1, 2, 0, 0)) == datetime.date(2025, 1, 2)
    for bad in ("31/02/2025", "2025-13-01", "demain", "01/01/1850"):
        with pytest.raises(ValidationError):
            parse_date(bad)
    assert [parse_bool(v) for v in ("oui", "Non", "VRAI", "faux", "1", "0", "true", "x", "")] == [
        True,
        False,
        True,
        False,
        True,
        False,
        True,
        True,
        False,
    ]
    assert parse_period("2026-03") == datetime.date(2026, 3, 1)
    assert normalise_header(" Date de Décision ") == "date_de_decision"
    assert text_cell("'=SOMME(A1)") == "=SOMME(A1)" and text_cell("l'été") == "l'été"


def test_csv_in_windows_1252_with_semicolons_and_utf8_bom_with_commas():
    assert read_rows("nom;montant\r\nHalle de l'été;1 234,50\r\n".encode("cp1252")) == [
        ["nom", "montant"],
        ["Halle de l'été", "1 234,50"],
    ]
    assert read_rows("\ufeffnom,montant\nCafé,12.5\n\n".encode()) == [["nom", "montant"], ["Café", "12.5"]]


def _xlsx(rows):
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


class ThemeImporter(Importer):
    kind = "themes"
    headers = ["nom", "actif"]
    required = {"nom"}

    def clean_row(self, line, row):
        errors = {}
        name = text_cell(row.get("nom"))
        if not name:
            errors["nom"] = (row.get("nom"), "obligatoire")
        try:
            active = parse_bool(row.get("actif"))
        except ValidationError as error:
            errors["actif"] = (row.get("actif"), error.messages[0])
        if errors:
            raise RowErrors(errors)
        return name, active

    def apply(self, cleaned):
        name, active = cleaned
        theme, created = Theme.objects.get_or_create(name=name, defaults={"is_active": active})
        if created:
            return "created"
        if theme.is_active != active:
            theme.is_active = active
            theme.save()
            return "updated"
        return "unchanged"


@pytest.mark.django_db
def test_an_import_is_all_or_nothing_and_idempotent():
    good = _xlsx([["Nom", "Actif"], ["Culture", "oui"], ["Sport", "non"]])
    dry = run_import(ThemeImporter(user=None), good, dry_run=True)
    assert dry.ok and dry.created == 2 and not Theme.objects.exists()
    first = run_import(ThemeImporter(user=None), good, dry_run=False)
    assert (first.created, first.updated, first.unchanged) == (2, 0, 0)
    again = run_import(ThemeImporter(user=None), good, dry_run=False)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)

    bad = "nom;actif\nNumérique;oui\n;peut-être\n".encode()
    report = run_import(ThemeImporter(user=None), bad, dry_run=False)
    assert not report.ok
    assert [(e.line, e.column) for e in report.errors] == [(3, "nom"), (3, "actif")]
    assert not Theme.objects.filter(name="Numérique").exists()
    assert "Ligne 3, colonne « actif » (valeur « peut-être ») : oui ou non attendu" in report.as_text()


@pytest.mark.django_db
def test_unknown_and_missing_columns_are_named():
    report = run_import(ThemeImporter(user=None), "libellé;actif\nX;oui\n".encode(), dry_run=True)
    assert report.file_errors and "colonne(s) inconnue(s) : libellé" in report.file_errors[0]
    assert "colonne(s) obligatoire(s) absente(s) : nom" in report.file_errors[0]


@pytest.mark.parametrize(
    "data", [b"MZ\x90\x00\x03\x00" + b"\x00" * 60, b"code;titre\nP-1;Halle\x00\n", b"\x81\x8d\x8f"]
)
def test_a_file_that_is_no_table_is_refused_with_a_message(data):
    from innovaction.importing import ImportFileError

    with pytest.raises(ImportFileError, match="ni un CSV"):
        read_rows(data)
