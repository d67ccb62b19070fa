"""Spreadsheet import machinery shared by every kind of import (SPEC §7).

Reads CSV (UTF-8 with or without BOM, or Windows-1252; `;` or `,`) and XLSX into rows keyed
by canonical header, parses French-style cells (decimal comma or point, thousands separators,
JJ/MM/AAAA or ISO dates, oui/non…), and runs an importer all-or-nothing: every row's errors
are collected with line and column, and nothing is written unless the whole file is valid.
Each app declares its importers (subclasses of `Importer`) next to its services.
"""

import contextlib
import csv
import datetime
import io
import re
import unicodedata
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from types import SimpleNamespace

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.models import HistoricalRecords


class ImportFileError(Exception):
    """The file itself cannot be read (format, encoding, headers); the message is French."""


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    value: str
    message: str


@dataclass
class ImportReport:
    kind: str
    dry_run: bool
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and not self.file_errors

    def as_text(self) -> str:
        lines = []
        for message in self.file_errors:
            lines.append(_("Fichier refusé : %(message)s") % {"message": message})
        for error in self.errors:
            lines.append(
                _("Ligne %(line)s, colonne « %(column)s » (valeur « %(value)s ») : %(message)s")
                % {"line": error.line, "column": error.column, "value": error.value, "message": error.message}
            )
        verb = _("vérifié (rien n'a été écrit)") if self.dry_run else _("importé")
        if self.ok:
            lines.append(
                _("%(rows)s lignes %(verb)s : %(created)s créées, %(updated)s modifiées, %(unchanged)s inchangées.")
                % {
                    "rows": self.rows,
                    "verb": verb,
                    "created": self.created,
                    "updated": self.updated,
                    "unchanged": self.unchanged,
                }
            )
        else:
            lines.append(
                _("%(count)s erreur(s) : le fichier n'a pas été importé, la base est inchangée.")
                % {"count": len(self.errors) + len(self.file_errors)}
            )
        return "\n".join(lines)


# Reading ------------------------------------------------------------------------------------


def normalise_header(text: str) -> str:
    """`Date de décision ` → `date_de_decision`: case, accents, spaces and dashes ignored."""
    text = unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", text.strip().lower()).strip("_")


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as error:  # bytes no text encoding has: not a table at all
        raise ImportFileError(_("le fichier n'est ni un CSV (UTF-8 ou Windows-1252) ni un classeur XLSX.")) from error


def _read_csv(data: bytes) -> list[list[str]]:
    text = _decode(data)
    if "\x00" in text:
        raise ImportFileError(_("le fichier n'est ni un CSV (UTF-8 ou Windows-1252) ni un classeur XLSX."))
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    try:
        return list(csv.reader(io.StringIO(text), delimiter=delimiter))
    except csv.Error as error:
        raise ImportFileError(_("CSV illisible (%(error)s).") % {"error": error}) from error


def _read_xlsx(data: bytes) -> list[list]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:
        raise ImportFileError(_("classeur XLSX illisible (%(error)s).") % {"error": error}) from error
    rows = [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]
    workbook.close()
    return rows


def read_rows(data: bytes) -> list[list]:
    """Raw rows of a CSV or XLSX file (XLSX recognised by its content, not its name)."""
    if not data.strip():
        raise ImportFileError(_("le fichier est vide."))
    rows = _read_xlsx(data) if data[:4] == b"PK\x03\x04" else _read_csv(data)
    # Trailing empty lines and columns are what spreadsheet programs leave behind.
    return [row for row in rows if any(cell not in (None, "") and str(cell).strip() for cell in row)]


@dataclass
class Table:
    """Rows as {canonical header: cell}, each with its line number in the file (header = 1)."""

    rows: list[tuple[int, dict]]


def read_table(
    data: bytes,
    *,
    headers: list[str],
    required: set[str],
    aliases: dict[str, str] | None = None,
    ignored: Callable[[str], bool] | None = None,
) -> Table:
    """`headers` are the accepted columns (canonical first); `aliases` maps other spellings to
    one of them; columns for which `ignored(normalised header)` is true are read past (the
    informative columns an export adds after the canonical ones)."""
    raw = read_rows(data)
    if not raw:
        raise ImportFileError(_("le fichier ne contient aucune ligne."))
    known = {normalise_header(h): h for h in headers}
    known.update({normalise_header(alias): canonical for alias, canonical in (aliases or {}).items()})
    found = [normalise_header(h) for h in raw[0]]
    if ignored is not None:
        found = ["" if h not in known and ignored(h) else h for h in found]
    found = [normalise_header(known[h]) if h in known else h for h in found]
    known.update({normalise_header(h): h for h in headers})
    unknown = [str(raw[0][i]) for i, h in enumerate(found) if h and h not in known]
    missing = [h for h in headers if normalise_header(h) in required and normalise_header(h) not in found]
    problems = []
    if unknown:
        problems.append(_("colonne(s) inconnue(s) : %(names)s") % {"names": ", ".join(unknown)})
    if missing:
        problems.append(_("colonne(s) obligatoire(s) absente(s) : %(names)s") % {"names": ", ".join(missing)})
    duplicates = sorted({h for h in found if h and found.count(h) > 1})
    if duplicates:
        problems.append(_("colonne(s) en double : %(names)s") % {"names": ", ".join(duplicates)})
    if problems:
        raise ImportFileError(" ; ".join(problems) + ". " + _("Colonnes attendues : %(h)s.") % {"h": ";".join(headers)})
    rows = []
    for line, values in enumerate(raw[1:], start=2):
        row = {}
        for index, header in enumerate(found):
            if header:
                cell = values[index] if index < len(values) else None
                row[known[header]] = cell.strip() if isinstance(cell, str) else cell
        rows.append((line, row))
    return Table(rows=rows)


# Cells --------------------------------------------------------------------------------------

SPACES = re.compile(r"[\s\u00a0\u202f]")
THOUSANDS_DOT = re.compile(r"^-?\d{1,3}(\.\d{3})+$")


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def parse_decimal(value, *, places: int = 2, positive: bool = False) -> Decimal | None:
    """`1 234,50`, `1.234,50`, `1,234.50`, `1234.5`, `1.234` (thousands) → Decimal; blank → None."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise ValidationError(_("nombre attendu"))
    if isinstance(value, int | float | Decimal):
        number = Decimal(str(value))
    else:
        text = SPACES.sub("", str(value)).replace("€", "")
        if "," in text and "." in text:
            decimal_mark = "," if text.rfind(",") > text.rfind(".") else "."
            text = text.replace("." if decimal_mark == "," else ",", "").replace(",", ".")
        elif "," in text:
            text = text.replace(",", ".")
        elif THOUSANDS_DOT.match(text):
            text = text.replace(".", "")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValidationError(_("nombre attendu (ex. 1 234,50)")) from None
    if not number.is_finite():
        raise ValidationError(_("nombre attendu (ex. 1 234,50)"))
    if abs(number) >= Decimal(10) ** 12:
        raise ValidationError(_("nombre trop grand"))
    quantum = Decimal(1).scaleb(-places)
    if number != number.quantize(quantum):
        raise ValidationError(_("au plus %(places)s décimales") % {"places": places})
    if positive and number <= 0:
        raise ValidationError(_("le montant doit être positif"))
    return number.quantize(quantum)


DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y")


def parse_date(value) -> datetime.date | None:
    """`31/12/2025` or `2025-12-31` (or an XLSX date cell) → date; blank → None."""
    if is_blank(value):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    for pattern in DATE_FORMATS:
        try:
            day = datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
        if not 1900 <= day.year <= 2100:
            break
        return day
    raise ValidationError(_("date attendue au format JJ/MM/AAAA ou AAAA-MM-JJ"))


TRUE_WORDS = {"oui", "vrai", "1", "true", "x", "o", "yes"}
FALSE_WORDS = {"non", "faux", "0", "false", "n", "no"}


def parse_bool(value) -> bool:
    """oui/non, vrai/faux, 1/0, true/false, x/empty."""
    if is_blank(value):
        return False
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise ValidationError(_("oui ou non attendu"))


def parse_period(value) -> datetime.date:
    """`2026-03` → 1 March 2026 (XLSX date cells give their month)."""
    if isinstance(value, datetime.date | datetime.datetime):
        return datetime.date(value.year, value.month, 1)
    match = re.fullmatch(r"(\d{4})-(\d{1,2})", str(value or "").strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise ValidationError(_("période attendue au format AAAA-MM"))
    return datetime.date(int(match.group(1)), int(match.group(2)), 1)


def text_cell(value) -> str:
    """A text cell as written; undoes the apostrophe exports put before =, +, - and @."""
    if value is None:
        return ""
    text = str(value).strip()
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@":
        return text[1:]
    return text


# Running ------------------------------------------------------------------------------------


class Importer(ABC):
    """One kind of import. Subclasses set `kind`, `headers`, `required` and implement
    `clean_row` (→ a value for `apply`, or raise {column: message} through RowErrors) and
    `apply` (writes, inside the import's transaction; returns "created"/"updated"/"unchanged")."""

    kind: str = ""
    # The canonical headers (SPEC §7), in template order.
    headers: list[str] = []
    required: set[str] = set()
    # Further columns accepted but not in the template (what an export adds and can restore).
    extra_headers: list[str] = []
    # An example row for the downloadable template, in canonical header order.
    example: list[str] = []
    # Model field → column, to name the column of an error raised by a service in `apply`.
    field_columns: dict[str, str] = {}

    def __init__(self, *, user):
        self.user = user

    def aliases(self) -> dict[str, str]:
        """Other spellings of a header → the canonical header; none by default."""
        return {}

    def ignored(self, header: str) -> bool:
        """Normalised headers read past (informative columns of an export); none by default."""
        return False

    def prepare(self, rows: list[tuple[int, dict]]) -> None:
        """Load what every row needs in a few queries (users, existing records…) before
        `clean_row` is called for each; nothing by default."""
        return None

    def apply_all(self, cleaned: list[tuple[int, object]], report: "ImportReport") -> None:
        """Write every cleaned row (inside the import's transaction). The default calls
        `apply` row by row; an importer with many rows may write them in bulk instead."""
        for line, value in cleaned:
            try:
                outcome = self.apply(value)
            except ValidationError as error:
                for name, messages in (
                    error.message_dict.items() if hasattr(error, "error_dict") else [("", error.messages)]
                ):
                    column = self.field_columns.get(name, name)
                    report.errors.extend(RowError(line, column, "", m) for m in messages)
                continue
            setattr(report, outcome, getattr(report, outcome) + 1)

    @abstractmethod
    def clean_row(self, line: int, row: dict):
        """The row checked and converted, or RowErrors."""

    def check_file(self, cleaned: list[tuple[int, object]]) -> list[RowError]:
        """Errors that need every row (duplicates, order across rows…); none by default."""
        return []

    @abstractmethod
    def apply(self, cleaned) -> str:
        """Write one cleaned row; return "created", "updated" or "unchanged"."""


class RowErrors(Exception):
    """Raised by `clean_row` with {column: (value, message)} for every bad cell of a row."""

    def __init__(self, errors: dict[str, tuple[object, str]]):
        super().__init__(errors)
        self.errors = errors


class _DryRun(Exception):
    pass


@contextlib.contextmanager
def history_user(user):
    """Every history row written inside is signed by `user` (who imported), as the request
    middleware does for a change made in the browser; a request already there is kept."""
    context = HistoricalRecords.context
    if user is None or getattr(context, "request", None) is not None:
        yield
        return
    context.request = SimpleNamespace(user=user)
    try:
        yield
    finally:
        del context.request


def run_import(importer: Importer, data: bytes, *, dry_run: bool) -> ImportReport:
    """Check every row, then write all of it in one transaction — or nothing at all."""
    report = ImportReport(kind=importer.kind, dry_run=dry_run)
    try:
        table = read_table(
            data,
            headers=[*importer.headers, *importer.extra_headers],
            required={normalise_header(h) for h in importer.required},
            aliases=importer.aliases(),
            ignored=importer.ignored,
        )
    except ImportFileError as error:
        report.file_errors.append(str(error))
        return report
    with history_user(importer.user):
        return _run(importer, table, report, dry_run=dry_run)


def _run(importer: Importer, table: Table, report: ImportReport, *, dry_run: bool) -> ImportReport:
    report.rows = len(table.rows)
    importer.prepare(table.rows)
    cleaned: list[tuple[int, object]] = []
    for line, row in table.rows:
        try:
            cleaned.append((line, importer.clean_row(line, row)))
        except RowErrors as bad:
            for column, (value, message) in bad.errors.items():
                report.errors.append(RowError(line, column, "" if value is None else str(value), message))
    report.errors.extend(importer.check_file(cleaned))
    if report.errors:
        return report
    try:
        with transaction.atomic():
            importer.apply_all(cleaned, report)
            if report.errors or dry_run:
                raise _DryRun
    except _DryRun:
        if report.errors:
            report.created = report.updated = report.unchanged = 0
    return report


# The kinds of import (SPEC §7), each declared next to its app's services. Paths, not
# imports: the core package does not depend on the apps it serves.
KINDS = {
    "projets": ("portfolio.importers.ProjectImporter", gettext_lazy("Projets")),
    "partenaires": ("partners.importers.PartnerImporter", gettext_lazy("Partenaires")),
    "financements": ("partners.importers.FundingLineImporter", gettext_lazy("Lignes de financement")),
    "indicateurs": ("scorecard.importers.MeasurementImporter", gettext_lazy("Valeurs d'indicateurs")),
}


def importer_class(kind: str) -> type[Importer]:
    """The importer of `kind` (KeyError for an unknown kind)."""
    return import_string(KINDS[kind][0])


def template_bytes(kind: str, fmt: str) -> bytes:
    """The downloadable template of `kind`: canonical headers and one example row, as CSV
    (UTF-8 with BOM, `;`) or XLSX."""
    importer = importer_class(kind)
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
        writer.writerow(importer.headers)
        writer.writerow(importer.example)
        return ("\ufeff" + buffer.getvalue()).encode()
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = kind
    sheet.append(importer.headers)
    sheet.append(importer.example)
    for cell in sheet[2]:
        cell.number_format = "@"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
