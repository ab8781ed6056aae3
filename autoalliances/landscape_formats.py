"""Script formats of the landscape commands: json, jsonl, csv, markdown, Mermaid, DOT.

Called by ``output`` (``emit_matrix``, ``emit_timeline``, ``emit_graph``); no rich
here. The shapes are documented in the README:

- matrix json: ``{"rows", "columns", "cells", "sources"}``; jsonl: one cell
  object per line; csv/markdown: the grid itself (first column the automaker,
  one column per partner, a cell's domains joined with "; "), then the
  ``sources`` and ``published`` of the row.
- timeline json: an array of event objects; jsonl one per line; csv/markdown
  one flat row per event (``EVENT_COLUMNS``).
- graph json: ``{"focus", "nodes", "edges", "sources"}``; Mermaid and DOT as
  text, with node ids that are safe identifiers in both languages (``c_`` +
  the company id with ``_`` for ``-``; ``u_`` + the deal id for a partner the
  article does not name) and every label escaped.
"""

from __future__ import annotations

from typing import Any

from .landscape import Cell, Event, Graph, Matrix, Node
from .records import Source
from .text import one_line

# --- matrix ------------------------------------------------------------------------------


def _src(sources: dict[str, Source], ids: Any) -> list[dict[str, Any]]:
    from .output import source_json

    return [source_json(sources[s]) for s in ids if s in sources]


def matrix_cell_json(m: Matrix, c: Cell) -> dict[str, Any]:
    names = {p.id: p.name for p in (*m.rows, *m.columns)}
    return {
        "automaker": c.automaker,
        "automaker_name": names.get(c.automaker, c.automaker),
        "partner": c.partner,
        "partner_name": names.get(c.partner, c.partner),
        "unnamed_partners": list(c.unnamed_partners),
        "domains": list(c.domains),
        "deals": list(c.deals),
        "sources": _src(m.sources, c.sources),
        "conflicts": list(c.conflicts),
    }


def matrix_json(m: Matrix) -> dict[str, Any]:
    return {
        "rows": [{"id": p.id, "name": p.name, "kind": p.kind, "parents": list(p.parents)} for p in m.rows],
        "columns": [{"id": p.id, "name": p.name, "kind": p.kind} for p in m.columns],
        "cells": [matrix_cell_json(m, c) for c in m.cells],
        "sources": _src(m.sources, m.sources),
    }


def matrix_grid(m: Matrix) -> tuple[list[str], list[dict[str, Any]]]:
    """The grid as flat rows: 'automaker', one column per partner (its name), 'sources', 'published'."""
    seen: dict[str, int] = {"automaker": 1, "sources": 1, "published": 1}
    for p in m.columns:
        seen[p.name] = seen.get(p.name, 0) + 1
    # A partner's name heads its column; its id is added when the name is not unique.
    heads = [p.name if seen[p.name] == 1 or p.id is None else f"{p.name} ({p.id})" for p in m.columns]
    columns = ["automaker", *heads, "sources", "published"]
    rows = []
    for r in m.rows:
        row: dict[str, Any] = {"automaker": r.name}
        src: list[str] = []
        for p, head in zip(m.columns, heads):
            c = m.cell(r.id or "", p.id)  # rows always have ids
            row[head] = "; ".join(c.domains) if c else ""
            if c:
                src += [s for s in c.sources if s not in src]
        src.sort()
        row["sources"] = ";".join(src)
        row["published"] = ";".join(m.sources[s].published.text if s in m.sources else "" for s in src)
        rows.append(row)
    return columns, rows


# --- timeline ----------------------------------------------------------------------------

EVENT_FIELDS = [
    "date", "kind", "event", "status", "record_status", "companies", "description",
    "record", "record_type", "sources", "conflicts",
]
EVENT_COLUMNS = [
    "date", "date_precision", "date_start", "date_end", "kind", "event", "status", "record_status",
    "companies", "description", "record", "record_type", "sources", "published", "conflicts",
]


def event_json(e: Event, sources: dict[str, Source]) -> dict[str, Any]:
    return {
        "date": e.date.to_json(),
        "kind": e.kind,
        "event": e.event,
        "status": e.status,
        "record_status": e.record_status,
        "companies": list(e.companies),
        "description": e.description,
        "record": e.record,
        "record_type": e.record_type,
        "sources": _src(sources, e.sources),
        "conflicts": list(e.conflicts),
    }


def event_row(e: Event, sources: dict[str, Source]) -> dict[str, Any]:
    d = e.date
    return {
        "date": d.text,
        "date_precision": d.precision,
        "date_start": d.start.isoformat() if d.start else None,
        "date_end": d.end.isoformat() if d.end else None,
        "kind": e.kind,
        "event": e.event,
        "status": e.status,
        "record_status": e.record_status,
        "companies": ";".join(e.companies),
        "description": e.description,
        "record": e.record,
        "record_type": e.record_type,
        "sources": ";".join(e.sources),
        "published": ";".join(sources[s].published.text if s in sources else "" for s in e.sources),
        "conflicts": ";".join(e.conflicts),
    }


# --- graph: JSON ---------------------------------------------------------------------------


def graph_json(g: Graph) -> dict[str, Any]:
    return {
        "focus": g.focus,
        "nodes": [{"id": n.id, "name": n.name, "kind": n.kind, "parents": list(n.parents)} for n in g.nodes],
        "edges": [
            {
                "from": e.source,
                "to": e.target,
                "relation": e.relation,
                "domains": list(e.domains),
                "deals": list(e.deals),
                "sources": _src(g.sources, e.sources),
                "conflicts": list(e.conflicts),
            }
            for e in g.edges
        ],
        "sources": _src(g.sources, g.sources),
    }


# --- graph: Mermaid and DOT ------------------------------------------------------------------

# kind: (Mermaid shape open, close, fill, stroke, DOT shape, dashed border)
_STYLE: dict[str, tuple[str, str, str, str, str, bool]] = {
    "automaker": ("[", "]", "#dbeafe", "#1d4ed8", "box", False),
    "joint-venture": ("(", ")", "#e0f2fe", "#0369a1", "box", True),
    "technology": ("([", "])", "#ffedd5", "#c2410c", "ellipse", False),
    "ai": ("([", "])", "#f3e8ff", "#7e22ce", "ellipse", False),
    "driver-assistance": ("([", "])", "#dcfce7", "#15803d", "ellipse", False),
    "chipmaker": ("([", "])", "#f1f5f9", "#475569", "ellipse", False),
    "battery": ("([", "])", "#fef9c3", "#a16207", "ellipse", False),
    "association": ("[[", "]]", "#f5f5f4", "#57534e", "box3d", False),
    "unnamed": ("{{", "}}", "#ffffff", "#6b7280", "hexagon", True),
}
_TEXT_COLOUR = "#0f172a"
_PARENT_LABEL = {"joint-venture": "joint venture"}

# Characters a Mermaid label may not hold raw, written as Mermaid's numeric entity
# codes (#34; prints a double quote): quotes and pipes end the label, <, > and &
# would be read as HTML, # starts an entity code itself, ; and ` are separators
# and markdown markers in some Mermaid versions, \ is escaped for good measure.
_MERMAID_ESCAPES = {c: f"#{ord(c)};" for c in '"#&<>|;`\\'}


def node_id(id_: str) -> str:
    """A safe identifier in Mermaid and DOT: 'mercedes-benz' -> 'c_mercedes_benz'.

    Ids are slugs (lowercase letters, digits, single hyphens), so replacing '-'
    with '_' is one-to-one; the prefix keeps clear of keywords ('end', 'graph',
    'node', 'subgraph') and of Mermaid's 'o'/'x' arrow heads.
    """
    if id_.startswith("unnamed:"):
        return "u_" + id_[len("unnamed:"):].replace("-", "_")
    return "c_" + id_.replace("-", "_")


def class_name(kind: str) -> str:
    return kind.replace("-", "_")


def mermaid_label(text: str) -> str:
    """Text for a double-quoted Mermaid label: one line, nothing that can end or break it."""
    return "".join(_MERMAID_ESCAPES.get(ch, ch) for ch in one_line(text))


def dot_label(text: str) -> str:
    """Text for a double-quoted DOT string: one line; backslashes (escape sequences such as
    \\N), quotes and ampersands (Graphviz reads HTML entities such as &amp;) escaped."""
    return one_line(text).replace("\\", "\\\\").replace('"', '\\"').replace("&", "&amp;")


def _edge_label(e: Any, child: Node | None) -> str:
    if e.relation == "parent":
        return _PARENT_LABEL.get(child.kind if child else "", "unit")
    return ", ".join(e.domains)


def _source_comments(g: Graph, prefix: str) -> list[str]:
    lines = [f"{prefix} Sources (numbers used above):"]
    for i, s in enumerate(g.sources.values(), 1):
        when = f"published {s.published.label}" if s.published.known else "publication date not stated"
        title = f", {one_line(s.title)}" if s.title else ""
        lines.append(f"{prefix}  [{i}] {one_line(s.outlet or 'outlet not named')}, {when}{title} ({s.id})")
    return lines


def _cite(g: Graph, ids: list[str]) -> str:
    order = list(g.sources)
    return "[" + ",".join(str(n) for n in sorted(order.index(s) + 1 for s in ids if s in g.sources)) + "]"


_HEADER = [
    "Partnership network from autoalliances; regenerate with: autoalliances graph{opts}",
    "Nodes are companies, styled by kind (see the legend). Solid arrows are deals, from the",
    "automaker side to the partner, one per company pair, labelled with the domains of their",
    "deals. Dashed arrows go from a parent to its joint venture or unit.",
]


def mermaid(g: Graph) -> str:
    nodes = {n.id: n for n in g.nodes}
    out = ["flowchart LR"]
    opts = f" --company {g.focus}" if g.focus else ""
    out += ["  %% " + line.format(opts=opts) for line in _HEADER]
    for n in g.nodes:
        o, c, *_ = _STYLE[n.kind]
        out.append(f'  {node_id(n.id)}{o}"{mermaid_label(n.name)}"{c}:::{class_name(n.kind)}')
    for e in g.edges:
        arrow = "-.->" if e.relation == "parent" else "-->"
        label = mermaid_label(_edge_label(e, nodes.get(e.target)))
        out.append(f"  %% {e.relation}: {' '.join(e.deals) or e.target} {_cite(g, e.sources)}")
        out.append(f'  {node_id(e.source)} {arrow}|"{label}"| {node_id(e.target)}')
    kinds = [k for k in _STYLE if any(n.kind == k for n in g.nodes)]
    if kinds:
        out.append('  subgraph legend["Legend"]')
        out.append("    direction TB")
        for k in kinds:
            o, c, *_ = _STYLE[k]
            out.append(f'    legend_{class_name(k)}{o}"{mermaid_label(k)}"{c}:::{class_name(k)}')
        out.append("  end")
    for k in kinds:
        _, _, fill, stroke, _, dashed = _STYLE[k]
        dash = ",stroke-dasharray:5 3" if dashed else ""
        out.append(f"  classDef {class_name(k)} fill:{fill},stroke:{stroke},color:{_TEXT_COLOUR}{dash}")
    if g.sources:
        out += ["  " + line for line in _source_comments(g, "%%")]
    return "\n".join(out) + "\n"


def _dot_node(node: str, label: str, kind: str) -> str:
    _, _, fill, stroke, shape, dashed = _STYLE[kind]
    style = ",".join(["filled", *(["rounded"] if kind == "joint-venture" else []), *(["dashed"] if dashed else [])])
    return f'{node} [label="{dot_label(label)}", shape={shape}, style="{style}", fillcolor="{fill}", color="{stroke}"];'


def dot(g: Graph) -> str:
    nodes = {n.id: n for n in g.nodes}
    opts = f" --company {g.focus}" if g.focus else ""
    out = ["// " + line.format(opts=opts + " --format dot") for line in _HEADER]
    out += [
        "digraph alliances {",
        '  graph [rankdir=LR, fontname="Helvetica", charset="UTF-8"];',
        f'  node [fontname="Helvetica", fontcolor="{_TEXT_COLOUR}"];',
        '  edge [fontname="Helvetica", fontsize=10];',
    ]
    for n in g.nodes:
        out.append("  " + _dot_node(node_id(n.id), n.name, n.kind))
    for e in g.edges:
        label = dot_label(_edge_label(e, nodes.get(e.target)))
        style = ", style=dashed" if e.relation == "parent" else ""
        out.append(f"  // {e.relation}: {' '.join(e.deals) or e.target} {_cite(g, e.sources)}")
        out.append(f'  {node_id(e.source)} -> {node_id(e.target)} [label="{label}"{style}];')
    kinds = [k for k in _STYLE if any(n.kind == k for n in g.nodes)]
    if kinds:
        out.append("  subgraph cluster_legend {")
        out.append('    label="Legend"; style="dashed"; color="#9ca3af";')
        for k in kinds:
            out.append("    " + _dot_node(f"legend_{class_name(k)}", k, k))
        out.append("  }")
    if g.sources:
        out += ["  " + line for line in _source_comments(g, "//")]
    out.append("}")
    return "\n".join(out) + "\n"
