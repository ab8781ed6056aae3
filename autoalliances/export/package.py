"""``export csv``: a data release, one CSV file per table of the SQLite export and a Frictionless ``datapackage.json``.

The tables are those of the SQLite export, filled by the same code
(``sqlite.fill_sqlite`` into an in-memory database), so the CSV files have
the same table and column names and the same rows, in the same order. The
descriptor is read off that database: field types from the declared column
types (ISO day columns as ``date``), ``required`` from ``NOT NULL``,
``enum`` from the closed lists' ``CHECK (... IN (...))``, primary and foreign
keys from SQLite's own catalogue, descriptions from ``describe.py``.

CSV: UTF-8 without a byte-order mark, comma-separated, ``"`` quoting, CRLF
line ends (RFC 4180, Frictionless' default dialect), a header row; an empty
field is a missing value (SQL NULL). Values are written exactly, for typed
loaders; no spreadsheet formula neutralisation is applied.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import sqlite3
from typing import Any

from ..query.registry import Registry
from ..version import __version__
from .describe import DESCRIPTION, LICENSE, TABLES, TITLE, column_description, fact_base_version
from .schema import EXPORT_SCHEMA
from .sqlite import fill_sqlite

DESCRIPTOR = "datapackage.json"
_CHECK_IN = re.compile(r"CHECK \((\w+) IN \(([^)]*)\)\)")
_TYPES = {"INTEGER": "integer", "NUMERIC": "number", "REAL": "number", "TEXT": "string"}


def _enums(sql: str) -> dict[str, list[Any]]:
    """Column -> allowed values, from the table's ``CHECK (col IN (...))`` clauses."""
    out: dict[str, list[Any]] = {}
    for col, values in _CHECK_IN.findall(sql):
        items = [v.strip() for v in values.split(",")]
        out[col] = [v[1:-1] if v.startswith("'") else int(v) for v in items]
    return out


def _date_prefixes(columns: list[str]) -> set[str]:
    """Date columns: those that come with a ``_precision`` column (``announced`` -> ``announced_precision``)."""
    return {c for c in columns if f"{c}_precision" in columns}


def table_schema(conn: sqlite3.Connection, table: str, sql: str) -> dict[str, Any]:
    """The Table Schema of one exported table."""
    info = conn.execute(f"PRAGMA table_info({table})").fetchall()  # cid, name, type, notnull, default, pk
    names = [row[1] for row in info]
    dates = _date_prefixes(names)
    enums = _enums(sql)
    fields = []
    for _, name, decl, notnull, _, pk in info:
        ftype = _TYPES.get(decl.upper(), "any")
        if ftype == "string" and name.endswith(("_start", "_end")) and name.rsplit("_", 1)[0] in dates:
            ftype = "date"
        field: dict[str, Any] = {"name": name, "type": ftype}
        described = column_description(name, dates)
        if described:
            field["description"] = described
        constraints: dict[str, Any] = {}
        if notnull or pk:
            constraints["required"] = True
        if name in enums:
            constraints["enum"] = enums[name]
        if constraints:
            field["constraints"] = constraints
        fields.append(field)
    schema: dict[str, Any] = {"fields": fields, "missingValues": [""]}
    pk = [row[1] for row in sorted(info, key=lambda r: r[5]) if row[5]]
    if pk:
        schema["primaryKey"] = pk
    keys: dict[int, dict[str, Any]] = {}
    for fk_id, _, target, col, target_col, *_ in conn.execute(f"PRAGMA foreign_key_list({table})"):
        key = keys.setdefault(fk_id, {"fields": [], "reference": {"resource": "" if target == table else target, "fields": []}})
        key["fields"].append(col)
        key["reference"]["fields"].append(target_col)
    if keys:
        schema["foreignKeys"] = [keys[k] for k in sorted(keys)]
    return schema


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)  # the shortest text that reads back as the same number
    return str(value)


def table_csv(conn: sqlite3.Connection, table: str) -> bytes:
    """One table as CSV text (UTF-8, CRLF), rows in the export's order."""
    cur = conn.execute(f"SELECT * FROM {table} ORDER BY rowid")
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([d[0] for d in cur.description])
    for row in cur:
        writer.writerow([_cell(v) for v in row])
    return buf.getvalue().encode("utf-8")


def source_entries(reg: Registry) -> list[dict[str, Any]]:
    """The articles as the package's ``sources``: who published what, when."""
    out = []
    for s in reg.sources():
        when = f"published {s.published.label}" if s.published.known else "publication date not stated"
        entry: dict[str, Any] = {"title": f"{s.outlet or 'outlet not named'}, {when}: {s.title or s.file} ({s.id})"}
        url = getattr(s, "url", None)
        if isinstance(url, str) and url:
            entry["path"] = url
        out.append(entry)
    return out


def data_package(reg: Registry) -> dict[str, bytes]:
    """Every file of the release: '<table>.csv' for each table and ``datapackage.json``."""
    conn = sqlite3.connect(":memory:")
    try:
        fill_sqlite(conn, reg)
        tables = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY rowid").fetchall()
        files: dict[str, bytes] = {}
        resources = []
        for name, sql in tables:
            data = table_csv(conn, name)
            files[f"{name}.csv"] = data
            resources.append(
                {
                    "name": name,
                    "path": f"{name}.csv",
                    "profile": "tabular-data-resource",
                    "description": TABLES.get(name, ""),
                    "format": "csv",
                    "mediatype": "text/csv",
                    "encoding": "utf-8",
                    "bytes": len(data),
                    "hash": "sha256:" + hashlib.sha256(data).hexdigest(),
                    "schema": table_schema(conn, name, sql),
                }
            )
    finally:
        conn.close()
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode("utf-8") + b"\0" + files[name] + b"\0")
    descriptor = {
        "profile": "tabular-data-package",
        "name": "autoalliances-facts",
        "id": f"urn:sha256:{digest.hexdigest()}",
        "title": TITLE,
        "description": DESCRIPTION,
        "version": fact_base_version(reg),
        "licenses": [LICENSE],
        "sources": source_entries(reg),
        "keywords": ["automotive", "china", "alliances", "partnerships", "sourced"],
        "contributors": [{"title": "autoalliances", "role": "publisher"}],
        "autoalliances": {"tool_version": __version__, "export_schema": EXPORT_SCHEMA},
        "resources": resources,
    }
    files[DESCRIPTOR] = (json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    return files
