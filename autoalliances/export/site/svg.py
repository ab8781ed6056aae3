"""The network drawn without Graphviz: a layered layout in pure Python, as SVG.

Layers follow the arrows (automaker side left, partners right; a joint
venture one step right of its parent), by the longest path from a node with
no incoming arrow; arrows that would close a cycle are ignored for ranking.
Within a layer, nodes are ordered by the mean position of their neighbours
(a few sweeps of the barycentre heuristic), which untangles most crossings.
Edges are curves from the right side of one box to the left side of the next,
dashed from a parent to its joint venture; shapes differ by kind as well as
colours, and every label is text, so colour never carries meaning alone.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable

from ...query.landscape import Graph, Node
from ...render.diagrams import kind_colours
from ...render.landscape import node_name
from .markup import Html, attr_element, join

CHAR_W = 7.4  # average width of a character at FONT_SIZE, in px
FONT_SIZE = 13
LINE_H = 16
PAD_X, PAD_Y = 12, 8
GAP_X, GAP_Y = 90, 18
MARGIN = 20
WRAP = 30  # characters per line of a node's label
FONT = "system-ui, -apple-system, Segoe UI, Roboto, Helvetica, Arial, sans-serif"


def ranks(g: Graph) -> dict[str, int]:
    """Layer of each node: the longest path to it over the edges (cycles broken by ignoring back edges)."""
    out_edges: dict[str, list[str]] = {n.id: [] for n in g.nodes}
    for e in g.edges:
        if e.source in out_edges and e.target in out_edges:
            out_edges[e.source].append(e.target)
    order: list[str] = []  # reverse post-order = a topological order of the graph without back edges
    state: dict[str, int] = {}
    kept: dict[str, list[str]] = {n: [] for n in out_edges}
    for start, targets in out_edges.items():
        if start in state:
            continue
        stack = [(start, iter(targets))]
        state[start] = 1
        while stack:
            node, it = stack[-1]
            nxt = next(it, None)
            if nxt is None:
                state[node] = 2
                order.append(node)
                stack.pop()
            elif state.get(nxt) == 1:
                continue  # a back edge: ignored
            else:
                kept[node].append(nxt)
                if nxt not in state:
                    state[nxt] = 1
                    stack.append((nxt, iter(out_edges[nxt])))
    rank = dict.fromkeys(out_edges, 0)
    for node in reversed(order):
        for nxt in kept[node]:
            rank[nxt] = max(rank[nxt], rank[node] + 1)
    return rank


def layers(g: Graph) -> list[list[Node]]:
    """Nodes by layer, each layer ordered to reduce crossings."""
    rank = ranks(g)
    by_id = {n.id: n for n in g.nodes}
    out: list[list[Node]] = [[] for _ in range(max(rank.values(), default=-1) + 1)]
    for n in g.nodes:  # the graph's own order (kind, name) to start with
        out[rank[n.id]].append(n)
    neighbours: dict[str, set[str]] = {n.id: set() for n in g.nodes}
    for e in g.edges:
        if e.source in by_id and e.target in by_id:
            neighbours[e.source].add(e.target)
            neighbours[e.target].add(e.source)
    for sweep in range(4):
        down = sweep % 2 == 0
        for i in range(1, len(out)) if down else range(len(out) - 2, -1, -1):
            pos = {n.id: k for k, n in enumerate(out[i - 1] if down else out[i + 1])}
            key: dict[str, tuple[float, int]] = {}
            for k, n in enumerate(out[i]):
                near = [pos[m] for m in neighbours[n.id] if m in pos]
                key[n.id] = (sum(near) / len(near) if near else float(k), k)
            out[i] = sorted(out[i], key=lambda n: key[n.id])
    return out


class Box:
    __slots__ = ("h", "lines", "node", "w", "x", "y")

    def __init__(self, node: Node) -> None:
        self.node = node
        self.lines = textwrap.wrap(node_name(node), WRAP) or [""]
        self.w = max(len(line) for line in self.lines) * CHAR_W + 2 * PAD_X
        self.h = len(self.lines) * LINE_H + 2 * PAD_Y
        self.x = 0.0
        self.y = 0.0


def _shape(b: Box) -> Html:
    fill, stroke, dashed = kind_colours(b.node.kind or "unnamed")
    common: dict[str, object] = {"fill": fill, "stroke": stroke, "stroke-width": "1.5"}
    if dashed:
        common["stroke-dasharray"] = "5 3"
    kind = b.node.kind or ""
    if kind == "unnamed":  # a hexagon
        x, y, w, h, k = b.x, b.y, b.w, b.h, 10
        pts = [(x + k, y), (x + w - k, y), (x + w, y + h / 2), (x + w - k, y + h), (x + k, y + h), (x, y + h / 2)]
        return attr_element("polygon", {"points": " ".join(f"{px:.1f},{py:.1f}" for px, py in pts), **common})
    rx = {"automaker": 0, "association": 0, "joint-venture": 6}.get(kind, b.h / 2)  # companies of other kinds: pills
    box = {"x": f"{b.x:.1f}", "y": f"{b.y:.1f}", "width": f"{b.w:.1f}", "height": f"{b.h:.1f}", "rx": f"{rx:.1f}"}
    return attr_element("rect", {**box, **common})


def _label(b: Box) -> Html:
    cx = b.x + b.w / 2
    spans = [
        attr_element("tspan", {"x": f"{cx:.1f}", "y": f"{b.y + PAD_Y + (i + 1) * LINE_H - 4:.1f}"}, line)
        for i, line in enumerate(b.lines)
    ]
    return attr_element("text", {"text-anchor": "middle", "font-size": str(FONT_SIZE), "font-family": FONT, "fill": "#0f172a"}, *spans)


def _edge(a: Box, b: Box, dashed: bool) -> Html:
    x1, y1 = a.x + a.w, a.y + a.h / 2
    x2, y2 = b.x - 2, b.y + b.h / 2
    if b.x <= a.x:  # same or earlier layer (a back edge): leave from the bottom, enter at the bottom
        x1, y1, x2, y2 = a.x + a.w / 2, a.y + a.h, b.x + b.w / 2, b.y + b.h + 2
    dx = max(abs(x2 - x1) / 2, 30)
    path = f"M{x1:.1f},{y1:.1f} C{x1 + dx:.1f},{y1:.1f} {x2 - dx:.1f},{y2:.1f} {x2:.1f},{y2:.1f}"
    attrs: dict[str, object] = {"d": path, "fill": "none", "stroke": "#475569", "stroke-width": "1.3"}
    if dashed:
        attrs["stroke-dasharray"] = "6 4"
    head = f"{x2:.1f},{y2:.1f} {x2 - 9:.1f},{y2 - 4.5:.1f} {x2 - 9:.1f},{y2 + 4.5:.1f}"
    return join(attr_element("path", attrs), attr_element("polygon", {"points": head, "fill": "#475569"}))


def builtin_svg(g: Graph, target: Callable[[Node], str | None]) -> Html:
    """The graph as inline SVG; nodes link to *target(node)*."""
    top = {"xmlns": "http://www.w3.org/2000/svg", "role": "group", "aria-labelledby": "_graph-caption"}
    if not g.nodes:
        w, h = 360.0, 60.0
        text = attr_element("text", {"x": "20", "y": "35", "font-size": str(FONT_SIZE), "font-family": FONT}, "No deals to draw.")
        return attr_element("svg", {**top, "viewBox": f"0 0 {w:.0f} {h:.0f}", "width": f"{w:.0f}", "height": f"{h:.0f}"}, text)
    cols = [[Box(n) for n in layer] for layer in layers(g)]
    heights = [sum(b.h for b in col) + GAP_Y * (len(col) - 1) for col in cols]
    total_h = max(heights)
    x = float(MARGIN)
    for col, col_h in zip(cols, heights, strict=True):
        y = MARGIN + (total_h - col_h) / 2
        width = max(b.w for b in col)
        for b in col:
            b.x = x + (width - b.w) / 2
            b.y = y
            y += b.h + GAP_Y
        x += width + GAP_X
    boxes = {b.node.id: b for col in cols for b in col}
    edges = [_edge(boxes[e.source], boxes[e.target], e.relation == "parent") for e in g.edges if e.source in boxes and e.target in boxes]
    nodes = []
    for b in boxes.values():
        drawn = attr_element("g", {"class": f"node {b.node.kind}"}, _shape(b), _label(b))
        href = target(b.node)
        nodes.append(attr_element("a", {"href": href}, drawn) if href else drawn)
    w = x - GAP_X + MARGIN
    h = total_h + 2 * MARGIN
    return attr_element("svg", {**top, "viewBox": f"0 0 {w:.0f} {h:.0f}", "width": f"{w:.0f}", "height": f"{h:.0f}"}, *edges, *nodes)
