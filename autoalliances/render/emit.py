"""Every way a result leaves the program: table, json, jsonl, csv, markdown.

Commands hand what the registry assembled (a ``Listing``, a ``Dossier``, a
``RecordView``, a landscape) to one of the ``emit_*`` functions with a
format; each picks the shape (``shapes``, ``landscape``), the writer
(``writers``) or, for the table format, the rich renderer, imported only
then, so the machine formats never load rich. The shapes are documented in
the README.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from typing import IO, TYPE_CHECKING, Any

from ..errors import in_file_order
from ..query.views import Dossier, Listing, RecordView
from . import shapes
from .writers import dumps, list_fields, note, select, write, write_csv, write_markdown

if TYPE_CHECKING:  # the landscape and the loader are imported only by the commands that use them
    from ..load.loader import Validation
    from ..query.landscape import Graph, Matrix, Timeline

Writer = Callable[[Sequence[dict[str, Any]], Sequence[str], IO[str]], None]
_FLAT: dict[str, Writer] = {"csv": write_csv, "markdown": write_markdown}


def _json_out(objs: list[dict[str, Any]], fmt: str) -> None:
    if fmt == "json":
        write(dumps(objs) + "\n")
    else:
        write("".join(dumps(o, indent=None) + "\n" for o in objs))


def _flat_out(rows: Sequence[dict[str, Any]], cols: Sequence[str], fmt: str) -> None:
    buf = io.StringIO()
    _FLAT[fmt](rows, cols, buf)
    write(buf.getvalue())


def emit_records(listing: Listing, fmt: str, *, fields: Sequence[str] | None = None) -> None:
    """Print a list of records of one type (or of mixed types when its kind is 'mixed').

    A search listing adds where each record matched: ``match`` in JSON
    (``shapes.match_json``), a ``match`` column with the snippet in CSV and Markdown.
    """
    kind, records, lk, matches = listing.kind, listing.records, listing.lookups, listing.matches
    extra = ["match"] if matches is not None else []
    if fmt in ("json", "jsonl"):
        avail = [*shapes.json_fields(kind), *extra]
        if fields == []:
            return list_fields(avail)
        objs = [shapes.record_json(r, lk) for r in records]
        if matches is not None:
            for o, r in zip(objs, records, strict=True):
                o["match"] = shapes.match_json(matches[r.id]) if r.id in matches else None
        return _json_out(select(objs, fields, avail) if fields else objs, fmt)
    if fmt in _FLAT:
        cols = [*shapes.columns(kind), *extra]
        if fields == []:
            return list_fields(cols)
        build = shapes.summary_row if kind == "mixed" else shapes.flat_row
        rows = [build(r, lk) for r in records]
        if matches is not None:
            for row, r in zip(rows, records, strict=True):
                row["match"] = matches[r.id].text if r.id in matches else None
        if fields:
            rows = select(rows, fields, cols)
            cols = list(fields)
        _flat_out(rows, cols, fmt)
        if not records and fmt == "markdown":
            note(f"no {listing.title or kind} match")
        return
    if fields == []:
        return list_fields([*shapes.json_fields(kind), *extra])
    if not records:
        note(f"no {listing.title or kind} match")
        return
    from .tables import render_list

    render_list(listing)


def emit_dossier(d: Dossier, fmt: str, *, fields: Sequence[str] | None = None) -> None:
    if fmt == "json" and fields == []:
        return list_fields(list(shapes.dossier_json(d)))
    if fmt == "json":
        obj = shapes.dossier_json(d)
        write(dumps(select([obj], fields, list(obj))[0]) + "\n")
    elif fmt in ("jsonl", *_FLAT):
        emit_records(Listing("mixed", d.records(), d.lookups), fmt, fields=fields)
    else:
        from .documents import render_dossier

        render_dossier(d)


def emit_record(view: RecordView, fmt: str, *, fields: Sequence[str] | None = None) -> None:
    """One record in full (``show``): with its conflicts and what refers to it."""
    rec = view.record
    if fmt == "json" and fields == []:
        return list_fields([*shapes.json_fields(rec.TYPE), "conflict_details", "referenced_by"])
    if fmt == "json":
        obj = shapes.record_json(rec, view.lookups)
        obj["conflict_details"] = [shapes.record_json(c, view.conflict_lookups) for c in view.conflicts]
        obj["referenced_by"] = [{"type": r.TYPE, "id": r.id} for r in view.referrers]
        write(dumps(select([obj], fields, list(obj))[0]) + "\n")
    elif fmt in ("jsonl", *_FLAT):
        emit_records(Listing(rec.TYPE, [rec], view.lookups), fmt, fields=fields)
    else:
        from .documents import render_record

        render_record(view)


# --- landscape: matrix, timeline, graph ------------------------------------------------------


def emit_matrix(m: Matrix, fmt: str, *, title: str | None = None) -> None:
    """The automaker × partner matrix in any format."""
    from .landscape import matrix_cell_json, matrix_grid, matrix_json, matrix_names

    if fmt == "json":
        write(dumps(matrix_json(m)) + "\n")
    elif fmt == "jsonl":
        names = matrix_names(m)
        write("".join(dumps(matrix_cell_json(m, c, names), indent=None) + "\n" for c in m.cells))
    elif fmt in _FLAT:
        cols, rows = matrix_grid(m)
        _flat_out(rows, cols, fmt)
    elif m.cells:
        from .landscape_tables import render_matrix

        render_matrix(m, title=title)
    if not m.cells and fmt in ("table", "markdown"):
        note("no deal match")


def emit_timeline(tl: Timeline, fmt: str, *, fields: Sequence[str] | None = None) -> None:
    """The timeline; the count of undated events left out goes to stderr."""
    from .landscape import EVENT_COLUMNS, EVENT_FIELDS, event_json, event_row

    if fields == []:
        return list_fields(EVENT_COLUMNS if fmt in _FLAT else EVENT_FIELDS)
    if fmt in ("json", "jsonl"):
        _json_out(select([event_json(e, tl.sources, tl.names) for e in tl.events], fields, EVENT_FIELDS), fmt)
    elif fmt in _FLAT:
        cols = list(fields) if fields else EVENT_COLUMNS
        _flat_out(select([event_row(e, tl.sources, tl.names) for e in tl.events], fields, EVENT_COLUMNS), cols, fmt)
    elif tl.events:
        from .landscape_tables import render_timeline

        render_timeline(tl)
    if not tl.events and fmt in ("table", "markdown"):
        note("no event match")
    if tl.left_out:
        n = tl.left_out
        note(f"{n} undated event{'s' if n != 1 else ''} left out (--undated lists {'them' if n != 1 else 'it'} at the end)")


def emit_graph(g: Graph, fmt: str) -> None:
    """The partnership network as Mermaid, DOT or JSON."""
    if fmt == "json":
        from .landscape import graph_json

        write(dumps(graph_json(g)) + "\n")
    else:
        from .diagrams import dot, mermaid

        write(dot(g) if fmt == "dot" else mermaid(g))
    if not any(e.relation == "deal" for e in g.edges):
        note("no deal match")


# --- validation ---------------------------------------------------------------------------------


def emit_validation(v: Validation, fmt: str) -> None:
    """The validation report: JSON for scripts; for people, "OK" on stdout or every error on stderr,
    one per line, never wrapped, by file and line (as every command reports invalid fact files)."""
    errors = in_file_order(v.errors)
    if fmt in ("json", "jsonl"):
        report = {
            "valid": v.valid,
            "files": v.files,
            "records": v.records,
            "errors": [{"file": e.path, "line": e.line, "field": e.field, "message": e.message} for e in errors],
        }
        write(dumps(report, indent=2 if fmt == "json" else None) + "\n")
    elif v.errors:
        from .documents import render_errors

        render_errors(errors, v.files)
    else:
        write(f"OK: {v.records} records in {v.files} files\n")
