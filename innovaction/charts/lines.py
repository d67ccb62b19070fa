"""A line over time, with an optional target line and threshold bands behind it.

The target may change from one point to the next (a yearly target over 36 months), so it is
drawn as a dashed step line, and the bands — the zones where a value would be green, orange
or red — are drawn slice by slice behind each point.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from innovaction.charts.base import GRID, INK, MUTED, PRIMARY, Linear, element, nice_ticks, svg, text, to_float

BAND_FILLS = {"vert": "#e3f4e7", "orange": "#fdf0dc", "rouge": "#fbe6e4"}
TARGET_COLOUR = "#1b2430"


@dataclass(frozen=True)
class Band:
    """A horizontal zone [low, high] (None = unbounded on that side) and its fill key."""

    low: object
    high: object
    kind: str  # a key of BAND_FILLS


def series_polylines(values: Sequence[object], x: Callable, y: Callable, **stroke) -> list[str]:
    """One polyline per run of consecutive values (None breaks the line); a lone value draws
    nothing here, the caller marks its points."""
    parts, run = [], []
    for index, value in enumerate([*values, None]):
        if value is None:
            if len(run) > 1:
                parts.append(element("polyline", points=" ".join(run), fill="none", stroke_linejoin="round", **stroke))
            run = []
        else:
            run.append(f"{x(index):.1f},{y(value):.1f}")
    return parts


def _finite(values) -> list[float]:
    return [to_float(v) for v in values if v is not None]


def line_chart(
    labels: Sequence[str],
    values: Sequence[object],
    *,
    title: str,
    description: str = "",
    targets: Sequence[object] | None = None,
    bands: Sequence[Sequence[Band] | None] | None = None,
    value_label: Callable[[object], str] = str,
    series_label: str = "",
    target_label: str = "",
    band_labels: dict[str, str] | None = None,
    zero_based: bool = True,
    width: int = 680,
    height: int = 280,
) -> str:
    """`labels[i]` and `values[i]` (None = no value: a gap in the line); `targets[i]` the
    target at that point; `bands[i]` the zones behind that point. Legend entries are drawn
    for the labels given (`series_label`, `target_label`, `band_labels`)."""
    count = len(values)
    targets = list(targets) if targets is not None else [None] * count
    bands = list(bands) if bands is not None else [None] * count
    legend_height = 24 if (series_label or target_label or band_labels) else 0
    left, right, top, bottom = 64, 16, 12 + legend_height, 40
    plot_w, plot_h = width - left - right, height - top - bottom

    edges = [b for zone in bands if zone for band in zone for b in (band.low, band.high) if b is not None]
    domain = _finite(values) + _finite(targets) + _finite(edges)
    lo, hi = (min(domain), max(domain)) if domain else (0.0, 1.0)
    if zero_based:
        lo = min(lo, 0.0)
    span = (hi - lo) or (abs(hi) or 1.0)
    ticks = nice_ticks(lo, hi + span * 0.08)
    y = Linear(ticks[0], ticks[-1], top + plot_h, top)
    step = plot_w / max(count, 1)

    def x(index):
        return left + step * (index + 0.5)

    parts = []
    # Bands first, so everything else is drawn over them.
    for index, zone in enumerate(bands):
        for band in zone or []:
            low = ticks[0] if band.low is None else max(to_float(band.low), ticks[0])
            high = ticks[-1] if band.high is None else min(to_float(band.high), ticks[-1])
            if high <= low:
                continue
            parts.append(
                element(
                    "rect",
                    x=left + step * index,
                    y=y(high),
                    width=step,
                    height=y(low) - y(high),
                    fill=BAND_FILLS.get(band.kind, GRID),
                )
            )
    for tick in ticks:
        parts.append(element("line", x1=left, y1=y(tick), x2=left + plot_w, y2=y(tick), stroke=GRID))
        parts.append(text(left - 6, y(tick), value_label(tick), size=11, anchor="end", fill=MUTED, baseline="middle"))
    parts.append(element("line", x1=left, y1=top + plot_h, x2=left + plot_w, y2=top + plot_h, stroke=MUTED))
    every = max(1, -(-count // 12))
    for index, label in enumerate(labels):
        # Counted back from the last point, so the latest month always has its label.
        if (count - 1 - index) % every == 0:
            parts.append(text(x(index), top + plot_h + 16, label, size=11, anchor="middle", fill=MUTED))

    # Target: a dashed step line across each point's slice.
    segments = []
    for index, target in enumerate(targets):
        if target is not None:
            ty = y(target)
            segments.append(f"M{left + step * index:.1f} {ty:.1f}H{left + step * (index + 1):.1f}")
    if segments:
        parts.append(
            element(
                "path", d="".join(segments), stroke=TARGET_COLOUR, stroke_width=1.5, stroke_dasharray="5 4", fill="none"
            )
        )

    # The series: one polyline per run of consecutive values.
    parts.extend(series_polylines(values, x, y, stroke=PRIMARY, stroke_width=2.5))
    for index, value in enumerate(values):
        if value is not None:
            parts.append(
                element(
                    "circle",
                    element("title", f"{labels[index]} : {value_label(value)}"),
                    cx=x(index),
                    cy=y(value),
                    r=3.5 if index == count - 1 else 2.5,
                    fill=PRIMARY,
                )
            )
    last = next((i for i in range(count - 1, -1, -1) if values[i] is not None), None)
    if last is not None:
        anchor = "end" if x(last) > left + plot_w - 60 else "start"
        dx = -8 if anchor == "end" else 8
        parts.append(
            text(x(last) + dx, y(values[last]) - 10, value_label(values[last]), size=12, anchor=anchor, weight="700")
        )

    parts.extend(_legend(left, series_label, target_label, band_labels or {}))
    return svg(width, height, "".join(parts), title=title, description=description)


def _legend(left: float, series_label: str, target_label: str, band_labels: dict[str, str]) -> list[str]:
    parts, cursor, middle = [], left, 12
    if series_label:
        parts.append(element("line", x1=cursor, y1=middle, x2=cursor + 18, y2=middle, stroke=PRIMARY, stroke_width=2.5))
        parts.append(text(cursor + 24, middle, series_label, size=11, fill=INK, baseline="middle"))
        cursor += 34 + 6.5 * len(series_label)
    if target_label:
        parts.append(
            element(
                "line",
                x1=cursor,
                y1=middle,
                x2=cursor + 18,
                y2=middle,
                stroke=TARGET_COLOUR,
                stroke_width=1.5,
                stroke_dasharray="5 4",
            )
        )
        parts.append(text(cursor + 24, middle, target_label, size=11, fill=INK, baseline="middle"))
        cursor += 34 + 6.5 * len(target_label)
    for kind, label in band_labels.items():
        parts.append(
            element("rect", x=cursor, y=middle - 6, width=14, height=12, fill=BAND_FILLS.get(kind, GRID), stroke=GRID)
        )
        parts.append(text(cursor + 20, middle, label, size=11, fill=INK, baseline="middle"))
        cursor += 30 + 6.5 * len(label)
    return parts
