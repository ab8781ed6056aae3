"""Writing results: JSON text, CSV and Markdown tables, and the streams themselves.

This module is the one owner of stdout and stderr. ``write`` is how every
result reaches stdout and ``note`` how every note for people reaches stderr;
rich draws into ``stdout()`` (see ``render.console``) and ``cli.main``
installs the same object as ``sys.stdout``, so click's own help and messages
pass through it too. What it promises, whatever the format:

- a reader that goes away (``| head``) ends the output quietly: exit 0;
- any other write error (``/dev/full``, a closed stdout) is
  ``cannot write output: <reason>``, exit 4 (``OutputError``);
- a character the output encoding cannot represent never fails: JSON writes
  it as a ``\\uXXXX`` escape, text as the encoding's replacement character;
- in a terminal, output longer than the screen goes through a pager
  (``$AUTOALLIANCES_PAGER``, else ``$PAGER``, else ``less -FRX``), never
  when stdout is not a terminal.

No rich and no json at import time: ``--help`` and the JSON path stay light.
"""

from __future__ import annotations

import codecs
import contextlib
import os
import sys
from collections.abc import Sequence
from typing import IO, Any

from ..errors import OutputError, UsageError
from .escape import cell_text, csv_cell, json_ascii, json_invisible, markdown_cell, safe

__all__ = ["cell_text", "configure", "dumps", "finish", "note", "select", "stdout", "write", "write_csv", "write_markdown"]

JSON_ERRORS = "autoalliances-json"
codecs.register_error(JSON_ERRORS, json_ascii)


class Settings:
    """How this run writes: set once per command from its options (``configure``)."""

    __slots__ = ("color", "pager", "raw_cells")

    def __init__(self) -> None:
        self.raw_cells = False  # --raw-cells: CSV text cells exactly as the facts hold them
        self.color = "auto"  # --color: auto, always or never
        self.pager = True  # --no-pager turns it off


settings = Settings()


def configure(*, raw_cells: bool = False, color: str = "auto", pager: bool = True) -> None:
    """Settings for this run; in a terminal, with a pager, output is collected until ``finish``."""
    settings.raw_cells, settings.color, settings.pager = raw_cells, color, pager
    out = stdout()
    if pager and out.pending is None and out.isatty() and pager_command() is not None:
        out.pending = []


# --- JSON, CSV and Markdown ------------------------------------------------------------------


def dumps(obj: Any, *, indent: int | str | None = "auto") -> str:
    """JSON text: UTF-8 kept readable, every control and invisible character escaped.

    *indent* ``"auto"``: indented by 2 spaces when stdout is a terminal (for
    people), else compact, ``separators=(",", ":")``, as gh does: only the
    compact form runs Python's C encoder (the indented one is pure Python,
    about four times slower), and a program reading a pipe needs no spaces.
    """
    import json

    if indent == "auto":
        indent = 2 if stdout().isatty() else None
    if indent is None:
        return json_invisible(json.dumps(obj, ensure_ascii=False, separators=(",", ":")))
    return json_invisible(json.dumps(obj, ensure_ascii=False, indent=int(indent), separators=(",", ": ")))


def write_csv(rows: Sequence[dict[str, Any]], columns: Sequence[str], out: IO[str]) -> None:
    """CSV with formula-like text cells neutralised (unless ``--raw-cells``); see ``escape.csv_cell``."""
    import csv

    raw = settings.raw_cells
    w = csv.writer(out, lineterminator="\n")
    w.writerow([csv_cell(c, raw=raw) for c in columns])  # headers can be data too (the matrix's partner names)
    for r in rows:
        w.writerow([csv_cell(r.get(c), raw=raw) for c in columns])


def write_markdown(rows: Sequence[dict[str, Any]], columns: Sequence[str], out: IO[str]) -> None:
    out.write("| " + " | ".join(markdown_cell(c) for c in columns) + " |\n")
    out.write("|" + "|".join("---" for _ in columns) + "|\n")
    for r in rows:
        out.write("| " + " | ".join(markdown_cell(r.get(c)) for c in columns) + " |\n")


def select(rows: list[dict[str, Any]], fields: Sequence[str] | None, available: Sequence[str]) -> list[dict[str, Any]]:
    """Only *fields* of each row, in that order; an unknown field is a usage error."""
    if fields is None:
        return rows
    unknown = [f for f in fields if f not in available]
    if unknown:
        raise UsageError(f"unknown field {unknown[0]!r}; valid fields: {', '.join(available)}")
    return [{f: r.get(f) for f in fields} for r in rows]


# --- the streams -------------------------------------------------------------------------------


class Output:
    """stdout or stderr as this program writes to it (a text stream for rich and click too).

    Deliberately no ``buffer`` attribute: click would write bytes past it.
    """

    def __init__(self, target: Any, name: str) -> None:
        self.target = target  # the stream underneath; None when the descriptor was closed at start
        self.name = name  # "stdout" or "stderr"
        self.gone = False  # the reader left, or writing failed: drop whatever comes
        self.pending: list[tuple[str, str]] | None = None  # (text, errors) collected for the pager

    @property
    def encoding(self) -> str:
        return getattr(self.target, "encoding", None) or "utf-8"

    @property
    def errors(self) -> str:
        return "replace"

    def isatty(self) -> bool:
        try:
            return bool(self.target is not None and self.target.isatty())
        except (OSError, ValueError):
            return False

    def fileno(self) -> int:
        if self.target is None:
            raise OSError(f"{self.name} is closed")
        fd: int = self.target.fileno()
        return fd

    def writable(self) -> bool:
        return True

    def write(self, text: str, errors: str = "replace") -> int:
        if not isinstance(text, str):  # click asks with b"" whether this is a binary stream
            raise TypeError("write() argument must be str")
        if self.gone or not text:
            return len(text)
        if self.pending is not None:
            self.pending.append((text, errors))
            return len(text)
        self._put(text, errors)
        return len(text)

    def flush(self) -> None:
        if self.gone or self.target is None:
            return
        try:
            self.target.flush()
        except BrokenPipeError:
            self._reader_left()
        except (OSError, ValueError) as e:
            self._failed(e)

    def _put(self, text: str, errors: str) -> None:
        if self.target is None:
            self._failed(None)
            return
        try:
            try:
                self.target.write(text)
            except UnicodeEncodeError:  # nothing was written: the whole text is encoded first
                enc = self.encoding
                self.target.write(text.encode(enc, errors).decode(enc))
            self.target.flush()
        except BrokenPipeError:
            self._reader_left()
        except (OSError, ValueError) as e:
            self._failed(e)

    def _silence(self) -> None:
        """Point the descriptor at /dev/null, so that no later flush (ours, Python's at exit) fails again."""
        self.gone = True
        try:
            fd = self.target.fileno()
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, fd)
            os.close(null)
        except (AttributeError, OSError, ValueError):
            pass

    def _reader_left(self) -> None:
        self._silence()

    def _failed(self, e: BaseException | None) -> None:
        self._silence()
        if self.name == "stdout":  # a failing stderr has nobody left to tell
            reason = "standard output is closed" if e is None else _reason(e)
            raise OutputError(f"cannot write output: {reason}")


def _reason(e: BaseException) -> str:
    if isinstance(e, OSError) and e.strerror:
        return e.strerror
    return str(e) or type(e).__name__


_wrapped: dict[str, tuple[Any, Output]] = {}


def _stream(name: str) -> Output:
    current = getattr(sys, name)
    if isinstance(current, Output):
        return current
    seen = _wrapped.get(name)
    if seen is None or seen[0] is not current:  # a new stream (CliRunner swaps them per run)
        seen = _wrapped[name] = (current, Output(current, name))
    return seen[1]


def stdout() -> Output:
    """The stdout every result goes to."""
    return _stream("stdout")


def stderr() -> Output:
    return _stream("stderr")


def install() -> None:
    """Put the owned streams in place of ``sys.stdout`` and ``sys.stderr`` (``cli.main``)."""
    sys.stdout = stdout()
    sys.stderr = stderr()


def write(text: str, *, json: bool = False) -> None:
    """Write a result (or part of one) to stdout; *json*: unencodable characters as \\u escapes."""
    stdout().write(text, JSON_ERRORS if json else "replace")


def note(message: str) -> None:
    """A one-line note for people, on stderr."""
    stderr().write(safe(message) + "\n")


def list_fields(available: Sequence[str]) -> None:
    """``--fields`` given with no value: the valid fields, one per line."""
    note("valid fields for --fields (comma-separated, in the order wanted):")
    write("".join(f"{f}\n" for f in available))


# --- the pager ---------------------------------------------------------------------------------

PAGER_ENV = "AUTOALLIANCES_PAGER"
DEFAULT_PAGER = "less -FRX"


def pager_command() -> str | None:
    """The pager to use, or None for none: ``$AUTOALLIANCES_PAGER``, ``$PAGER``, ``less -FRX``.

    An empty value or ``cat`` means no pager; the default needs ``less`` installed.
    """
    for var in (PAGER_ENV, "PAGER"):
        value = os.environ.get(var)
        if value is not None:
            value = value.strip()
            return None if value in ("", "cat") else value
    import shutil

    return DEFAULT_PAGER if shutil.which("less") else None


def finish() -> None:
    """Write what was collected for the pager: through it when longer than the screen, else directly."""
    out = stdout()
    pieces, out.pending = out.pending, None
    if not pieces:
        return
    text = "".join(t for t, _ in pieces)
    command = pager_command()
    if command is None or not _longer_than_screen(text):
        for t, errors in pieces:
            out._put(t, errors)
        return
    data = b"".join(t.encode(out.encoding, errors) for t, errors in pieces)
    if not _page(command, data):
        note(f"cannot run the pager {command!r}; printing directly")
        for t, errors in pieces:
            out._put(t, errors)


def _longer_than_screen(text: str) -> bool:
    import re
    import shutil

    columns, lines = shutil.get_terminal_size()
    plain = re.sub(r"\x1b\[[0-9;]*m", "", text)
    rows = sum(max(1, -(-len(line) // max(columns, 1))) for line in plain.splitlines())
    return rows >= lines


def _page(command: str, data: bytes) -> bool:
    """Run *command* through the shell with *data* on its stdin; False if it could not be run."""
    import signal
    import subprocess

    env = dict(os.environ)
    env.setdefault("LESS", "FRX")  # as git does: quit if one screen, keep colours, leave the screen as it is
    env.setdefault("LV", "-c")
    try:
        proc = subprocess.Popen(command, shell=True, stdin=subprocess.PIPE, env=env)
    except OSError:
        return False
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C belongs to the pager now
    try:
        assert proc.stdin is not None
        with contextlib.suppress(BrokenPipeError):  # the reader quit before the end: fine
            proc.stdin.write(data)
        with contextlib.suppress(BrokenPipeError):
            proc.stdin.close()
        code = proc.wait()
    finally:
        signal.signal(signal.SIGINT, previous)
    return code != 127  # 127: the shell did not find the command
