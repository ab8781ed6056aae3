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

Events are described in words here (``describe``): the landscape data holds
the records, not display text.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..model.records import Deal, Figure, Source
from ..query.landscape import Cell, Event, Graph, Matrix, Node, Party
from .shapes import date_columns, plan_json, sources_json
from .text import amount, change, deal_label, one_line

# --- matrix ------------------------------------------------------------------------------


def _src(sources: dict[str, Source], ids: Iterable[str]) -> list[dict[str, Any]]:
    return sources_json(sources, ids)


def matrix_names(m: Matrix) -> dict[str | None, str]:
    """Display names of every row and column, by id (None: the "partner not named" column)."""
    return {p.id: p.name for p in (*m.rows, *m.columns)}


def matrix_cell_json(m: Matrix, c: Cell, names: dict[str | None, str] | None = None) -> dict[str, Any]:
    names = matrix_names(m) if names is None else names
    return {
        "automaker": c.automaker,
        "automaker_name": names.get(c.automaker, c.automaker),
        "partner": c.partner,
        "partner_name": names.get(c.partner, c.partner),
        "unnamed_partners": [one_line(x) for x in c.unnamed_partners],
        "domains": list(c.domains),
        "deals": list(c.deals),
        "sources": _src(m.sources, c.sources),
        "conflicts": list(c.conflicts),
    }


def matrix_json(m: Matrix) -> dict[str, Any]:
    names = matrix_names(m)
    return {
        "rows": [{"id": p.id, "name": p.name, "kind": p.kind, "parents": list(p.parents)} for p in m.rows],
        "columns": [{"id": p.id, "name": p.name, "kind": p.kind} for p in m.columns],
        "cells": [matrix_cell_json(m, c, names) for c in m.cells],
        "sources": _src(m.sources, m.sources),
    }


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


def matrix_grid(m: Matrix) -> tuple[list[str], list[dict[str, Any]]]:
    """The grid as flat rows: 'automaker', one column per partner (its name), 'sources', 'published'.

    A name that is not unique among the rows (or among the columns) gets its id added, so no
    two rows and no two columns carry the same label.
    """
    heads = _labels(m.columns, ("automaker", "sources", "published"))
    row_labels = _labels(m.rows)
    columns = ["automaker", *heads, "sources", "published"]
    rows = []
    for r, label in zip(m.rows, row_labels, strict=True):
        row: dict[str, Any] = {"automaker": label}
        src: list[str] = []
        for p, head in zip(m.columns, heads, strict=False):
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
    "date", "kind", "event", "status", "record_status", "plan_state", "reported_on", "reported_done", "companies",
    "description", "record", "record_type", "sources", "conflicts",
]
EVENT_COLUMNS = [
    "date", "date_precision", "date_start", "date_end", "kind", "event", "status", "record_status", "plan_state",
    "reported_on", "reported_done", "companies", "description", "record", "record_type", "sources", "published", "conflicts",
]


def describe(e: Event, names: dict[str, str]) -> str:
    """An event in one line: 'BMW × Alibaba: <title>', 'Toyota bZ7: launch', 'BMW · sales · China: 714,500 vehicles'."""
    rec = e.about

    def name(i: str) -> str:
        return names.get(i, i)

    if isinstance(rec, Figure):
        subject = name(rec.company) if rec.company else one_line(rec.scope or "")
        value = "; ".join(x for x in (amount(rec.value, printed=False), change(rec.change)) if x)
        return f"{subject} · {rec.metric} · {one_line(rec.region)}: {value}"
    owner = deal_label(rec, name) if isinstance(rec, Deal) else one_line(rec.name)
    what = one_line(rec.title) if e.kind == "deal" and isinstance(rec, Deal) else one_line(e.event)
    return f"{owner}: {what}"


def event_json(e: Event, sources: dict[str, Source], names: dict[str, str]) -> dict[str, Any]:
    return {
        "date": e.date.to_json(),
        "kind": e.kind,
        "event": one_line(e.event),
        "status": e.status,
        "record_status": e.record_status,
        **plan_json(e.plan, e.sources, sources),
        "companies": list(e.companies),
        "description": describe(e, names),
        "record": e.record,
        "record_type": e.record_type,
        "sources": _src(sources, e.sources),
        "conflicts": list(e.conflicts),
    }


def event_row(e: Event, sources: dict[str, Source], names: dict[str, str]) -> dict[str, Any]:
    return {
        **date_columns("date", e.date, ("precision", "start", "end")),
        "kind": e.kind,
        "event": one_line(e.event),
        "status": e.status,
        "record_status": e.record_status,
        **_plan_columns(e, sources),
        "companies": ";".join(e.companies),
        "description": describe(e, names),
        "record": e.record,
        "record_type": e.record_type,
        "sources": ";".join(e.sources),
        "published": ";".join(sources[s].published.text if s in sources else "" for s in e.sources),
        "conflicts": ";".join(e.conflicts),
    }


def _plan_columns(e: Event, sources: dict[str, Source]) -> dict[str, Any]:
    p = plan_json(e.plan, e.sources, sources)
    done = p["reported_done"]
    return {**p, "reported_done": done["source"] if done else None}


# --- graph: JSON ---------------------------------------------------------------------------


def graph_json(g: Graph) -> dict[str, Any]:
    return {
        "focus": g.focus,
        "nodes": [{"id": n.id, "name": node_name(n), "kind": n.kind, "parents": list(n.parents)} for n in g.nodes],
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




def node_name(n: Node) -> str:
    """A graph node's name: a company's, or the partner as the article describes it."""
    return one_line(n.name) if n.kind == "unnamed" else n.name
