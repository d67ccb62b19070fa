"""Median and 90th percentile per row: a bar to the median, a whisker on to the P90, and the
target, if any, as a dashed tick — how long things usually take, and how long the slow ones do."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from innovaction.charts.base import (
    ACCENT,
    GRID,
    INK,
    MUTED,
    PRIMARY,
    STATUS_COLOURS,
    Linear,
    element,
    nice_ticks,
    svg,
    text,
)


@dataclass(frozen=True)
class Spread:
    label: str
    median: float | None
    p90: float | None
    target: float | None = None


def median_p90(
    rows: Sequence[Spread],
    *,
    title: str,
    description: str = "",
    legend: tuple[str, str, str],
    value_label: Callable[[float], str] = lambda value: f"{value:.0f}",
    width: int = 680,
    label_width: int = 200,
    row_height: int = 34,
) -> str:
    """`legend` = the words for (median, P90, target), in the page's language."""
    top, bottom, right = 30, 26, 150
    height = top + max(len(rows), 1) * row_height + bottom
    values = [v for row in rows for v in (row.median, row.p90, row.target) if v is not None]
    ticks = nice_ticks(0, max(values, default=1) or 1)
    scale = Linear(0, max(ticks[-1], *values) if values else ticks[-1], label_width, width - right)
    target_colour = STATUS_COLOURS["rouge"]

    parts = []
    # Legend, on one line above the plot.
    x = label_width
    for label, colour, dashed in (
        (legend[0], PRIMARY, False),
        (legend[1], ACCENT, False),
        (legend[2], target_colour, True),
    ):
        parts.append(
            element(
                "line",
                x1=x,
                y1=10,
                x2=x + 18,
                y2=10,
                stroke=colour,
                stroke_width=4 if not dashed else 2,
                stroke_dasharray="4 3" if dashed else None,
            )
        )
        parts.append(text(x + 24, 10, label, size=11, fill=MUTED, baseline="middle"))
        x += 34 + 7 * len(label)
    for tick in ticks:
        tx = scale(tick)
        parts.append(element("line", x1=tx, y1=top - 4, x2=tx, y2=height - bottom, stroke=GRID))
        parts.append(text(tx, height - bottom + 16, value_label(tick), size=11, anchor="middle", fill=MUTED))
    for index, row in enumerate(rows):
        y = top + index * row_height
        middle = y + row_height / 2
        parts.append(text(label_width - 8, middle, row.label, anchor="end", baseline="middle"))
        if row.median is None:
            parts.append(text(label_width + 6, middle, "—", fill=MUTED, baseline="middle"))
            continue
        end = scale(row.median)
        parts.append(
            element("rect", x=label_width, y=middle - 8, width=max(end - label_width, 1), height=16, rx=2, fill=PRIMARY)
        )
        if row.p90 is not None and row.p90 > row.median:
            p90 = scale(row.p90)
            parts.append(element("line", x1=end, y1=middle, x2=p90, y2=middle, stroke=ACCENT, stroke_width=3))
            parts.append(element("line", x1=p90, y1=middle - 7, x2=p90, y2=middle + 7, stroke=ACCENT, stroke_width=3))
        if row.target is not None:
            tx = scale(row.target)
            parts.append(
                element(
                    "line",
                    x1=tx,
                    y1=y + 3,
                    x2=tx,
                    y2=y + row_height - 3,
                    stroke=target_colour,
                    stroke_width=2,
                    stroke_dasharray="4 3",
                )
            )
        figures = value_label(row.median) + (f" · {value_label(row.p90)}" if row.p90 is not None else "")
        parts.append(text(width - right + 10, middle, figures, baseline="middle", fill=INK, weight="600"))
    return svg(width, height, "".join(parts), title=title, description=description)
