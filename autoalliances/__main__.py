"""The process entry point: ``autoalliances`` and ``python -m autoalliances``.

A run of the command line is a short-lived process, so two costs that only
matter to long-lived programs are skipped (together about a tenth of a
query's instructions, measured with callgrind):

* the cyclic garbage collector: its passes during the import of typer and
  rich find nothing to free; reference counting still frees everything;
* interpreter teardown: once the answer is written and flushed, the process
  ends with ``os._exit`` instead of tearing down every module one by one.

``autoalliances.cli.main`` is the same program without these two shortcuts;
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


def run() -> None:
    gc.disable()
    _keep_standard_descriptors()
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
    os._exit(code)


if __name__ == "__main__":
    run()
