"""Where the fact files are: the bundled facts, ``AUTOALLIANCES_FACTS``, ``--facts``.

``fact_roots`` lists the roots in the order they are read; ``discover`` walks
them and returns every fact file with a fingerprint line (path, size,
modification time) per file, which the cache uses as its key.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

FACT_SUFFIXES = (".yaml", ".yml")
BUNDLED_ENV = "AUTOALLIANCES_BUNDLED"  # "0": leave the bundled facts out (own data sets, tests)
FACTS_ENV = "AUTOALLIANCES_FACTS"


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


def discover(roots: Sequence[Path]) -> tuple[list[Path], list[str]]:
    """Fact files below *roots*, and the fingerprint lines (path, size, mtime) for them.

    A root that does not exist or cannot be read gets a fingerprint line of its
    own, so the cache never hides the error the loader reports for it.
    """
    files: list[Path] = []
    lines: list[str] = []
    for root in roots:
        try:
            st = os.stat(root)
        except OSError:
            lines.append(f"missing\t{root}")
            files.append(root)
            continue
        if not os.path.isdir(root):
            files.append(root)
            lines.append(f"{root}\t{st.st_size}\t{st.st_mtime_ns}")
            continue
        found: list[tuple[str, os.stat_result]] = []
        stack = [str(root)]
        while stack:
            d = stack.pop()
            try:
                entries = list(os.scandir(d))
            except OSError:
                lines.append(f"unreadable\t{d}")
                continue
            for e in entries:
                if e.name.startswith("."):
                    continue
                if e.is_dir():
                    stack.append(e.path)
                elif e.name.endswith(FACT_SUFFIXES):  # a directory named x.yaml is walked above
                    found.append((e.path, e.stat()))
        found.sort()
        for path, fst in found:
            files.append(Path(path))
            lines.append(f"{path}\t{fst.st_size}\t{fst.st_mtime_ns}")
    return files, lines
