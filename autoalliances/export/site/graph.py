"""The partnership network as an SVG drawn at export time, and the page that shows it.

Graphviz draws it when ``dot`` is installed (the DOT text is ``render.diagrams.dot``,
plus a link per company node); otherwise, or when Graphviz fails, a layered
layout in pure Python does (``svg.builtin_svg``). Either way the SVG is rebuilt
element by element from a short list of SVG elements and attributes, with
every text escaped and every link checked, so nothing Graphviz or the facts
put in it can run in the page. A graph is never blank: with no deals, the
drawing says so.
"""

from __future__ import annotations

import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Sequence

from ...query.landscape import Graph, Node
from ...render.diagrams import dot, dot_label, node_id
from ...render.landscape import node_name
from .context import Page, record_path
from .layout import document, table
from .markup import Html, attr_element, check_url, el, join
from .svg import builtin_svg

_SVG_NS = "{http://www.w3.org/2000/svg}"
_XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
_ELEMENTS = {"svg", "g", "polygon", "polyline", "ellipse", "path", "text", "tspan", "a", "rect", "circle", "line"}
_ATTRIBUTES = {
    "class", "width", "height", "viewBox", "transform", "fill", "stroke", "stroke-width", "stroke-dasharray",
    "points", "d", "cx", "cy", "rx", "ry", "x", "y", "x1", "y1", "x2", "y2", "text-anchor", "font-family",
    "font-size", "font-weight", "font-style",
}
TIMEOUT = 60  # seconds Graphviz may take


def node_target(n: Node) -> str | None:
    """Where a node links: the company's page, or for a partner no article names, the deal's."""
    if n.kind == "unnamed":
        return record_path("deal", n.id.split(":", 1)[1])
    return record_path("company", n.id)


def linked_dot(g: Graph) -> str:
    """``render.diagrams.dot`` with a link and a tooltip on every node (links relative to network.html)."""
    text = dot(g).rstrip()
    assert text.endswith("}")
    extra = []
    for n in g.nodes:
        target = node_target(n)
        if target:
            extra.append(f'  {node_id(n.id)} [URL="{target}", target="_top", tooltip="{dot_label(node_name(n))}"];')
    return text[:-1] + "\n".join(extra) + "\n}\n"


def graphviz_svg(g: Graph) -> Html | None:
    """The graph drawn by Graphviz, cleaned; None when ``dot`` is missing or fails."""
    exe = shutil.which("dot")
    if exe is None or not g.nodes:
        return None
    try:
        r = subprocess.run([exe, "-Tsvg"], input=linked_dot(g).encode("utf-8"), capture_output=True, timeout=TIMEOUT, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    if r.returncode != 0:
        return None
    return clean_svg(r.stdout)


def clean_svg(data: bytes) -> Html | None:
    """An SVG document as inline markup: only known elements and attributes, text escaped, links checked."""
    try:
        root = ET.fromstring(data)  # expat: no external entities, no DTD fetched
    except ET.ParseError:
        return None
    if root.tag != _SVG_NS + "svg":
        return None
    return _element(root, top=True)


def _element(node: ET.Element, *, top: bool = False) -> Html:
    tag = node.tag.removeprefix(_SVG_NS)
    if tag not in _ELEMENTS:
        return join()
    attrs: dict[str, object] = {k: v for k, v in node.attrib.items() if k in _ATTRIBUTES}
    if tag == "a":
        href = node.attrib.get(_XLINK_HREF) or node.attrib.get("href")
        attrs = {"href": href} if href and _safe_link(href) else {}
    if top:
        attrs = {"xmlns": "http://www.w3.org/2000/svg", **attrs, "role": "group", "aria-labelledby": "_graph-caption"}
    children: list[object] = [node.text.strip() if node.text and node.text.strip() and tag in ("text", "tspan") else None]
    for child in node:
        children.append(_element(child))
        if child.tail and child.tail.strip() and tag in ("text", "tspan"):
            children.append(child.tail.strip())
    return attr_element(tag, attrs, *children)


def _safe_link(href: str) -> bool:
    try:
        check_url(href)
    except ValueError:
        return False
    return True


def network_svg(g: Graph, *, use_graphviz: bool = True) -> tuple[Html, str]:
    """The drawing and who drew it ('Graphviz' or 'the built-in layout')."""
    if use_graphviz:
        drawn = graphviz_svg(g)
        if drawn is not None:
            return drawn, "Graphviz"
    return builtin_svg(g, node_target), "autoalliances' own layout (Graphviz was not available)"


def _legend(kinds: Sequence[str]) -> Html:
    items = [el("li", el("span", class_=f"swatch {k}", aria_hidden="true"), k) for k in kinds]
    return el("ul", *items, class_="legend")


def network_page(page: Page, g: Graph, *, use_graphviz: bool = True) -> bytes:
    svg, drawer = network_svg(g, use_graphviz=use_graphviz)
    names = {n.id: node_name(n) for n in g.nodes}
    rows = []
    for e in g.edges:
        src = page.record(e.source, names.get(e.source, e.source))
        dst = page.record(e.target, names.get(e.target, e.target)) if not e.target.startswith("unnamed:") else names.get(e.target, "")
        rows.append(
            el(
                "tr",
                el("th", src, scope="row"),
                el("td", dst),
                el("td", "deal" if e.relation == "deal" else "joint venture or unit"),
                el("td", ", ".join(e.domains) or "—"),
                el("td", page.records(e.deals) or "—"),
                el("td", page.cite(e.sources)),
            )
        )
    kinds = list(dict.fromkeys(n.kind for n in g.nodes if n.kind is not None))
    caption = (
        "The partnership network: each box a company, solid arrows deals from the automaker side to the partner, "
        f"dashed arrows a parent to its joint venture or unit; select a company to open its page. Drawn by {drawer}."
    )
    body = join(
        el("figure", el("figcaption", caption, id="_graph-caption"), svg, class_="graph"),
        el("h2", "Kinds of company"),
        el("p", "Shapes and colours tell the kinds apart; the words say the same."),
        _legend(kinds),
        el("h2", "Every link, as a table"),
        table(
            "Links of the network: who, with whom, in which domains, through which deals",
            ["From", "To", "Relation", "Domains", "Deals", "Sources"],
            rows,
            filter_as="links",
        ),
    )
    return document(page, "Network", body)
