"""Checks on partner identifiers and amounts, with the French messages users read."""

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# La Poste's establishments share this SIREN; their SIRETs break the Luhn rule and follow
# their own: the sum of the 14 digits is a multiple of 5 (INSEE's documented exception).
# The head office alone keeps a Luhn key.
LA_POSTE_SIREN = "356000000"
LA_POSTE_HEAD_OFFICE = "35600000000048"


def normalise_siret(value: str) -> str:
    """Drop the spaces, dots and dashes people type in a SIRET ("123 456 789 00012")."""
    return re.sub(r"[\s.\-\u00a0]", "", value or "")


def luhn_valid(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        digit = int(char)
        if position % 2:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0


def siret_valid(digits: str) -> bool:
    if len(digits) != 14 or not digits.isdigit():
        return False
    if digits.startswith(LA_POSTE_SIREN) and digits != LA_POSTE_HEAD_OFFICE:
        return sum(int(d) for d in digits) % 5 == 0
    return luhn_valid(digits)


def validate_siret(value: str) -> None:
    digits = normalise_siret(value)
    if not digits:
        return
    if not digits.isdigit() or len(digits) != 14:
        raise ValidationError(
            _("Un SIRET compte exactement 14 chiffres (%(count)s saisis)."),
            code="siret_length",
            params={"count": sum(char.isdigit() for char in digits)},
        )
    if not siret_valid(digits):
        raise ValidationError(
            _(
                "Ce SIRET n'existe pas : sa clé de contrôle est fausse. "
                "Vérifiez-le sur l'avis de situation SIRENE ou sur annuaire-entreprises.data.gouv.fr."
            ),
            code="siret_checksum",
        )


def parse_amount(text) -> Decimal:
    """A euro amount typed the French or the English way: "1 234,56 €", "1234.56".

    Raises ValidationError for anything that is not a positive amount in cents."""
    if isinstance(text, Decimal):
        raw = text
    else:
        cleaned = re.sub(r"[\s\u00a0\u202f€]", "", str(text or ""))
        if cleaned.count(",") == 1 and "." not in cleaned:
            cleaned = cleaned.replace(",", ".")
        elif "," in cleaned and "." in cleaned:
            # "1.234,56" (dots as thousands) or "1,234.56" (commas as thousands).
            thousands, decimal_mark = (".", ",") if cleaned.rfind(",") > cleaned.rfind(".") else (",", ".")
            cleaned = cleaned.replace(thousands, "").replace(decimal_mark, ".")
        if not cleaned:
            raise ValidationError(_("Indiquez un montant en euros."), code="required")
        if not re.fullmatch(r"[+-]?\d+(\.\d+)?", cleaned):
            raise ValidationError(
                _("« %(value)s » n'est pas un montant : écrivez par exemple 12 500 ou 12 500,50."),
                code="invalid",
                params={"value": str(text).strip()},
            )
        try:
            raw = Decimal(cleaned)
        except InvalidOperation as error:
            raise ValidationError(_("Montant illisible."), code="invalid") from error
    if raw <= 0:
        raise ValidationError(_("Le montant doit être supérieur à zéro."), code="not_positive")
    # Size first: quantizing a number of more than 28 digits raises InvalidOperation.
    if raw >= Decimal("1000000000000"):
        raise ValidationError(_("Montant trop élevé."), code="too_large")
    if raw != raw.quantize(Decimal("0.01")):
        raise ValidationError(_("Le montant ne peut pas avoir plus de deux décimales (centimes)."), code="cents")
    return raw.quantize(Decimal("0.01"))


def search_text(*parts: str) -> str:
    """Lower case, accents removed, spaces collapsed: what `q` and the autocomplete match."""
    text = " ".join(part for part in parts if part)
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    plain = plain.lower().replace("œ", "oe").replace("æ", "ae")
    return re.sub(r"[^\w]+", " ", plain).strip()
