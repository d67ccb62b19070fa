"""A roadmap: one lane per item on a time axis, coloured spans (phases) and milestone markers,
with a line for today. Dates outside the window are clipped; labels may link to a page."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils import dateformat
from django.utils.html import escape

from innovaction.charts.base import ACCENT, GRID, INK, MUTED, PRIMARY, STATUS_COLOURS, Linear, element, svg, text


@dataclass(frozen=True)
class Span:
    start: datetime.date
    end: datetime.date
    colour: str
    label: str


@dataclass(frozen=True)
class Marker:
    day: datetime.date
    label: str
    state: str  # "done", "planned" or "late"


@dataclass(frozen=True)
class Lane:
    label: str
    href: str | None = None
    spans: Sequence[Span] = field(default_factory=list)
    markers: Sequence[Marker] = field(default_factory=list)


# Milestones stand out from the phase bars: green when reached, red when late, hollow ahead.
MARKER_FILL = {"done": STATUS_COLOURS["vert"], "planned": "#ffffff", "late": STATUS_COLOURS["rouge"]}
MARKER_STROKE = {"done": "#ffffff", "planned": PRIMARY, "late": "#ffffff"}


def _diamond(x: float, y: float, state: str, content: str = "", size: float = 8) -> str:
    points = f"{x:.1f},{y - size:.1f} {x + size:.1f},{y:.1f} {x:.1f},{y + size:.1f} {x - size:.1f},{y:.1f}"
    return element(
        "polygon", content, points=points, fill=MARKER_FILL[state], stroke=MARKER_STROKE[state], stroke_width=1.5
    )


def _ticks(start: datetime.date, end: datetime.date) -> list[tuple[datetime.date, str]]:
    """Month starts every 1, 3 or 6 months, or years, so about 6 to 12 labels fit."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if months > 48:
        return [(datetime.date(year, 1, 1), str(year)) for year in range(start.year + 1, end.year + 1)]
    step = 1 if months <= 12 else 3 if months <= 30 else 6
    ticks = []
    year, month = start.year, start.month
    while True:
        month += 1
        if month > 12:
            year, month = year + 1, 1
        day = datetime.date(year, month, 1)
        if day > end:
            return ticks
        if (month - 1) % step == 0:
            ticks.append((day, dateformat.format(day, "M Y")))


def _legend(spans: Sequence[tuple[str, str]], markers: Sequence[tuple[str, str]], width: int) -> tuple[list, float]:
    """Swatches then diamonds, wrapped to the chart's width; returns (parts, bottom y)."""
    parts: list[str] = []
    x, y = 8.0, 12.0
    items = [("span", label, style) for label, style in spans] + [("marker", label, style) for label, style in markers]
    for kind, label, style in items:
        needed = 32 + 5.6 * len(label)
        if x + needed > width:
            x, y = 8.0, y + 20
        if kind == "span":
            parts.append(element("rect", x=x, y=y - 5, width=14, height=10, rx=2, fill=style))
        else:
            parts.append(_diamond(x + 7, y, style, size=6))
        parts.append(text(x + 19, y, label, size=11, fill=MUTED, baseline="middle"))
        x += needed
    return parts, (y if items else 0.0)


def roadmap(
    lanes: Sequence[Lane],
    *,
    start: datetime.date,
    end: datetime.date,
    today: datetime.date,
    title: str,
    description: str = "",
    today_label: str = "",
    legend: Sequence[tuple[str, str]] = (),
    marker_legend: Sequence[tuple[str, str]] = (),
    width: int = 1040,
    label_width: int = 300,
    lane_height: int = 30,
) -> str:
    """`legend` = [(label, colour), …] for the spans; `marker_legend` = [(label, state), …]
    for the milestone markers."""
    parts, legend_bottom = _legend(legend, marker_legend, width)
    top = legend_bottom + 38
    height = top + max(len(lanes), 1) * lane_height + 10
    span_days = max((end - start).days, 1)
    scale = Linear(0, span_days, label_width, width - 16)

    def x(day: datetime.date) -> float:
        return scale(min(max((day - start).days, 0), span_days))

    for day, label in _ticks(start, end):
        tx = x(day)
        parts.append(element("line", x1=tx, y1=top - 6, x2=tx, y2=height - 10, stroke=GRID))
        parts.append(text(tx + 3, top - 10, label, size=11, fill=MUTED))
    for index, lane in enumerate(lanes):
        y = top + index * lane_height
        middle = y + lane_height / 2
        if index % 2:
            parts.append(element("rect", x=0, y=y, width=width, height=lane_height, fill="#f8fafc"))
        label = text(label_width - 8, middle, lane.label, anchor="end", baseline="middle", fill=INK)
        parts.append(element("a", label, href=lane.href) if lane.href else label)
        for span in lane.spans:
            if span.end < start or span.start > end:
                continue
            x1, x2 = x(span.start), x(span.end)
            parts.append(
                element(
                    "rect",
                    element("title", escape(span.label)),
                    x=x1,
                    y=middle - 7,
                    width=max(x2 - x1, 2),
                    height=14,
                    rx=2,
                    fill=span.colour,
                )
            )
        for marker in lane.markers:
            if start <= marker.day <= end:
                parts.append(_diamond(x(marker.day), middle, marker.state, element("title", escape(marker.label))))
    if start <= today <= end:
        tx = x(today)
        parts.append(
            element(
                "line", x1=tx, y1=top - 6, x2=tx, y2=height - 10, stroke=ACCENT, stroke_width=2, stroke_dasharray="5 4"
            )
        )
        if today_label:
            parts.append(text(tx + 4, height - 2, today_label, size=11, fill=ACCENT, weight="600"))
    role = "group" if any(lane.href for lane in lanes) else "img"  # the lanes' names link to their projects
    return svg(width, int(height) + 8, "".join(parts), title=title, description=description, role=role)
