"""Filters of the partner pages: ratios, shares and funding statuses."""

from django import template

from innovaction.formatting import format_decimal
from partners.choices import FundingStatus
from partners.selectors import Leverage

register = template.Library()

STATUS_BADGES = {
    "sollicite": "",
    "accorde": "badge--info",
    "verse": "badge--vert",
    "refuse": "badge--rouge",
    "caduc": "badge--orange",
}


@register.filter
def ratio(value) -> str:
    """A leverage as French decimals ("5,02"); "—" when there is none."""
    if value is None or value == "":
        return "—"
    return format_decimal(value, 2)


@register.filter
def percent(value) -> str:
    if value is None or value == "":
        return "—"
    return f"{format_decimal(value, 1)}\u00a0%"


@register.filter
def status_badge(status) -> str:
    """The badge modifier of a funding status (the badge also says the status in words)."""
    return STATUS_BADGES.get(str(status), "")


@register.filter
def status_label(status) -> str:
    return str(FundingStatus(status).label) if status in FundingStatus.values else ""


@register.filter
def get(mapping, key):
    """`{{ totals|get:status }}` for dictionaries keyed by variables."""
    return mapping.get(key, "") if mapping else ""


@register.filter
def share_of(amount, portfolio) -> str:
    """`amount` as a share of the portfolio's secured funds ("12,5 %")."""
    return percent(portfolio.share(amount))


@register.filter
def per_city_euro(amount, portfolio) -> str:
    """`amount` in euros per euro of the portfolio's city contribution ("0,42")."""
    return ratio(Leverage(amount, portfolio.leverage.city_contribution).ratio)
