"""An export that is a folder of files (``export site``, ``export csv``): checks, build, manifest, publish.

The files are made in memory first (relative path -> bytes), then:

- **DIR does not exist**: they are written to a temporary folder beside DIR,
  which is renamed to DIR in one step: a reader sees no folder or the whole one.
- **DIR exists and is empty**, or **exists and ``force``**: they are written to
  a temporary folder inside DIR (the same file system, so each move is one
  rename), then moved into place file by file with ``os.replace``; files that
  the previous export of the same kind wrote and this one does not are
  removed. A file is replaced or removed only if the previous export's
  manifest lists it: anything else in DIR is never touched, and a new file
  whose name is taken by such a file stops the export before anything moves.
- **The manifest** (``MANIFEST``) lists every file the export wrote, with its
  size and SHA-256, and is written last. Entries that are not plain relative
  paths inside DIR are ignored, so a crafted manifest cannot point outside it.

Failures before the move (a folder that cannot be written, an error while
building) leave DIR as it was, and the temporary folder is removed.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import secrets
import shutil
from collections.abc import Iterable, Mapping
from pathlib import Path, PurePosixPath

from ..errors import OutputError, OutputExistsError
from ..version import __version__

MANIFEST = "autoalliances-manifest.json"


class FolderInUseError(OutputExistsError):
    """DIR holds files this export may not replace (not empty without --force, or foreign files): exit 2."""

    def __init__(self, message: str) -> None:
        OutputError.__init__(self, message)


def safe_relative(name: object) -> str | None:
    """*name* if it is a plain relative POSIX path inside a folder ('a/b.html'), else None."""
    if not isinstance(name, str) or not name or "\\" in name or "\x00" in name:
        return None
    p = PurePosixPath(name)
    if p.is_absolute() or any(part in ("", ".", "..") for part in name.split("/")):
        return None
    return p.as_posix()


def read_manifest(folder: Path) -> tuple[str | None, set[str]]:
    """The kind of export that wrote *folder* and the files it lists (none when there is no manifest)."""
    path = folder / MANIFEST
    if not path.is_file() or path.is_symlink():
        return None, set()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None, set()
    if not isinstance(data, dict) or not isinstance(data.get("files"), list):
        return None, set()
    names = {safe_relative(f.get("path")) if isinstance(f, dict) else None for f in data["files"]}
    kind = data.get("export")
    return (kind if isinstance(kind, str) else None), {n for n in names if n and n != MANIFEST}


def manifest_bytes(kind: str, files: Mapping[str, bytes]) -> bytes:
    """The manifest of *files*: no timestamp, so the same facts give the same bytes."""
    listing = [
        {"path": name, "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
        for name, data in sorted(files.items())
    ]
    doc = {"tool": "autoalliances", "version": __version__, "export": kind, "files": listing}
    return (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def check_folder(folder: Path, kind: str, *, force: bool) -> None:
    """Fail before any work when *folder* cannot take this export (see the module's rules)."""
    parent = folder.parent
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        raise OutputError(f"cannot write {folder}: it is not a folder")
    if not folder.exists():
        if not parent.is_dir():
            raise OutputError(f"cannot write {folder}: folder {parent} does not exist")
        if not os.access(parent, os.W_OK | os.X_OK):
            raise OutputError(f"cannot write {folder}: permission denied in {parent}")
        return
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(f"cannot write {folder}: permission denied")
    try:
        empty = next(folder.iterdir(), None) is None
    except OSError as e:
        raise OutputError(f"cannot write {folder}: {e.strerror or e}") from None
    if not empty and not force:
        raise FolderInUseError(f"{folder} exists and is not empty; use --force to replace the files an earlier export wrote there")
    old_kind, _ = read_manifest(folder)
    if old_kind is not None and old_kind != kind:
        raise FolderInUseError(f"{folder} holds an 'export {old_kind}'; write the {kind} export to another folder")


def write_folder(folder: Path, files: Mapping[str, bytes], kind: str, *, force: bool) -> int:
    """Publish *files* (relative path -> bytes) as *folder*, with the manifest; returns the number of files."""
    check_folder(folder, kind, force=force)
    bad = [n for n in files if safe_relative(n) != n or n == MANIFEST]
    if bad:  # pragma: no cover - a programming error
        raise ValueError(f"not a plain relative file name: {bad[0]!r}")
    everything = {**files, MANIFEST: manifest_bytes(kind, files)}
    exists = folder.exists()
    tmp = (folder if exists else folder.parent) / f".tmp-{secrets.token_hex(4)}"
    try:
        try:
            _write_all(tmp, everything)
            if not exists:
                try:
                    os.rename(tmp, folder)
                    return len(files)
                except OSError as e:  # the folder appeared meanwhile: publish into it
                    if e.errno not in (errno.EEXIST, errno.ENOTEMPTY):
                        raise
                    check_folder(folder, kind, force=force)
                    moved = tmp.rename(folder / tmp.name)
                    tmp = moved
            _publish_into(folder, tmp, files)
        except OSError as e:
            raise OutputError(f"cannot write {folder}: {e.strerror or e}") from None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return len(files)


def _write_all(root: Path, files: Mapping[str, bytes]) -> None:
    root.mkdir()
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def _publish_into(folder: Path, tmp: Path, files: Mapping[str, bytes]) -> None:
    _, old = read_manifest(folder)
    # Everything is checked before anything moves.
    for name in sorted(files):
        _check_place(folder, name, old)
    for name in sorted(files):
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(tmp / name, target)
    for name in sorted(old - set(files)):
        _remove_stale(folder, name)
    os.replace(tmp / MANIFEST, folder / MANIFEST)


def _check_place(folder: Path, name: str, old: Iterable[str]) -> None:
    """The place of *name* in *folder* is free or holds a file the previous export wrote."""
    parts = name.split("/")
    here = folder
    for part in parts[:-1]:
        here = here / part
        if here.is_symlink() or (here.exists() and not here.is_dir()):
            raise FolderInUseError(f"{here} is in the way (not a folder this export made); move it away or export to another folder")
    target = folder / name
    if (target.exists() or target.is_symlink()) and name not in old:
        raise FolderInUseError(
            f"{target} exists and was not written by an earlier export (it is not in {MANIFEST}); "
            "move it away or export to another folder"
        )
    if target.is_dir() and not target.is_symlink():
        raise FolderInUseError(f"{target} is a folder; move it away or export to another folder")


def _remove_stale(folder: Path, name: str) -> None:
    """Remove a file the previous export wrote, and the folders it leaves empty (never DIR itself)."""
    target = folder / name
    here = folder
    for part in name.split("/")[:-1]:
        here = here / part
        if here.is_symlink() or not here.is_dir():
            return  # not the export's folder any more: leave it
    if target.is_symlink() or target.is_file():
        target.unlink()
    parent = target.parent
    while parent != folder:
        try:
            parent.rmdir()
        except OSError:
            break
        parent = parent.parent
