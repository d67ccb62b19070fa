"""A half-circle gauge: how far a value has gone towards a maximum, with a target mark."""

import math
from collections.abc import Callable

from innovaction.charts.base import GRID, INK, MUTED, PRIMARY, element, svg, text, to_float


def _point(cx: float, cy: float, r: float, fraction: float) -> tuple[float, float]:
    """The point at `fraction` of the half circle, 0 on the left, 1 on the right."""
    angle = math.pi * (1 - fraction)
    return cx + r * math.cos(angle), cy - r * math.sin(angle)


def _arc(cx: float, cy: float, r: float, start: float, end: float) -> str:
    x0, y0 = _point(cx, cy, r, start)
    x1, y1 = _point(cx, cy, r, end)
    return f"M{x0:.2f} {y0:.2f}A{r:.2f} {r:.2f} 0 0 1 {x1:.2f} {y1:.2f}"


def gauge(
    value: object,
    *,
    maximum: object,
    title: str,
    description: str = "",
    target: object = None,
    value_label: Callable[[object], str] = str,
    colour: str = PRIMARY,
    width: int = 220,
) -> str:
    """`value` on a scale from 0 to `maximum` (clipped to it); None draws an empty gauge
    showing "—". `target`, if any, is a tick across the arc."""
    thickness = width * 0.12
    r = width / 2 - thickness / 2 - 4
    cx, cy = width / 2, r + thickness / 2 + 4
    height = int(cy + 30)
    top = to_float(maximum) or 1.0
    parts = [element("path", d=_arc(cx, cy, r, 0, 1), fill="none", stroke=GRID, stroke_width=thickness)]
    if value is not None:
        share = min(max(to_float(value) / top, 0.0), 1.0)
        if share > 0:
            parts.append(
                element("path", d=_arc(cx, cy, r, 0, share), fill="none", stroke=colour, stroke_width=thickness)
            )
    if target is not None:
        share = min(max(to_float(target) / top, 0.0), 1.0)
        x0, y0 = _point(cx, cy, r - thickness / 2 - 3, share)
        x1, y1 = _point(cx, cy, r + thickness / 2 + 3, share)
        parts.append(element("line", x1=x0, y1=y0, x2=x1, y2=y1, stroke=INK, stroke_width=2.5))
    parts.append(text(cx, cy - 4, "—" if value is None else value_label(value), size=22, anchor="middle", weight="700"))
    parts.append(text(cx - r, cy + 18, value_label(0), size=11, anchor="middle", fill=MUTED))
    parts.append(text(cx + r, cy + 18, value_label(maximum), size=11, anchor="middle", fill=MUTED))
    return svg(width, height, "".join(parts), title=title, description=description, css_class="gauge")
