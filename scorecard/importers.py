"""Import of indicator values from a spreadsheet (SPEC §7, kind `indicateurs`): one value per
manual indicator and month, recorded through `measurement_record` (so a locked month gets a
new, commented revision, as when the value is typed in the browser)."""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from innovaction.importing import Importer, RowError, RowErrors, parse_decimal, parse_period, text_cell
from scorecard.choices import Source
from scorecard.models import Indicator, Measurement, PeriodLock
from scorecard.periods import Period
from scorecard.services.measurements import check_bounds, measurement_record


@dataclass
class MeasurementRow:
    indicator: Indicator
    period: Period
    value: Decimal | None
    comment: str
    current: Measurement | None


class MeasurementImporter(Importer):
    kind = "indicateurs"
    headers = ["indicateur", "periode", "valeur", "commentaire"]
    required = {"indicateur", "periode", "valeur"}
    example = ["APP-QVT", "2025-11", "7,4", "Baromètre interne de novembre"]
    field_columns = {"value": "valeur", "period": "periode", "comment": "commentaire"}

    def ignored(self, header):
        """What an indicator's history export adds after the canonical columns."""
        return header in {"cible", "statut", "origine", "revision", "enregistree_le", "saisie_par"}

    def prepare(self, rows):
        self.indicators = {indicator.code.upper(): indicator for indicator in Indicator.objects.all()}
        self.current = {
            (m.indicator_id, m.period): m
            for m in Measurement.objects.filter(is_current=True).only("indicator_id", "period", "value", "comment")
        }
        self.locked = set(PeriodLock.objects.values_list("period", flat=True))
        self.this_month = Period.current()

    def clean_row(self, line, row):
        errors: dict[str, tuple[object, str]] = {}
        code = text_cell(row.get("indicateur")).upper()
        indicator = self.indicators.get(code)
        if indicator is None:
            errors["indicateur"] = (code, _("aucun indicateur n'a ce code") if code else _("valeur obligatoire"))
        elif indicator.source != Source.MANUAL:
            errors["indicateur"] = (code, _("indicateur calculé : sa valeur vient du recalcul, pas d'un import"))
        period = None
        try:
            start = parse_period(row.get("periode"))
            period = Period(start.year, start.month)
        except (ValidationError, ValueError):
            errors["periode"] = (row.get("periode"), _("période attendue au format AAAA-MM"))
        if period is not None and period > self.this_month:
            errors["periode"] = (row.get("periode"), _("ce mois n'a pas encore commencé"))
        value = None
        try:
            value = parse_decimal(row.get("valeur"), places=4)
        except ValidationError as error:
            errors["valeur"] = (row.get("valeur"), error.messages[0])
        if value is None and "valeur" not in errors:
            errors["valeur"] = (row.get("valeur"), _("valeur obligatoire"))
        if indicator is not None and value is not None and "valeur" not in errors:
            try:
                check_bounds(indicator, value)
            except ValidationError as error:
                errors["valeur"] = (row.get("valeur"), error.messages[0])
        comment = text_cell(row.get("commentaire"))
        current = None
        if indicator is not None and period is not None:
            current = self.current.get((indicator.pk, period.start))
            changed = current is None or current.value != value or current.comment != comment
            if period.start in self.locked and changed and not comment:
                errors["commentaire"] = (
                    comment,
                    _("ce mois est verrouillé (son rapport est parti) : indiquez le motif de la correction"),
                )
        if errors:
            raise RowErrors(errors)
        return MeasurementRow(indicator, period, value, comment, current)

    def check_file(self, cleaned):
        seen: dict[tuple, int] = {}
        errors = []
        for line, row in cleaned:
            key = (row.indicator.pk, row.period)
            if key in seen:
                errors.append(
                    RowError(
                        line,
                        "periode",
                        f"{row.period.year}-{row.period.month:02d}",
                        _("même indicateur et même période que la ligne %(line)s") % {"line": seen[key]},
                    )
                )
            seen.setdefault(key, line)
        return errors

    def apply(self, row: MeasurementRow) -> str:
        if row.current is not None and row.current.value == row.value and row.current.comment == row.comment:
            return "unchanged"
        measurement_record(
            indicator=row.indicator, period=row.period, value=row.value, comment=row.comment, by=self.user
        )
        return "created" if row.current is None else "updated"
