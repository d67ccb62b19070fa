"""Import of partners and funding lines from a spreadsheet (SPEC §7, kinds `partenaires` and
`financements`). Rows are written through the partner and funding services, so every rule
they hold (SIRET, dates of each status, instalments) applies to imported rows too."""

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils.text import slugify
from django.utils.translation import gettext as _

from innovaction.importing import (
    Importer,
    RowError,
    RowErrors,
    normalise_header,
    parse_bool,
    parse_date,
    parse_decimal,
    text_cell,
)
from innovaction.models import Organisation
from partners import funding_flow
from partners.choices import FundingStatus, PartnerType
from partners.models import FundingLine, Instalment, Partner
from partners.services import directory
from partners.services.funding import funding_line_create
from partners.validators import normalise_siret, validate_siret
from portfolio.models import Project

# Partner types by code and by label, compared without case nor accents.
TYPES = {normalise_header(value): value for value in PartnerType.values} | {
    normalise_header(str(label)): value for value, label in PartnerType.choices
}
STATUSES = {normalise_header(value): value for value in FundingStatus.values} | {
    normalise_header(str(label)): value for value, label in FundingStatus.choices
}


def _parsed(errors: dict, row: dict, column: str, parser, **kwargs):
    try:
        return parser(row.get(column), **kwargs)
    except ValidationError as error:
        errors[column] = (row.get(column), error.messages[0])
        return None


# Partners -----------------------------------------------------------------------------------


@dataclass
class PartnerRow:
    name: str
    type: str
    siret: str
    sector: str
    joined: datetime.date | None
    left: datetime.date | None
    charter: bool | None
    existing: Partner | None


PARTNER_FIELDS = {"name": "nom", "type": "type", "siret": "siret", "sector": "secteur"}
PARTNER_DATES = {"network_joined_on": "investinromans_adhesion", "network_left_on": "investinromans_sortie"}


class PartnerImporter(Importer):
    kind = "partenaires"
    headers = ["nom", "type", "siret", "secteur", "investinromans_adhesion", "investinromans_sortie"]
    required = {"nom", "type"}
    extra_headers = ["charte_signee"]
    field_columns = {**PARTNER_FIELDS, **PARTNER_DATES, "charter_signed": "charte_signee"}
    example = ["Banque des Territoires", "caisse_depots", "18002002600019", "Financement public", "12/03/2019", ""]

    def aliases(self):
        """The membership columns carry the network's name in this city's exports
        (`reseau_des_partenaires_adhesion`…); `investinromans_*` is the canonical spelling."""
        key = slugify(Organisation.current().network_name).replace("-", "_") or "reseau"
        return {f"{key}_adhesion": "investinromans_adhesion", f"{key}_sortie": "investinromans_sortie"}

    def ignored(self, header):
        return header in {"type_libelle", "referent", "financements_securises", "demandes_en_cours", "dernier_echange"}

    def prepare(self, rows):
        self.by_siret: dict[str, Partner] = {}
        self.by_name: dict[str, list[Partner]] = {}
        for partner in Partner.objects.all():
            if partner.siret:
                self.by_siret[partner.siret] = partner
            self.by_name.setdefault(partner.name.casefold(), []).append(partner)

    def clean_row(self, line, row):
        errors: dict[str, tuple[object, str]] = {}
        name = " ".join(text_cell(row.get("nom")).split())
        if not name:
            errors["nom"] = (row.get("nom"), _("valeur obligatoire"))
        elif len(name) > 200:
            errors["nom"] = (name, _("au plus %(n)s caractères") % {"n": 200})
        kind = TYPES.get(normalise_header(text_cell(row.get("type"))))
        if kind is None:
            errors["type"] = (
                row.get("type"),
                _("type inconnu (valeurs : %(values)s)") % {"values": ", ".join(PartnerType.values)},
            )
        siret = normalise_siret(text_cell(row.get("siret")))
        if siret:
            try:
                validate_siret(siret)
            except ValidationError as error:
                errors["siret"] = (row.get("siret"), error.messages[0])
        sector = text_cell(row.get("secteur"))
        if len(sector) > 120:
            errors["secteur"] = (sector, _("au plus %(n)s caractères") % {"n": 120})
        joined = _parsed(errors, row, "investinromans_adhesion", parse_date)
        left = _parsed(errors, row, "investinromans_sortie", parse_date)
        if left and not joined and "investinromans_adhesion" not in errors:
            errors["investinromans_sortie"] = (row.get("investinromans_sortie"), _("une sortie suppose une adhésion"))
        elif left and joined and left < joined:
            errors["investinromans_sortie"] = (row.get("investinromans_sortie"), _("la sortie précède l'adhésion"))
        charter = _parsed(errors, row, "charte_signee", parse_bool) if "charte_signee" in row else None
        existing = None
        if siret and siret in self.by_siret:
            existing = self.by_siret[siret]
        elif name and not siret:
            namesakes = self.by_name.get(name.casefold(), [])
            if len(namesakes) > 1:
                errors["nom"] = (name, _("plusieurs partenaires portent ce nom : indiquez le SIRET"))
            existing = namesakes[0] if len(namesakes) == 1 else None
        elif name:
            # A SIRET not known yet: the partner may exist under its name without SIRET.
            namesakes = [p for p in self.by_name.get(name.casefold(), []) if not p.siret]
            existing = namesakes[0] if len(namesakes) == 1 else None
        if errors:
            raise RowErrors(errors)
        return PartnerRow(name, kind, siret, sector, joined, left, charter, existing)

    def check_file(self, cleaned):
        seen: dict[str, int] = {}
        errors = []
        for line, row in cleaned:
            key = row.siret or row.name.casefold()
            column = "siret" if row.siret else "nom"
            if key in seen:
                errors.append(
                    RowError(
                        line, column, row.siret or row.name, _("déjà présent ligne %(line)s") % {"line": seen[key]}
                    )
                )
            seen.setdefault(key, line)
        return errors

    def apply(self, row: PartnerRow) -> str:
        values = {
            "name": row.name,
            "type": row.type,
            "siret": row.siret,
            "sector": row.sector,
            "network_joined_on": row.joined,
            "network_left_on": row.left,
        }
        if row.charter is not None:
            values["charter_signed"] = row.charter
        if row.existing is None:
            directory.partner_create(**values)
            return "created"
        changes = {name: value for name, value in values.items() if getattr(row.existing, name) != value}
        if not changes:
            return "unchanged"
        directory.partner_update(partner=row.existing, data=changes, expected_version=None)
        return "updated"


# Funding lines ------------------------------------------------------------------------------

DATE_COLUMNS = {
    "requested_on": "date_demande",
    "granted_on": "date_accord",
    "paid_on": "date_versement",
    "closed_on": "date_cloture",
}
STATUS_AT = re.compile(r"^(statut|verse)_au_\d{4}_\d{2}_\d{2}$")


@dataclass
class LineRow:
    project: Project
    partner: Partner
    amount: Decimal
    status: str
    scheme: str
    dates: dict[str, datetime.date | None]
    expires_on: datetime.date | None
    existing: FundingLine | None


class FundingLineImporter(Importer):
    """Key of a line: project, partner, scheme and request date (a partner may fund the same
    project twice through the same scheme, years apart)."""

    kind = "financements"
    headers = [
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
    required = {"projet", "partenaire", "montant", "statut", "date_demande"}
    # A refused or lapsed line needs the date it closed; the partner's SIRET tells two
    # namesakes apart. Both are written by the export.
    extra_headers = ["date_cloture", "siret_partenaire"]
    field_columns = {"amount": "montant", "status": "statut", "expires_on": "date_echeance", **DATE_COLUMNS}
    example = [
        "P-2025-001",
        "Banque des Territoires",
        "150 000,00",
        "accorde",
        "DSIL",
        "15/02/2025",
        "20/05/2025",
        "",
        "31/12/2026",
    ]

    def ignored(self, header):
        return header == "type_partenaire" or bool(STATUS_AT.match(header))

    def prepare(self, rows):
        codes = {text_cell(row.get("projet")) for _line, row in rows} - {""}
        self.projects = {p.code: p for p in Project.objects.filter(code__in=codes)}
        self.by_siret: dict[str, Partner] = {}
        self.by_name: dict[str, list[Partner]] = {}
        for partner in Partner.objects.all():
            if partner.siret:
                self.by_siret[partner.siret] = partner
            self.by_name.setdefault(partner.name.casefold(), []).append(partner)
        self.lines: dict[tuple, list[FundingLine]] = {}
        for line in FundingLine.objects.filter(project__in=self.projects.values()).annotate(
            paid_count=Count("instalments")
        ):
            key = (line.project_id, line.partner_id, line.scheme, line.requested_on)
            self.lines.setdefault(key, []).append(line)

    def _partner(self, errors, row):
        name = text_cell(row.get("partenaire"))
        siret = normalise_siret(text_cell(row.get("siret_partenaire")))
        if not siret and re.fullmatch(r"\d{14}", normalise_siret(name)):
            siret = normalise_siret(name)
        if siret:
            partner = self.by_siret.get(siret)
            if partner is None:
                errors["partenaire"] = (siret, _("aucun partenaire n'a ce SIRET"))
            return partner
        namesakes = self.by_name.get(name.casefold(), [])
        if not name:
            errors["partenaire"] = (name, _("valeur obligatoire"))
        elif not namesakes:
            errors["partenaire"] = (name, _("aucun partenaire ne porte ce nom (ni ce SIRET)"))
        elif len(namesakes) > 1:
            errors["partenaire"] = (name, _("plusieurs partenaires portent ce nom : indiquez leur SIRET"))
        else:
            return namesakes[0]
        return None

    def clean_row(self, line, row):
        errors: dict[str, tuple[object, str]] = {}
        code = text_cell(row.get("projet"))
        project = self.projects.get(code)
        if project is None:
            errors["projet"] = (code, _("aucun projet n'a ce code") if code else _("valeur obligatoire"))
        partner = self._partner(errors, row)
        amount = _parsed(errors, row, "montant", parse_decimal, positive=True)
        if amount is None and "montant" not in errors:
            errors["montant"] = (row.get("montant"), _("valeur obligatoire"))
        status = STATUSES.get(normalise_header(text_cell(row.get("statut"))))
        if status is None:
            errors["statut"] = (
                row.get("statut"),
                _("statut inconnu (valeurs : %(values)s)") % {"values": ", ".join(FundingStatus.values)},
            )
        scheme = text_cell(row.get("dispositif"))
        if len(scheme) > 150:
            errors["dispositif"] = (scheme, _("au plus %(n)s caractères") % {"n": 150})
        dates = {field: _parsed(errors, row, column, parse_date) for field, column in DATE_COLUMNS.items()}
        expires_on = _parsed(errors, row, "date_echeance", parse_date)
        if status is not None and not any(column in errors for column in DATE_COLUMNS.values()):
            try:
                funding_flow.check_dates(status, dates)
            except ValidationError as error:
                for field, messages in error.message_dict.items():
                    errors[DATE_COLUMNS[field]] = (row.get(DATE_COLUMNS[field]), messages[0])
            for field in funding_flow.dates_off_path(status):
                if dates[field] is not None:
                    errors[DATE_COLUMNS[field]] = (
                        row.get(DATE_COLUMNS[field]),
                        _("sans objet pour une ligne « %(status)s » : laissez vide") % {"status": status},
                    )
        if expires_on and dates["requested_on"] and expires_on < dates["requested_on"]:
            errors["date_echeance"] = (row.get("date_echeance"), _("la date limite précède la demande"))
        existing = None
        if project is not None and partner is not None:
            matches = self.lines.get((project.pk, partner.pk, scheme, dates["requested_on"]), [])
            if len(matches) > 1:
                errors["projet"] = (
                    code,
                    _(
                        "plusieurs lignes existantes ont ce projet, ce partenaire, ce dispositif et cette date de demande"
                    ),
                )
            existing = matches[0] if matches else None
        if errors:
            raise RowErrors(errors)
        return LineRow(project, partner, amount, status, scheme, dates, expires_on, existing)

    def check_file(self, cleaned):
        seen: dict[tuple, int] = {}
        errors = []
        for line, row in cleaned:
            key = (row.project.pk, row.partner.pk, row.scheme, row.dates["requested_on"])
            if key in seen:
                errors.append(
                    RowError(
                        line,
                        "projet",
                        row.project.code,
                        _("même projet, partenaire, dispositif et date de demande que la ligne %(line)s")
                        % {"line": seen[key]},
                    )
                )
            seen.setdefault(key, line)
        return errors

    def apply(self, row: LineRow) -> str:
        if row.existing is None:
            funding_line_create(
                project=row.project,
                partner=row.partner,
                amount=row.amount,
                status=row.status,
                scheme=row.scheme,
                expires_on=row.expires_on,
                **row.dates,
            )
            return "created"
        line = row.existing
        wanted = {"amount": row.amount, "status": row.status, "expires_on": row.expires_on, **row.dates}
        changes = {name: value for name, value in wanted.items() if getattr(line, name) != value}
        if not changes:
            return "unchanged"
        if line.paid_count and row.status != FundingStatus.VERSE:
            raise ValidationError({"status": _("des versements sont enregistrés sur cette ligne : elle reste versée")})
        for name, value in changes.items():
            setattr(line, name, value)
        line.version += 1
        line.full_clean(exclude=["convention"])
        line.save()
        if row.status == FundingStatus.VERSE and not line.paid_count:
            Instalment.objects.create(funding_line=line, date=line.paid_on, amount=line.amount)
        return "updated"
