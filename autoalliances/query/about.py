"""What ``--version`` says about the fact base: how many records, and how recent its newest source is.

A plain function over the store (a warm call reads the record counts off an
index and decodes only the source records), so the command line can answer
``--version`` from it before, or without, building any command.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from ..errors import FactDataError
from ..model.records import PLURAL, RECORD_TYPES, Source
from ..version import __version__
from .registry import Registry


def fact_base(reg: Registry) -> dict[str, object]:
    """``{"records", "counts" (per type, in load order), "newest_source": {"id", "published"} | None}``."""
    counts = reg.counts()
    by_type = {cls.TYPE: counts.get(cls.TYPE, 0) for cls in RECORD_TYPES.values()}
    dated = [s for s in reg.store.all(Source) if s.published.known]
    newest = max(dated, key=lambda s: (s.published.sort_key(), s.id), default=None)
    return {
        "records": sum(by_type.values()),
        "counts": by_type,
        "newest_source": {"id": newest.id, "published": newest.published.label} if newest else None,
    }


def version_lines(extra: Sequence[str | os.PathLike[str]] = ()) -> tuple[list[str], str | None]:
    """The lines ``--version`` prints on stdout (the first is ``autoalliances X.Y.Z``), and a
    note for stderr when the fact base cannot be read."""
    from ..store.cache import open_store

    lines = [f"autoalliances {__version__}"]
    try:
        info = fact_base(Registry(open_store(extra)))
    except FactDataError as e:
        return lines, f"facts: {e} (autoalliances validate lists them)"
    counts = info["counts"]
    assert isinstance(counts, dict)
    each = ", ".join(f"{n} {PLURAL[t] if n != 1 else t}" for t, n in counts.items())
    lines.append(f"facts: {info['records']} records ({each})")
    newest = info["newest_source"]
    if isinstance(newest, dict):
        lines.append(f"newest source: published {newest['published']} ({newest['id']})")
    else:
        lines.append("newest source: no source states its publication date")
    return lines, None
