"""CSV and XLSX exports of lists, in one place (SPEC §7).

CSV is what French Excel opens right: UTF-8 with BOM, `;` separator, decimal comma, dates
JJ/MM/AAAA, oui/non. XLSX keeps numbers and dates typed. Both stream, so a 10,000-row list
does not sit in memory.
"""

import csv
import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

CSV_MIME = "text/csv; charset=utf-8"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("csv", "xlsx")


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[Any], Any]


def csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("oui") if value else _("non")
    if isinstance(value, Decimal):
        return f"{value:f}".replace(".", ",")
    if isinstance(value, datetime.datetime):
        return (
            timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
            if timezone.is_aware(value)
            else value.strftime("%d/%m/%Y %H:%M")
        )
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, Promise):
        return str(value)
    text = str(value)
    # Neutralise spreadsheet formulas typed into free-text fields (CSV injection).
    if text[:1] in ("=", "+", "-", "@") and not _looks_numeric(text):
        return "'" + text
    return text


def _looks_numeric(text: str) -> bool:
    try:
        Decimal(text.replace(",", "."))
    except ArithmeticError:
        return False
    return True


class _Echo:
    def write(self, value):
        return value


def csv_response(rows: Iterable, columns: list[Column], filename: str) -> StreamingHttpResponse:
    writer = csv.writer(_Echo(), delimiter=";", lineterminator="\r\n")

    def lines():
        yield "\ufeff" + writer.writerow([column.header for column in columns])
        for row in rows:
            yield writer.writerow([csv_cell(column.value(row)) for column in columns])

    response = StreamingHttpResponse(lines(), content_type=CSV_MIME)
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def xlsx_cell(value):
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value).replace(tzinfo=None)
    if isinstance(value, bool):
        return _("oui") if value else _("non")
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def xlsx_response(rows: Iterable, columns: list[Column], filename: str, *, sheet: str = "Export") -> HttpResponse:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(sheet[:31])
    header = []
    for column in columns:
        cell = WriteOnlyCell(worksheet, value=column.header)
        cell.font = Font(bold=True)
        header.append(cell)
    worksheet.append(header)
    for row in rows:
        cells = []
        for column in columns:
            value = xlsx_cell(column.value(row))
            cell = WriteOnlyCell(worksheet, value=value)
            if isinstance(value, Decimal):
                cell.number_format = "#,##0.00"
            elif isinstance(value, datetime.datetime):
                cell.number_format = "DD/MM/YYYY HH:MM"
            elif isinstance(value, datetime.date):
                cell.number_format = "DD/MM/YYYY"
            cells.append(cell)
        worksheet.append(cells)
    response = HttpResponse(content_type=XLSX_MIME)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    workbook.save(response)
    return response


def export_response(fmt: str, rows: Iterable, columns: list[Column], filename: str) -> HttpResponse:
    """`fmt` is "csv" or "xlsx" (anything else is a programming error)."""
    dated = f"{filename}-{timezone.localdate():%Y-%m-%d}"
    if fmt == "csv":
        return csv_response(rows, columns, dated)
    if fmt == "xlsx":
        return xlsx_response(rows, columns, dated)
    raise ValueError(fmt)
