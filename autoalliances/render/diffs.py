"""A diff of two fact trees in every format: JSON, JSONL, CSV, Markdown, and a rich list for people.

- JSON: ``{"old": {"path", "version", "records"}, "new": {...}, "added": [{"type", "id", "name"}],
  "removed": [...], "changed": [{"type", "id", "name", "fields": [{"field", "old", "new"}]}]}``;
  values in their fact-file form (dates as text).
- JSONL, CSV, Markdown: one row per added or removed record and per changed field, with the
  columns ``DIFF_COLUMNS``; in CSV and Markdown a value that is a list or mapping is JSON text.
"""

from __future__ import annotations

import io
import json
from typing import Any

from ..model.records import Record
from ..query.diff import Diff, Side
from .text import one_line, safe
from .writers import dumps, write, write_csv, write_markdown

DIFF_COLUMNS = ["change", "type", "id", "name", "field", "old", "new"]


def _side(s: Side) -> dict[str, Any]:
    return {"path": s.label, "version": s.version, "records": len(s.records)}


def _brief(rec: Record) -> dict[str, Any]:
    return {"type": rec.TYPE, "id": rec.id, "name": rec.name}


def diff_json(d: Diff) -> dict[str, Any]:
    return {
        "old": _side(d.old),
        "new": _side(d.new),
        "added": [_brief(r) for r in d.added],
        "removed": [_brief(r) for r in d.removed],
        "changed": [
            {**_brief(c.record), "fields": [{"field": f.field, "old": f.old, "new": f.new} for f in c.fields]} for c in d.changed
        ],
    }


def diff_rows(d: Diff) -> list[dict[str, Any]]:
    rows = [{"change": "added", **_brief(r), "field": None, "old": None, "new": None} for r in d.added]
    rows += [{"change": "removed", **_brief(r), "field": None, "old": None, "new": None} for r in d.removed]
    for c in d.changed:
        rows += [{"change": "changed", **_brief(c.record), "field": f.field, "old": f.old, "new": f.new} for f in c.fields]
    return rows


def _cell(v: Any) -> Any:
    return json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else v


def emit_diff(d: Diff, fmt: str) -> None:
    if fmt == "json":
        write(dumps(diff_json(d)) + "\n")
    elif fmt == "jsonl":
        write("".join(dumps(r, indent=None) + "\n" for r in diff_rows(d)))
    elif fmt in ("csv", "markdown"):
        buf = io.StringIO()
        rows = [{k: _cell(v) for k, v in r.items()} for r in diff_rows(d)]
        (write_csv if fmt == "csv" else write_markdown)(rows, DIFF_COLUMNS, buf)
        write(buf.getvalue())
    else:
        render_diff(d)


def _label(s: Side) -> str:
    return f"{s.label}" + (f" {s.version}" if s.version else "") + f" ({len(s.records)} records)"


def render_diff(d: Diff) -> None:
    from .console import Text, console

    con = console()
    con.print(Text(f"{_label(d.old)} → {_label(d.new)}", style="bold"))
    con.print(Text(f"{len(d.added)} added, {len(d.removed)} removed, {len(d.changed)} changed", style="dim"))
    for sign, style, recs in (("+", "green", d.added), ("-", "red", d.removed)):
        for r in recs:
            con.print(Text.assemble((f"{sign} {r.TYPE} {r.id}", style), "  ", safe(one_line(r.name))))
    for c in d.changed:
        con.print(Text.assemble((f"~ {c.record.TYPE} {c.record.id}", "yellow"), "  ", safe(one_line(c.record.name))))
        for f in c.fields:
            con.print(Text.assemble(f"    {f.field}: ", (safe(_short(f.old)), "red"), " → ", (safe(_short(f.new)), "green")))


def _short(v: Any, limit: int = 300) -> str:
    text = "null" if v is None else (v if isinstance(v, str) else json.dumps(v, ensure_ascii=False))
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
