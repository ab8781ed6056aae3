"""The compiled fact base: an SQLite database of records plus lookup indexes.

Records are stored as their JSON cache form, one row each; an index table maps
(key, value) pairs such as ("party", "bmw") or ("year", "2025") to record ids,
so a query reads only the rows it returns. The same schema serves the on-disk
cache and the in-memory store used with ``--no-cache``.
"""

from __future__ import annotations

import json
import sqlite3
import zlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import CacheDamaged
from ..model.names import loose_key, name_key
from ..model.records import NAME_FIELDS, TYPE_NAMES, R, Record, Source, display_name
from .codec import cache_form, from_plain
from .index import index_entries, names_of

if TYPE_CHECKING:  # imported by a build and by a search only: a warm query never needs it
    from .search import Hit

# 3: inferred, alias_sources and conflict nature; 4: NFC + case-folded names, origin;
# 5: meta newest_source; 6: the search table and loose names; 7: row checksums (records is a view
# over record_rows, seq its rowid), meta roots, the files table for incremental builds
# 8: names compared after NFKC with white space trimmed and collapsed (model.names.name_key)
SCHEMA_VERSION = "8"

# A record row carries the CRC-32 of its fields; ``records`` is a view that hands out ``data`` and
# ``origin`` only through ``verified``, which raises when the row no longer matches its checksum
# (SQLite itself has no checksums: a flipped byte inside a text would otherwise go unnoticed).
_TABLES = (
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE record_rows (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, type TEXT NOT NULL, data TEXT NOT NULL, "
    "origin TEXT, crc INTEGER NOT NULL)",
    "CREATE VIEW records AS SELECT id, type, seq, verified(data, crc, id, type, seq, data, origin) AS data, "
    "verified(origin, crc, id, type, seq, data, origin) AS origin FROM record_rows",
    "CREATE TABLE idx (key TEXT NOT NULL, value TEXT NOT NULL, id TEXT NOT NULL)",
    "CREATE TABLE names (name TEXT NOT NULL, loose TEXT NOT NULL, id TEXT NOT NULL, type TEXT NOT NULL)",
    # Each fact file: its identity, the ranges of its rows and its cross-file state (``Builder``).
    "CREATE TABLE files (path TEXT PRIMARY KEY, ident TEXT NOT NULL, seq_lo INTEGER NOT NULL, seq_hi INTEGER NOT NULL, "
    "idx_lo INTEGER NOT NULL, idx_hi INTEGER NOT NULL, names_lo INTEGER NOT NULL, names_hi INTEGER NOT NULL, state TEXT NOT NULL)",
)
_DDL = "".join(t + ";\n" for t in _TABLES)
# Created after the rows are in: one sort per index instead of a B-tree insert per row.
_INDEXES = (
    "CREATE INDEX records_type ON record_rows (type, seq)",
    # Covers id, so a filter reads only the index, never the idx rows themselves.
    "CREATE INDEX idx_key_value ON idx (key, value, id)",
    "CREATE INDEX names_name ON names (name)",
    "CREATE INDEX names_loose ON names (loose)",
)
# What ``sqlite_master`` of a cache must hold, exactly: (type, name, sql), besides the search table's
# entries (``search_schema``). Anything else (a view, a trigger, another table) means it is not ours.
_AUTO: tuple[tuple[str, str, str | None], ...] = (
    ("index", "sqlite_autoindex_meta_1", None),
    ("index", "sqlite_autoindex_record_rows_1", None),
    ("index", "sqlite_autoindex_files_1", None),
)
_FTS_SHADOW = (
    ("table", "search_data", "CREATE TABLE 'search_data'(id INTEGER PRIMARY KEY, block BLOB)"),
    ("table", "search_idx", "CREATE TABLE 'search_idx'(segid, term, pgno, PRIMARY KEY(segid, term)) WITHOUT ROWID"),
    ("table", "search_content", "CREATE TABLE 'search_content'(id INTEGER PRIMARY KEY, c0, c1, c2, c3, c4, c5)"),
    ("table", "search_docsize", "CREATE TABLE 'search_docsize'(id INTEGER PRIMARY KEY, sz BLOB)"),
    ("table", "search_config", "CREATE TABLE 'search_config'(k PRIMARY KEY, v) WITHOUT ROWID"),
)


def _object(sql: str) -> tuple[str, str, str]:
    words = sql.split()
    return words[1].lower(), words[2], sql


# The search table as ``store.search`` makes it, by mode (a copy, so a warm open need not import
# that module; tests/test_cache_safety.py checks the copy against a real build of each).
_SEARCH_DDL = {
    "fts5": "CREATE VIRTUAL TABLE search USING fts5(name, aliases, description, notes, id UNINDEXED, type UNINDEXED, "
    "tokenize = 'unicode61 remove_diacritics 2')",
    "substring": "CREATE TABLE search (name TEXT, aliases TEXT, description TEXT, notes TEXT, id TEXT, type TEXT)",
}


def expected_schema(search_mode: str | None) -> set[tuple[str, str, str | None]]:
    """The (type, name, sql) rows of ``sqlite_master`` in a store whose search table is of *search_mode*."""
    rows: set[tuple[str, str, str | None]] = {_object(t) for t in (*_TABLES, *_INDEXES)} | set(_AUTO)
    ddl = _SEARCH_DDL.get(search_mode or "")
    if ddl is not None:
        rows.add(("table", "search", ddl))
    if search_mode == "fts5":
        rows |= set(_FTS_SHADOW)
    return rows


# Every field a display name can come from (``records.NAME_FIELDS``), as json_extract paths.
_NAME_KEYS = tuple(dict.fromkeys(k for keys in NAME_FIELDS.values() for k in keys))
_NAME_PATHS = ", ".join(f"'$.{k}'" for k in _NAME_KEYS)


def row_crc(id_: str, type_: str, seq: int, data: str, origin: str | None) -> int:
    """The checksum of a record row (``verified`` checks it on every read)."""
    return zlib.crc32("\x1f".join((id_, type_, str(seq), data, origin or "")).encode())


def _verified(value: str | None, crc: int, id_: str, type_: str, seq: int, data: str, origin: str | None) -> str | None:
    if row_crc(id_, type_, seq, data, origin) != crc:
        raise ValueError(f"record row {id_!r} does not match its checksum")
    return value


def build(
    conn: sqlite3.Connection, records: Iterable[Record], meta: dict[str, str], origins: Mapping[str, object] | None = None
) -> None:
    """Write *records*, their indexes and their search rows into an empty database; *origins* (by id)
    as JSON beside each."""
    writer = Builder(conn, meta)
    origins = origins or {}
    writer.add((rec, origins.get(rec.id)) for rec in records)
    writer.finish()


class Builder:
    """Writes a store file by file: ``add`` one file's rows as they come, or ``copy`` an unchanged
    file's rows from the previous cache; then ``finish``.

    Nothing is kept between files but counters and the newest publication date, so a build holds
    one file's rows at a time, never the whole fact base. Each file's rows are contiguous (record
    ``seq``, ``idx`` and ``names`` rowids, ``search`` rowid = ``seq``); the ``files`` table keeps
    those ranges, the file's identity and what the cross-file checks need of it (``state``), so the
    next build can copy them instead of parsing the file again.
    """

    def __init__(self, conn: sqlite3.Connection, meta: dict[str, str]) -> None:
        from . import search as fulltext

        self.conn = conn
        self.fulltext = fulltext
        conn.create_function("verified", 7, _verified, deterministic=True)
        conn.create_function("row_crc", 5, row_crc, deterministic=True)
        conn.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + _DDL)
        self.meta = {**meta, "search": fulltext.create(conn)}
        self.insert_text = fulltext.INSERT.replace("(name,", "(rowid, name,", 1).replace("VALUES (", "VALUES (?, ", 1)
        self.seq = 0
        self.n_idx = 0  # rows so far = the last rowid (a fresh table, no deletes)
        self.n_names = 0
        self.newest: tuple[str, str] = ("", "")  # (last possible day, text) of the newest publication date
        self.dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode

    def add(self, pairs: Iterable[tuple[Record, object]], file: tuple[str, str, dict[str, Any]] | None = None) -> None:
        """Write one file's (record, origin) pairs, in load order; *file*: (path, identity, state) to keep."""
        start = (self.seq, self.n_idx, self.n_names)
        rows, idx, names, texts, newest = file_rows(pairs, self.seq, self.dumps)
        self.conn.executemany("INSERT INTO record_rows (seq, id, type, data, origin, crc) VALUES (?, ?, ?, ?, ?, ?)", rows)
        self.conn.executemany("INSERT INTO idx VALUES (?, ?, ?)", idx)
        self.conn.executemany("INSERT INTO names VALUES (?, ?, ?, ?)", names)
        self.conn.executemany(self.insert_text, texts)
        self.seq += len(rows)
        self.n_idx += len(idx)
        self.n_names += len(names)
        self._newest(newest)
        if file is not None:
            path, ident, state = file
            self._file(path, ident, start, self.dumps({**state, "newest": list(newest)}))

    def copy(self, old: str, path: str, ident: str, ranges: Sequence[int], state: str) -> None:
        """Copy an unchanged file's rows from the attached database *old* (rows checked as they are read);
        *state* is its stored state, as JSON text."""
        seq_lo, seq_hi, idx_lo, idx_hi, names_lo, names_hi = ranges
        start = (self.seq, self.n_idx, self.n_names)
        shift = self.seq - seq_lo
        c = self.conn
        c.execute(
            "INSERT INTO record_rows (seq, id, type, data, origin, crc) SELECT seq + ?1, id, type, data, origin, "
            f"row_crc(id, type, seq + ?1, data, origin) FROM {old}.records WHERE seq >= ?2 AND seq < ?3 ORDER BY seq",
            (shift, seq_lo, seq_hi),
        )
        c.execute(f"INSERT INTO idx SELECT key, value, id FROM {old}.idx WHERE rowid >= ? AND rowid < ? ORDER BY rowid", (idx_lo, idx_hi))
        c.execute(
            f"INSERT INTO names SELECT name, loose, id, type FROM {old}.names WHERE rowid >= ? AND rowid < ? ORDER BY rowid",
            (names_lo, names_hi),
        )
        c.execute(
            f"INSERT INTO search (rowid, name, aliases, description, notes, id, type) SELECT rowid + ?1, name, aliases, "
            f"description, notes, id, type FROM {old}.search WHERE rowid >= ?2 AND rowid < ?3 ORDER BY rowid",
            (shift, seq_lo, seq_hi),
        )
        self.seq += seq_hi - seq_lo
        self.n_idx += idx_hi - idx_lo
        self.n_names += names_hi - names_lo
        newest = json.loads(state).get("newest") or ["", ""]
        self._newest((str(newest[0]), str(newest[1])))
        self._file(path, ident, start, state)

    def _newest(self, newest: tuple[str, str]) -> None:
        if newest[0] > self.newest[0]:
            self.newest = newest

    def _file(self, path: str, ident: str, start: tuple[int, int, int], state: str) -> None:
        seq, n_idx, n_names = start
        ranges = (seq, self.seq, n_idx + 1, self.n_idx + 1, n_names + 1, self.n_names + 1)
        self.conn.execute("INSERT INTO files VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", (path, ident, *ranges, state))

    def finish(self) -> None:
        facts_meta = [("newest_source", self.newest[1])]
        rows = [*self.meta.items(), *facts_meta, ("schema", SCHEMA_VERSION)]
        self.conn.executemany("INSERT INTO meta VALUES (?, ?)", rows)
        for ddl in _INDEXES:
            self.conn.execute(ddl)
        self.conn.commit()


Rows = tuple[
    list[tuple[int, str, str, str, "str | None", int]],
    list[tuple[str, str, str]],
    list[tuple[str, str, str, str]],
    list[tuple[object, ...]],
    tuple[str, str],
]


def file_rows(pairs: Iterable[tuple[Record, object]], seq: int, dumps: Callable[[object], str]) -> Rows:
    """One file's rows, its records numbered from *seq*: (record rows, idx rows, names rows, search rows,
    the newest publication date as (last possible day, text)); what a build and a patch both write."""
    from . import search as fulltext

    rows: list[tuple[int, str, str, str, str | None, int]] = []
    idx: list[tuple[str, str, str]] = []
    names: list[tuple[str, str, str, str]] = []
    texts: list[tuple[object, ...]] = []
    newest: tuple[str, str] = ("", "")
    for rec, origin in pairs:
        if isinstance(rec, Source) and rec.published.end is not None and rec.published.end.isoformat() > newest[0]:
            newest = (rec.published.end.isoformat(), rec.published.text)
        data = dumps(cache_form(rec))
        orig = None if origin is None else dumps(origin)
        rows.append((seq, rec.id, rec.TYPE, data, orig, row_crc(rec.id, rec.TYPE, seq, data, orig)))
        idx.extend((k, v, rec.id) for k, v in index_entries(rec))
        names.extend((n, loose_key(n), rec.id, rec.TYPE) for n in names_of(rec))
        texts.append((seq, *fulltext.search_row(rec)))
        seq += 1
    return rows, idx, names, texts, newest


def previous_files(conn: sqlite3.Connection, old: str) -> dict[str, tuple[str, tuple[int, ...]]]:
    """The ``files`` table of the attached database *old*: path -> (identity, row ranges); each
    file's state is read only when it is reused (``previous_state``), one file at a time."""
    out: dict[str, tuple[str, tuple[int, ...]]] = {}
    for path, ident, *ranges in conn.execute(f"SELECT path, ident, seq_lo, seq_hi, idx_lo, idx_hi, names_lo, names_hi FROM {old}.files"):
        out[path] = (ident, tuple(ranges))
    return out


def previous_state(conn: sqlite3.Connection, old: str, path: str) -> tuple[str, dict[str, Any]]:
    """A file's stored state in the attached database *old*: its JSON text and its data."""
    (text,) = conn.execute(f"SELECT state FROM {old}.files WHERE path = ?", (path,)).fetchone()
    return text, json.loads(text)


def _id_set(values: Iterable[str]) -> str:
    """*values* as one JSON array parameter, read with ``json_each``: a set of any size is one
    bound variable, never one per value (SQLite caps those at 999 in some builds, 32,766 in others)."""
    return json.dumps([str(v) for v in values], ensure_ascii=False, separators=(",", ":"))


class Store:
    """Read access to a built database; returns typed records.

    Every set of ids or values goes in as one JSON parameter (``_id_set``),
    whatever its size.
    """

    def __init__(self, conn: sqlite3.Connection, path: Path | None = None) -> None:
        self.conn = conn
        self.path = path  # the cache file it reads, None in memory: a read error there is ``CacheDamaged``
        conn.create_function("verified", 7, _verified, deterministic=True)

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

    def names(self, ids: Iterable[str]) -> dict[str, str]:
        """The display name (``Record.name``) of each of *ids* that exists, by id, read from the
        stored rows without building the records (a listing names every record its rows refer to)."""
        ids = list(dict.fromkeys(ids))
        if not ids:
            return {}
        # One JSON document for all of them: one parse instead of one per row.
        q = (
            f"SELECT json_group_array(json_array(r.id, r.type, json(json_extract(r.data, {_NAME_PATHS})))) "
            "FROM json_each(?) j CROSS JOIN records r ON r.id = j.value"
        )
        (found,) = self.conn.execute(q, (_id_set(ids),)).fetchone()
        out: dict[str, str] = {}
        for id_, type_, values in json.loads(found):
            out[id_] = display_name(type_, id_, dict(zip(_NAME_KEYS, values, strict=True)).__getitem__)
        return out

    def origins(self, ids: Iterable[str]) -> dict[str, dict[str, object]]:
        """Where each record came from (``load.overlay.Origin``), by id; records without one are left out."""
        ids = list(dict.fromkeys(ids))
        if not ids:
            return {}
        # One JSON object for all of them (one parse); the origin column is read once per row, as
        # each read of it checks the row's checksum.
        q = "SELECT json_group_object(r.id, json(r.origin)) FROM json_each(?) j CROSS JOIN records r ON r.id = j.value"
        (found,) = self.conn.execute(q, (_id_set(ids),)).fetchone()
        return {id_: o for id_, o in json.loads(found).items() if o is not None}

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


def _guarded(name: str, method: Callable[..., Any]) -> Callable[..., Any]:
    def read(self: Store, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except (sqlite3.DatabaseError, ValueError, KeyError, TypeError, AttributeError, IndexError) as e:
            if self.path is None:
                raise  # in memory: a bug, not damage
            raise CacheDamaged(self.path, f"{name}: {type(e).__name__}: {e}") from e

    read.__name__ = read.__qualname__ = name
    read.__doc__ = method.__doc__
    return read


# Every read of a cache file: an SQLite error or a row that does not decode means the file is
# damaged (``CacheDamaged``: the command line discards it and answers from a fresh build), never
# a wrong answer or a traceback. Wrapped here, so the query methods above stay plain.
for _name, _method in list(vars(Store).items()):
    if not _name.startswith("_") and callable(_method):
        setattr(Store, _name, _guarded(_name, _method))
