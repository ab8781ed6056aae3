"""The whole fact base as a normalized SQLite database (schema in ``schema.py``).

Plain functions over a ``Registry``; no typer or rich. The file is written to
a temporary file in the target's folder and renamed into place, so a reader
never sees half a file; an existing file is replaced only with ``force``.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from ..model.records import Record, Source
from ..query.registry import Registry
from ..version import __version__
from .describe import SEARCH_TABLE, TABLES, datasette_metadata
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
    # A page cache the whole build fits in (KiB; about a KiB per row is ample): SQLite's default
    # of 2 MiB spills pages to the file and reads them back from about 10,000 deals on.
    total = sum(len(v) for v in rows.tables.values())
    conn.execute(f"PRAGMA cache_size = -{max(16384, total)}")
    # The schema's CHECK (col IN (...)) lists are checked once for the whole database, by
    # quick_check before COMMIT, not row by row: SQLite evaluates an IN list per inserted row,
    # which took 70-75% of the insert time. The file keeps every CHECK for later writers.
    conn.execute("PRAGMA ignore_check_constraints = ON")
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
        conn.execute("PRAGMA ignore_check_constraints = OFF")
        problems = [p for (p,) in conn.execute("PRAGMA quick_check") if p != "ok"]
        if problems:
            raise sqlite3.IntegrityError("; ".join(problems))
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return sum(len(v) for v in groups.values())


def write_sqlite(reg: Registry, path: Path, *, force: bool = False, search: bool | None = None) -> int:
    """Write the SQLite database to *path*; returns the number of records.

    *search*: add the full-text index (``add_search_index``); by default, when this SQLite has FTS5.
    """
    count = 0
    if search is None:
        search = fts5_available()

    def fill(tmp: Path) -> None:
        nonlocal count
        conn = sqlite3.connect(tmp)
        try:
            count = fill_sqlite(conn, reg)
            if search:
                add_search_index(conn, [r for recs in all_records(reg).values() for r in recs])
        finally:
            conn.close()

    write_file(path, force, fill)
    return count


# --- full-text search ------------------------------------------------------------------------


def fts5_available() -> bool:
    """Whether this Python's SQLite has the FTS5 extension (checked at run time: builds differ)."""
    conn = sqlite3.connect(":memory:")
    try:
        conn.execute("CREATE VIRTUAL TABLE probe USING fts5(x)")
        return True
    except sqlite3.OperationalError:
        return False
    finally:
        conn.close()


def search_text(rec: Record) -> tuple[str, str, str, str]:
    """(name, aliases, descriptions, notes) of a record, as the full-text index holds them."""
    aliases = "\n".join(getattr(rec, "aliases", []))
    descriptions = [getattr(rec, "description", None), getattr(rec, "title", None) if not isinstance(rec, Source) else None,
                    getattr(rec, "topic", None)]
    notes = getattr(rec, "notes", None)
    if isinstance(notes, list):
        note_text = [n.text for n in notes]
    else:  # a source's notes are one text; a conflict has one note
        note_text = [notes or "", getattr(rec, "note", None) or ""]
    return (
        rec.name,
        aliases,
        "\n".join(dict.fromkeys(d for d in descriptions if d and d != rec.name)),
        "\n".join(t for t in note_text if t),
    )


def add_search_index(conn: sqlite3.Connection, records: list[Record]) -> None:
    """``records_fts``: an FTS5 index over names, aliases, descriptions and notes, one row per record.

    Its rowid is the rowid of the record's row in ``records``, so
    ``SELECT * FROM records WHERE rowid IN (SELECT rowid FROM records_fts WHERE records_fts MATCH 'huawei')``
    finds records; that is also how Datasette's search box uses it (``--metadata``).
    """
    rowids = dict(conn.execute("SELECT id, rowid FROM records"))
    conn.execute("BEGIN")
    try:
        conn.execute(
            f"CREATE VIRTUAL TABLE {SEARCH_TABLE} USING fts5("
            "id UNINDEXED, type UNINDEXED, name, aliases, description, notes, tokenize = 'unicode61 remove_diacritics 2')"
        )
        conn.executemany(
            f"INSERT INTO {SEARCH_TABLE} (rowid, id, type, name, aliases, description, notes) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(rowids[r.id], r.id, r.TYPE, *search_text(r)) for r in records],
        )
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


def write_metadata(db_path: Path, path: Path, *, force: bool = False, search: bool = True) -> None:
    """Datasette's ``metadata.json`` for the database at *db_path*: title, licence, source, table descriptions, search."""
    tables = [t for t in TABLES if t != "meta"] + ["meta"]
    doc = datasette_metadata(db_path.stem, tables, search=search)
    text = json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    write_file(path, force, lambda tmp: tmp.write_text(text, encoding="utf-8"))
