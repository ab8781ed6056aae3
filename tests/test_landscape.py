"""matrix, timeline and graph: the landscape module, its outputs and the CLI.

Unit tests run on the fixture facts (plus tests/fixtures/landscape/extra.yaml
where an undated record is needed); CLI outputs are compared with golden files
in tests/data (regenerate with ``UPDATE_GOLDEN=1 pytest tests/test_landscape.py``
and read the diff); the last tests pin real content of the bundled facts.

Graphviz: the DOT output is always checked by a small parser here. When
Graphviz's ``dot`` is installed it also has to render the output; CI sets
``AUTOALLIANCES_REQUIRE_GRAPHVIZ=1`` so that a missing ``dot`` fails there
instead of silently falling back to the parser.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import FIXTURE_FACTS, HERE, REPO, golden, write

from autoalliances import open_registry
from autoalliances.cli import app
from autoalliances.errors import UnknownNameError, UsageError
from autoalliances.query import landscape as L
from autoalliances.render.diagrams import dot, mermaid, node_id
from autoalliances.render.landscape import describe

EXTRA = HERE / "fixtures" / "landscape" / "extra.yaml"
FORMATS = ["table", "json", "jsonl", "csv", "markdown"]


@pytest.fixture
def reg():
    return open_registry(FIXTURE_FACTS, bundled=False, use_cache=False)


@pytest.fixture
def reg_extra():
    return open_registry(FIXTURE_FACTS, EXTRA, bundled=False, use_cache=False)


@pytest.fixture(scope="module")
def bundled():
    return open_registry(use_cache=False)


# --- matrix ----------------------------------------------------------------------------------


def test_matrix_rows_columns_cells(reg) -> None:
    m = L.matrix(reg)
    # The joint venture sorts under its parent, though "A-B Motors" < "Carmaker A".
    assert [(r.id, r.kind, r.parents) for r in m.rows] == [("carmaker-a", "automaker", ()), ("a-b-jv", "joint-venture", ("carmaker-a",))]
    assert [(c.id, c.name) for c in m.columns] == [("tech-b", "Tech B"), (None, "partner not named")]
    assert [(c.automaker, c.partner, c.domains, c.deals, c.sources, c.unnamed_partners) for c in m.cells] == [
        ("carmaker-a", "tech-b", ["cockpit-os", "ai-assistant"], ["a-b-cockpit"], ["daily-2025-03-01"], []),
        ("a-b-jv", None, ["driver-assistance"], ["jv-unnamed-adas"], ["weekly-undated"], ["an unnamed local supplier"]),
    ]
    assert list(m.sources) == ["daily-2025-03-01", "weekly-undated"]
    assert m.cell("carmaker-a", None) is None and m.deals == ["a-b-cockpit", "jv-unnamed-adas"]


def test_matrix_filters(reg, reg_extra) -> None:
    def cells(m: L.Matrix) -> list[tuple[str, str | None]]:
        return [(c.automaker, c.partner) for c in m.cells]

    assert cells(L.matrix(reg, domain="cockpit-os")) == [("carmaker-a", "tech-b")]
    assert cells(L.matrix(reg, year=2024)) == [("a-b-jv", None)]
    assert cells(L.matrix(reg, since="2025", until="2025-12")) == [("carmaker-a", "tech-b")]
    assert cells(L.matrix(reg, company="TB")) == [("carmaker-a", "tech-b")]
    # A company covers its joint venture.
    assert cells(L.matrix(reg, company="carmaker a")) == [("carmaker-a", "tech-b"), ("a-b-jv", None)]
    # Several deals in one cell: their domains merge in the fixed domain order.
    m = L.matrix(reg_extra)
    assert [c.id for c in m.columns] == ["tech-b", "tech-c", None]
    assert m.cell("carmaker-a", "tech-c").domains == ["ai-assistant"]  # type: ignore[union-attr]
    assert L.matrix(reg, year=1999).cells == []
    with pytest.raises(UnknownNameError):
        L.matrix(reg, company="nobody")
    with pytest.raises(UnknownNameError):
        L.matrix(reg, domain="cockpit")


# --- timeline --------------------------------------------------------------------------------


def _ev(e: L.Event) -> tuple[str, str, str, str, str]:
    return (e.date.text, e.kind, e.event, e.status, e.record)


def test_timeline_events_in_order_with_precision(reg) -> None:
    tl = L.timeline(reg)
    assert [_ev(e) for e in tl.events] == [
        ("2024", "figure", "sales", "reported", "a-sales-2024-daily"),
        ("2024", "figure", "sales", "reported", "a-sales-2024-weekly"),
        ("2024-late", "deal", "announced", "planned", "jv-unnamed-adas"),  # a planned deal's date is a plan
        ("2025-03-01", "deal", "announced", "reported", "a-b-cockpit"),
        ("2026-spring", "milestone", "launch", "planned", "a-sedan"),
        ("2026-spring", "milestone", "launch in cars", "planned", "b-os"),
    ]
    assert tl.left_out == 0
    spring = tl.events[4]
    assert (spring.date.precision, spring.date.label, spring.record_type) == ("season", "spring 2026", "model")
    assert spring.companies == ("carmaker-a", "a-b-jv") and spring.sources == ("weekly-undated",)
    deal = tl.events[3]
    assert describe(deal, tl.names) == "Carmaker A × Tech B: Carmaker A puts B OS in its cars"
    assert deal.companies == ("carmaker-a", "tech-b") and deal.record_status == "announced"
    # A deal whose status is planned is a plan dated by its announced date; the deal's own status stays in
    # record_status, and the event carries the plan's standing on today (late 2024 is over on 2026-12-01).
    planned = tl.events[2]
    assert (planned.status, planned.record_status) == ("planned", "planned")
    assert planned.plan is not None and planned.plan.state == "passed" and planned.plan.reported_by is None
    assert deal.plan is None
    assert describe(tl.events[0], tl.names) == "Carmaker A · sales · China: 714,500 vehicles; -13.4%"
    assert tl.events[0].conflicts == ("a-sales-2024-precision",)
    assert list(tl.sources) == ["daily-2025-03-01", "weekly-undated"]


def test_timeline_filters(reg) -> None:
    records = lambda **kw: [e.record for e in L.timeline(reg, **kw).events]  # noqa: E731
    assert records(since="2025", until="2025") == ["a-b-cockpit"]
    assert records(since="2026-04") == ["a-sedan", "b-os"]  # spring 2026 can fall in April
    assert records(until="2024-08") == ["a-sales-2024-daily", "a-sales-2024-weekly"]  # late 2024 starts in September
    assert records(kinds=["deal"]) == ["jv-unnamed-adas", "a-b-cockpit"]
    assert records(kinds=["milestone", "figure"]) == ["a-sales-2024-daily", "a-sales-2024-weekly", "a-sedan", "b-os"]
    # A company covers its joint venture (the A-B Motors deal) and either side of a deal.
    assert records(company="cma") == ["a-sales-2024-daily", "a-sales-2024-weekly", "jv-unnamed-adas", "a-b-cockpit", "a-sedan"]
    # And a model that carries a system the company makes (the A Sedan has Tech B's B OS).
    assert records(company="tech-b") == ["a-b-cockpit", "a-sedan", "b-os"]
    with pytest.raises(UsageError, match="--since: 'soon' is not a date"):
        L.timeline(reg, since="soon")
    with pytest.raises(UsageError, match="unknown event kind 'news'"):
        L.timeline(reg, kinds=["news"])


def test_timeline_undated_left_out_or_last(reg_extra) -> None:
    tl = L.timeline(reg_extra)
    assert tl.left_out == 1 and "a-c-assistant" in [e.record for e in tl.events]  # its dated milestone
    assert all(e.date.known for e in tl.events)
    tl = L.timeline(reg_extra, undated=True, since="2026")
    assert tl.left_out == 0
    assert [_ev(e) for e in tl.events][-1] == ("unknown", "deal", "announced", "reported", "a-c-assistant")
    assert [e.date.text for e in tl.dated] == ["2026-spring", "2026-spring"] and len(tl.undated) == 1


# --- graph -----------------------------------------------------------------------------------


def _edges(g: L.Graph) -> list[tuple[str, str, str, list[str]]]:
    return [(e.source, e.target, e.relation, e.domains) for e in g.edges]


def test_graph_nodes_and_edges(reg, reg_extra) -> None:
    g = L.graph(reg)
    assert [(n.id, n.kind) for n in g.nodes] == [
        ("carmaker-a", "automaker"), ("a-b-jv", "joint-venture"), ("tech-b", "technology"),
        ("unnamed:jv-unnamed-adas", "unnamed"),
    ]
    assert g.node("unnamed:jv-unnamed-adas").name == "an unnamed local supplier"  # type: ignore[union-attr]
    assert _edges(g) == [
        ("a-b-jv", "unnamed:jv-unnamed-adas", "deal", ["driver-assistance"]),
        ("carmaker-a", "tech-b", "deal", ["cockpit-os", "ai-assistant"]),
        ("carmaker-a", "a-b-jv", "parent", []),
    ]
    assert g.edge("tech-b", "carmaker-a").deals == ["a-b-cockpit"]  # type: ignore[union-attr]
    assert g.edges[2].sources == ["weekly-undated"]  # the JV's company record cites it
    # Neighbourhood: Tech B, its partner, and the edges among them; no JV, no unnamed partner.
    g = L.graph(reg_extra, company="TB")
    assert g.focus == "tech-b"
    assert [n.id for n in g.nodes] == ["carmaker-a", "tech-b"]
    assert _edges(g) == [("carmaker-a", "tech-b", "deal", ["cockpit-os", "ai-assistant"])]
    # A joint venture brings its parent along, and its parent's deals over the systems of the
    # models it makes (Carmaker A's deal for the B OS on the A Sedan, which A-B Motors produces).
    g = L.graph(reg, company="a-b-jv")
    assert [n.id for n in g.nodes] == ["carmaker-a", "a-b-jv", "tech-b", "unnamed:jv-unnamed-adas"]
    assert _edges(g)[-1] == ("carmaker-a", "a-b-jv", "parent", [])
    assert [n.id for n in L.graph(reg, domain="cockpit-os").nodes] == ["carmaker-a", "tech-b"]
    assert L.graph(reg, year=1999).nodes == []


def test_node_ids_are_safe_and_one_to_one() -> None:
    assert node_id("mercedes-benz") == "c_mercedes_benz"
    assert node_id("end") == "c_end" and node_id("unnamed:a-b") == "u_a_b"
    ids = ["a-b", "ab", "a-b-c", "a", "b-c"]
    assert len({node_id(i) for i in ids}) == len(ids)


# --- Mermaid and DOT checkers ----------------------------------------------------------------

_ID = r"[A-Za-z_][A-Za-z0-9_]*"
_SHAPES = [("[", "]"), ("(", ")"), ("([", "])"), ("[[", "]]"), ("{{", "}}")]
_NODE = re.compile(rf"^\s*(?P<id>{_ID})(?P<shape>\[\[|\(\[|\{{\{{|\[|\()\"(?P<label>[^\"]*)\"(?P<close>\]\]|\]\)|\}}\}}|\]|\)):::(?P<cls>{_ID})$")
_EDGE = re.compile(rf'^\s*(?P<a>{_ID}) (?P<arrow>-->|-\.->)\|"(?P<label>[^"]*)"\| (?P<b>{_ID})$')
_CLASSDEF = re.compile(rf"^\s*classDef (?P<cls>{_ID}) [a-z-]+:[^\s;]+(,[a-z-]+:[^;,]+)*$")
_SUBGRAPH = re.compile(rf'^\s*subgraph (?P<id>{_ID})\["[^"]*"\]$')
_CLOSE = {"[": "]", "(": ")", "{": "}"}


def _unmermaid(label: str) -> str:
    return re.sub(r"#(\d+);", lambda m: chr(int(m.group(1))), label)


def _balanced(line: str) -> bool:
    stack: list[str] = []
    for ch in re.sub(r'"[^"]*"', '""', line):
        if ch in _CLOSE:
            stack.append(_CLOSE[ch])
        elif ch in _CLOSE.values():
            if not stack or stack.pop() != ch:
                return False
    return not stack


def check_mermaid(text: str) -> dict[str, str]:
    """Assert that *text* is a well-formed Mermaid flowchart of ours; return node id -> decoded label."""
    lines = text.splitlines()
    assert lines[0] == "flowchart LR"
    nodes: dict[str, str] = {}
    classes: dict[str, str] = {}
    defined: set[str] = set()
    edges: list[tuple[str, str, str]] = []
    depth = 0
    for line in lines[1:]:
        assert _balanced(line), line
        assert line.count('"') % 2 == 0, line
        if line.strip().startswith("%%"):
            assert not line.strip().startswith("%%{"), line  # not a directive
            continue
        if m := _NODE.match(line):
            assert (m["shape"], m["close"]) in _SHAPES, line
            assert m["id"] not in nodes, f"node declared twice: {line}"
            nodes[m["id"]], classes[m["id"]] = m["label"], m["cls"]
            label = m["label"]
        elif m := _EDGE.match(line):
            edges.append((m["a"], m["b"], m["arrow"]))
            label = m["label"]
        elif m := _CLASSDEF.match(line):
            defined.add(m["cls"])
            continue
        elif _SUBGRAPH.match(line):
            depth += 1
            continue
        elif line.strip() == "end":
            depth -= 1
            assert depth >= 0
            continue
        elif line.strip() == "direction TB":
            continue
        else:
            raise AssertionError(f"unexpected Mermaid line: {line!r}")
        # Nothing in a label can end it or be read as markup: only entity codes.
        assert not re.search(r'["<>|;`\\&#]', re.sub(r"#\d+;", "", label)), label
    assert depth == 0
    for a, b, _ in edges:
        assert a in nodes and b in nodes, (a, b)
    assert set(classes.values()) <= defined
    return {k: _unmermaid(v) for k, v in nodes.items()}


_DOT_TOKEN = re.compile(r'\s+|//[^\n]*|"(?:[^"\\]|\\.)*"|->|--|[{}\[\];,=]|[A-Za-z_][A-Za-z0-9_]*|-?(?:\d+\.?\d*|\.\d+)')


def parse_dot(text: str) -> tuple[dict[str, dict[str, str]], list[tuple[str, str, dict[str, str]]]]:
    """A small parser for the DOT we write: a digraph of node, edge and attribute statements
    and subgraphs. Fails on anything else; returns nodes (id -> attributes) and edges."""
    tokens: list[str] = []
    pos = 0
    while pos < len(text):
        m = _DOT_TOKEN.match(text, pos)
        assert m, f"bad DOT at {pos}: {text[pos:pos + 40]!r}"
        tok = m.group()
        pos = m.end()
        if not tok.isspace() and not tok.startswith("//"):
            tokens.append(tok)
    i = 0

    def take(expected: str | None = None) -> str:
        nonlocal i
        assert i < len(tokens), "unexpected end of DOT"
        tok = tokens[i]
        i += 1
        if expected is not None:
            assert tok == expected, f"expected {expected!r}, got {tok!r}"
        return tok

    def ident() -> str:
        tok = take()
        assert re.fullmatch(r'[A-Za-z_][A-Za-z0-9_]*|"(?:[^"\\]|\\.)*"|-?(?:\d+\.?\d*|\.\d+)', tok), tok
        return tok

    def attrs() -> dict[str, str]:
        out: dict[str, str] = {}
        take("[")
        while tokens[i] != "]":
            k = ident()
            take("=")
            out[k] = ident()
            if tokens[i] in (",", ";"):
                take()
        take("]")
        return out

    nodes: dict[str, dict[str, str]] = {}
    edges: list[tuple[str, str, dict[str, str]]] = []

    def stmts() -> None:
        take("{")
        while tokens[i] != "}":
            tok = tokens[i]
            if tok in ("graph", "node", "edge"):
                take()
                attrs()
            elif tok == "subgraph":
                take()
                ident()
                stmts()
            else:
                a = ident()
                if tokens[i] == "=":
                    take()
                    ident()
                elif tokens[i] == "->":
                    take()
                    b = ident()
                    edges.append((a, b, attrs() if tokens[i] == "[" else {}))
                else:
                    assert a not in nodes, f"node declared twice: {a}"
                    nodes[a] = attrs() if tokens[i] == "[" else {}
            if tokens[i] == ";":
                take()
        take("}")

    take("digraph")
    ident()
    stmts()
    assert i == len(tokens), f"trailing tokens: {tokens[i:]}"
    for a, b, _ in edges:
        assert a in nodes and b in nodes, (a, b)
    return nodes, edges


def _undot(s: str) -> str:
    assert s.startswith('"') and s.endswith('"')
    return html.unescape(re.sub(r"\\(.)", r"\1", s[1:-1]))


def graphviz_check(text: str) -> None:
    """Render with Graphviz when it is there (required when AUTOALLIANCES_REQUIRE_GRAPHVIZ=1),
    else check with the parser above; either way the DOT must be valid."""
    exe = shutil.which("dot")
    if os.environ.get("AUTOALLIANCES_REQUIRE_GRAPHVIZ") == "1":
        assert exe, "AUTOALLIANCES_REQUIRE_GRAPHVIZ=1 but Graphviz's dot is not on PATH (apt-get install graphviz)"
    if exe is None:
        parse_dot(text)
        return
    r = subprocess.run([exe, "-Tsvg"], input=text.encode("utf-8"), capture_output=True, timeout=60)
    assert r.returncode == 0 and r.stderr == b"", r.stderr.decode("utf-8", "replace")
    svg = r.stdout.decode("utf-8")
    assert svg.lstrip().startswith("<?xml") and "</svg>" in svg
    texts = {html.unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg)}
    nodes, _ = parse_dot(text)
    for attrs in nodes.values():  # every label made it into the picture, as the same text
        assert _undot(attrs["label"]) in texts, attrs["label"]


NASTY = """\
companies:
  - id: end
    name: 'Ünïcode 华为 "Quoted" [br] {cb} (p) | pipe; semi #35; <b>&amp; `tick` \\\\back %% [bold red]x[/]'
    kind: automaker
    sources: [daily-2025-03-01]
  - id: graph
    name: "汽车 o--x --> end"
    kind: technology
    sources: [daily-2025-03-01]
  - id: subgraph
    name: "node -> edge; digraph { }"
    kind: joint-venture
    parents: [end]
    sources: [daily-2025-03-01]
deals:
  - id: nasty-deal
    title: 'A "deal" | with [stuff]'
    company: end
    partners: [graph]
    unnamed_partner: 'someone "unnamed" ]] \\\\N'
    kind: partnership
    domains: [cockpit-os, battery]
    announced: "2025-spring"
    status: announced
    sources: [daily-2025-03-01]
  - id: nasty-deal-2
    title: x
    company: subgraph
    partners: [graph]
    kind: partnership
    domains: [r-and-d]
    announced: unknown
    status: announced
    sources: [daily-2025-03-01]
"""


@pytest.fixture
def reg_nasty(tmp_path: Path):
    return open_registry(FIXTURE_FACTS, write(tmp_path / "nasty.yaml", NASTY), bundled=False, use_cache=False)


def test_mermaid_is_well_formed_and_labels_round_trip(reg, reg_nasty) -> None:
    labels = check_mermaid(mermaid(L.graph(reg)))
    assert labels["c_carmaker_a"] == "Carmaker A" and labels["u_jv_unnamed_adas"] == "an unnamed local supplier"
    g = L.graph(reg_nasty)
    labels = check_mermaid(mermaid(g))
    for n in g.nodes:  # every name survives escaping, Chinese characters, quotes, brackets and all
        assert labels[node_id(n.id)] == n.name
    assert labels["c_end"].startswith('Ünïcode 华为 "Quoted" [br]')
    text = mermaid(g)
    assert 'c_end -->|"cockpit-os, battery"| c_graph' in text
    assert 'c_end -.->|"joint venture"| c_subgraph' in text
    assert "classDef unnamed " in text and "stroke-dasharray" in text
    check_mermaid(mermaid(L.graph(reg_nasty, company="graph")))
    assert mermaid(L.graph(reg, year=1999)).splitlines()[0] == "flowchart LR"


def test_dot_is_well_formed(reg, reg_nasty) -> None:
    nodes, edges = parse_dot(dot(L.graph(reg)))
    assert _undot(nodes["c_tech_b"]["label"]) == "Tech B" and nodes["c_tech_b"]["shape"] == "ellipse"
    assert ("c_carmaker_a", "c_tech_b", {"label": '"cockpit-os, ai-assistant†1"'}) in edges
    assert ("c_carmaker_a", "c_a_b_jv", {"label": '"joint venture†2"', "style": "dashed"}) in edges
    assert set(nodes) >= {"legend_automaker", "legend_unnamed"}
    g = L.graph(reg_nasty)
    nodes, _ = parse_dot(dot(g))
    for n in g.nodes:
        assert _undot(nodes[node_id(n.id)]["label"]) == n.name
    with pytest.raises(AssertionError):
        parse_dot('digraph x { a -> b [label="unclosed]; }')
    with pytest.raises(AssertionError):
        parse_dot("digraph x { a; a -> c; }")


def test_dot_renders_with_graphviz(reg, reg_nasty, bundled) -> None:
    for g in (L.graph(reg), L.graph(reg_nasty), L.graph(bundled), L.graph(bundled, company="huawei")):
        graphviz_check(dot(g))


# --- CLI -------------------------------------------------------------------------------------

COMMANDS = {
    "matrix": ["matrix"],
    "timeline": ["timeline"],
    "timeline-undated": ["timeline", "--facts", str(EXTRA), "--undated"],
}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", list(COMMANDS))
def test_landscape_commands_in_every_format(runner, fixture_only, name: str, fmt: str) -> None:
    r = runner.invoke(app, [*COMMANDS[name], "--format", fmt])
    assert r.exit_code == 0, r.stderr
    assert r.stderr == ""
    golden(f"{name}.{fmt}.txt", r.stdout.replace(str(EXTRA), "EXTRA"))
    if fmt == "json":
        json.loads(r.stdout)
    if fmt == "jsonl":
        assert all(json.loads(line) for line in r.stdout.splitlines())


@pytest.mark.parametrize("fmt", ["mermaid", "dot", "json"])
def test_graph_in_every_format(runner, fixture_only, fmt: str) -> None:
    r = runner.invoke(app, ["graph", "--format", fmt])
    assert (r.exit_code, r.stderr) == (0, "")
    golden(f"graph.{fmt}.txt", r.stdout)
    if fmt == "mermaid":
        check_mermaid(r.stdout)
        assert r.stdout == runner.invoke(app, ["graph"]).stdout  # the default
    elif fmt == "dot":
        graphviz_check(r.stdout)
    else:
        assert json.loads(r.stdout) == json.loads(runner.invoke(app, ["graph", "--json"]).stdout)


def test_matrix_json_shape(runner, fixture_only) -> None:
    doc = json.loads(runner.invoke(app, ["matrix", "--json"]).stdout)
    assert list(doc) == ["rows", "columns", "cells", "sources"]
    assert doc["rows"][1] == {
        "id": "a-b-jv", "name": "A-B Motors", "kind": "joint-venture", "parents": ["carmaker-a"],
        "inferred": {"kind": "named 'A-B Motors'; no article calls it a joint venture", "parents": "inferred from the name; no article states the ownership"},
    }
    assert doc["columns"][-1] == {"id": None, "name": "partner not named", "kind": None, "inferred": {}}
    cell = doc["cells"][0]
    assert list(cell) == [
        "automaker", "automaker_name", "partner", "partner_name", "unnamed_partners", "domains", "deals", "sources", "conflicts", "inferred",
    ]
    assert cell["inferred"] == {"domains[1]": "a-b-cockpit: the article speaks of 'smart features'; ai-assistant is the closest domain"}
    assert (cell["automaker_name"], cell["partner_name"], cell["domains"]) == ("Carmaker A", "Tech B", ["cockpit-os", "ai-assistant"])
    assert cell["sources"][0]["published"]["text"] == "2025-03-01" and cell["sources"][0]["outlet"] == "The Daily"
    lines = runner.invoke(app, ["matrix", "--format", "jsonl"]).stdout.splitlines()
    assert [json.loads(x) for x in lines] == doc["cells"]
    csv_lines = runner.invoke(app, ["matrix", "--format", "csv"]).stdout.splitlines()
    assert csv_lines[0] == "automaker,Tech B,partner not named,sources,published,inferred"
    assert csv_lines[1] == "Carmaker A,cockpit-os; ai-assistant,,daily-2025-03-01,2025-03-01,Tech B: ai-assistant"


def test_timeline_json_shape_and_fields(runner, fixture_only) -> None:
    events = json.loads(runner.invoke(app, ["timeline", "--json"]).stdout)
    spring = events[4]
    assert list(spring) == [
        "date", "kind", "event", "status", "record_status", "plan_state", "reported_on", "reported_done", "companies",
        "description", "record", "record_type", "sources", "conflicts", "inferred",
    ]
    # The fixture's weekly article is undated: the plan has no reporting day; spring 2026 is over on 2026-12-01.
    assert (spring["plan_state"], spring["reported_on"], spring["reported_done"]) == ("passed", None, None)
    assert spring["date"] == {"text": "2026-spring", "precision": "season", "start": "2026-03-01", "end": "2026-05-31", "by": False, "label": "spring 2026"}
    assert (spring["status"], spring["record"], spring["companies"]) == ("planned", "a-sedan", ["carmaker-a", "a-b-jv"])
    assert spring["sources"][0]["id"] == "weekly-undated" and spring["sources"][0]["published"]["precision"] == "unknown"
    r = runner.invoke(app, ["timeline", "--json", "--fields", "record,status"])
    assert json.loads(r.stdout)[-2:] == [{"record": "a-sedan", "status": "planned"}, {"record": "b-os", "status": "planned"}]
    r = runner.invoke(app, ["timeline", "--format", "jsonl", "--fields", "record"])
    assert r.stdout.splitlines()[0] == '{"record":"a-sales-2024-daily"}'
    r = runner.invoke(app, ["timeline", "--format", "csv", "--fields", "date,date_precision,record"])
    assert r.stdout.splitlines()[-1] == "2026-spring,season,b-os"
    r = runner.invoke(app, ["timeline", "--format", "markdown", "--fields", "date_start,date_end"])
    assert r.stdout.splitlines()[2] == "| 2024-01-01 | 2024-12-31 |"
    r = runner.invoke(app, ["timeline", "--json", "--fields", "record,colour"])
    assert r.exit_code == 2 and r.stdout == "" and "unknown field 'colour'; valid fields: date, kind, event" in r.stderr
    r = runner.invoke(app, ["timeline", "--format", "csv", "--fields", "label"])
    assert r.exit_code == 2 and "valid fields: date, date_precision, date_start" in r.stderr


def test_timeline_cli_filters(runner, fixture_only) -> None:
    records = lambda *a: [e["record"] for e in json.loads(runner.invoke(app, ["timeline", "--json", *a]).stdout)]  # noqa: E731
    assert records("--since", "2025", "--until", "2025") == ["a-b-cockpit"]
    assert records("--company", "A Motors", "--kind", "deal") == ["jv-unnamed-adas", "a-b-cockpit"]
    assert records("--kind", "deal", "--kind", "milestone", "--since", "2026") == ["a-sedan", "b-os"]
    r = runner.invoke(app, ["timeline", "--kind", "news"])
    assert r.exit_code == 2
    r = runner.invoke(app, ["timeline", "--until", "later"])
    assert r.exit_code == 2 and r.stderr.startswith("Error: --until: 'later' is not a date")


def test_timeline_undated_note(runner, fixture_only) -> None:
    for fmt in FORMATS:
        r = runner.invoke(app, ["timeline", "--facts", str(EXTRA), "--format", fmt])
        assert r.exit_code == 0
        assert r.stderr == "1 undated event left out (--undated lists it at the end)\n"
        assert "Carmaker A talks to Tech C" not in r.stdout
    r = runner.invoke(app, ["timeline", "--facts", str(EXTRA), "--undated", "--json"])
    assert r.stderr == "" and json.loads(r.stdout)[-1]["date"]["precision"] == "unknown"


def test_matrix_and_graph_take_no_fields(runner, fixture_only) -> None:
    for cmd in (["matrix", "--format", "csv"], ["graph"]):
        r = runner.invoke(app, [*cmd, "--fields", "id"])
        assert r.exit_code == 2 and r.stdout == ""
        assert "No such option" in r.stderr and "--fields" in r.stderr  # click's wording varies by version


def test_empty_results(runner, fixture_only) -> None:
    r = runner.invoke(app, ["matrix", "--year", "1999", "--json"])
    assert (r.exit_code, r.stderr) == (0, "") and json.loads(r.stdout) == {"rows": [], "columns": [], "cells": [], "sources": []}
    r = runner.invoke(app, ["matrix", "--year", "1999"])
    assert (r.exit_code, r.stdout, r.stderr) == (0, "", "no deal match\n")
    r = runner.invoke(app, ["matrix", "--year", "1999", "--format", "csv"])
    assert r.stdout == "automaker,sources,published,inferred\n"
    r = runner.invoke(app, ["timeline", "--since", "2030", "--json"])
    assert (r.exit_code, r.stdout, r.stderr) == (0, "[]\n", "")
    r = runner.invoke(app, ["timeline", "--since", "2030"])
    assert (r.exit_code, r.stdout, r.stderr) == (0, "", "no event match\n")
    r = runner.invoke(app, ["graph", "--year", "1999"])
    assert r.exit_code == 0 and r.stderr == "no deal match\n"
    check_mermaid(r.stdout)


def test_unknown_names_exit_2(runner, fixture_only) -> None:
    for cmd in (["matrix", "--company", "nobody"], ["timeline", "--company", "nobody"], ["graph", "--company", "nobody"]):
        r = runner.invoke(app, cmd)
        assert r.exit_code == 2 and r.stdout == "" and r.stderr.startswith("Error: unknown company 'nobody'")
    assert runner.invoke(app, ["matrix", "--domain", "cockpit"]).exit_code == 2
    assert runner.invoke(app, ["graph", "--format", "png"]).exit_code == 2


LITERAL = """\
companies:
  - id: odd
    name: "[bold red]Odd[/] \\e[31mESC"
    kind: technology
    sources: [daily-2025-03-01]
deals:
  - id: odd-deal
    title: "[i]odd[/i] deal"
    company: carmaker-a
    partners: [odd]
    kind: partnership
    domains: [battery]
    announced: "2025-02"
    status: announced
    sources: [daily-2025-03-01]
"""


def test_text_prints_literally(runner, fixture_only, tmp_path: Path) -> None:
    """Markup stays those characters and ESC shows as the four characters \\x1b, escaped as each format needs."""
    odd = str(write(tmp_path / "odd.yaml", LITERAL))
    plain, backslash_escaped = "[bold red]Odd[/] \\x1b[31mESC", "[bold red]Odd[/] \\\\x1b[31mESC"
    runs = {
        ("matrix",): plain,
        ("matrix", "--json"): "[bold red]Odd[/] \\u001b[31mESC",
        ("matrix", "--format", "csv"): plain,
        ("timeline",): plain,
        ("timeline", "--format", "jsonl"): "[bold red]Odd[/] \\u001b[31mESC",
        ("timeline", "--format", "markdown"): "\\[bold red\\]Odd\\[/\\] \\\\x1b\\[31mESC",  # Markdown syntax escaped too
        ("graph",): "[bold red]Odd[/] #92;x1b[31mESC",
        ("graph", "--format", "dot"): backslash_escaped,
        ("graph", "--json"): "[bold red]Odd[/] \\u001b[31mESC",
    }
    for args, expected in runs.items():
        r = runner.invoke(app, [*args, "--facts", odd], env={"COLUMNS": "250"})
        assert r.exit_code == 0, r.stderr
        assert "\x1b" not in r.stdout and "\x9b" not in r.stdout, args
        assert expected in r.stdout, args


def test_installed_program_draws_and_keeps_json_light(tmp_path: Path) -> None:
    """The real script from an unrelated directory: valid DOT; the JSON paths never load rich."""
    import sys

    exe = Path(sys.executable).parent / "autoalliances"
    r = subprocess.run([str(exe), "graph", "--format", "dot"], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and r.stderr == "", r.stderr
    graphviz_check(r.stdout)
    code = (
        "import sys\nfrom autoalliances.cli import main\n"
        "for cmd in (['matrix', '--json'], ['timeline', '--json'], ['graph']):\n"
        "    sys.argv = ['autoalliances', *cmd]\n"
        "    try:\n        main()\n    except SystemExit as e:\n        assert not e.code, e.code\n"
        "assert not [m for m in sys.modules if m.startswith('rich')], 'rich was imported'\n"
    )
    r = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr


# --- the bundled facts -----------------------------------------------------------------------


def test_bundled_matrix_pins_the_main_alliances(bundled) -> None:
    m = L.matrix(bundled)
    assert m.cell("bmw", "huawei").domains == ["cockpit-os", "digital-services", "connectivity"]  # type: ignore[union-attr]
    assert m.cell("bmw", "alibaba").domains == ["cockpit-os", "ai-assistant", "digital-services", "connectivity", "r-and-d"]  # type: ignore[union-attr]
    assert m.cell("bmw", "alibaba").deals == ["bmw-alibaba-ai-cockpit", "bmw-alibaba-since-2015"]  # type: ignore[union-attr]
    assert m.cell("toyota", "huawei").domains == ["cockpit-os"]  # type: ignore[union-attr]
    assert m.cell("audi", "huawei").domains == ["driver-assistance"]  # type: ignore[union-attr]
    assert m.cell("mercedes-benz", "momenta").domains == ["driver-assistance"]  # type: ignore[union-attr]
    assert m.cell("honda", "deepseek").domains == ["ai-assistant"]  # type: ignore[union-attr]
    rows = [r.id for r in m.rows]
    assert rows.index("saic-audi") == rows.index("audi") + 1  # Audi's joint venture, under Audi
    assert {"alibaba", "huawei", "momenta", "xiaomi", "deepseek"} <= {c.id for c in m.columns}
    assert all(c.sources and set(c.sources) <= set(m.sources) for c in m.cells)


def test_bundled_timeline_order_and_plans(bundled) -> None:
    tl = L.timeline(bundled)
    deals = [e.record for e in tl.events if e.kind == "deal"]
    assert deals.index("bmw-huawei-harmonyos") < deals.index("bmw-alibaba-ai-cockpit")
    bmw_huawei = next(e for e in tl.events if e.record == "bmw-huawei-harmonyos" and e.kind == "deal")
    assert (bmw_huawei.date.text, bmw_huawei.date.precision) == ("2025-03-17", "day")
    bz7 = next(e for e in tl.events if e.record == "toyota-bz7" and e.event == "market release")
    assert (bz7.date.text, bz7.date.precision, bz7.date.label, bz7.status) == ("2026-spring", "season", "spring 2026", "planned")
    assert tl.events.index(bz7) > tl.events.index(bmw_huawei)
    assert tl.left_out > 0  # the undated Toyota and Honda deals, said on stderr
    keys = [e.sort_key() for e in tl.events]
    assert keys == sorted(keys)


def test_bundled_timeline_reports_nothing_before_it_happened(bundled) -> None:
    """No event dated after an article it cites was published is shown as having happened."""
    tl = L.timeline(bundled, undated=True)
    assert tl.events and all(e.sources for e in tl.events)
    for e in tl.events:
        if e.status != "reported" or not e.date.known:
            continue
        for sid in e.sources:
            pub = tl.sources[sid].published
            if pub.known:
                assert e.date.start <= pub.end, f"{e.record}: {e.event} ({e.date.text}) reported by {sid} of {pub.text}"


def test_bundled_graph(bundled) -> None:
    g = L.graph(bundled)
    assert g.edge("toyota", "huawei").domains == ["cockpit-os"]  # type: ignore[union-attr]
    assert g.edge("bmw", "alibaba") and g.edge("audi", "saic-audi").relation == "parent"  # type: ignore[union-attr]
    check_mermaid(mermaid(g))
    parse_dot(dot(g))
    near = L.graph(bundled, company="toyota")
    assert {n.id for n in near.nodes} == {"toyota", "huawei", "momenta", "tencent", "xiaomi"}
    assert all("toyota" in (e.source, e.target) for e in near.edges)


def test_readme_network_is_the_current_graph(bundled) -> None:
    """The README embeds `autoalliances graph` of the bundled facts; regenerate it when they change."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```mermaid\n(.*?)```", readme, re.S)
    assert blocks == [mermaid(L.graph(bundled))]


# --- the matrix grid's layout, measured without building it ---------------------------------


@pytest.mark.parametrize(("short", "transposed"), [(False, False), (True, False), (True, True)])
def test_matrix_layout_minimum_is_richs_own_measure(bundled, short: bool, transposed: bool) -> None:
    from rich.console import Console

    from autoalliances.render.landscape_tables import _Layout

    layout = _Layout(L.matrix(bundled), short=short, transposed=transposed)
    con = Console(width=1000)
    assert layout.minimum == layout.table("title").__rich_measure__(con, con.options).minimum


def test_matrix_lists_by_automaker_when_no_grid_fits(runner) -> None:
    r = runner.invoke(app, ["matrix"], env={"COLUMNS": "40"})
    assert r.exit_code == 0
    assert "no grid fits 40 columns" in r.stderr and "--format csv gives the grid" in r.stderr
    m = L.matrix(open_registry(use_cache=False))
    out = " ".join(r.stdout.split())
    for row in m.rows:
        assert row.name in out
    assert "BMW" in out and "Alibaba: cockpit-os" in out
    wide = runner.invoke(app, ["matrix"], env={"COLUMNS": "200"})
    assert wide.exit_code == 0 and wide.stderr == "" and "Automakers × partners" in wide.stdout
