from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from partners.validators import parse_amount, search_text, siret_valid, validate_siret


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("73282932000074", True),  # a Luhn-valid SIRET
        ("73282932000075", False),  # the same with its key changed
        ("35600000000001", True),  # La Poste: digits add up to 15, a multiple of 5 (Luhn fails)
        ("35600000000014", False),  # La Poste: digits add up to 19
        ("35600000000048", True),  # La Poste's head office keeps a Luhn key
        ("35600000049837", True),  # La Poste: 45
    ],
)
def test_siret_keys_and_la_postes_exception(value, valid):
    assert siret_valid(value) is valid


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("1234", "Un SIRET compte exactement 14 chiffres (4 saisis)."),
        ("7328293200007A", "Un SIRET compte exactement 14 chiffres (13 saisis)."),
        ("73282932000075", "Ce SIRET n'existe pas : sa clé de contrôle est fausse."),
    ],
)
def test_bad_sirets_are_refused_with_a_french_message(value, message):
    with pytest.raises(ValidationError) as caught:
        validate_siret(value)
    assert message in caught.value.messages[0]


def test_spaces_in_a_siret_are_accepted():
    validate_siret("732 829 320 00074")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12 500,50", Decimal("12500.50")),
        ("12\u00a0500,50 €", Decimal("12500.50")),
        ("12500.5", Decimal("12500.50")),
        ("1.234,56", Decimal("1234.56")),
        ("1,234.56", Decimal("1234.56")),
        ("0,10", Decimal("0.10")),
    ],
)
def test_amounts_typed_the_french_or_english_way(text, expected):
    assert parse_amount(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("-100", "Le montant doit être supérieur à zéro."),
        ("0", "Le montant doit être supérieur à zéro."),
        ("douze mille", "« douze mille » n'est pas un montant"),
        ("12,345", None),  # one comma, no dot: a decimal comma → 12.345 has three decimals
        ("", "Indiquez un montant en euros."),
    ],
)
def test_bad_amounts_are_refused(text, message):
    with pytest.raises(ValidationError) as caught:
        parse_amount(text)
    if message:
        assert message in caught.value.messages[0]
    else:
        assert "deux décimales" in caught.value.messages[0]


def test_search_text_drops_accents_and_case():
    assert search_text("Région Auvergne-Rhône-Alpes", "", "Œuvres") == "region auvergne rhone alpes oeuvres"


@pytest.mark.parametrize("text", ["100000000000000000000000000", "1" + "0" * 40 + ",5"])
def test_a_huge_amount_is_refused_with_a_message_not_a_crash(text):
    with pytest.raises(ValidationError, match="trop élevé"):
        parse_amount(text)
