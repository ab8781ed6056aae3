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


def run() -> None:
    gc.disable()
    from .cli import main

    try:
        main()
        code = 0
    except SystemExit as e:
        code = _exit_code(e)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BrokenPipeError:  # the reader left (``| head``): not an error
            pass
        except (OSError, ValueError):
            code = code or 4
    os._exit(code)


if __name__ == "__main__":
    run()
