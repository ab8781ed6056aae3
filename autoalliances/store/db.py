"""The compiled fact base: an SQLite database of records plus lookup indexes.

Records are stored as their JSON cache form, one row each; an index table maps
(key, value) pairs such as ("party", "bmw") or ("year", "2025") to record ids,
so a query reads only the rows it returns. The same schema serves the on-disk
cache and the in-memory store used with ``--no-cache``.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from ..model.names import loose_key, name_key
from ..model.records import TYPE_NAMES, R, Record, Source
from .codec import cache_form, from_plain
from .index import index_entries, names_of

if TYPE_CHECKING:  # imported by a build and by a search only: a warm query never needs it
    from .search import Hit

# 3: inferred, alias_sources and conflict nature; 4: NFC + case-folded names, origin;
# 5: meta newest_source; 6: the search table and loose names
SCHEMA_VERSION = "6"

_DDL = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE records (id TEXT PRIMARY KEY, type TEXT NOT NULL, seq INTEGER NOT NULL, data TEXT NOT NULL, origin TEXT);
CREATE TABLE idx (key TEXT NOT NULL, value TEXT NOT NULL, id TEXT NOT NULL);
CREATE TABLE names (name TEXT NOT NULL, loose TEXT NOT NULL, id TEXT NOT NULL, type TEXT NOT NULL);
"""
# Created after the rows are in: one sort per index instead of a B-tree insert per row.
_INDEXES = (
    "CREATE INDEX records_type ON records (type, seq)",
    # Covers id, so a filter reads only the index, never the idx rows themselves.
    "CREATE INDEX idx_key_value ON idx (key, value, id)",
    "CREATE INDEX names_name ON names (name)",
    "CREATE INDEX names_loose ON names (loose)",
)


def build(
    conn: sqlite3.Connection, records: Iterable[Record], meta: dict[str, str], origins: Mapping[str, object] | None = None
) -> None:
    """Write *records*, their indexes and their search rows into an empty database; *origins* (by id)
    as JSON beside each."""
    from . import search as fulltext

    conn.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + _DDL)
    meta = {**meta, "search": fulltext.create(conn)}
    origins = origins or {}
    rows: list[tuple[str, str, int, str, str | None]] = []
    idx: list[tuple[str, str, str]] = []
    names: list[tuple[str, str, str, str]] = []
    texts: list[tuple[str, ...]] = []
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    newest: tuple[str, str] = ("", "")  # (last possible day, text) of the newest publication date: meta.newest_source
    for seq, rec in enumerate(records):
        if isinstance(rec, Source) and rec.published.end is not None and rec.published.end.isoformat() > newest[0]:
            newest = (rec.published.end.isoformat(), rec.published.text)
        origin = origins.get(rec.id)
        rows.append((rec.id, rec.TYPE, seq, dumps(cache_form(rec)), None if origin is None else dumps(origin)))
        idx.extend((k, v, rec.id) for k, v in index_entries(rec))
        names.extend((n, loose_key(n), rec.id, rec.TYPE) for n in names_of(rec))
        texts.append(fulltext.search_row(rec))
    conn.executemany("INSERT INTO records VALUES (?, ?, ?, ?, ?)", rows)
    conn.executemany("INSERT INTO idx VALUES (?, ?, ?)", idx)
    conn.executemany("INSERT INTO names VALUES (?, ?, ?, ?)", names)
    conn.executemany(fulltext.INSERT, texts)
    facts_meta = [("newest_source", newest[1])]
    conn.executemany("INSERT INTO meta VALUES (?, ?)", [*meta.items(), *facts_meta, ("schema", SCHEMA_VERSION)])
    for ddl in _INDEXES:
        conn.execute(ddl)
    conn.commit()


def _id_set(values: Iterable[str]) -> str:
    """*values* as one JSON array parameter, read with ``json_each``: a set of any size is one
    bound variable, never one per value (SQLite caps those at 999 in some builds, 32,766 in others)."""
    return json.dumps([str(v) for v in values], ensure_ascii=False, separators=(",", ":"))


class Store:
    """Read access to a built database; returns typed records.

    Every set of ids or values goes in as one JSON parameter (``_id_set``),
    whatever its size.
    """

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def _decode(self, type_: str, data: str) -> Record:
        rec: Record = from_plain(TYPE_NAMES[type_], json.loads(data))
        return rec

    def meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def get(self, id_: str) -> Record | None:
        row = self.conn.execute("SELECT type, data FROM records WHERE id = ?", (id_,)).fetchone()
        return self._decode(*row) if row else None

    def get_many(self, ids: Iterable[str]) -> dict[str, Record]:
        """The records of *ids* that exist, by id, in the order asked (CROSS JOIN: the ids lead, each one a key lookup)."""
        ids = list(dict.fromkeys(ids))
        if not ids:
            return {}
        q = "SELECT r.id, r.type, r.data FROM json_each(?) j CROSS JOIN records r ON r.id = j.value"
        return {id_: self._decode(type_, data) for id_, type_, data in self.conn.execute(q, (_id_set(ids),))}

    def origins(self, ids: Iterable[str]) -> dict[str, dict[str, object]]:
        """Where each record came from (``load.overlay.Origin``), by id; records without one are left out."""
        ids = list(dict.fromkeys(ids))
        if not ids:
            return {}
        q = "SELECT r.id, r.origin FROM json_each(?) j CROSS JOIN records r ON r.id = j.value WHERE r.origin IS NOT NULL"
        return {id_: json.loads(o) for id_, o in self.conn.execute(q, (_id_set(ids),))}

    def all(self, cls: type[R]) -> list[R]:
        """Every record of one type, in load order."""
        q = "SELECT data FROM records WHERE type = ? ORDER BY seq"
        return [from_plain(cls, json.loads(d)) for (d,) in self.conn.execute(q, (cls.TYPE,))]

    def find(self, cls: type[R], any_of: Mapping[str, Iterable[str]]) -> list[R]:
        """Records of type *cls* that, for every key, match at least one of its values."""
        if not any_of:
            return self.all(cls)
        parts: list[str] = []
        params: list[str] = [cls.TYPE]
        for key, wanted in any_of.items():
            these: list[str] = list(wanted)
            if not these:
                return []
            parts.append("SELECT id FROM idx WHERE key = ? AND value IN (SELECT value FROM json_each(?))")
            params += [key, _id_set(these)]
        # "+type": look records up by id, not by walking every record of the type
        # (which SQLite otherwise prefers: 53 ms instead of 3 ms at 100,000 deals).
        q = f"SELECT data FROM records WHERE +type = ? AND id IN ({' INTERSECT '.join(parts)}) ORDER BY seq"
        return [from_plain(cls, json.loads(d)) for (d,) in self.conn.execute(q, params)]

    def ids_with(self, key: str, values: Iterable[str], type_: str | None = None) -> list[str]:
        values = list(values)
        if not values:
            return []
        q = "SELECT DISTINCT i.id FROM idx i JOIN records r ON r.id = i.id WHERE i.key = ? AND i.value IN (SELECT value FROM json_each(?))"
        params: list[str] = [key, _id_set(values)]
        if type_:
            q += " AND r.type = ?"
            params.append(type_)
        return [r[0] for r in self.conn.execute(q + " ORDER BY r.seq", params)]

    def lookup_name(self, name: str, types: Iterable[str] | None = None, *, loose: bool = False) -> list[tuple[str, str]]:
        """(id, type) pairs whose id, name or alias equals *name*, case-insensitively
        (*loose*: also regardless of spaces, hyphens and underscores)."""
        q = "SELECT DISTINCT id, type FROM names WHERE " + ("loose = ?" if loose else "name = ?")
        rows = self.conn.execute(q, ((loose_key if loose else name_key)(name),)).fetchall()
        allowed = set(types) if types else None
        return [(i, t) for i, t in rows if allowed is None or t in allowed]

    def all_names(self, types: Iterable[str] | None = None) -> list[tuple[str, str, str]]:
        """(name, id, type) for every name; for suggestions and completion."""
        rows = self.conn.execute("SELECT name, id, type FROM names").fetchall()
        allowed = set(types) if types else None
        return [r for r in rows if allowed is None or r[2] in allowed]

    def search(self, text: str) -> list[Hit]:
        """Records whose names, aliases, descriptions or notes match *text*, best first (``store.search``)."""
        from .search import search

        return search(self.conn, self.meta("search"), text)

    def counts(self) -> dict[str, int]:
        return dict(self.conn.execute("SELECT type, count(*) FROM records GROUP BY type").fetchall())

    def ids_starting(self, prefix: str, limit: int) -> list[tuple[str, str]]:
        """(id, type) of records whose id starts with *prefix*; for completion."""
        # The primary-key index answers a range query: ids in [prefix, prefix + U+FFFF).
        q = "SELECT id, type FROM records WHERE id >= ? AND id < ? ORDER BY id LIMIT ?"
        return self.conn.execute(q, (prefix, prefix + "\uffff", limit)).fetchall()

    def value_counts(self, key: str) -> dict[str, int]:
        """How many records carry each value of an index key (e.g. each domain)."""
        q = "SELECT value, count(DISTINCT id) FROM idx WHERE key = ? GROUP BY value"
        return dict(self.conn.execute(q, (key,)).fetchall())
