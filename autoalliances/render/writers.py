"""Writing results: JSON text, CSV and Markdown tables, and the streams themselves.

``write`` is how every result reaches stdout and ``note`` how every note for
people reaches stderr: the rest of the package never touches ``sys.stdout``.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Sequence
from typing import IO, Any

from ..errors import UsageError
from .text import safe

_C1 = {c: f"\\u{c:04x}" for c in range(0x80, 0xA0)}


def dumps(obj: Any, *, indent: int | None = 2) -> str:
    """JSON text: UTF-8 kept readable, every control character escaped."""
    text = json.dumps(obj, ensure_ascii=False, indent=indent, separators=(",", ": ") if indent else (",", ":"))
    return text.translate(_C1)


def cell_text(v: Any) -> str:
    """A value as the text of a CSV or Markdown cell."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    return safe(str(v))


def write_csv(rows: Sequence[dict[str, Any]], columns: Sequence[str], out: IO[str]) -> None:
    w = csv.writer(out, lineterminator="\n")
    w.writerow([cell_text(c) for c in columns])  # headers can be data too (the matrix's partner names)
    for r in rows:
        w.writerow([cell_text(r.get(c)) for c in columns])


def write_markdown(rows: Sequence[dict[str, Any]], columns: Sequence[str], out: IO[str]) -> None:
    def esc(v: Any) -> str:
        return cell_text(v).replace("\\", "\\\\").replace("|", "\\|").replace("\n", "<br>")

    out.write("| " + " | ".join(esc(c) for c in columns) + " |\n")
    out.write("|" + "|".join("---" for _ in columns) + "|\n")
    for r in rows:
        out.write("| " + " | ".join(esc(r.get(c)) for c in columns) + " |\n")


def select(rows: list[dict[str, Any]], fields: Sequence[str] | None, available: Sequence[str]) -> list[dict[str, Any]]:
    """Only *fields* of each row, in that order; an unknown field is a usage error."""
    if fields is None:
        return rows
    unknown = [f for f in fields if f not in available]
    if unknown:
        raise UsageError(f"unknown field {unknown[0]!r}; valid fields: {', '.join(available)}")
    return [{f: r.get(f) for f in fields} for r in rows]


# --- the streams -------------------------------------------------------------------------------


def write(text: str) -> None:
    """Write a result (or part of one) to stdout."""
    sys.stdout.write(text)
    sys.stdout.flush()


def note(message: str) -> None:
    """A one-line note for people, on stderr."""
    sys.stderr.write(safe(message) + "\n")


def list_fields(available: Sequence[str]) -> None:
    """``--fields`` given with no value: the valid fields, one per line."""
    note("valid fields for --fields (comma-separated, in the order wanted):")
    write("".join(f"{f}\n" for f in available))
