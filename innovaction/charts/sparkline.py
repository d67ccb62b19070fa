"""A word-sized trend line for tables and tiles: no axes, the last value marked."""

from collections.abc import Sequence

from innovaction.charts.base import MUTED, PRIMARY, Linear, element, svg, to_float
from innovaction.charts.lines import series_polylines


def sparkline(
    values: Sequence[object],
    *,
    title: str,
    description: str = "",
    colour: str = PRIMARY,
    width: int = 120,
    height: int = 32,
) -> str:
    """`values` oldest first; None leaves a gap. The pages write the figures next to it, so
    the title says what it shows and the description its range."""
    pad = 4
    present = [to_float(v) for v in values if v is not None]
    lo, hi = (min(present), max(present)) if present else (0.0, 1.0)
    x = Linear(0, max(len(values) - 1, 1), pad, width - pad)
    y = Linear(lo, hi if hi > lo else lo + 1, height - pad, pad)
    if hi == lo:
        y = Linear(lo - 1, lo + 1, height - pad, pad)  # a flat series sits in the middle
    parts = series_polylines(values, x, y, stroke=colour, stroke_width=1.75, stroke_linecap="round")
    last = next((i for i in range(len(values) - 1, -1, -1) if values[i] is not None), None)
    if last is not None:
        parts.append(element("circle", cx=x(last), cy=y(values[last]), r=2.75, fill=colour))
    else:
        parts.append(
            element("line", x1=pad, y1=height / 2, x2=width - pad, y2=height / 2, stroke=MUTED, stroke_dasharray="2 3")
        )
    return svg(width, height, "".join(parts), title=title, description=description, css_class="sparkline")
