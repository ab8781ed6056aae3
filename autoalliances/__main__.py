"""The process entry point: ``autoalliances`` and ``python -m autoalliances``.

A run of the command line is a short-lived process, so two costs that only
matter to long-lived programs are skipped (together about a tenth of a
query's instructions, measured with callgrind):

* the cyclic garbage collector: its passes during the import of typer and
  rich find nothing to free; reference counting still frees everything;
* interpreter teardown: once the answer is written and flushed, the process
  ends with ``os._exit`` instead of tearing down every module one by one.

Three answers come before typer and click are even imported
(``autoalliances.startup``): ``--version`` and shell completion (no rich
either), and the root ``--help`` (drawn by rich), from the answers the last
full run of any of them left in the cache folder. When those are
missing or stale (a fact file changed, another program version), the full
program answers and leaves them for the next run.

``autoalliances.cli.main`` is the same program without these shortcuts;
the tests drive that one in-process, and this one as a real process.
"""

from __future__ import annotations

import gc
import os
import sys


def _exit_code(e: SystemExit) -> int:
    if e.code is None:
        return 0
    if isinstance(e.code, int):
        return e.code
    sys.stderr.write(f"{e.code}\n")
    return 1


def _keep_standard_descriptors() -> None:
    """Point a standard descriptor that was closed at start (``>&-``) at /dev/null.

    Otherwise the next file this process opens (the cache database) would get
    its number and receive what is meant for stdout. ``sys.stdout`` stays
    None, so writing a result is still the error it should be (exit 4).
    """
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            null = os.open(os.devnull, os.O_RDWR)  # the lowest free number: this one
            if null != fd:
                os.dup2(null, fd)
                os.close(null)


def _fast() -> tuple[str, int] | None:
    """The answer of ``startup`` for this run, or None (the full program answers)."""
    from . import startup

    if sys.stdout is None:  # stdout closed: the full program reports it (exit 4)
        return None
    if sys.argv[1:] == ["--version"]:
        text = startup.version_text()
        return None if text is None else (text, 0)
    if sys.argv[1:] in (["--help"], ["-h"]):
        shown = startup.help_screen()
        if shown is None:
            return None
        from .render.help import draw

        text = draw(shown).rstrip("\n") + "\n"  # as click prints a help screen
        if "\x1b" in text and not (sys.stdout is not None and sys.stdout.isatty()):
            return None  # click strips colour codes from a pipe (FORCE_COLOR): leave that to it
        return text, 0
    return startup.complete(os.environ[startup.COMPLETE_ENV], dict(os.environ))


def _write(text: str) -> None:
    """Write *text* to stdout as the owned stream would (an unencodable character replaced)."""
    out = sys.stdout
    if out is None:
        return
    try:
        out.write(text)
    except UnicodeEncodeError:
        enc = out.encoding or "utf-8"
        out.write(text.encode(enc, "replace").decode(enc))


def run() -> None:
    gc.disable()
    _keep_standard_descriptors()
    missed = False  # answers missing or stale: the full run leaves them (not when they are there but do not fit)
    if sys.argv[1:] in (["--version"], ["--help"], ["-h"]) or os.environ.get("_AUTOALLIANCES_COMPLETE"):
        try:
            answer = _fast()
        except Exception:  # the fast path never fails a run: the full program answers instead
            answer = None
        from . import startup

        missed = bool(startup.missed)
        if answer is not None:
            text, code = answer
            try:
                _write(text)
                if sys.stdout is not None:
                    sys.stdout.flush()
            except BrokenPipeError:  # the reader left: fine, as for every other answer
                pass
            except Exception:
                code = code or 4
            os._exit(code)
    from .cli import main

    try:
        main()
        code = 0
    except SystemExit as e:
        code = _exit_code(e)
    for stream in (sys.stdout, sys.stderr):
        try:  # the owned streams (render.writers) report a failed write themselves
            if stream is not None:
                stream.flush()
        except Exception:
            code = code or 4
    if missed and code in (0, 1):  # fish's is-args says 1 for "no candidates"
        try:  # after the answer is out
            from .cli.answers import record_answers

            record_answers()
        except Exception:  # a broken fact base, an unwritable cache: the next run is a full one too
            pass
    os._exit(code)


if __name__ == "__main__":
    run()
