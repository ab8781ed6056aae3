"""Two helpers of a rebuild: ``Patch`` changes a copy of the previous cache in place, ``RefTable``
keeps a build's unsettled references in the store instead of memory.

Both write exactly the rows a fresh build writes (``db.file_rows``), so a patched cache and a built
one are the same, row for row (``tests/test_cache_incremental.py``).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from ..model.records import Record
from .db import _verified, file_rows, previous_files, previous_state, row_crc


class Patch:
    """Changes a copy of the previous cache in place: the rows of a changed file are deleted and the
    file's new rows written at the same places (record ``seq``, ``idx``, ``names`` and ``search``
    rowids), so the result is row for row what a fresh build writes; the indexes are kept and
    updated as the rows change, nothing else is touched.

    Only an edit that keeps a file's shape (the same number of records, index rows and names) can
    be patched; ``replace`` raises ``Unpatchable`` otherwise, and the caller builds instead.
    """

    def __init__(self, conn: sqlite3.Connection) -> None:
        from . import search as fulltext

        self.conn = conn
        conn.create_function("verified", 7, _verified, deterministic=True)
        conn.create_function("row_crc", 5, row_crc, deterministic=True)
        conn.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;")
        self.insert_text = fulltext.INSERT.replace("(name,", "(rowid, name,", 1).replace("VALUES (", "VALUES (?, ", 1)
        self.dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode

    def files(self) -> dict[str, tuple[str, tuple[int, ...]]]:
        """path -> (identity, row ranges) of every file the cache holds."""
        return previous_files(self.conn, "main")

    def state(self, path: str) -> dict[str, Any]:
        """A file's stored state."""
        return previous_state(self.conn, "main", path)[1]

    def damaged_rows(self) -> int:
        """How many record rows no longer match their checksums (a damaged cache is never patched)."""
        return int(self.conn.execute("SELECT count(*) FROM record_rows WHERE row_crc(id, type, seq, data, origin) != crc").fetchone()[0])

    def replace(self, path: str, ident: str, ranges: Sequence[int], pairs: Iterable[tuple[Record, object]], state: dict[str, Any]) -> None:
        """Write a changed file's rows where its old ones were (``Unpatchable`` when they do not fit)."""
        seq_lo, seq_hi, idx_lo, idx_hi, names_lo, names_hi = ranges
        rows, idx, names, texts, newest = file_rows(pairs, seq_lo, self.dumps)
        if (len(rows), len(idx), len(names)) != (seq_hi - seq_lo, idx_hi - idx_lo, names_hi - names_lo):
            raise Unpatchable(f"{path}: another number of rows")
        c = self.conn
        c.execute("DELETE FROM record_rows WHERE seq >= ? AND seq < ?", (seq_lo, seq_hi))
        c.execute("DELETE FROM idx WHERE rowid >= ? AND rowid < ?", (idx_lo, idx_hi))
        c.execute("DELETE FROM names WHERE rowid >= ? AND rowid < ?", (names_lo, names_hi))
        c.execute("DELETE FROM search WHERE rowid >= ? AND rowid < ?", (seq_lo, seq_hi))
        c.executemany("INSERT INTO record_rows (seq, id, type, data, origin, crc) VALUES (?, ?, ?, ?, ?, ?)", rows)
        c.executemany("INSERT INTO idx (rowid, key, value, id) VALUES (?, ?, ?, ?)", [(idx_lo + i, *r) for i, r in enumerate(idx)])
        c.executemany(
            "INSERT INTO names (rowid, name, loose, id, type) VALUES (?, ?, ?, ?, ?)", [(names_lo + i, *r) for i, r in enumerate(names)]
        )
        c.executemany(self.insert_text, texts)
        text = self.dumps({**state, "newest": list(newest)})
        c.execute("UPDATE files SET ident = ?, state = ? WHERE path = ?", (ident, text, path))

    def named_elsewhere(self, written: str, id_: str) -> bool:
        """Whether a record other than *id_* has the name (or id, or alias) *written*, compared as
        lookups compare names: by ``name_key``, and by ``loose_key`` (overlay.name_collisions)."""
        from ..model.names import loose_key, name_key

        q = "SELECT 1 FROM names WHERE (name = ? OR loose = ?) AND id != ? LIMIT 1"
        return self.conn.execute(q, (name_key(written), loose_key(written), id_)).fetchone() is not None

    def type_of(self, id_: str) -> str | None:
        row = self.conn.execute("SELECT type FROM record_rows WHERE id = ?", (id_,)).fetchone()
        return None if row is None else str(row[0])

    def finish(self, meta: Mapping[str, str]) -> None:
        """Set *meta* and the newest publication date (of the files in load order, as a build finds it); commit."""
        newest = ("", "")
        for (text,) in self.conn.execute("SELECT json_extract(state, '$.newest') FROM files ORDER BY seq_lo, idx_lo, names_lo"):
            day, label = json.loads(text) if text else ("", "")
            if str(day) > newest[0]:
                newest = (str(day), str(label))
        rows = [*meta.items(), ("newest_source", newest[1])]
        self.conn.executemany("UPDATE meta SET value = ? WHERE key = ?", [(v, k) for k, v in rows])
        self.conn.commit()


class RefTable:
    """The references a build has not settled yet (``load.loader.Stream``), in a temporary table of
    its connection instead of memory; iterating gives only those that name no record of a wanted
    type in the store (every other one is fine), in the order they came."""

    _SEP = "\x1f"

    def __init__(self, conn: sqlite3.Connection, batch: int = 20000) -> None:
        self.conn = conn
        self.batch = batch
        self.pending: list[tuple[str, str, str, str, int | None]] = []
        conn.execute("CREATE TEMP TABLE refs (types TEXT NOT NULL, ref TEXT NOT NULL, fpath TEXT NOT NULL, file TEXT NOT NULL, line INT)")

    def append(self, ref: tuple[tuple[str, ...], str, str, str, int | None], /) -> None:
        types, id_, fpath, file, line = ref
        self.pending.append((self._SEP.join(types), id_, fpath, file, line))
        if len(self.pending) >= self.batch:
            self._flush()

    def _flush(self) -> None:
        self.conn.executemany("INSERT INTO temp.refs VALUES (?, ?, ?, ?, ?)", self.pending)
        self.pending.clear()

    def __iter__(self) -> Iterator[tuple[tuple[str, ...], str, str, str, int | None]]:
        self._flush()
        q = (
            "SELECT r.types, r.ref, r.fpath, r.file, r.line FROM temp.refs r LEFT JOIN record_rows x ON x.id = r.ref "
            "WHERE x.id IS NULL OR (r.types != '' AND instr(char(31) || r.types || char(31), char(31) || x.type || char(31)) = 0) "
            "ORDER BY r.rowid"
        )
        for types, id_, fpath, file, line in self.conn.execute(q).fetchall():
            yield (tuple(types.split(self._SEP)) if types else ()), id_, fpath, file, line


class NamedTable:
    """Each record's names for ``overlay.name_collisions`` (``load.loader.Stream``), in temporary
    tables of the build's connection instead of memory. Iterating gives them back in the order
    they came, but only when some name key (or loose key) belongs to two records: otherwise there is no
    collision to report, and nothing is read back."""

    def __init__(self, conn: sqlite3.Connection, batch: int = 20000) -> None:
        from ..model.names import loose_key, name_key

        self.conn = conn
        self.batch = batch
        self.key = name_key
        self.loose = loose_key
        self.dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
        self.entries: list[tuple[str]] = []
        self.keys: list[tuple[str, str]] = []
        conn.execute("CREATE TEMP TABLE named (entry TEXT NOT NULL)")
        conn.execute("CREATE TEMP TABLE named_keys (key TEXT NOT NULL, id TEXT NOT NULL)")

    def append(self, entry: tuple[str, str, tuple[tuple[str, str, str], ...], str, int | None], /) -> None:
        id_ = entry[0]
        self.entries.append((self.dumps(entry),))
        # Both forms a lookup compares (overlay.name_collisions refuses a shared one of either).
        self.keys.extend(("=" + self.key(written), id_) for _, _, written in entry[2])
        self.keys.extend(("~" + self.loose(written), id_) for _, _, written in entry[2])
        if len(self.entries) >= self.batch:
            self._flush()

    def _flush(self) -> None:
        self.conn.executemany("INSERT INTO temp.named VALUES (?)", self.entries)
        self.conn.executemany("INSERT INTO temp.named_keys VALUES (?, ?)", self.keys)
        self.entries.clear()
        self.keys.clear()

    def __iter__(self) -> Iterator[tuple[str, str, tuple[tuple[str, str, str], ...], str, int | None]]:
        self._flush()
        q = "SELECT 1 FROM temp.named_keys GROUP BY key HAVING count(DISTINCT id) > 1 LIMIT 1"
        if self.conn.execute(q).fetchone() is None:
            return
        for (text,) in self.conn.execute("SELECT entry FROM temp.named ORDER BY rowid").fetchall():
            id_, type_, names, file, line = json.loads(text)
            yield id_, type_, tuple((what, field, written) for what, field, written in names), file, line


class Unpatchable(Exception):
    """The previous cache cannot be changed in place into this build's (a reason, for a test): build instead."""
