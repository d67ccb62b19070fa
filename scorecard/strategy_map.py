"""The strategy map (SPEC §5.4): objectives in rows by perspective, arrows from cause to
effect, each objective coloured by the status of its indicators and its status written in
it — colour is never the only carrier. Server-rendered SVG (charts.base), so it shows the
same on the page and in the PDF. The SVG is an image (role="img"), so it holds no links: the
text list under it, with the same objectives, statuses and links, is how one navigates."""

import textwrap

from django.utils.translation import gettext as _

from innovaction.charts.base import GRID, INK, MUTED, element, svg, text
from scorecard.choices import Status
from scorecard.selectors.grid import ObjectiveState

FILLS = {Status.VERT: "#e3f4e7", Status.ORANGE: "#fdf0dc", Status.ROUGE: "#fbe6e4", "": "#eef0f3"}
STROKES = {Status.VERT: "#1e7b34", Status.ORANGE: "#b45309", Status.ROUGE: "#b3261e", "": "#5b6575"}

WIDTH, LABEL_W, ROW_H, BOX_W, BOX_H = 980, 150, 124, 214, 84


def status_label(status: str) -> str:
    return str(Status(status).label).capitalize() if status else _("Sans mesure")


def _wrap(name: str, width: int = 31, lines: int = 3) -> list[str]:
    wrapped = textwrap.wrap(name, width) or [""]
    if len(wrapped) > lines:
        wrapped = wrapped[:lines]
        wrapped[-1] = wrapped[-1][: width - 1].rstrip() + "…"
    return wrapped


def _anchor(box, other) -> tuple[float, float]:
    """Where an arrow leaves `box` towards `other`: top or bottom edge, or a side in one row."""
    x, y = box
    ox, oy = other
    if oy < y:
        return x + BOX_W / 2, y
    if oy > y:
        return x + BOX_W / 2, y + BOX_H
    return (x + BOX_W, y + BOX_H / 2) if ox > x else (x, y + BOX_H / 2)


def strategy_map(perspectives, states: list[ObjectiveState], links: list[tuple[int, int]]) -> str:
    rows = {p.pk: index for index, p in enumerate(perspectives)}
    height = max(len(perspectives), 1) * ROW_H + 10
    boxes: dict[int, tuple[float, float]] = {}
    per_row: dict[int, list[ObjectiveState]] = {}
    for state in states:
        per_row.setdefault(state.objective.perspective_id, []).append(state)
    parts = [
        "<defs>"
        + element(
            "marker",
            element("path", d="M0,0 L10,5 L0,10 z", fill=INK),
            id="arrow",
            viewBox="0 0 10 10",
            refX=10,
            refY=5,
            markerWidth=7,
            markerHeight=7,
            orient="auto-start-reverse",
        )
        + "</defs>"
    ]
    for perspective in perspectives:
        top = rows[perspective.pk] * ROW_H + 5
        parts.append(element("rect", x=0, y=top, width=WIDTH, height=ROW_H - 6, rx=6, fill="#f8fafc", stroke=GRID))
        for index, line in enumerate(_wrap(perspective.name, 20, 3)):
            parts.append(text(12, top + 24 + index * 16, line, size=13, weight="700", fill=INK))
        members = per_row.get(perspective.pk, [])
        room = (WIDTH - LABEL_W - 10) / max(len(members), 1)
        for index, state in enumerate(members):
            x = LABEL_W + room * index + (room - BOX_W) / 2
            boxes[state.objective.pk] = (x, top + (ROW_H - 6 - BOX_H) / 2)
    for cause, effect in links:
        if cause in boxes and effect in boxes:
            x1, y1 = _anchor(boxes[cause], boxes[effect])
            x2, y2 = _anchor(boxes[effect], boxes[cause])
            parts.append(
                element("line", x1=x1, y1=y1, x2=x2, y2=y2, stroke=INK, stroke_width=1.4, marker_end="url(#arrow)")
            )
    for state in states:
        if state.objective.pk not in boxes:
            continue
        x, y = boxes[state.objective.pk]
        status = state.status
        body = element("title", f"{state.objective.name} — {status_label(status)}") + element(
            "rect",
            x=x,
            y=y,
            width=BOX_W,
            height=BOX_H,
            rx=8,
            fill=FILLS[status],
            stroke=STROKES[status],
            stroke_width=2,
        )
        for index, line in enumerate(_wrap(state.objective.name)):
            body += text(x + 10, y + 18 + index * 15, line, size=12, weight="600", fill=INK)
        body += element("circle", cx=x + 15, cy=y + BOX_H - 14, r=5, fill=STROKES[status])
        body += text(
            x + 26, y + BOX_H - 14, status_label(status), size=11, fill=MUTED if not status else INK, baseline="middle"
        )
        parts.append(element("g", body))
    description = _(
        "%(objectives)s objectifs répartis en %(perspectives)s perspectives, %(links)s liens de cause à effet. "
        "La liste sous la carte donne le détail."
    ) % {"objectives": len(states), "perspectives": len(perspectives), "links": len(links)}
    return svg(WIDTH, height, "".join(parts), title=_("Carte stratégique"), description=description)
