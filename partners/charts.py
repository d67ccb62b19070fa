"""The funding plan as one stacked bar: city contribution, paid, granted, requested, and
what remains to find, against the project's total cost."""

from decimal import Decimal

from django.utils.html import escape
from django.utils.translation import gettext as _

from innovaction.charts.base import GRID, MUTED, PRIMARY, Linear, element, svg, text
from innovaction.formatting import format_money
from partners.choices import FundingStatus

SEGMENT_COLOURS = {
    "city": PRIMARY,
    FundingStatus.VERSE: "#1e7b34",
    FundingStatus.ACCORDE: "#4d9e5f",
    FundingStatus.SOLLICITE: "#d4a017",
}


def funding_bar(plan, *, width: int = 720, height: int = 64) -> str:
    segments = [
        (_("Part ville"), plan.city_contribution, SEGMENT_COLOURS["city"]),
        (_("Versé"), plan.total(FundingStatus.VERSE), SEGMENT_COLOURS[FundingStatus.VERSE]),
        (_("Accordé"), plan.total(FundingStatus.ACCORDE), SEGMENT_COLOURS[FundingStatus.ACCORDE]),
        (_("Sollicité"), plan.total(FundingStatus.SOLLICITE), SEGMENT_COLOURS[FundingStatus.SOLLICITE]),
    ]
    scale_max = max(plan.total_cost, plan.funded, Decimal("1"))
    scale = Linear(0, float(scale_max), 0, width)
    parts = [element("rect", x=0, y=8, width=width, height=28, rx=3, fill="#ffffff", stroke=GRID)]
    start = Decimal("0")
    for label, amount, colour in segments:
        if amount <= 0:
            continue
        x0, x1 = scale(start), scale(start + amount)
        title = element("title", escape(f"{label} : {format_money(amount, cents=False)}"))
        parts.append(
            element("rect", title, x=round(x0, 2), y=8, width=max(round(x1 - x0, 2), 1), height=28, fill=colour)
        )
        start += amount
    if plan.total_cost:
        cost_x = round(scale(plan.total_cost), 2)
        parts.append(element("line", x1=cost_x, y1=2, x2=cost_x, y2=42, stroke="#1b2430", stroke_width=2))
        parts.append(
            text(
                min(cost_x, width - 2),
                56,
                _("Coût total : %(amount)s") % {"amount": format_money(plan.total_cost, cents=False)},
                anchor="end",
                fill=MUTED,
                size=12,
            )
        )
    description = " ; ".join(f"{label} {format_money(amount, cents=False)}" for label, amount, _colour in segments)
    return svg(
        width,
        height,
        "".join(parts),
        title=_("Plan de financement par rapport au coût total"),
        description=description,
    )
