"""Horizontal bars: one labelled bar per item, value written at its end."""

from collections.abc import Callable, Sequence

from innovaction.charts.base import GRID, MUTED, PRIMARY, Linear, element, svg, text, to_float


def horizontal_bars(
    items: Sequence[tuple[str, object]],
    *,
    title: str,
    description: str = "",
    value_label: Callable[[object], str] = str,
    colours: Sequence[str] | None = None,
    width: int = 560,
    bar_height: int = 22,
    label_width: int = 180,
) -> str:
    """`items` = [(label, value), …]; values ≥ 0 (None draws no bar, writes "—")."""
    gap = 8
    height = max(len(items), 1) * (bar_height + gap) + gap
    values = [to_float(v) for _, v in items if v is not None]
    scale = Linear(0, max(values, default=1) or 1, label_width, width - 90)
    parts = [element("line", x1=label_width, y1=0, x2=label_width, y2=height, stroke=GRID)]
    for index, (label, value) in enumerate(items):
        y = gap + index * (bar_height + gap)
        parts.append(text(label_width - 8, y + bar_height / 2, label, anchor="end", baseline="middle"))
        if value is None:
            parts.append(text(label_width + 6, y + bar_height / 2, "—", fill=MUTED, baseline="middle"))
            continue
        end = scale(value)
        fill = colours[index % len(colours)] if colours else PRIMARY
        parts.append(
            element("rect", x=label_width, y=y, width=max(end - label_width, 1), height=bar_height, rx=3, fill=fill)
        )
        parts.append(text(end + 6, y + bar_height / 2, value_label(value), baseline="middle", weight="600"))
    return svg(width, height, "".join(parts), title=title, description=description)
