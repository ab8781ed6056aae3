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
from ..model.provenance import distinct_reasons
from ..query.views import Dossier, Listing, RecordView
from . import flat, shapes
from .escape import markdown_cell
from .marks import Marks
from .writers import dumps, list_fields, note, select, write, write_csv, write_markdown

if TYPE_CHECKING:  # the landscape and the loader are imported only by the commands that use them
    from ..load.loader import Validation
    from ..query.landscape import Graph, Matrix, Timeline

Writer = Callable[[Sequence[dict[str, Any]], Sequence[str], IO[str]], None]
_FLAT: dict[str, Writer] = {"csv": write_csv, "markdown": write_markdown}


def _json_out(objs: list[dict[str, Any]], fmt: str) -> None:
    if fmt == "json":
        write(dumps(objs) + "\n", json=True)
    else:
        write("".join(dumps(o, indent=None) + "\n" for o in objs), json=True)


def _flat_out(rows: Sequence[dict[str, Any]], cols: Sequence[str], fmt: str, marks: Marks | None = None) -> None:
    buf = io.StringIO()
    _FLAT[fmt](rows, cols, buf)
    if fmt == "markdown" and marks is not None and marks.footnotes():  # what the daggers in the cells mean
        buf.write("".join(f"\n{markdown_cell(line)}\n" for line in marks.footnotes()))  # reasons are data: escaped
    write(buf.getvalue())


def _marks(fmt: str, shown: Sequence[object], stated_only: bool) -> Marks:
    """Markers for Markdown (read by people); plain values, inferred ones hidden with --stated-only, for CSV."""
    return Marks(stated_only=stated_only, markers=fmt == "markdown", numbered=distinct_reasons(shown) > 1)


def emit_records(listing: Listing, fmt: str, *, fields: Sequence[str] | None = None) -> None:
    """Print a list of records of one type (or of mixed types when its kind is 'mixed').

    A search listing adds where each record matched: ``match`` in JSON
    (``shapes.match_json``), a ``match`` column with the snippet in CSV and Markdown.
    """
    kind, records, lk, matches = listing.kind, listing.records, listing.lookups, listing.matches
    extra = ["match"] if matches is not None else []
    if fmt in ("json", "jsonl"):
        avail = [*shapes.json_fields(kind, lk.stated_only), *extra]
        if fields == []:
            return list_fields(avail)
        objs = [shapes.record_json(r, lk) for r in records]
        if matches is not None:
            for o, r in zip(objs, records, strict=True):
                o["match"] = shapes.match_json(matches[r.id]) if r.id in matches else None
        if fields:
            avail = list(dict.fromkeys(k for o in objs for k in o)) or avail
            objs = select(objs, fields, avail)
        return _json_out(objs, fmt)
    if fmt in _FLAT:
        cols = [*flat.columns(kind), *extra]
        if fields == []:
            return list_fields(cols)
        build = flat.summary_row if kind == "mixed" else flat.flat_row
        marks = _marks(fmt, records, lk.stated_only)
        rows = [build(r, lk, marks) for r in records]
        if matches is not None:
            for row, r in zip(rows, records, strict=True):
                row["match"] = matches[r.id].text if r.id in matches else None
        if fields:
            rows = select(rows, fields, cols)
            cols = list(fields)
        _flat_out(rows, cols, fmt, marks)
        if not records and fmt == "markdown":
            note(listing.none or f"no {listing.title or kind} match")
        return
    if fields == []:
        return list_fields([*shapes.json_fields(kind, lk.stated_only), *extra])
    if not records:
        note(listing.none or f"no {listing.title or kind} match")
        return
    from .lists import render_list

    render_list(listing)


def emit_dossier(d: Dossier, fmt: str, *, fields: Sequence[str] | None = None) -> None:
    if fmt == "json" and fields == []:
        return list_fields(list(shapes.dossier_json(d)))
    if fmt == "json":
        obj = shapes.dossier_json(d)
        write(dumps(select([obj], fields, list(obj))[0]) + "\n", json=True)
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
        write(dumps(select([obj], fields, list(obj))[0]) + "\n", json=True)
    elif fmt in ("jsonl", *_FLAT):
        emit_records(Listing(rec.TYPE, [rec], view.lookups), fmt, fields=fields)
    else:
        from .documents import render_record

        render_record(view)


# --- landscape: matrix, timeline, graph ------------------------------------------------------


def emit_matrix(m: Matrix, fmt: str, *, title: str | None = None) -> None:
    """The automaker × partner matrix in any format."""
    from .landscape import matrix_cells_json, matrix_grid, matrix_json

    if fmt == "json":
        write(dumps(matrix_json(m)) + "\n", json=True)
    elif fmt == "jsonl":
        write("".join(dumps(c, indent=None) + "\n" for c in matrix_cells_json(m)), json=True)
    elif fmt in _FLAT:
        marks = _marks(fmt, m.cells, m.stated_only)
        cols, rows = matrix_grid(m, marks)
        _flat_out(rows, cols, fmt, marks)
    elif m.cells:
        from .landscape_tables import render_matrix

        render_matrix(m, title=title)
    if not m.cells and fmt in ("table", "markdown"):
        note("no deal match")
    _left_out(m.left_out)


def _left_out(n: int) -> None:
    """With --stated-only: the deals that could not be placed, because a side of them is the editors' inference."""
    if n:
        their = "their" if n != 1 else "its"
        note(f"{n} deal{'s' if n != 1 else ''} left out: the editors inferred {their} automaker side or partner (--stated-only)")


def emit_timeline(tl: Timeline, fmt: str, *, fields: Sequence[str] | None = None, noun: str = "event") -> None:
    """The timeline; the count of undated events left out goes to stderr."""
    from .landscape import EVENT_COLUMNS, EVENT_FIELDS, event_json, event_row

    if fields == []:
        return list_fields(EVENT_COLUMNS if fmt in _FLAT else EVENT_FIELDS)
    if fmt in ("json", "jsonl"):
        _json_out(select([event_json(e, tl.sources, tl.names, tl.stated_only) for e in tl.events], fields, EVENT_FIELDS), fmt)
    elif fmt in _FLAT:
        cols = list(fields) if fields else EVENT_COLUMNS
        marks = _marks(fmt, [*tl.events, *(e.about for e in tl.events)], tl.stated_only)
        rows = [event_row(e, tl.sources, tl.names, marks if marks.markers else None, tl.stated_only) for e in tl.events]
        _flat_out(select(rows, fields, EVENT_COLUMNS), cols, fmt, marks)
    elif tl.events:
        from .landscape_tables import render_timeline

        render_timeline(tl)
    if not tl.events and fmt in ("table", "markdown"):
        note(f"no {noun} match")
    if tl.left_out:
        n = tl.left_out
        why = "; with --stated-only an inferred date counts as unknown" if tl.stated_only else ""
        note(f"{n} undated event{'s' if n != 1 else ''} left out (--undated lists {'them' if n != 1 else 'it'} at the end{why})")


def emit_plans(tl: Timeline, fmt: str, *, fields: Sequence[str] | None = None) -> None:
    """The agenda of plans: the timeline's event shapes for scripts, a table of its own for people."""
    if fmt != "table":
        emit_timeline(tl, fmt, fields=fields, noun="plan")
    elif tl.events:
        from .landscape_tables import render_plans

        render_plans(tl)
    else:
        note("no plan match")


def emit_graph(g: Graph, fmt: str) -> None:
    """The partnership network as Mermaid, DOT or JSON."""
    if fmt == "json":
        from .landscape import graph_json

        write(dumps(graph_json(g)) + "\n", json=True)
    else:
        from .diagrams import dot, mermaid

        write(dot(g) if fmt == "dot" else mermaid(g))
    if not any(e.relation == "deal" for e in g.edges):
        note("no deal match")
    _left_out(g.left_out)


# --- validation ---------------------------------------------------------------------------------


VALIDATION_COLUMNS = ("file", "line", "field", "message")


def emit_validation(v: Validation, fmt: str) -> None:
    """The validation report: JSON for scripts; CSV and Markdown as one row per error (only the
    header when there is none), the summary on stderr; for people, "OK" on stdout or every error
    on stderr, one per line, never wrapped, by file and line (as every command reports invalid
    fact files)."""
    errors = in_file_order(v.errors)
    rows = [{"file": e.path, "line": e.line, "field": e.field, "message": e.message} for e in errors]
    if fmt in ("json", "jsonl"):
        report = {"valid": v.valid, "files": v.files, "records": v.records, "errors": rows}
        write(dumps(report, indent="auto" if fmt == "json" else None) + "\n", json=True)
    elif fmt in _FLAT:
        _flat_out(rows, VALIDATION_COLUMNS, fmt)
        n = len(errors)
        files = f"{v.files} file{'s' if v.files != 1 else ''}"
        note(f"{n} error{'s' if n != 1 else ''} in {files}" if n else f"OK: {v.records} records in {v.files} files")
    elif v.errors:
        from .documents import render_errors

        render_errors(errors, v.files)
    else:
        write(f"OK: {v.records} records in {v.files} files\n")
