"""How numbers, money and durations are written, in one place for pages, PDF and e-mails.

French conventions: `1 234 567,89 €`, with a no-break space between thousands and before the
unit so a figure never breaks across lines.
"""

from decimal import ROUND_HALF_UP, Decimal

NBSP = "\u00a0"
CENT = Decimal("0.01")


def _group(digits: str) -> str:
    groups = []
    while len(digits) > 3:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    groups.insert(0, digits)
    return NBSP.join(groups)


def format_decimal(value, places: int = 2) -> str:
    """`Decimal("1234567.891")` → `1 234 567,89`; None → empty string."""
    if value is None or value == "":
        return ""
    number = Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    sign = "-" if number < 0 else ""
    whole, _, fraction = f"{abs(number):f}".partition(".")
    text = sign + _group(whole)
    return f"{text},{fraction}" if places else text


def format_money(value, *, cents: bool = True) -> str:
    if value is None or value == "":
        return "—"
    return f"{format_decimal(value, 2 if cents else 0)}{NBSP}€"


def format_int(value) -> str:
    if value is None or value == "":
        return "—"
    return format_decimal(value, 0)
