"""The partnership network as Mermaid and Graphviz DOT text.

Node ids are safe identifiers in both languages (``c_`` + the company id with
``_`` for ``-``; ``u_`` + the deal id for a partner the article does not
name) and every label is escaped, so no name can break out of its label.
An edge label that comes from values the editors inferred carries daggers
(``cockpit-os†1``, ``joint venture†2``), explained in comments at the end.
"""

from __future__ import annotations

from typing import Any

from ..model.provenance import distinct_reasons
from ..query.landscape import Graph, Node
from .landscape import domain_texts, node_name
from .marks import Marks
from .text import one_line

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
    "kind-not-stated": ("[", "]", "#ffffff", "#9ca3af", "box", True),  # --stated-only: the kind is inferred
}
_NOT_STATED = "kind-not-stated"
_TEXT_COLOUR = "#0f172a"
_PARENT_LABEL = {"joint-venture": "joint venture"}

# Characters a Mermaid label may not hold raw, written as Mermaid's numeric entity
# codes (#34; prints a double quote): quotes and pipes end the label, <, > and &
# would be read as HTML, # starts an entity code itself, ; and ` are separators
# and markdown markers in some Mermaid versions, \ is escaped for good measure;
# %, { and } because Mermaid reads a directive (%%{init: ...}%%) anywhere in the
# text, even in a label or a comment, and one could restyle or hide the diagram.
_MERMAID_ESCAPES = {c: f"#{ord(c)};" for c in '"#&<>|;`\\%{}'}


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


def _kind(n: Node) -> str:
    return n.kind or _NOT_STATED


def _edge_label(e: Any, child: Node | None, marks: Marks) -> str:
    if e.relation == "parent":
        return marks.mark(e, "relation", _PARENT_LABEL.get((child.kind or "") if child else "", "unit"))
    return ", ".join(domain_texts(e, marks))


def _marks(g: Graph) -> Marks:
    return Marks(stated_only=g.stated_only, numbered=distinct_reasons(g.edges) > 1)


def _inferred_comments(marks: Marks, prefix: str) -> list[str]:
    return [f"{prefix} {one_line(line)}" for line in marks.footnotes()]


def _source_comments(g: Graph, prefix: str) -> list[str]:
    # A Mermaid comment is escaped like a label: a directive is read even inside one.
    text = mermaid_label if prefix == "%%" else one_line
    lines = [f"{prefix} Sources (numbers used above):"]
    for i, s in enumerate(g.sources.values(), 1):
        when = f"published {s.published.label}" if s.published.known else "publication date not stated"
        title = f", {text(s.title)}" if s.title else ""
        lines.append(f"{prefix}  [{i}] {text(s.outlet or 'outlet not named')}, {when}{title} ({s.id})")
    return lines


def _cite(order: dict[str, int], ids: list[str]) -> str:
    """'[1,3]': the numbers of the source comments (*order*: source id -> number)."""
    return "[" + ",".join(str(n) for n in sorted(order[s] for s in ids if s in order)) + "]"


def _numbers(g: Graph) -> dict[str, int]:
    return {s: n for n, s in enumerate(g.sources, 1)}


_HEADER = [
    "Partnership network from autoalliances; regenerate with: autoalliances graph{opts}",
    "Nodes are companies, styled by kind (see the legend). Solid arrows are deals, from the",
    "automaker side to the partner, one per company pair, labelled with the domains of their",
    "deals. Dashed arrows go from a parent to its joint venture or unit.",
]


def _options(g: Graph) -> str:
    """The filters the graph was drawn with, as options of the command that draws it again."""
    opts = [("--company", g.focus), ("--domain", g.domain), ("--year", g.year)]
    return "".join(f" {flag} {one_line(str(v))}" for flag, v in opts if v is not None)


def mermaid(g: Graph) -> str:
    nodes = {n.id: n for n in g.nodes}
    marks = _marks(g)
    numbers = _numbers(g)
    out = ["flowchart LR"]
    out += ["  %% " + line.format(opts=_options(g)) for line in _HEADER]
    for n in g.nodes:
        o, c, *_ = _STYLE[_kind(n)]
        out.append(f'  {node_id(n.id)}{o}"{mermaid_label(node_name(n))}"{c}:::{class_name(_kind(n))}')
    for e in g.edges:
        arrow = "-.->" if e.relation == "parent" else "-->"
        label = mermaid_label(_edge_label(e, nodes.get(e.target), marks))
        out.append(f"  %% {e.relation}: {' '.join(e.deals) or e.target} {_cite(numbers, e.sources)}")
        out.append(f'  {node_id(e.source)} {arrow}|"{label}"| {node_id(e.target)}')
    present = {_kind(n) for n in g.nodes}
    kinds = [k for k in _STYLE if k in present]
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
    out += ["  " + line for line in _inferred_comments(marks, "%%")]
    return "\n".join(out) + "\n"


def _dot_node(node: str, label: str, kind: str) -> str:
    _, _, fill, stroke, shape, dashed = _STYLE[kind]
    style = ",".join(["filled", *(["rounded"] if kind == "joint-venture" else []), *(["dashed"] if dashed else [])])
    return f'{node} [label="{dot_label(label)}", shape={shape}, style="{style}", fillcolor="{fill}", color="{stroke}"];'


def dot(g: Graph) -> str:
    nodes = {n.id: n for n in g.nodes}
    marks = _marks(g)
    numbers = _numbers(g)
    out = ["// " + line.format(opts=_options(g) + " --format dot") for line in _HEADER]
    out += [
        "digraph alliances {",
        '  graph [rankdir=LR, fontname="Helvetica", charset="UTF-8"];',
        f'  node [fontname="Helvetica", fontcolor="{_TEXT_COLOUR}"];',
        '  edge [fontname="Helvetica", fontsize=10];',
    ]
    for n in g.nodes:
        out.append("  " + _dot_node(node_id(n.id), node_name(n), _kind(n)))
    for e in g.edges:
        label = dot_label(_edge_label(e, nodes.get(e.target), marks))
        style = ", style=dashed" if e.relation == "parent" else ""
        out.append(f"  // {e.relation}: {' '.join(e.deals) or e.target} {_cite(numbers, e.sources)}")
        out.append(f'  {node_id(e.source)} -> {node_id(e.target)} [label="{label}"{style}];')
    present = {_kind(n) for n in g.nodes}
    kinds = [k for k in _STYLE if k in present]
    if kinds:
        out.append("  subgraph cluster_legend {")
        out.append('    label="Legend"; style="dashed"; color="#9ca3af";')
        for k in kinds:
            out.append("    " + _dot_node(f"legend_{class_name(k)}", k, k))
        out.append("  }")
    if g.sources:
        out += ["  " + line for line in _source_comments(g, "//")]
    out += ["  " + line for line in _inferred_comments(marks, "//")]
    out.append("}")
    return "\n".join(out) + "\n"


def kind_colours(kind: str) -> tuple[str, str, bool]:
    """(fill, stroke, dashed border) of a node kind: the same look in every drawing of the graph."""
    _, _, fill, stroke, _, dashed = _STYLE.get(kind, _STYLE["unnamed"])
    return fill, stroke, dashed
