"""How fresh the fact base is: what ``--version`` prints about it.

``version_lines`` is a plain function (no typer), so a fast path that answers
``--version`` before the command line is imported can call it. It reads the
newest publication date from the store's ``meta`` table, written when the
cache is built: a warm call parses no YAML.
"""

from __future__ import annotations

from ..errors import AutoAlliancesError
from ..model.dates import FuzzyDate
from ..version import __version__


def newest_source_line() -> str:
    """'newest source: 2025-04-14 (14 April 2025)' for the bundled facts plus ``AUTOALLIANCES_FACTS``."""
    from ..store.cache import open_store

    try:
        text = open_store().meta("newest_source")
    except AutoAlliancesError:
        return "newest source: unknown (the fact files do not validate: run autoalliances validate)"
    if not text:
        return "newest source: none is dated"
    return f"newest source: {text} ({FuzzyDate.parse(text).label})"


def version_lines() -> list[str]:
    """What ``--version`` prints, one line each: ``autoalliances X.Y.Z`` first, then the fact base's lines."""
    return [f"autoalliances {__version__}", newest_source_line()]
