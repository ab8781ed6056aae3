"""The whole fact base as a normalized SQLite database (schema in ``schema.py``).

Plain functions over a ``Registry``; no typer or rich. The file is written to
a temporary file in the target's folder and renamed into place, so a reader
never sees half a file; an existing file is replaced only with ``force``.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from ..query.registry import Registry
from ..version import __version__
from .document import TOOL, all_records
from .rows import Rows
from .schema import EXPORT_SCHEMA, statements
from .target import write_file


def fill_sqlite(conn: sqlite3.Connection, reg: Registry) -> int:
    """Create the schema in an empty database and write every record; returns the count."""
    groups = all_records(reg)
    rows = Rows()
    for recs in groups.values():
        for rec in recs:
            rows.add_record(rec)
    meta = {
        "tool": TOOL,
        "version": __version__,
        "schema": EXPORT_SCHEMA,
        "sources": json.dumps([s.id for s in groups["sources"]]),
    }
    conn.isolation_level = None  # explicit transactions below
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA journal_mode = MEMORY")
    conn.execute("BEGIN")
    try:
        conn.execute("PRAGMA defer_foreign_keys = ON")  # systems.family refers to systems; checked at COMMIT
        for stmt in statements():
            conn.execute(stmt)
        conn.executemany("INSERT INTO meta (key, value) VALUES (?, ?)", meta.items())
        for table, table_rows in rows.tables.items():
            cols = list(table_rows[0])
            sql = f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
            conn.executemany(sql, [tuple(r[c] for c in cols) for r in table_rows])
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return sum(len(v) for v in groups.values())


def write_sqlite(reg: Registry, path: Path, *, force: bool = False) -> int:
    """Write the SQLite database to *path*; returns the number of records."""
    count = 0

    def fill(tmp: Path) -> None:
        nonlocal count
        conn = sqlite3.connect(tmp)
        try:
            count = fill_sqlite(conn, reg)
        finally:
            conn.close()

    write_file(path, force, fill)
    return count
