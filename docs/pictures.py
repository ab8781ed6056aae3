"""Draw the README's pictures: SVG renders of real commands, made with rich.

    python docs/pictures.py          # write docs/*.svg
    python docs/pictures.py --check  # exit 1 if a committed picture is stale

Each picture is the command's real table output (run as a process at a fixed
width, in colour, on the fixed day ``TODAY`` so that plans read the same whatever
the clock says), turned into SVG by rich's ``export_svg``. Every SVG carries
a fingerprint of the command's plain-text output, so ``--check`` can tell
whether the facts (or the tool) have changed since the picture was made,
without depending on how a given rich version lays out the SVG itself.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
WIDTH = 110
# The day the pictures are drawn for: plans are read against it, so the pictures do not change with the clock.
TODAY = "2026-12-01"

PICTURES: dict[str, list[str]] = {
    "company-bmw.svg": ["company", "BMW"],
    "matrix.svg": ["matrix"],
    "timeline.svg": ["timeline"],
}

_MARK = re.compile(r"<!-- autoalliances picture: (.*?) sha256=([0-9a-f]{64}) -->")


def _run(args: list[str], *, colour: bool) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "AUTOALLIANCES_FACTS")}
    env |= {"COLUMNS": str(WIDTH), "LINES": "200", "AUTOALLIANCES_BUNDLED": "1", "TERM": "xterm-256color", "AUTOALLIANCES_TODAY": TODAY}
    if colour:
        env["FORCE_COLOR"] = "1"
    else:
        env["NO_COLOR"] = "1"
        env["TERM"] = "dumb"
    r = subprocess.run(
        [sys.executable, "-m", "autoalliances", *args], capture_output=True, text=True, env=env, timeout=120, check=False
    )
    if r.returncode != 0:
        raise SystemExit(f"autoalliances {' '.join(args)} failed ({r.returncode}): {r.stderr.strip()}")
    return r.stdout


def fingerprint(args: list[str]) -> str:
    """sha256 of the command's plain output: what the picture shows, minus styling."""
    plain = _run(args, colour=False)
    return hashlib.sha256(plain.encode("utf-8")).hexdigest()


def render(args: list[str]) -> str:
    from rich.console import Console
    from rich.text import Text

    ansi = _run(args, colour=True)
    console = Console(record=True, width=WIDTH, force_terminal=True, color_system="truecolor", file=open(os.devnull, "w"))
    console.print(Text.from_ansi(ansi), end="")
    title = "autoalliances " + " ".join(args)
    svg = console.export_svg(title=title)
    mark = f"<!-- autoalliances picture: {title} sha256={fingerprint(args)} -->\n"
    return mark + svg


def stale() -> list[str]:
    """Names of pictures that are missing or no longer match the command's output."""
    out = []
    for name, args in PICTURES.items():
        path = DOCS / name
        m = _MARK.search(path.read_text(encoding="utf-8")) if path.exists() else None
        if m is None or m.group(2) != fingerprint(args):
            out.append(name)
    return out


def main(argv: list[str]) -> int:
    if argv[1:] == ["--check"]:
        bad = stale()
        for name in bad:
            print(f"docs/{name} is stale: run python docs/pictures.py", file=sys.stderr)
        return 1 if bad else 0
    if argv[1:]:
        print(__doc__, file=sys.stderr)
        return 2
    for name, args in PICTURES.items():
        (DOCS / name).write_text(render(args), encoding="utf-8")
        print(f"wrote docs/{name}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
