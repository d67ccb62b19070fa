"""A two-column network: nodes on the left (e.g. partners) linked to nodes on the right
(e.g. projects), links as curves as thick as the money they carry.

The layout is deterministic: columns are ordered by the barycentre heuristic (each node
moves towards the average position of the nodes it is linked to, weighted by the links),
ties broken by label, so the same data always draws the same picture. Every node is a link
to its page; every node and link has a <title>; callers show the same data as a table.
"""

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString

from innovaction.charts.base import GRID, MUTED, element, svg, text

DASHED_COLOUR = "#8a94a3"


@dataclass(frozen=True)
class Node:
    key: str
    label: str
    href: str
    weight: float = 0.0
    colour: str = "#1d3f72"
    title: str = ""


@dataclass(frozen=True)
class Link:
    left: str
    right: str
    weight: float
    colour: str = "#1d3f72"
    title: str = ""
    dashed: bool = False  # a relation without money (drawn thin and dashed)


def _barycentres(nodes: Sequence[Node], positions: dict[str, float], neighbours: dict[str, list[tuple[str, float]]]):
    def key(node: Node):
        linked = neighbours.get(node.key, [])
        total = sum(max(weight, 1.0) for _, weight in linked)
        centre = sum(positions[other] * max(weight, 1.0) for other, weight in linked) / total if total else math.inf
        return (centre, node.label.lower(), node.key)

    return sorted(nodes, key=key)


def order_columns(left: Sequence[Node], right: Sequence[Node], links: Sequence[Link], rounds: int = 4):
    """Orders of both columns that keep linked nodes close (fewer crossings)."""
    left = sorted(left, key=lambda n: (-n.weight, n.label.lower(), n.key))
    to_left: dict[str, list[tuple[str, float]]] = defaultdict(list)
    to_right: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for link in links:
        to_right[link.right].append((link.left, link.weight))
        to_left[link.left].append((link.right, link.weight))
    right = list(right)
    for _ in range(rounds):
        right = _barycentres(right, {n.key: i for i, n in enumerate(left)}, to_right)
        left = _barycentres(left, {n.key: i for i, n in enumerate(right)}, to_left)
    right = _barycentres(right, {n.key: i for i, n in enumerate(left)}, to_right)
    return left, right


def _truncate(label: str, width: float, size: float) -> str:
    limit = max(int(width / (size * 0.52)), 4)
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def bipartite_network(
    left: Sequence[Node],
    right: Sequence[Node],
    links: Sequence[Link],
    *,
    title: str,
    description: str = "",
    legend: Sequence[tuple[str, str]] = (),
    width: int = 980,
    row: int = 22,
    label_width: int = 290,
) -> SafeString:
    """The SVG; `legend` = [(label, colour), …] drawn above the columns."""
    left, right = order_columns(left, right, links)
    legend_rows = math.ceil(len(legend) / 4) if legend else 0
    top = 16 + legend_rows * 20 + (10 if legend else 0)
    rows = max(len(left), len(right), 1)
    height = top + rows * row + 16
    x_left, x_right = label_width, width - label_width

    def spread(nodes):
        step = rows * row / max(len(nodes), 1)
        return {node.key: top + (index + 0.5) * step for index, node in enumerate(nodes)}

    y_left, y_right = spread(left), spread(right)
    heaviest_link = max((link.weight for link in links), default=0) or 1
    heaviest_node = max((node.weight for node in [*left, *right]), default=0) or 1

    parts = []
    for index, (label, colour) in enumerate(legend):
        x = 8 + (index % 4) * (width - 16) / 4
        y = 12 + (index // 4) * 20
        parts.append(element("rect", x=x, y=y - 9, width=12, height=12, rx=2, fill=colour))
        parts.append(text(x + 18, y + 1, label, size=12, baseline="middle"))
    parts.append(element("line", x1=x_left, y1=top - 4, x2=x_left, y2=height - 12, stroke=GRID))
    parts.append(element("line", x1=x_right, y1=top - 4, x2=x_right, y2=height - 12, stroke=GRID))

    for link in sorted(links, key=lambda item: (item.dashed, -item.weight, item.left, item.right)):
        if link.left not in y_left or link.right not in y_right:
            continue
        y1, y2 = y_left[link.left], y_right[link.right]
        middle = (x_left + x_right) / 2
        path = f"M{x_left:.1f} {y1:.1f} C{middle:.1f} {y1:.1f} {middle:.1f} {y2:.1f} {x_right:.1f} {y2:.1f}"
        if link.dashed:
            stroke = {"stroke": DASHED_COLOUR, "stroke_width": 1.2, "stroke_dasharray": "4 3", "stroke_opacity": 0.8}
        else:
            thickness = 1.2 + 9 * math.sqrt(link.weight / heaviest_link)
            stroke = {"stroke": link.colour, "stroke_width": round(thickness, 1), "stroke_opacity": 0.4}
        tooltip = element("title", escape(link.title)) if link.title else ""
        parts.append(element("path", tooltip, d=path, fill="none", **stroke))

    def node_mark(node: Node, x: float, y: float, anchor: str) -> str:
        radius = 4 + 7 * math.sqrt(node.weight / heaviest_node) if node.weight else 4
        dx = -(radius + 6) if anchor == "end" else radius + 6
        body = element("title", escape(node.title or node.label))
        body += element("circle", cx=round(x, 1), cy=round(y, 1), r=round(radius, 1), fill=node.colour)
        body += text(x + dx, y, _truncate(node.label, label_width - 24, 12), anchor=anchor, baseline="middle")
        return element("a", body, href=node.href, class_="network-node")

    for node in left:
        parts.append(node_mark(node, x_left, y_left[node.key], "end"))
    for node in right:
        parts.append(node_mark(node, x_right, y_right[node.key], "start"))
    if not left and not right:
        parts.append(text(width / 2, top + row / 2, description or title, anchor="middle", fill=MUTED))
    # Its nodes are links.
    return svg(
        width, height, "".join(parts), title=title, description=description, css_class="chart network", role="group"
    )
