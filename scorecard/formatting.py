"""How indicator values are written, by unit, in one place for pages, PDF and e-mails."""

from decimal import Decimal

from innovaction.formatting import NBSP, format_decimal, format_money
from scorecard.choices import Unit

MINUS = "\u2212"


def format_value(value, unit: str, decimals: int = 0) -> str:
    """`2.5, ratio` → « 2,50 »; `123, days` → « 123 j »; `66.67, pct, 1` → « 66,7 % »;
    euros to the euro; None → « — » (an empty value)."""
    if value is None:
        return "—"
    if unit == Unit.EUR:
        return format_money(value, cents=False)
    if unit == Unit.RATIO:
        decimals = max(decimals, 2)
    text = format_decimal(Decimal(value), decimals).replace("-", MINUS)
    if unit == Unit.PCT:
        return f"{text}{NBSP}%"
    if unit == Unit.DAYS:
        return f"{text}{NBSP}j"
    return text


def format_change(change, unit: str, decimals: int = 0) -> str:
    """A signed change: « +2 », « −5 j », « +3,2 pts » (percentage points), « +12 000 € »."""
    if change is None:
        return "—"
    change = Decimal(change)
    sign = "+" if change > 0 else (MINUS if change < 0 else "±")
    size = abs(change)
    if unit == Unit.EUR:
        body = format_money(size, cents=False)
    elif unit == Unit.PCT:
        body = f"{format_decimal(size, decimals)}{NBSP}pts"
    else:
        body = format_value(size, unit, decimals)
    return f"{sign}{body}"
