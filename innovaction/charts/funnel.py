"""A funnel: one centred bar per stage, widest first, label on the left, count on the right."""

from collections.abc import Callable, Sequence

from innovaction.charts.base import GRID, MUTED, SERIES, element, svg, text, to_float


def funnel(
    stages: Sequence[tuple[str, object]],
    *,
    title: str,
    description: str = "",
    value_label: Callable[[object], str] = str,
    colours: Sequence[str] = SERIES,
    width: int = 560,
    bar_height: int = 26,
    label_width: int = 200,
    value_width: int = 60,
) -> str:
    """`stages` = [(label, count), …] in funnel order; counts ≥ 0."""
    gap = 6
    height = max(len(stages), 1) * (bar_height + gap) + gap
    area_left, area_right = label_width, width - value_width
    centre, half = (area_left + area_right) / 2, (area_right - area_left) / 2
    biggest = max((to_float(v) for _, v in stages), default=0) or 1
    parts = []
    for index, (label, value) in enumerate(stages):
        top = gap + index * (bar_height + gap)
        middle = top + bar_height / 2
        parts.append(text(label_width - 10, middle, label, anchor="end", baseline="middle"))
        bar = half * to_float(value) / biggest
        if bar > 0:
            parts.append(
                element(
                    "rect",
                    x=centre - bar,
                    y=top,
                    width=2 * bar,
                    height=bar_height,
                    rx=3,
                    fill=colours[index % len(colours)],
                )
            )
        else:
            parts.append(element("line", x1=centre, y1=top, x2=centre, y2=top + bar_height, stroke=GRID))
        parts.append(text(width - value_width + 8, middle, value_label(value), weight="600", baseline="middle"))
    parts.append(element("line", x1=centre, y1=0, x2=centre, y2=height, stroke=MUTED, stroke_opacity=0.15))
    return svg(width, height, "".join(parts), title=title, description=description)
