"""Where an export goes: checks before any work, then an atomic write."""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Callable
from pathlib import Path

from ..errors import OutputError, OutputExistsError
from ..files import atomic_target


def check_target(path: Path, *, force: bool) -> None:
    """Fail before any work when *path* cannot be written (or exists without *force*).

    Only a regular file is ever replaced, even with *force*: a device, a FIFO or
    a socket (``/dev/null``, say, which root could otherwise replace) is exit 4.
    """
    parent = path.parent
    if not parent.is_dir():
        raise OutputError(f"cannot write {path}: folder {parent} does not exist")
    if path.is_dir():
        raise OutputError(f"cannot write {path}: it is a folder")
    try:
        mode = os.stat(path).st_mode
    except OSError:
        mode = None  # nothing there (or a dangling link, which atomic_target will not overwrite without force)
    if mode is not None and not stat.S_ISREG(mode):
        raise OutputError(f"cannot write {path}: it is {_kind(mode)}, not a regular file, and is never replaced")
    if path.exists() and not force:
        raise OutputExistsError(str(path))


def _kind(mode: int) -> str:
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def write_file(path: Path, force: bool, fill: Callable[[Path], object]) -> None:
    """Have *fill* write a temporary file next to *path*, then move it into place.

    Without *force*, a file that appears at *path* meanwhile is never
    overwritten (``OutputExistsError``).
    """
    check_target(path, force=force)
    try:
        with atomic_target(path, replace=force) as tmp:
            fill(tmp)
    except FileExistsError:
        raise OutputExistsError(str(path)) from None
    except OSError as e:
        raise OutputError(f"cannot write {path}: {e.strerror or e}") from None
    except sqlite3.Error as e:  # the SQLite export: a full disk, a file size limit
        raise OutputError(f"cannot write {path}: {e}") from None
