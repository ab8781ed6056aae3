"""Open the compiled store, from the cache when it is fresh and can be trusted.

The cache is an SQLite file (it holds data only: nothing in it can run code
when it is opened) in the user's cache directory. It is keyed by every fact
file's path, size and modification time plus the tool's version and schema,
so editing, adding or removing a file rebuilds it. A warm call stats the fact
files, opens the database read-only and reads only the rows its query needs:
no YAML parser and no validation are imported.

The cache is an optimisation, never an authority:

- only a folder that is ours and that nobody else may write is used (ours is
  created 0700); any other folder means no cache, with one note on stderr;
- only a regular file (never a symlink) that we own and nobody else may write
  is read; its ``sqlite_master`` must be exactly our schema (no view, trigger
  or extra table), its size whole, its meta this version's and these files';
- every record row carries a checksum; a read that fails (a corrupt page, a row
  that does not decode or match) raises ``CacheDamaged``: the command line
  discards the file and answers from a fresh build (``discard``);
- it is written to a temporary file and renamed into place, so readers never
  see half a file; SIGTERM or SIGHUP during a build removes the temporary file
  (``files.atomic_target``); an unwritable cache directory means no cache.

A rebuild after edits that keep every edited file's records and names
changes a copy of the old cache in place (``_patch``, ``patch.Patch``); other
changes copy the unchanged files' rows into a new file (``_stream_into``);
either is row for row what a fresh build writes.

Each build also tidies the folder (``prune``): caches whose recorded fact
roots no longer all exist, caches of other schema versions unused for
``STALE_DAYS`` days, and temporary files older than an hour are deleted.
"""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import sys
import zlib
from collections.abc import Sequence
from contextlib import suppress
from pathlib import Path
from typing import Any, ClassVar

from ..load.discover import discover, fact_roots
from ..version import __version__
from .db import SCHEMA_VERSION, Builder, Store, expected_schema

CACHE_ENV = "AUTOALLIANCES_CACHE_DIR"
STALE_DAYS = 30  # a cache of another schema version unused this long is deleted by the next build
STALE_TEMP_SECONDS = 3600  # a temporary file this old belongs to a build that died


class _State:
    warned = False  # the note about an unsafe cache folder: once per process
    notes: ClassVar[list[str]] = []  # for the command line to write (``take_notes``)
    distrusted: ClassVar[set[str]] = set()  # cache files found damaged in this process: never opened again


def cache_dir() -> Path:
    """``AUTOALLIANCES_CACHE_DIR`` (a relative one is taken relative to the working folder), else
    ``$XDG_CACHE_HOME/autoalliances`` (ignored when relative, as the XDG spec says), else
    ``~/.cache/autoalliances``."""
    given = os.environ.get(CACHE_ENV)
    if given:
        return Path(os.path.abspath(given))
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    base = xdg if os.path.isabs(xdg) else os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "autoalliances"


def _cache_path(fingerprint_head: str) -> Path:
    return cache_dir() / f"facts-{zlib.crc32(fingerprint_head.encode()):08x}.sqlite"


def _note_once(message: str) -> None:
    if not _State.warned:
        _State.warned = True
        _State.notes.append(f"note: {message}")


def take_notes() -> list[str]:
    """What opening the store has to tell a person (an unsafe cache folder); each note only once."""
    notes, _State.notes[:] = list(_State.notes), []
    return notes


def _owned_privately(st: os.stat_result) -> bool:
    return st.st_uid == os.geteuid() and not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _usable_dir(d: Path, *, create: bool) -> bool:
    """Whether *d* may hold our cache: a folder of ours that nobody else can write (created 0700)."""
    try:
        if create:
            d.mkdir(mode=0o700, parents=True, exist_ok=True)
        st = os.stat(d)
    except OSError:
        return False  # missing or cannot be made: simply no cache
    if stat.S_ISDIR(st.st_mode) and _owned_privately(st):
        return True
    why = "not a folder" if not stat.S_ISDIR(st.st_mode) else "not yours" if st.st_uid != os.geteuid() else "writable by others"
    _note_once(f"not using the cache folder {d}: it is {why}; answering without a cache (set {CACHE_ENV} to a private folder)")
    return False


def _trusted_file(path: Path) -> bool:
    """A regular file (a symlink is refused, as O_NOFOLLOW would) that we own and only we can write."""
    try:
        st = os.lstat(path)
    except OSError:
        return False
    return stat.S_ISREG(st.st_mode) and _owned_privately(st)


def _connect_ro(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True, check_same_thread=False)


def _check_shape(conn: sqlite3.Connection, size: int) -> None:
    """Raise ``sqlite3.DatabaseError`` unless the file is whole and holds exactly our schema."""
    pages, page_size = conn.execute("PRAGMA page_count").fetchone()[0], conn.execute("PRAGMA page_size").fetchone()[0]
    if pages * page_size != size:  # truncated, or grown by something else
        raise sqlite3.DatabaseError("size mismatch")
    found = set(conn.execute("SELECT type, name, sql FROM sqlite_master").fetchall())
    mode = conn.execute("SELECT value FROM meta WHERE key = 'search'").fetchone()
    if found != expected_schema(mode[0] if mode else None):
        raise sqlite3.DatabaseError("not our schema")


def _open_cached(path: Path, fingerprint: str) -> Store | None:
    """The cached store at *path* if it can be trusted, is whole and matches *fingerprint*."""
    if str(path) in _State.distrusted or not _trusted_file(path):
        return None
    try:
        size = os.stat(path).st_size
        conn = _connect_ro(path)
    except (OSError, sqlite3.Error):
        return None
    try:
        _check_shape(conn, size)
        row = conn.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
        fp = conn.execute("SELECT value FROM meta WHERE key = 'fingerprint'").fetchone()
        if row is None or fp is None or row[0] != SCHEMA_VERSION or fp[0] != fingerprint:
            raise sqlite3.DatabaseError("stale")
        return Store(conn, path)
    except sqlite3.Error:
        conn.close()
        return None


def discard(path: object) -> None:
    """Forget a damaged cache file: never open it again in this process, and delete it if it is ours."""
    p = Path(str(path))
    _State.distrusted.add(str(p))
    if _trusted_file(p):
        with suppress(OSError):
            p.unlink()


def prune(folder: Path, keep: Path) -> None:
    """Delete what a build leaves behind in our cache folder (see the module's docstring).

    Ages are counted back from the modification time of *keep*, the file just written (the file
    system's clock, the one every other file's time comes from; only ``model.today`` reads the day).
    """
    try:
        now = os.stat(keep).st_mtime
        entries = list(os.scandir(folder))
    except OSError:
        return
    for e in entries:
        path = Path(e.path)
        if path == keep:
            continue
        try:
            st = os.lstat(path)
        except OSError:
            continue
        if not stat.S_ISREG(st.st_mode) or st.st_uid != os.geteuid():
            continue
        if e.name.startswith(".tmp-"):
            if now - st.st_mtime > STALE_TEMP_SECONDS:
                _remove(path)
        elif e.name.startswith("facts-") and e.name.endswith(".sqlite") and _prunable(path, now - st.st_mtime):
            _remove(path)


def _prunable(path: Path, age: float) -> bool:
    """A cache of this schema whose roots are gone, or another schema's (or no cache at all) that is old."""
    try:
        conn = _connect_ro(path)
        try:
            meta = dict(conn.execute("SELECT key, value FROM meta WHERE key IN ('schema', 'roots')").fetchall())
        finally:
            conn.close()
    except sqlite3.Error:
        meta = {}
    if meta.get("schema") == SCHEMA_VERSION and "roots" in meta:
        try:
            roots = json.loads(meta["roots"])
        except ValueError:
            roots = None
        if isinstance(roots, list):
            return not all(isinstance(r, str) and os.path.exists(r) for r in roots)
    return age > STALE_DAYS * 86400


def _remove(path: Path) -> None:
    with suppress(OSError):
        path.unlink()


def _uri(path: Path, query: str = "") -> str:
    from urllib.parse import quote

    return f"file:{quote(str(path))}" + (f"?{query}" if query else "")


def _identity(path: Path) -> str | None:
    """What says a fact file is unchanged: its resolved path, size, mtime and ctime (ns), inode."""
    try:
        real = os.path.realpath(path)
        st = os.stat(real)
    except OSError:
        return None
    return f"{real}\t{st.st_size}\t{st.st_mtime_ns}\t{st.st_ctime_ns}\t{st.st_ino}"


def _previous(target: Path, head: str) -> Path | None:
    """The cache a rebuild may copy unchanged files from: the one at *target*, if it can be trusted
    and was written by this version for these roots (*head*: the key's first lines; only the fact
    files' lines no longer match, which is why there is a rebuild)."""
    if str(target) in _State.distrusted or not _trusted_file(target):
        return None
    try:
        conn = _connect_ro(target)
        try:
            _check_shape(conn, os.stat(target).st_size)
            meta = dict(conn.execute("SELECT key, value FROM meta WHERE key IN ('schema', 'version', 'fingerprint')").fetchall())
        finally:
            conn.close()
    except (OSError, sqlite3.Error):
        return None
    same = meta.get("schema") == SCHEMA_VERSION and meta.get("version") == __version__
    return target if same and meta.get("fingerprint", "").startswith(head + "\n") else None


def _compile(files: list[Path], fingerprint: str, target: Path | None, roots: Sequence[Path] = (), head: str = "") -> Store:
    """Load and validate *files*, writing the store to *target* (or memory) file by file; files the
    previous cache at *target* holds unchanged are copied from it, not parsed again."""
    meta = {"fingerprint": fingerprint, "version": __version__, "roots": json.dumps([str(r.resolve()) for r in roots])}
    if target is not None and _usable_dir(target.parent, create=True):
        previous = _previous(target, head) if head else None
        try:
            try:
                if previous is None or not _patch(target, files, roots, meta, previous):
                    _write(target, files, roots, meta, previous)
            except (sqlite3.DatabaseError, ValueError, KeyError, TypeError):
                if previous is None:
                    raise
                _write(target, files, roots, meta, None)  # the old cache broke while copied: build afresh
            prune(target.parent, target)
            cached = _open_cached(target, fingerprint)
            if cached is not None:
                return cached
        except (OSError, sqlite3.Error):
            pass  # no cache: build in memory
    conn = sqlite3.connect(":memory:", check_same_thread=False)
    # The build's temporary tables too: a store in memory must not spill them to temporary files
    # (the fallback when the cache cannot be written, a full disk or a file size limit, included).
    conn.execute("PRAGMA temp_store = MEMORY")
    _stream_into(conn, files, roots, meta, None)
    return Store(conn)


def _write(target: Path, files: Sequence[Path], roots: Sequence[Path], meta: dict[str, str], previous: Path | None) -> None:
    from ..files import atomic_target

    with atomic_target(target) as tmp:
        conn = sqlite3.connect(_uri(tmp), uri=True, check_same_thread=False)
        try:
            _stream_into(conn, files, roots, meta, previous)
        finally:
            conn.close()


def _patch(target: Path, files: Sequence[Path], roots: Sequence[Path], meta: dict[str, str], previous: Path) -> bool:
    """Write the new cache as a changed copy of *previous* (``patch.Patch``), when the fact files are
    the same ones and each changed file kept its shape; False when it cannot be (a build follows).

    What a cross-file check could find is ruled out without reading the other files: a changed
    file must hold the same records (ids and types, in order) as before, so no id or reference of
    another file can break; its own references are looked up in the store, and none of its names
    may be another record's (any name the store holds, a deal's title too: a doubt, not yet an
    error). Any doubt (an error in the file, a reference that names nothing, a shared name, rows
    that do not fit, a damaged row anywhere) means False, and the build that follows reports
    exactly.
    """
    import shutil

    from ..files import atomic_target
    from ..load.loader import Stream
    from .patch import Patch, Unpatchable

    try:
        with atomic_target(target) as tmp:
            shutil.copyfile(previous, tmp)
            conn = sqlite3.connect(_uri(tmp), uri=True, check_same_thread=False)
            try:
                patch = Patch(conn)
                held = patch.files()
                if set(held) != {str(p) for p in files}:
                    raise Unpatchable("a file added, removed or renamed: the load order moves")
                changed: list[tuple[Path, str, tuple[int, ...]]] = []
                at: tuple[int, ...] = (0, 1, 1)
                for path in files:
                    ident, ranges = held[str(path)]
                    if ranges[0::2] != at:
                        raise Unpatchable("not stored in load order")
                    at = ranges[1::2]
                    now = _identity(path)
                    if now is None:
                        raise Unpatchable(f"{path}: cannot stat")
                    if now != ident:
                        changed.append((path, now, ranges))
                if not changed or patch.damaged_rows():
                    raise Unpatchable("nothing changed, or a damaged row")
                stream = Stream([p for p, _, _ in changed], roots, list)
                batches = {str(b.path): b for b in stream.batches()}
                if stream.errors or set(batches) != {str(p) for p, _, _ in changed}:
                    raise Unpatchable("a changed file has errors")
                for path, ident, ranges in changed:
                    batch = batches[str(path)]
                    if _records(batch.state) != _records(patch.state(str(path))):
                        raise Unpatchable("other records: other files' references could change")
                    patch.replace(str(path), ident, ranges, batch.records, batch.state)
                for id_, _, names, _ in (n for b in batches.values() for n in b.state["named"]):
                    if any(patch.named_elsewhere(written, id_) for _, _, written in names):
                        raise Unpatchable(f"{id_!r}: a name another record has too")
                for types, ref, *_ in stream.refs:
                    found = patch.type_of(ref)
                    if found is None or (types and found not in types):
                        raise Unpatchable(f"{ref!r}: a reference to nothing, or to another type")
                patch.finish(meta)
            finally:
                conn.close()
    except (Unpatchable, OSError, sqlite3.Error, ValueError, KeyError, TypeError):
        return False
    return True


def _records(state: dict[str, Any]) -> list[tuple[str, str]]:
    """What of a file's state other files' references depend on: its records' ids and types, in order."""
    return [(str(w[0]), str(w[1])) for w in state["where"]]


def _stream_into(
    conn: sqlite3.Connection, files: Sequence[Path], roots: Sequence[Path], meta: dict[str, str], previous: Path | None
) -> None:
    """Each file's records go into the store as soon as the file is checked (or are copied from
    *previous*); the cross-file checks run at the end, their "did you mean" reading the names the
    store already holds."""
    from ..errors import FactDataError
    from ..load.loader import Stream
    from .db import previous_files, previous_state
    from .patch import NamedTable, RefTable

    builder = Builder(conn, meta)
    held: dict[str, tuple[str, tuple[int, ...]]] = {}
    if previous is not None:
        conn.execute("ATTACH DATABASE ? AS old", (_uri(previous, "mode=ro&immutable=1"),))
        held = previous_files(conn, "old")
    idents: dict[str, str | None] = {}

    def reuse(path: Path) -> tuple[object, dict[str, object]] | None:
        ident = idents[str(path)] = _identity(path)
        kept = held.get(str(path))
        if kept is None or ident is None or kept[0] != ident:
            return None
        text, state = previous_state(conn, "old", str(path))
        return (kept[1], text), state

    spellings = lambda: conn.execute("SELECT name, id, type FROM names ORDER BY rowid")  # noqa: E731
    stream = Stream(files, roots, spellings, reuse, RefTable(conn), NamedTable(conn))
    for batch in stream.batches():
        name = str(batch.path)
        ident = idents.get(name)
        if batch.reused is not None and ident is not None:
            kept: tuple[tuple[int, ...], str] = batch.reused  # type: ignore[assignment]
            builder.copy("old", name, ident, kept[0], kept[1])
        else:
            builder.add(batch.records, None if ident is None else (name, ident, batch.state))
    errors = stream.finish()
    if errors:
        raise FactDataError(errors)
    for table in ("refs", "named", "named_keys"):
        conn.execute(f"DROP TABLE temp.{table}")
    builder.finish()
    if previous is not None:
        conn.execute("DETACH DATABASE old")


def open_store(extra: Sequence[str | os.PathLike[str]] = (), *, use_cache: bool = True, bundled: bool = True) -> Store:
    """The store for the bundled facts plus AUTOALLIANCES_FACTS plus *extra* paths.

    Raises ``FactDataError`` when any fact file is invalid.
    """
    roots = fact_roots(extra, bundled=bundled)
    files, lines = discover(roots)
    head = "\n".join([__version__, SCHEMA_VERSION, sys.version.split()[0], *map(os.path.realpath, roots)])
    fingerprint = head + "\n" + "\n".join(lines)
    if not use_cache:
        return _compile(files, fingerprint, None, roots)
    path = _cache_path(head)
    if not _usable_dir(path.parent, create=False) and path.parent.exists():
        return _compile(files, fingerprint, None, roots)
    return _open_cached(path, fingerprint) or _compile(files, fingerprint, path, roots, head)
