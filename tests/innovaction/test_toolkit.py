import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from innovaction import exports, uploads
from innovaction.charts.bars import horizontal_bars
from innovaction.charts.base import nice_ticks
from innovaction.lists import Sort

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64


def _rows():
    return [
        {
            "code": "P-1",
            "title": '=HYPERLINK("x")',
            "amount": Decimal("1234.50"),
            "day": datetime.date(2025, 12, 31),
            "flag": True,
        },
        {"code": "P-2", "title": "Halle", "amount": None, "day": None, "flag": False},
    ]


def _column(header, key):
    return exports.Column(header, lambda row: row[key])


COLUMNS = [
    _column(h, k)
    for h, k in [("code", "code"), ("titre", "title"), ("montant", "amount"), ("date", "day"), ("ok", "flag")]
]


def test_csv_export_opens_right_in_french_excel():
    response = exports.export_response("csv", _rows(), COLUMNS, "projets")
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeffcode;titre;montant;date;ok\r\n")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff")), delimiter=";"))
    assert rows[1] == ["P-1", '\'=HYPERLINK("x")', "1234,50", "31/12/2025", "oui"]
    assert rows[2] == ["P-2", "Halle", "", "", "non"]
    assert response["Content-Disposition"].startswith('attachment; filename="projets-')


def test_xlsx_export_keeps_types():
    response = exports.export_response("xlsx", _rows(), COLUMNS, "projets")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0] == ("code", "titre", "montant", "date", "ok")
    assert values[1][2] == 1234.5 and values[1][3] == datetime.datetime(2025, 12, 31)


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("programme.pdf", EXE, "type"),  # an .exe renamed .pdf
        ("vide.pdf", b"", "empty"),
        ("..\\boot.pdf", PDF, "name"),
        ("..pdf", PDF, "name"),
    ],
)
def test_uploads_are_checked_by_content_and_name(name, content, code):
    with pytest.raises(ValidationError) as caught:
        uploads.check_upload(SimpleUploadedFile(name, content))
    assert caught.value.code == code


def test_a_name_with_a_path_is_refused_when_a_caller_passes_it_raw():
    # Django already cuts browser-sent names to their last part; commands and imports
    # hand raw names to the same check, which refuses them.
    upload = SimpleUploadedFile("x.pdf", PDF)
    upload._name = "../../etc/passwd.pdf"
    with pytest.raises(ValidationError) as caught:
        uploads.check_upload(upload)
    assert caught.value.code == "name"


def test_oversized_upload_is_refused_with_the_limit(settings):
    settings.UPLOAD_MAX_BYTES = 1024
    with pytest.raises(ValidationError) as caught:
        uploads.check_upload(SimpleUploadedFile("gros.pdf", PDF + b"0" * 2048))
    assert caught.value.code == "size"
    assert "Fichier trop volumineux" in caught.value.messages[0]


def test_a_real_pdf_passes_and_gets_a_generated_storage_name():
    checked = uploads.check_upload(SimpleUploadedFile("Lettre de commande.pdf", PDF), allowed=uploads.PDF_ONLY)
    assert checked.kind.extension == "pdf" and checked.original_name == "Lettre de commande.pdf"
    name = uploads.storage_name("lettres", checked.kind)
    assert name.startswith("lettres/") and name.endswith(".pdf") and "Lettre" not in name


def test_sort_whitelists_keys_and_makes_the_order_total():
    from innovaction.models import User

    sort = Sort(options={"name": ("last_name", "first_name")}, default="name")
    queryset, key = sort.apply(User.objects.all(), "-name")
    assert key == "-name" and queryset.query.order_by == ("-last_name", "-first_name", "-pk")
    queryset, key = sort.apply(User.objects.all(), "password")
    assert key == "name" and queryset.query.order_by == ("last_name", "first_name", "pk")


def test_ticks_are_round_numbers():
    assert nice_ticks(0, 97) == [0, 20, 40, 60, 80, 100]
    assert nice_ticks(0, 1.3, 4) == [0, 0.5, 1.0, 1.5]


def test_chart_text_is_escaped_and_labelled():
    chart = horizontal_bars([("<script>", 3), ("Instruction", None)], title="Délais & phases", value_label=str)
    assert "<script>" not in chart and "&lt;script&gt;" in chart
    assert 'role="img"' in chart and "<title" in chart and "Délais &amp; phases" in chart
    assert "style=" not in chart
