"""Where the fact files are: the bundled facts, ``AUTOALLIANCES_FACTS``, ``--facts``.

``fact_roots`` lists the roots in the order they are read; ``find_fact_files``
walks them and returns every fact file with a fingerprint line per file (its
resolved absolute path, size, modification and change times and inode), which
the cache uses as its key; ``read_fact_bytes`` reads one of them.

Fact files come from other people, so nothing here trusts the file system:
a path is stat'ed before it is opened, only regular files are read (a named
pipe would block forever, ``/dev/zero`` never ends), opened without blocking,
and never more than ``MAX_FACT_FILE_BYTES``. Whatever cannot be read (a
dangling or looping link, a device, an unreadable folder) is still handed to
the loader, which reports it as ``PATH: cannot read: <reason>``: the same
message whether it was given directly or found inside a folder. The same file
reached twice (a folder and a file in it, a link and its target) is read once.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

FACT_SUFFIXES = (".yaml", ".yml")  # compared case-insensitively: Sales.YAML is a fact file
BUNDLED_ENV = "AUTOALLIANCES_BUNDLED"  # "0": leave the bundled facts out (own data sets, tests)
FACTS_ENV = "AUTOALLIANCES_FACTS"
# The largest fact file read (the biggest bundled one is a few dozen KiB): checked on the size
# stat reports before opening and again while reading, so a file that grows cannot slip past.
MAX_FACT_FILE_BYTES = 16 * 1024 * 1024
NO_FACT_FILES = "no fact files in this folder (files ending in .yaml or .yml, at any depth)"


def bundled_facts_dir() -> Path:
    """The fact files shipped with the package (inside the wheel, or the checkout)."""
    package = Path(__file__).resolve().parent.parent
    inside = package / "facts"
    return inside if inside.is_dir() else package.parent / "facts"


def fact_roots(extra: Sequence[str | os.PathLike[str]] = (), *, bundled: bool = True) -> list[Path]:
    """Bundled facts, then AUTOALLIANCES_FACTS (os.pathsep-separated), then *extra*."""
    if os.environ.get(BUNDLED_ENV, "1") == "0":
        bundled = False
    roots = [bundled_facts_dir()] if bundled else []
    env = os.environ.get(FACTS_ENV, "")
    roots += [Path(p) for p in env.split(os.pathsep) if p]
    roots += [Path(p) for p in extra]
    return roots


def is_fact_name(name: str) -> bool:
    """Whether a file name found in a folder names a fact file (``.yaml``/``.yml``, any case)."""
    return name.lower().endswith(FACT_SUFFIXES)


@dataclass
class Found:
    """What ``find_fact_files`` found below the roots."""

    files: list[Path] = field(default_factory=list)  # as the user spelled them, each file once
    lines: list[str] = field(default_factory=list)  # the fingerprint: resolved absolute paths
    empty: list[Path] = field(default_factory=list)  # folders that hold no fact file at all


def _line(real: str, st: os.stat_result) -> str:
    return f"{real}\t{st.st_size}\t{st.st_mtime_ns}\t{st.st_ctime_ns}\t{st.st_ino}"


# (path as found, resolved absolute path, stat result or None when it cannot be stat'ed or listed)
_Entry = tuple[str, str, "os.stat_result | None"]


def _walk(root: str, real_root: str, root_st: os.stat_result, stop_at_first: bool = False) -> list[_Entry]:
    """Every fact file below the folder *root*, and every entry that cannot be read, sorted.

    An entry that cannot be stat'ed (a dangling or looping link) may have been a
    folder of facts, so it is reported rather than skipped; so is a folder that
    cannot be listed. Folders are entered once each (a link to an ancestor does
    not loop). Names starting with a dot (``.git``, editor lock files) are skipped.
    """
    found: list[_Entry] = []
    dirs = {(root_st.st_dev, root_st.st_ino)}
    stack = [(root, real_root)]
    while stack:
        shown, real = stack.pop()
        try:
            with os.scandir(shown) as it:
                entries = list(it)
        except OSError:
            found.append((shown, real, None))
            continue
        for e in entries:
            if e.name.startswith("."):
                continue
            link = e.is_symlink()
            if not (link or is_fact_name(e.name) or e.is_dir(follow_symlinks=False)):
                continue  # a plain file of another kind (README, article text): no stat needed
            e_real = os.path.realpath(e.path) if link else os.path.join(real, e.name)
            try:
                est = e.stat()
            except OSError:
                found.append((e.path, e_real, None))
                continue
            if stat.S_ISDIR(est.st_mode):
                key = (est.st_dev, est.st_ino)
                if key not in dirs:
                    dirs.add(key)
                    stack.append((e.path, e_real))
            elif is_fact_name(e.name):  # a regular file, or a pipe or device the loader refuses
                found.append((e.path, e_real, est))
            else:
                continue
            if stop_at_first and found:
                return found
    found.sort()
    return found


def find_fact_files(roots: Sequence[Path]) -> Found:
    """Fact files below *roots*, their fingerprint lines, and the folders that hold none.

    A root that does not exist or cannot be read gets a fingerprint line of its
    own, so the cache never hides the error the loader reports for it.
    """
    out = Found()
    seen: set[tuple[int, int]] = set()
    seen_bad: set[str] = set()
    for root in roots:
        try:
            st = os.stat(root)
        except OSError:
            out.files.append(root)
            out.lines.append(f"missing\t{os.path.realpath(root)}")
            continue
        real_root = os.path.realpath(root)
        if not stat.S_ISDIR(st.st_mode):
            entries: list[_Entry] = [(str(root), real_root, st)]
        else:
            entries = _walk(str(root), real_root, st)
            if not entries:
                out.empty.append(root)
        for shown, real, est in entries:
            if est is None:
                if shown not in seen_bad:
                    seen_bad.add(shown)
                    out.files.append(Path(shown))
                    out.lines.append(f"unreadable\t{real}")
                continue
            key = (est.st_dev, est.st_ino)
            if key in seen:
                continue
            seen.add(key)
            out.files.append(Path(shown))
            out.lines.append(_line(real, est))
    return out


def discover(roots: Sequence[Path]) -> tuple[list[Path], list[str]]:
    """Fact files below *roots* and the fingerprint lines for them (see ``find_fact_files``)."""
    found = find_fact_files(roots)
    return found.files, found.lines


def empty_fact_roots(roots: Sequence[Path]) -> list[Path]:
    """The roots that are folders holding no fact file (queries warn about them).

    Stops at the first fact file of each folder, so a warm query pays little for it.
    """
    empty: list[Path] = []
    for root in roots:
        try:
            st = os.stat(root)
        except OSError:
            continue
        if stat.S_ISDIR(st.st_mode) and not _walk(str(root), str(root), st, stop_at_first=True):
            empty.append(root)
    return empty


class CannotRead(Exception):
    """A fact file that is not read; the message is the reason, for ``PATH: cannot read: <reason>``."""


_KINDS = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _reason(path: str, e: OSError) -> str:
    if isinstance(e, FileNotFoundError):
        try:
            target = os.readlink(path)
        except OSError:
            pass
        else:
            return f"a symbolic link to {target!r}, which does not exist"
    return str(e.strerror or e)


def _too_big(size: int | None = None) -> CannotRead:
    cap = MAX_FACT_FILE_BYTES
    got = f" ({size} bytes)" if size is not None else ""
    return CannotRead(f"larger than {cap} bytes{got}, the limit for one fact file")


def read_fact_bytes(path: Path) -> bytes:
    """The bytes of the fact file *path*; raises ``CannotRead`` or ``IsADirectoryError``.

    Only a regular file is opened (``O_NONBLOCK``, so even a pipe swapped in
    after the stat cannot block), and at most ``MAX_FACT_FILE_BYTES`` + 1
    bytes are read. A folder given here is one ``find_fact_files`` could not list:
    listing it again says why.
    """
    name = str(path)
    try:
        st = os.stat(name)
    except OSError as e:
        raise CannotRead(_reason(name, e)) from None
    if stat.S_ISDIR(st.st_mode):
        try:
            os.scandir(name).close()
        except OSError as e:
            raise CannotRead(_reason(name, e)) from None
        raise IsADirectoryError(name)
    if not stat.S_ISREG(st.st_mode):
        kind = next((what for test, what in _KINDS if test(st.st_mode)), "a special file")
        raise CannotRead(f"not a regular file: {kind}")
    cap = MAX_FACT_FILE_BYTES
    if st.st_size > cap:
        raise _too_big(st.st_size)
    try:
        fd = os.open(name, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as e:
        raise CannotRead(_reason(name, e)) from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):  # replaced between the stat and the open
            raise CannotRead("not a regular file")
        chunks: list[bytes] = []
        total = 0
        while total <= cap:
            chunk = os.read(fd, min(1 << 20, cap + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    except OSError as e:
        raise CannotRead(_reason(name, e)) from None
    finally:
        os.close(fd)
    if total > cap:
        raise _too_big()
    return b"".join(chunks)
