"""Writing files safely: a temporary file in the target's folder, then a rename.

Shared by the cache and the export, so a reader never sees half a file. The
temporary name is short (a hidden prefix and eight hex digits), so a long
target name never makes it too long for the file system. SIGTERM and SIGHUP
while the temporary file exists remove it, then end the program as the
signal would have (exit status 128 + the signal's number).
"""

from __future__ import annotations

import os
import secrets
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from types import FrameType


def temp_path(target: Path) -> Path:
    """A fresh, unused name next to *target* for its temporary file."""
    return target.parent / f".tmp-{secrets.token_hex(4)}"


@contextmanager
def atomic_target(target: Path, *, replace: bool = True) -> Iterator[Path]:
    """Yield a new, empty temporary file next to *target*; on success move it into place.

    With ``replace=False`` an existing *target* is never overwritten:
    ``FileExistsError`` is raised instead (a hard link cannot overwrite, so
    even a file that appears meanwhile is kept). The temporary file is removed
    whatever happens.
    """
    tmp = temp_path(target)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # the umask applies, as for any new file
    os.close(fd)
    restore = _remove_on_signals(tmp)
    try:
        yield tmp
        if replace:
            os.replace(tmp, target)
        else:
            _publish_new(tmp, target)
    finally:
        restore()
        with suppress(FileNotFoundError):
            os.unlink(tmp)


_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))


def _remove_on_signals(tmp: Path) -> Callable[[], None]:
    """Until the returned function is called, SIGTERM and SIGHUP delete *tmp*, then act as they would have.

    Only the main thread may set signal handlers; elsewhere nothing changes.
    """
    if threading.current_thread() is not threading.main_thread():
        return lambda: None
    # An ignored signal (nohup) stays ignored: the build goes on and cleans up as usual.
    before = {sig: old for sig in _SIGNALS if (old := signal.getsignal(sig)) is not signal.SIG_IGN}

    def handler(signum: int, frame: FrameType | None) -> None:
        with suppress(OSError):
            os.unlink(tmp)
        previous = before.get(signum)
        if callable(previous):  # someone else's handler (a test runner, an embedding program): theirs
            previous(signum, frame)
            return
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)  # die of the signal: exit status 128 + signum

    for sig in before:
        signal.signal(sig, handler)

    def restore() -> None:
        for sig, old in before.items():
            signal.signal(sig, old if old is not None else signal.SIG_DFL)

    return restore


def _publish_new(tmp: Path, target: Path) -> None:
    try:
        os.link(tmp, target)
    except FileExistsError:
        raise
    except OSError:  # a file system without hard links: check, then rename
        if target.exists():
            raise FileExistsError(str(target)) from None
        os.replace(tmp, target)


def write_atomically(target: Path, fill: Callable[[Path], object], *, replace: bool = True) -> None:
    """Have *fill* write the temporary file, then move it to *target* (see ``atomic_target``)."""
    with atomic_target(target, replace=replace) as tmp:
        fill(tmp)
