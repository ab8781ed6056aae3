"""The whole fact base as one JSON document, records in the ``show --json`` shape."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..model.records import Record
from ..query.registry import Registry
from ..render.shapes import record_json
from ..render.writers import dumps
from ..version import __version__
from .target import write_file

TOOL = "autoalliances"


def all_records(reg: Registry) -> dict[str, list[Record]]:
    """Every record, by fact-file key, each type in the order its list command prints it."""
    return {
        "sources": list(reg.sources()),
        "companies": list(reg.companies()),
        "systems": list(reg.systems()),
        "models": list(reg.models()),
        "deals": list(reg.deals()),
        "figures": list(reg.figures()),
        "conflicts": list(reg.conflicts()),
    }


def document(reg: Registry) -> dict[str, Any]:
    """The whole fact base as one JSON-ready object; records in the ``show --json`` shape."""
    groups = all_records(reg)
    lk = reg.lookups([r for recs in groups.values() for r in recs])
    # Plan states depend on the day they are read on: the document says which day that was.
    doc: dict[str, Any] = {
        "tool": TOOL,
        "version": __version__,
        "today": reg.today.isoformat(),
        "as_of": reg.as_of.isoformat() if reg.as_of else None,
    }
    for key, recs in groups.items():
        doc[key] = [record_json(r, lk) for r in recs]
    return doc


def json_text(reg: Registry, *, indent: int | str | None = None) -> str:
    """The JSON document as text: UTF-8, keys in a fixed order, a trailing newline; compact
    (a file is for programs; *indent* ``"auto"`` indents it on a terminal, for ``-``)."""
    return dumps(document(reg), indent=indent) + "\n"


def write_json(reg: Registry, path: Path, *, force: bool = False) -> int:
    """Write the JSON document to *path*; returns the number of records."""
    text = json_text(reg)
    write_file(path, force, lambda tmp: tmp.write_text(text, encoding="utf-8"))
    return sum(reg.counts().values())
