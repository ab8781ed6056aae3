"""Open the compiled store, from the cache when it is fresh.

The cache is an SQLite file (it holds data only: nothing in it can run code
when it is opened) in the user's cache directory. It is keyed by every fact
file's path, size and modification time plus the tool's version and schema,
so editing, adding or removing a file rebuilds it. A warm call stats the fact
files, opens the database read-only and reads only the rows its query needs:
no YAML parser and no validation are imported.

The cache is written to a temporary file and renamed into place, so readers
never see half a file; a truncated, corrupt or foreign cache is ignored and
rebuilt; an unwritable cache directory means no cache, never an error.
"""

from __future__ import annotations

import os
import sqlite3
import sys
import zlib
from collections.abc import Sequence
from pathlib import Path

from ..load.discover import discover, fact_roots
from ..version import __version__
from .db import SCHEMA_VERSION, Store, build

CACHE_ENV = "AUTOALLIANCES_CACHE_DIR"


def cache_dir() -> Path:
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "autoalliances"


def _cache_path(fingerprint_head: str) -> Path:
    return cache_dir() / f"facts-{zlib.crc32(fingerprint_head.encode()):08x}.sqlite"


def _open_cached(path: Path, fingerprint: str) -> Store | None:
    """The cached store at *path* if it is whole and matches *fingerprint*."""
    try:
        size = os.stat(path).st_size
        conn = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True, check_same_thread=False)
    except (OSError, sqlite3.Error):
        return None
    try:
        pages, page_size = conn.execute("PRAGMA page_count").fetchone()[0], conn.execute("PRAGMA page_size").fetchone()[0]
        if pages * page_size != size:  # truncated, or grown by something else
            raise sqlite3.DatabaseError("size mismatch")
        store = Store(conn)
        if store.meta("schema") != SCHEMA_VERSION or store.meta("fingerprint") != fingerprint:
            raise sqlite3.DatabaseError("stale")
        return store
    except sqlite3.Error:
        conn.close()
        return None


def _compile(files: list[Path], fingerprint: str, target: Path | None, roots: Sequence[Path] = ()) -> Store:
    """Load and validate *files*, then write the store to *target* (or memory)."""
    from ..errors import FactDataError
    from ..files import atomic_target
    from ..load.loader import load_files
    from ..load.parse import paused_gc

    with paused_gc():
        result = load_files(files, roots)
        if result.errors:
            raise FactDataError(result.errors)
        meta = {"fingerprint": fingerprint, "version": __version__}
        if target is not None:
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
                with atomic_target(target) as tmp:
                    conn = sqlite3.connect(tmp, check_same_thread=False)
                    build(conn, result.records, meta, result.origins)
                    conn.close()
                cached = _open_cached(target, fingerprint)
                if cached is not None:
                    return cached
            except (OSError, sqlite3.Error):
                pass  # no cache: fall through to memory
        conn = sqlite3.connect(":memory:", check_same_thread=False)
        build(conn, result.records, meta, result.origins)
        return Store(conn)


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
    return _open_cached(path, fingerprint) or _compile(files, fingerprint, path, roots)
