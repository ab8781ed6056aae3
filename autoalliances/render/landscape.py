"""Script shapes of the landscape commands: matrix, timeline and graph as JSON and rows.

Called by ``emit`` (``emit_matrix``, ``emit_timeline``, ``emit_graph``); no rich
here (Mermaid and DOT are in ``diagrams``). The shapes are documented in the README:

- matrix json: ``{"rows", "columns", "cells", "sources"}``; jsonl: one cell
  object per line; csv/markdown: the grid itself (first column the automaker,
  one column per partner, a cell's domains joined with "; "), then the
  ``sources`` and ``published`` of the row.
- timeline json: an array of event objects; jsonl one per line; csv/markdown
  one flat row per event (``EVENT_COLUMNS``).
- graph json: ``{"focus", "nodes", "edges", "sources"}``.

Rows, columns, cells, nodes, edges and events carry ``inferred`` (their own
path -> the editors' reasons, see ``query/landscape.py``); Markdown marks the
values with daggers (``marks``); with --stated-only, ``left_out`` counts the
deals that could not be placed.

Events are described in words here (``describe``): the landscape data holds
the records, not display text.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..model.provenance import reasons
from ..model.records import Deal, Figure, Source
from ..query.landscape import Cell, Event, Graph, Matrix, Node, Party
from .flat import date_columns
from .marks import Marks
from .shapes import plan_json, sources_json
from .text import change, one_line

NOT_STATED = "(unstated)"  # one word, never split: a cell whose deals' domains are all inferred, with --stated-only
PAIRING = "pairing"  # a cell or edge whose automaker or partner side is inferred on every deal behind it

# --- matrix ------------------------------------------------------------------------------


def _src(sources: dict[str, Source], ids: Iterable[str], stated_only: bool = False) -> list[dict[str, Any]]:
    return sources_json(sources, ids, stated_only)


class _SourceObjects:
    """Each source's JSON object made once and shared by every cell or edge that cites it."""

    __slots__ = ("objs",)

    def __init__(self, sources: dict[str, Source], stated_only: bool) -> None:
        self.objs = {o["id"]: o for o in sources_json(sources, sources, stated_only)}

    def of(self, ids: Iterable[str]) -> list[dict[str, Any]]:
        objs = self.objs
        return [objs[s] for s in ids if s in objs]


def domain_texts(obj: Cell | Any, marks: Marks, names: dict[str, str] | None = None) -> list[str]:
    """A cell's or edge's domains, each with its daggers, then 'pairing†n' when a side is inferred;
    (not stated) when --stated-only left a deal without domains. *names* gives short names."""
    out = [marks.mark(obj, f"domains[{i}]", (names or {}).get(d, d)) for i, d in enumerate(obj.domains)]
    sides = [r for key in ("automaker", "partner", "from", "to") for r in reasons(obj, key)]
    if sides and marks.markers:
        out.append(PAIRING + marks.dagger(sides))
    return out or [NOT_STATED]


def matrix_names(m: Matrix) -> dict[str | None, str]:
    """Display names of every row and column, by id (None: the "partner not named" column)."""
    return {p.id: p.name for p in (*m.rows, *m.columns)}


def matrix_cell_json(
    m: Matrix, c: Cell, names: dict[str | None, str] | None = None, sources: _SourceObjects | None = None
) -> dict[str, Any]:
    """One cell's object; *names* and *sources* (made once per matrix) save rebuilding them per cell."""
    names = matrix_names(m) if names is None else names
    return {
        "automaker": c.automaker,
        "automaker_name": names.get(c.automaker, c.automaker),
        "partner": c.partner,
        "partner_name": names.get(c.partner, c.partner),
        "unnamed_partners": [one_line(x) for x in c.unnamed_partners],
        "domains": list(c.domains),
        "deals": list(c.deals),
        "sources": sources.of(c.sources) if sources is not None else _src(m.sources, c.sources, m.stated_only),
        "conflicts": list(c.conflicts),
        "inferred": dict(c.inferred),
    }


def matrix_cells_json(m: Matrix) -> list[dict[str, Any]]:
    """Every cell's object, with the name lookups and source objects made once."""
    names = matrix_names(m)
    sources = _SourceObjects(m.sources, m.stated_only)
    return [matrix_cell_json(m, c, names, sources) for c in m.cells]


def matrix_json(m: Matrix) -> dict[str, Any]:
    out: dict[str, Any] = {
        "rows": [{"id": p.id, "name": p.name, "kind": p.kind, "parents": list(p.parents), "inferred": dict(p.inferred)} for p in m.rows],
        "columns": [{"id": p.id, "name": p.name, "kind": p.kind, "inferred": dict(p.inferred)} for p in m.columns],
        "cells": matrix_cells_json(m),
        "sources": _src(m.sources, m.sources, m.stated_only),
    }
    if m.stated_only:
        out["left_out"] = m.left_out
    return out


def _labels(parties: Iterable[Party], reserved: Iterable[str] = ()) -> list[str]:
    """Names that tell *parties* apart: a name shared (or equal to a *reserved* one) gets its id added."""
    parties = list(parties)
    seen: dict[str, int] = dict.fromkeys(reserved, 1)
    for p in parties:
        seen[p.name] = seen.get(p.name, 0) + 1
    labels = [p.name if seen[p.name] == 1 or p.id is None else f"{p.name} ({p.id})" for p in parties]
    taken: set[str] = set(reserved)
    out = []
    for label in labels:  # ids are unique, so this only numbers labels such as a name "X (x)" next to "X" (x)
        unique, n = label, 1
        while unique in taken:
            n += 1
            unique = f"{label} ({n})"
        taken.add(unique)
        out.append(unique)
    return out


def matrix_grid(m: Matrix, marks: Marks | None = None) -> tuple[list[str], list[dict[str, Any]]]:
    """The grid as flat rows: 'automaker', one column per partner (its name), 'sources', 'published', 'inferred'.

    A cell is its domains joined with '; ' (with daggers when *marks* has
    markers: Markdown); ``inferred`` lists the row's inferred values as
    'partner: domain' (or 'partner: pairing'). A name that is not unique among
    the rows (or among the columns) gets its id added, so no two rows and no
    two columns carry the same label.
    """
    marks = marks or Marks(markers=False)
    heads = _labels(m.columns, ("automaker", "sources", "published", "inferred"))
    row_labels = _labels(m.rows)
    columns = ["automaker", *heads, "sources", "published", "inferred"]
    rows = []
    for r, label in zip(m.rows, row_labels, strict=True):
        row: dict[str, Any] = {"automaker": label}
        src: list[str] = []
        inferred: list[str] = []
        for p, head in zip(m.columns, heads, strict=False):
            c = m.cell(r.id or "", p.id)  # rows always have ids
            row[head] = "; ".join(domain_texts(c, marks)) if c else ""
            if c:
                src += [s for s in c.sources if s not in src]
                inferred += [f"{head}: {c.domains[int(k[8:-1])] if k.startswith('domains[') else PAIRING}" for k in c.inferred]
        src.sort()
        row["sources"] = ";".join(src)
        row["published"] = ";".join(_published(m.sources[s], m.stated_only) if s in m.sources else "" for s in src)
        row["inferred"] = ";".join(dict.fromkeys(inferred))
        rows.append(row)
    return columns, rows


def _published(s: Source, stated_only: bool) -> str:
    return "unknown" if stated_only and reasons(s, "published") else s.published.text


# --- timeline ----------------------------------------------------------------------------

EVENT_FIELDS = [
    "date", "kind", "event", "status", "record_status", "plan_state", "reported_on", "reported_done", "companies",
    "description", "record", "record_type", "sources", "conflicts", "inferred",
]
EVENT_COLUMNS = [
    "date", "date_precision", "date_start", "date_end", "kind", "event", "status", "record_status", "plan_state",
    "reported_on", "reported_done", "companies", "description", "record", "record_type", "sources", "published", "conflicts", "inferred",
]


def describe(e: Event, names: dict[str, str], marks: Marks | None = None) -> str:
    """An event in one line: 'BMW × Alibaba: <title>', 'Toyota bZ7: launch', 'BMW · sales · China: 714,500 vehicles'.

    *marks* marks the values the editors inferred (tables, Markdown); without it
    (JSON, CSV) they are plain, and hidden with --stated-only.
    """
    rec = e.about
    m = marks or Marks(markers=False)

    def name(i: str) -> str:
        return names.get(i, i)

    if not rec.inferred:
        m = Marks(markers=False)  # nothing to mark: the plain text
    if isinstance(rec, Figure):
        subject = (m.cell(rec, "company", name(rec.company)) if rec.company else m.cell(rec, "scope", one_line(rec.scope or ""))) or ""
        value = "; ".join(x for x in (m.amount(rec, "value", rec.value, printed=False), change(rec.change)) if x)
        return f"{subject} · {m.cell(rec, 'metric', rec.metric)} · {m.cell(rec, 'region', one_line(rec.region))}: {value}"
    owner = m.deal_parties(rec, name) if isinstance(rec, Deal) else one_line(rec.name)
    what = one_line(rec.title) if e.kind == "deal" and isinstance(rec, Deal) else one_line(e.event)
    return f"{owner}: {what}"


def event_json(e: Event, sources: dict[str, Source], names: dict[str, str], stated_only: bool = False) -> dict[str, Any]:
    return {
        "date": e.date.to_json(),
        "kind": e.kind,
        "event": one_line(e.event),
        "status": e.status,
        "record_status": e.record_status,
        **plan_json(e.plan, e.sources, sources),
        "companies": list(e.companies),
        "description": describe(e, names, Marks(stated_only=stated_only, markers=False)),
        "record": e.record,
        "record_type": e.record_type,
        "sources": _src(sources, e.sources, stated_only),
        "conflicts": list(e.conflicts),
        "inferred": dict(e.inferred),
    }


def event_row(
    e: Event, sources: dict[str, Source], names: dict[str, str], marks: Marks | None = None, stated_only: bool = False
) -> dict[str, Any]:
    """An event as a flat row; *marks* with markers (Markdown) puts a dagger after an inferred date."""
    dates = date_columns("date", e.date, ("precision", "start", "end"))
    if marks is not None:
        dates["date"] = marks.mark(e, "date", dates["date"] or "")
    return {
        **dates,
        "kind": e.kind,
        "event": one_line(e.event),
        "status": e.status,
        "record_status": e.record_status,
        **_plan_columns(e, sources),
        "companies": ";".join(e.companies),
        "description": describe(e, names, marks or Marks(stated_only=stated_only, markers=False)),
        "record": e.record,
        "record_type": e.record_type,
        "sources": ";".join(e.sources),
        "published": ";".join(_published(sources[s], stated_only) if s in sources else "" for s in e.sources),
        "conflicts": ";".join(e.conflicts),
        "inferred": ";".join(e.inferred),
    }


def _plan_columns(e: Event, sources: dict[str, Source]) -> dict[str, Any]:
    p = plan_json(e.plan, e.sources, sources)
    done = p["reported_done"]
    return {**p, "reported_done": done["source"] if done else None}


# --- graph: JSON ---------------------------------------------------------------------------


def graph_json(g: Graph) -> dict[str, Any]:
    sources = _SourceObjects(g.sources, g.stated_only)
    out: dict[str, Any] = {
        "focus": g.focus,
        "nodes": [
            {"id": n.id, "name": node_name(n), "kind": n.kind, "parents": list(n.parents), "inferred": dict(n.inferred)} for n in g.nodes
        ],
        "edges": [
            {
                "from": e.source,
                "to": e.target,
                "relation": e.relation,
                "domains": list(e.domains),
                "deals": list(e.deals),
                "sources": sources.of(e.sources),
                "conflicts": list(e.conflicts),
                "inferred": dict(e.inferred),
            }
            for e in g.edges
        ],
        "sources": _src(g.sources, g.sources, g.stated_only),
    }
    if g.stated_only:
        out["left_out"] = g.left_out
    return out




def node_name(n: Node) -> str:
    """A graph node's name: a company's, or the partner as the article describes it."""
    return one_line(n.name) if n.kind == "unnamed" else n.name
