"""Shared pieces of the SVG charts: the root element, scales, ticks, colours."""

import itertools
import math

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

FONT = "Source Sans 3, DejaVu Sans, sans-serif"
INK = "#1b2430"
MUTED = "#5b6575"
GRID = "#e3e8ee"
PRIMARY = "#1d3f72"
ACCENT = "#0f6b63"
STATUS_COLOURS = {"vert": "#1e7b34", "orange": "#d97706", "rouge": "#b3261e", None: "#8a94a3", "": "#8a94a3"}
SERIES = ["#1d3f72", "#0f6b63", "#b45309", "#7c3aed", "#be185d", "#4d7c0f", "#0369a1", "#57534e"]

_ids = itertools.count(1)


def attrs(**values) -> str:
    """`attrs(stroke_width=2, fill="none")` → ` stroke-width="2" fill="none"` (None values dropped)."""
    parts = []
    for key, value in values.items():
        if value is None:
            continue
        name = key.rstrip("_").replace("_", "-")
        if isinstance(value, float):
            value = f"{value:.2f}".rstrip("0").rstrip(".")
        parts.append(f' {name}="{escape(value)}"')
    return "".join(parts)


def element(tag: str, content: str = "", **values) -> str:
    if content:
        return f"<{tag}{attrs(**values)}>{content}</{tag}>"
    return f"<{tag}{attrs(**values)}/>"


def text(x, y, label, *, size=12, anchor="start", fill=INK, weight=None, baseline=None) -> str:
    return element(
        "text",
        escape(label),
        x=float(x),
        y=float(y),
        font_size=size,
        text_anchor=anchor,
        fill=fill,
        font_weight=weight,
        dominant_baseline=baseline,
        font_family=FONT,
    )


def svg(
    width: int,
    height: int,
    body: str,
    *,
    title: str,
    description: str = "",
    css_class: str = "chart",
    role: str = "img",
) -> SafeString:
    """The root element, accessible: role=img labelled by its title and description. A drawing
    holding links is a labelled `group` instead: inside an image, links would be hidden from
    assistive technologies."""
    uid = next(_ids)
    title_id, desc_id = f"chart-{uid}-title", f"chart-{uid}-desc"
    labelled = f"{title_id} {desc_id}" if description else title_id
    head = element("title", escape(title), id=title_id)
    if description:
        head += element("desc", escape(description), id=desc_id)
    return mark_safe(  # noqa: S308 (every text and attribute above is escaped)
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="{role}" aria-labelledby="{labelled}" class="{escape(css_class)}">'
        f"{head}{body}</svg>"
    )


def to_float(value) -> float:
    if value is None:
        return math.nan
    return float(value)


class Linear:
    """Maps a value domain [lo, hi] onto a pixel range [a, b]."""

    def __init__(self, lo: float, hi: float, a: float, b: float):
        if hi == lo:
            hi = lo + 1
        self.lo, self.hi, self.a, self.b = lo, hi, a, b

    def __call__(self, value) -> float:
        return self.a + (to_float(value) - self.lo) * (self.b - self.a) / (self.hi - self.lo)


def nice_ticks(lo: float, hi: float, count: int = 5) -> list[float]:
    """Round tick values covering [lo, hi] (1, 2, 2.5, 5 times 10^n steps)."""
    if hi <= lo:
        hi = lo + 1
    raw = (hi - lo) / max(count, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    start = math.floor(lo / step) * step
    ticks = []
    value = start
    while value <= hi + step * 0.5:
        ticks.append(round(value, 10))
        value += step
    return ticks
