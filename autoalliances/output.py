"""Every way a result leaves the program: table, json, jsonl, csv, markdown.

Commands hand records here; this module turns them into the chosen format
and writes them to stdout. The shapes are documented in the README:

- json: a list command prints an array of record objects; ``company`` and
  ``show`` print one object. Dates are objects with ``text``, ``precision``,
  ``start``, ``end`` (ISO days), ``by`` and ``label``; numbers are numbers;
  ``sources`` holds every article the record cites, in full.
- jsonl: one record object per line.
- csv / markdown: one flat row per record, lists joined with ``;``.
- table: rich tables for people (``tables.py``), imported only when used, so
  the machine formats never load rich.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from typing import Any, Iterable, Sequence

from .codec import to_plain
from .errors import UsageError
from .records import Company, Conflict, Deal, Figure, Model, Record, Source, System
from .registry import Dossier, Registry
from .store import cited_sources
from .text import amount, change, milestone, safe

FORMATS = ("table", "json", "jsonl", "csv", "markdown")


class Context:
    """Lookups an output needs beyond the records: names, sources, conflicts."""

    def __init__(self, reg: Registry, records: Sequence[Record]) -> None:
        self.reg = reg
        self.sources: dict[str, Source] = reg.sources_of(records)
        self.conflicts: dict[str, list[str]] = reg.conflicts_of(r.id for r in records)
        refs: list[str] = []
        for r in records:
            for attr in ("company", "partners", "maker", "producer", "vendor", "systems", "models", "platform", "family", "parents", "attributed_to", "system", "model"):
                v = getattr(r, attr, None)
                if isinstance(v, str):
                    refs.append(v)
                elif isinstance(v, list):
                    refs.extend(v)
        self._names = reg.names(refs)

    def name(self, id_: str | None) -> str:
        return "" if id_ is None else self._names.get(id_, id_)


# --- JSON ----------------------------------------------------------------------------


def source_json(s: Source) -> dict[str, Any]:
    return {
        "id": s.id,
        "title": s.title,
        "outlet": s.outlet,
        "published": s.published.to_json(),
        "author": s.author,
        "language": s.language,
        "file": s.file,
    }


def _plain(obj: Any) -> Any:
    """Output form of a record part: dates as objects, amounts with ``absolute``."""
    data = to_plain(obj, dates="json")
    _add_absolute(obj, data)
    return data


def _add_absolute(obj: Any, data: Any) -> None:
    from .records import Amount

    if isinstance(obj, Amount):
        data["absolute"] = obj.absolute
        for e, ed in zip(obj.equivalents, data["equivalents"]):
            _add_absolute(e, ed)
    elif isinstance(obj, list):
        for o, d in zip(obj, data):
            _add_absolute(o, d)
    elif hasattr(obj, "__dataclass_fields__"):
        for k in obj.__dataclass_fields__:
            _add_absolute(getattr(obj, k), data.get(k))


def record_json(rec: Record, ctx: Context) -> dict[str, Any]:
    """The documented JSON object of one record."""
    out: dict[str, Any] = {"type": rec.TYPE}
    out.update(_plain(rec))
    if not isinstance(rec, Source):
        out.pop("sources", None)  # moved to the end, expanded
        out["sources"] = [source_json(ctx.sources[s]) for s in cited_sources(rec) if s in ctx.sources]
        out["conflicts"] = ctx.conflicts.get(rec.id, [])
    return out


def dossier_json(d: Dossier, ctx: Context) -> dict[str, Any]:
    recs = d.records()
    return {
        "company": record_json(d.company, ctx),
        "parents": [c.id for c in d.parents],
        "units": [c.id for c in d.children],
        "deals": [record_json(x, ctx) for x in d.deals],
        "models": [record_json(x, ctx) for x in d.models],
        "systems": [record_json(x, ctx) for x in d.systems],
        "figures": [record_json(x, ctx) for x in d.figures],
        "conflicts": [record_json(x, ctx) for x in d.conflicts],
        "sources": [source_json(ctx.sources[s]) for s in _all_sources(recs) if s in ctx.sources],
    }


def _all_sources(records: Iterable[Record]) -> list[str]:
    ids: list[str] = []
    for r in records:
        ids += cited_sources(r)
    return sorted(dict.fromkeys(ids))


_C1 = {c: f"\\u{c:04x}" for c in range(0x80, 0xA0)}


def dumps(obj: Any, *, indent: int | None = 2) -> str:
    """JSON text: UTF-8 kept readable, every control character escaped."""
    text = json.dumps(obj, ensure_ascii=False, indent=indent, separators=(",", ": ") if indent else (",", ":"))
    return text.translate(_C1)


# --- flat rows (csv, markdown) ---------------------------------------------------------


def _join(items: Iterable[str]) -> str:
    return ";".join(items)


def _src_cols(rec: Record, ctx: Context) -> dict[str, Any]:
    ids = cited_sources(rec)
    return {
        "sources": _join(ids),
        "published": _join(ctx.sources[s].published.text if s in ctx.sources else "" for s in ids),
        "conflicts": _join(ctx.conflicts.get(rec.id, [])),
    }


def _amount_cols(prefix: str, a: Any) -> dict[str, Any]:
    return {
        prefix: a.absolute if a else None,
        f"{prefix}_unit": a.unit if a else None,
        f"{prefix}_qualifier": a.qualifier if a else None,
    }


def flat_row(rec: Record, ctx: Context) -> dict[str, Any]:
    """One record as a flat row; the columns are fixed per record type."""
    if isinstance(rec, Deal):
        row = {
            "id": rec.id,
            "announced": rec.announced.text,
            "announced_precision": rec.announced.precision,
            "company": rec.company,
            "partners": _join(rec.partners),
            "unnamed_partner": rec.unnamed_partner,
            "kind": rec.kind,
            "domains": _join(rec.domains),
            "status": rec.status,
            **_amount_cols("value", rec.value),
            "title": rec.title,
            "models": _join(rec.models),
            "systems": _join(rec.systems),
        }
    elif isinstance(rec, Company):
        row = {
            "id": rec.id,
            "name": rec.name,
            "kind": rec.kind,
            "country": rec.country,
            "aliases": _join(rec.aliases),
            "parents": _join(rec.parents),
        }
    elif isinstance(rec, Model):
        row = {
            "id": rec.id,
            "name": rec.name,
            "maker": rec.maker,
            "producer": rec.producer,
            "powertrains": _join(rec.powertrains),
            "platform": rec.platform,
            "market": rec.market,
            "systems": _join(rec.systems),
            "milestones": _join(f"{m.date.text} {m.event} ({m.status})" for m in rec.milestones),
        }
    elif isinstance(rec, System):
        row = {
            "id": rec.id,
            "name": rec.name,
            "kind": rec.kind,
            "vendor": rec.vendor,
            "version": rec.version,
            "family": rec.family,
            "aliases": _join(rec.aliases),
        }
    elif isinstance(rec, Figure):
        row = {
            "id": rec.id,
            "period": rec.period.text,
            "period_precision": rec.period.precision,
            "company": rec.company,
            "scope": rec.scope,
            "metric": rec.metric,
            "region": rec.region,
            "status": rec.status,
            **_amount_cols("value", rec.value),
            "change": rec.change.amount if rec.change else None,
            "change_unit": rec.change.unit if rec.change else None,
            "description": rec.description,
        }
    elif isinstance(rec, Source):
        return {
            "id": rec.id,
            "published": rec.published.text,
            "published_precision": rec.published.precision,
            "outlet": rec.outlet,
            "title": rec.title,
            "author": rec.author,
            "language": rec.language,
            "original_language": rec.original_language,
            "translation": rec.translation,
            "file": rec.file,
        }
    elif isinstance(rec, Conflict):
        return {
            "id": rec.id,
            "kind": rec.kind,
            "topic": rec.topic,
            "records": _join(rec.records),
            "readings": _join(f"{r.source}: {r.text}" for r in rec.readings),
            "note": rec.note,
            "sources": _join(rec.sources),
        }
    else:  # pragma: no cover - every record type is handled above
        raise TypeError(type(rec))
    row.update(_src_cols(rec, ctx))
    return row


def summary_row(rec: Record, ctx: Context) -> dict[str, Any]:
    """A row any record fits: for mixed lists (search, a company's dossier)."""
    when = ""
    if isinstance(rec, Deal):
        when, what = rec.announced.text, f"{rec.kind} with {', '.join(map(ctx.name, rec.partners)) or rec.unnamed_partner}"
    elif isinstance(rec, Figure):
        when, what = rec.period.text, f"{rec.metric} {amount(rec.value)} {change(rec.change)}".strip()
    elif isinstance(rec, Model):
        what = "; ".join(milestone(m) for m in rec.milestones)
    elif isinstance(rec, System):
        what = f"{rec.kind} by {ctx.name(rec.vendor)}" if rec.vendor else rec.kind
    elif isinstance(rec, Company):
        what = f"{rec.kind}, {rec.country}" if rec.country else rec.kind
    elif isinstance(rec, Source):
        when, what = rec.published.text, rec.outlet or ""
    else:
        what = rec.kind  # type: ignore[union-attr]
    return {"type": rec.TYPE, "id": rec.id, "name": rec.name, "date": when, "summary": what, **_src_cols(rec, ctx)}


def list_fields(available: Sequence[str]) -> None:
    """``--fields`` given with no value: the valid fields, one per line."""
    note("valid fields for --fields (comma-separated, in the order wanted):")
    _write("".join(f"{f}\n" for f in available))


def _select(rows: list[dict[str, Any]], fields: Sequence[str] | None, available: Sequence[str]) -> list[dict[str, Any]]:
    if fields is None:
        return rows
    unknown = [f for f in fields if f not in available]
    if unknown:
        raise UsageError(f"unknown field {unknown[0]!r}; valid fields: {', '.join(available)}")
    return [{f: r.get(f) for f in fields} for r in rows]


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    return safe(str(v))


def write_csv(rows: list[dict[str, Any]], columns: Sequence[str], out: Any) -> None:
    w = csv.writer(out, lineterminator="\n")
    w.writerow([_cell(c) for c in columns])  # headers can be data too (the matrix's partner names)
    for r in rows:
        w.writerow([_cell(r.get(c)) for c in columns])


def write_markdown(rows: list[dict[str, Any]], columns: Sequence[str], out: Any) -> None:
    def esc(v: Any) -> str:
        return _cell(v).replace("\\", "\\\\").replace("|", "\\|").replace("\n", "<br>")

    out.write("| " + " | ".join(esc(c) for c in columns) + " |\n")
    out.write("|" + "|".join("---" for _ in columns) + "|\n")
    for r in rows:
        out.write("| " + " | ".join(esc(r.get(c)) for c in columns) + " |\n")


# --- dispatch --------------------------------------------------------------------------


def _write(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()


def note(message: str) -> None:
    """A one-line note for people, on stderr."""
    sys.stderr.write(safe(message) + "\n")


def columns(kind: str) -> list[str]:
    """The flat columns of a record type, or of 'mixed' lists (csv, markdown, --fields)."""
    if not _COLUMNS:
        _init_columns()
    return list(_COLUMNS[kind])


def json_fields(kind: str) -> list[str]:
    """The top-level keys of a record type's JSON object."""
    if not _JSON_FIELDS:
        _init_columns()
    return list(_JSON_FIELDS.get(kind, _JSON_FIELDS["mixed"]))


def emit_records(kind: str, records: Sequence[Record], fmt: str, reg: Registry, *, fields: Sequence[str] | None = None, title: str | None = None) -> None:
    """Print a list of records of one type (or of mixed types when *kind* is 'mixed')."""
    if fields == []:
        return list_fields(columns(kind) if fmt in ("csv", "markdown") else json_fields(kind))
    ctx = Context(reg, records)
    if fmt in ("json", "jsonl"):
        objs = [record_json(r, ctx) for r in records]
        if fields:
            avail = list(dict.fromkeys(k for o in objs for k in o)) or json_fields(kind)
            objs = _select(objs, fields, avail)
        if fmt == "json":
            _write(dumps(objs) + "\n")
        else:
            _write("".join(dumps(o, indent=None) + "\n" for o in objs))
        return
    if fmt in ("csv", "markdown"):
        cols = columns(kind)
        rows = [(summary_row if kind == "mixed" else flat_row)(r, ctx) for r in records]
        if fields:
            rows = _select(rows, fields, cols)
            cols = list(fields)
        buf = io.StringIO()
        (write_csv if fmt == "csv" else write_markdown)(rows, cols, buf)
        _write(buf.getvalue())
        if not records and fmt == "markdown":
            note(f"no {title or kind} match")
        return
    if not records:
        note(f"no {title or kind} match")
        return
    from .tables import render_list

    render_list(kind, records, ctx, title=title)


def emit_dossier(d: Dossier, fmt: str, reg: Registry, *, fields: Sequence[str] | None = None) -> None:
    ctx = Context(reg, d.records())
    if fmt == "json" and fields == []:
        return list_fields(list(dossier_json(d, ctx)))
    if fmt == "json":
        obj = dossier_json(d, ctx)
        _write(dumps(_select([obj], fields, list(obj))[0]) + "\n")
    elif fmt in ("jsonl", "csv", "markdown"):
        emit_records("mixed", d.records(), fmt, reg, fields=fields)
    else:
        from .tables import render_dossier

        render_dossier(d, ctx)


def emit_record(rec: Record, fmt: str, reg: Registry, *, fields: Sequence[str] | None = None) -> None:
    """One record in full (``show``): with its conflicts and what refers to it."""
    ctx = Context(reg, [rec])
    conflicts = [reg.get(c) for c in ctx.conflicts.get(rec.id, [])]
    referrers = reg.referrers(rec.id)
    if fmt == "json" and fields == []:
        return list_fields([*json_fields(rec.TYPE), "conflict_details", "referenced_by"])
    if fmt == "json":
        obj = record_json(rec, ctx)
        cctx = Context(reg, conflicts)
        obj["conflict_details"] = [record_json(c, cctx) for c in conflicts]
        obj["referenced_by"] = [{"type": r.TYPE, "id": r.id} for r in referrers]
        _write(dumps(_select([obj], fields, list(obj))[0]) + "\n")
    elif fmt in ("jsonl", "csv", "markdown"):
        emit_records(rec.TYPE, [rec], fmt, reg, fields=fields)
    else:
        from .tables import render_record

        render_record(rec, ctx, conflicts, referrers)


_COLUMNS: dict[str, list[str]] = {}
_JSON_FIELDS: dict[str, list[str]] = {}


def _init_columns() -> None:
    """Column lists per type, read off the row builders with empty sample records."""
    import dataclasses

    from .dates import FuzzyDate
    from .records import TYPE_NAMES

    class _Ctx:
        sources: dict = {}
        conflicts: dict = {}

        def name(self, i: str | None) -> str:
            return i or ""

    d = FuzzyDate.parse("unknown")
    for t, cls in TYPE_NAMES.items():
        kw: dict[str, Any] = {}
        for f in dataclasses.fields(cls):
            if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:  # type: ignore[misc]
                kw[f.name] = d if "FuzzyDate" in str(f.type) else ([] if "list" in str(f.type) else "x")
        sample = cls(**kw)
        _COLUMNS[t] = list(flat_row(sample, _Ctx()))  # type: ignore[arg-type]
        _JSON_FIELDS[t] = ["type", *(f.name for f in dataclasses.fields(cls))] + ([] if t == "source" else ["conflicts"])
    _COLUMNS["mixed"] = ["type", "id", "name", "date", "summary", "sources", "published", "conflicts"]
    _JSON_FIELDS["mixed"] = ["type", "id", "sources", "conflicts"]


# --- landscape: matrix, timeline, graph ------------------------------------------------------
# The shapes are built in ``landscape_formats`` (plain text) and ``tables_landscape`` (rich),
# imported only when used.


def emit_matrix(m: Any, fmt: str, *, title: str | None = None) -> None:
    """The automaker × partner matrix (``landscape.Matrix``) in any of FORMATS."""
    from .landscape_formats import matrix_cell_json, matrix_grid, matrix_json

    if fmt == "json":
        _write(dumps(matrix_json(m)) + "\n")
    elif fmt == "jsonl":
        _write("".join(dumps(matrix_cell_json(m, c), indent=None) + "\n" for c in m.cells))
    elif fmt in ("csv", "markdown"):
        cols, rows = matrix_grid(m)
        buf = io.StringIO()
        (write_csv if fmt == "csv" else write_markdown)(rows, cols, buf)
        _write(buf.getvalue())
    elif m.cells:
        from .tables_landscape import render_matrix

        render_matrix(m, title=title)
    if not m.cells and fmt in ("table", "markdown"):
        note("no deal match")


def emit_timeline(tl: Any, fmt: str, *, fields: Sequence[str] | None = None) -> None:
    """The timeline (``landscape.Timeline``); the count of undated events left out goes to stderr."""
    from .landscape_formats import EVENT_COLUMNS, EVENT_FIELDS, event_json, event_row

    if fields == []:
        return list_fields(EVENT_COLUMNS if fmt in ("csv", "markdown") else EVENT_FIELDS)
    if fmt in ("json", "jsonl"):
        objs = _select([event_json(e, tl.sources) for e in tl.events], fields, EVENT_FIELDS)
        if fmt == "json":
            _write(dumps(objs) + "\n")
        else:
            _write("".join(dumps(o, indent=None) + "\n" for o in objs))
    elif fmt in ("csv", "markdown"):
        cols = list(fields) if fields else EVENT_COLUMNS
        rows = _select([event_row(e, tl.sources) for e in tl.events], fields, EVENT_COLUMNS)
        buf = io.StringIO()
        (write_csv if fmt == "csv" else write_markdown)(rows, cols, buf)
        _write(buf.getvalue())
    elif tl.events:
        from .tables_landscape import render_timeline

        render_timeline(tl)
    if not tl.events and fmt in ("table", "markdown"):
        note("no event match")
    if tl.left_out:
        n = tl.left_out
        note(f"{n} undated event{'s' if n != 1 else ''} left out (--undated lists {'them' if n != 1 else 'it'} at the end)")


def emit_graph(g: Any, fmt: str) -> None:
    """The partnership network (``landscape.Graph``) as Mermaid, DOT or JSON."""
    from .landscape_formats import dot, graph_json, mermaid

    if fmt == "json":
        _write(dumps(graph_json(g)) + "\n")
    elif fmt == "dot":
        _write(dot(g))
    else:
        _write(mermaid(g))
    if not any(e.relation == "deal" for e in g.edges):
        note("no deal match")
