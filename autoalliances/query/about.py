"""What ``--version`` says about the data: the fact base's own version, its counts, its newest source.

A fact root (the bundled ``facts/`` folder, or any folder given with
``--facts`` or ``AUTOALLIANCES_FACTS``) may hold a ``VERSION`` file: one
line, the version of that data set (the bundled facts use ``YYYY.MM``, with
``.N`` for a second release in a month). It has no ``.yaml`` suffix, so the
loader never reads it as a fact file. ``version_lines`` is a plain function
so that the command line's ``--version`` (and any fast path before Typer)
can call it.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..model.dates import FuzzyDate
from ..model.records import PLURAL, RECORD_TYPES, Source
from .registry import Registry

VERSION_FILE = "VERSION"


def data_version(root: Path) -> str | None:
    """The version in *root*/VERSION (first line), or None when there is none."""
    try:
        with open(root / VERSION_FILE, encoding="utf-8") as f:
            line = f.readline(200).strip()
    except (OSError, UnicodeDecodeError):
        return None
    return line or None


@dataclass
class About:
    """The fact base a run sees."""

    roots: list[tuple[Path, bool, str | None]] = field(default_factory=list)  # (root, bundled?, version)
    counts: dict[str, int] = field(default_factory=dict)  # record type -> count
    newest_source: FuzzyDate | None = None


def about(reg: Registry, roots: Sequence[Path], bundled: Path) -> About:
    info = About()
    for root in roots:
        info.roots.append((root, root == bundled, data_version(root) if os.path.isdir(root) else None))
    info.counts = reg.counts()
    dated = [s.published for s in reg.store.all(Source) if s.published.known]
    info.newest_source = max(dated, key=lambda d: d.sort_key()[1::-1]) if dated else None
    return info


def version_lines(info: About) -> list[str]:
    """``fact base 2026.12 (bundled): 130 records: 5 sources, ...; newest source published 14 April 2025``."""
    parts = []
    for root, is_bundled, version in info.roots:
        name = "bundled" if is_bundled else str(root)
        parts.append(f"{version or 'no VERSION file'} ({name})")
    total = sum(info.counts.values())
    by_type = ", ".join(f"{info.counts.get(cls.TYPE, 0)} {PLURAL[cls.TYPE] if info.counts.get(cls.TYPE, 0) != 1 else cls.TYPE}"
                        for cls in RECORD_TYPES.values())
    newest = f"newest source published {info.newest_source.label}" if info.newest_source else "no source states its date"
    return [f"fact base {' + '.join(parts) or 'empty'}: {total} records ({by_type}); {newest}"]


def fact_base_lines() -> list[str]:
    """``version_lines`` for the fact base a command would open (bundled, AUTOALLIANCES_FACTS); raises FactDataError."""
    from ..load.discover import bundled_facts_dir, fact_roots
    from ..store.cache import open_store

    return version_lines(about(Registry(open_store()), fact_roots(), bundled_facts_dir()))
