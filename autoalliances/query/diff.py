"""What changed between two fact trees: records added, removed and changed, field by field.

Each side is a folder or file of fact files, or ``bundled`` (the facts
shipped with the package). A side is loaded alone, as ``validate --no-bundled``
would, or with ``with_bundled`` on top of the bundled facts (for a team's own
facts that cite bundled sources: the bundled records are the same on both
sides and so never show up as changes). Either side failing validation
raises ``FactDataError`` with every error. Records are matched by id; a
changed record lists each field whose value differs, with both values in
their fact-file form (dates as text). An id that moves to another record
type counts as removed and added.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import FactDataError, UsageError
from ..load.discover import bundled_facts_dir, discover
from ..load.loader import load_files
from ..model.records import RECORD_TYPES, Record
from ..store.codec import to_plain
from .about import data_version

BUNDLED = "bundled"
_ORDER = {cls.TYPE: i for i, cls in enumerate(RECORD_TYPES.values())}


@dataclass
class Side:
    label: str  # the path as given, or "bundled"
    version: str | None  # its VERSION file
    records: dict[str, Record] = field(default_factory=dict)


@dataclass
class FieldChange:
    field: str
    old: Any  # plain data: None, text, numbers, lists, mappings
    new: Any


@dataclass
class RecordChange:
    record: Record  # the new version
    fields: list[FieldChange]


@dataclass
class Diff:
    old: Side
    new: Side
    added: list[Record] = field(default_factory=list)
    removed: list[Record] = field(default_factory=list)
    changed: list[RecordChange] = field(default_factory=list)


def load_side(word: str, *, with_bundled: bool = False) -> Side:
    """One side of a diff: a fact folder or file, or ``bundled``."""
    bundled = bundled_facts_dir()
    if word == BUNDLED:
        roots, root = [bundled], bundled
    else:
        if not word.strip():  # Path('') is the current folder
            raise UsageError(f"diff: the side {word!r} is empty; give a fact folder or file, or 'bundled'")
        root = Path(word)
        if not os.path.exists(root):
            raise UsageError(f"diff: {word!r} does not exist; give a fact folder or file, or 'bundled'")
        roots = [bundled, root] if with_bundled else [root]
    files, _ = discover(roots)
    result = load_files(files)
    if result.errors:
        raise FactDataError(result.errors)
    version = data_version(root) if os.path.isdir(root) else None
    return Side(word, version, {r.id: r for r in result.records})


def _key(rec: Record) -> tuple[int, str]:
    return (_ORDER[rec.TYPE], rec.id)


def compare(old: Side, new: Side) -> Diff:
    """Records added, removed and changed from *old* to *new*, by type (the fact-file order), then id."""
    d = Diff(old, new)
    for rid, rec in new.records.items():
        before = old.records.get(rid)
        if before is None or before.TYPE != rec.TYPE:
            d.added.append(rec)
            if before is not None:
                d.removed.append(before)
        elif before != rec:
            a, b = to_plain(before), to_plain(rec)
            changes = [FieldChange(k, a.get(k), b.get(k)) for k in dict.fromkeys([*a, *b]) if a.get(k) != b.get(k)]
            d.changed.append(RecordChange(rec, changes))
    d.removed += [rec for rid, rec in old.records.items() if rid not in new.records]
    d.added.sort(key=_key)
    d.removed.sort(key=_key)
    d.changed.sort(key=lambda c: _key(c.record))
    return d


def diff_trees(old: str, new: str, *, with_bundled: bool = False) -> Diff:
    return compare(load_side(old, with_bundled=with_bundled), load_side(new, with_bundled=with_bundled))
