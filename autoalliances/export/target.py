"""Where an export goes: checks before any work, then an atomic write."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..errors import OutputError, OutputExistsError
from ..files import atomic_target


def check_target(path: Path, *, force: bool) -> None:
    """Fail before any work when *path* cannot be written (or exists without *force*)."""
    parent = path.parent
    if not parent.is_dir():
        raise OutputError(f"cannot write {path}: folder {parent} does not exist")
    if path.is_dir():
        raise OutputError(f"cannot write {path}: it is a folder")
    if path.exists() and not force:
        raise OutputExistsError(str(path))


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
