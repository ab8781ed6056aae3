"""The fact base as it stood on a day (``--as-of``), filtered at query time.

Decisions, documented in the README:

- **Which sources count.** A source counts when the last day its publication
  date can mean is on or before the day (a source dated "2025-03" counts from
  31 March 2025). An undated source never counts; the registry reports how
  many were left out, for one note on stderr.
- **Which records remain.** A record remains when at least one of the sources
  it cites itself (its ``sources``) counts, and what it cannot be stated
  without remains too (a deal's company and at least one partner, or its
  unnamed partner; a model's maker; a figure's company, or its scope); a
  conflict remains while the readings that count still make it one (two
  articles for a disagreement, every reading of its one article for an
  anomaly).
- **What a remaining record keeps.** Only the citations that count; only the
  notes, people and milestones (and the sources of aliases) that a counting
  source states; only the references to records that remain (a list loses
  the others, an optional reference becomes null), so a deal of 26 March does
  not yet name a system that only a later article mentions, and an export as
  of a day keeps its foreign keys whole. ``inferred`` paths follow the parts
  that remain. Other field values are kept as written: a description is not
  split by article.
- **Names.** A record that does not remain is found by no list and no filter
  (a filter by its name matches nothing); ``company NAME`` and ``show ID`` say
  that it is not in the fact base as of that day.

Nothing is rebuilt: ``AsOfStore`` wraps the cached store and filters the
records it decodes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import MISSING
from datetime import date
from typing import Any, TypeVar

from ..model.records import RECORD_TYPES, Conflict, Deal, Figure, R, Record, Source
from ..model.refs import cited_sources, ref_fields, references
from ..store.db import Store

_PARTS = ("notes", "people", "milestones")
T = TypeVar("T", bound=Record)
# The top-level fields of each record type that name another record (not a source).
_REF_NAMES: dict[type, tuple[str, ...]] = {
    cls: tuple(dict.fromkeys(f.path[0] for f in ref_fields(cls)[1] if len(f.path) == 1)) for cls in RECORD_TYPES.values()
}
_PATH = re.compile(r"^([a-z_]+)\[(\d+)\](.*)$")


def counts(s: Source, day: date) -> bool:
    """Whether *s* counts for the fact base as of *day*."""
    return s.published.end is not None and s.published.end <= day


def _remap(inferred: Mapping[str, str], moved: Mapping[str, dict[int, int]]) -> dict[str, str]:
    """``inferred`` with the indexes of trimmed lists renumbered; entries of removed items dropped."""
    out: dict[str, str] = {}
    for path, why in inferred.items():
        m = _PATH.match(path)
        if m and m[1] in moved:
            new = moved[m[1]].get(int(m[2]))
            if new is not None:
                out[f"{m[1]}[{new}]{m[3]}"] = why
        else:
            out[path] = why
    return out


def _rebuild(rec: Any, changes: dict[str, Any]) -> Any:
    values = {name: getattr(rec, name) for name, _, _ in rec._spec}
    values.update(changes)
    return type(rec)(**values)


def _required(rec: Record) -> list[str]:
    """Ids a record cannot be stated without: a deal's company, a model's maker."""
    refs = _REF_NAMES[type(rec)]
    return [getattr(rec, name) for name, default, factory in rec._spec if default is MISSING and factory is MISSING and name in refs]


class Trimmer:
    """Decides which records remain as of a day and trims them (see the module's docstring)."""

    def __init__(self, base: Store, allowed: set[str]) -> None:
        self.base = base
        self.allowed = allowed
        self.memo: dict[str, bool] = {}  # id -> does the record remain

    def own(self, rec: Record) -> bool:
        """Whether one of the sources *rec* cites itself counts (for a conflict: whether its readings still make one)."""
        if isinstance(rec, Source):
            return rec.id in self.allowed
        if isinstance(rec, Conflict):
            kept = [r for r in rec.readings if r.source in self.allowed]
            if rec.nature == "anomaly":
                return len(kept) == len(rec.readings)
            return len({r.source for r in kept}) >= 2
        return any(s in self.allowed for s in rec.sources)

    def remains(self, id_: str, rec: Record | None = None) -> bool:
        if id_ not in self.memo:
            rec = rec if rec is not None else self.base.get(id_)
            self.memo[id_] = False  # a reference cycle settles as "does not remain"
            self.memo[id_] = rec is not None and self.own(rec) and all(self.remains(r) for r in _required(rec)) and self._stands(rec)
        return self.memo[id_]

    def _stands(self, rec: Record) -> bool:
        """The rules a record must still meet once its references are trimmed (a deal's partner, a figure's subject)."""
        if isinstance(rec, Deal):
            return bool(rec.unnamed_partner) or any(self.remains(p) for p in rec.partners)
        if isinstance(rec, Figure):
            return bool(rec.scope) or (rec.company is not None and self.remains(rec.company))
        return True

    def prime(self, recs: Iterable[Record]) -> None:
        """Read the records *recs* name in one batch, before each is asked about."""
        wanted = {x for r in recs for x in references(r)} - self.memo.keys()
        if wanted:
            found = self.base.get_many(wanted)
            for i in wanted:
                self.remains(i, found.get(i))

    def trim(self, rec: T) -> T | None:
        """*rec* as the sources that count state it, or None when it does not remain."""
        if not self.remains(rec.id, rec):
            return None
        if isinstance(rec, Source):
            return rec
        refs = references(rec)
        if all(s in self.allowed for s in cited_sources(rec)) and all(self.remains(x) for x in refs):
            return rec
        allowed, keep = self.allowed, self.remains
        changes: dict[str, Any] = {}
        moved: dict[str, dict[int, int]] = {}
        gone: set[str] = set()  # fields set to null
        if isinstance(rec, Conflict):
            kept = [i for i, r in enumerate(rec.readings) if r.source in allowed]
            changes["readings"] = [
                r if r.record is None or keep(r.record) else _rebuild(r, {"record": None}) for r in (rec.readings[i] for i in kept)
            ]
            moved["readings"] = {old: new for new, old in enumerate(kept)}
        else:
            changes["sources"] = [s for s in rec.sources if s in allowed]
            for name in _PARTS:
                items = getattr(rec, name, None)
                if items:
                    kept = [i for i, it in enumerate(items) if any(s in allowed for s in it.sources)]
                    changes[name] = [_rebuild(items[i], {"sources": [s for s in items[i].sources if s in allowed]}) for i in kept]
                    moved[name] = {old: new for new, old in enumerate(kept)}
            alias_sources = getattr(rec, "alias_sources", None)
            if alias_sources:
                trimmed = {a: [s for s in ss if s in allowed] for a, ss in alias_sources.items()}
                later = {a for a, ss in trimmed.items() if not ss}  # printed only by later articles
                changes["alias_sources"] = {a: ss for a, ss in trimmed.items() if ss}
                changes["aliases"] = [a for a in getattr(rec, "aliases", []) if a not in later]
        for name in _REF_NAMES[type(rec)]:
            value = getattr(rec, name)
            if isinstance(value, list):
                kept = [i for i, x in enumerate(value) if keep(x)]
                if len(kept) < len(value):
                    changes[name] = [value[i] for i in kept]
                    moved[name] = {old: new for new, old in enumerate(kept)}
            elif value is not None and not keep(value):
                changes[name] = None  # only optional references get here: a required one decided remains()
                gone.add(name)
        inferred = _remap(rec.inferred, moved)
        changes["inferred"] = {k: v for k, v in inferred.items() if k.split(".")[0].split("[")[0] not in gone}
        out: T = _rebuild(rec, changes)
        return out


class AsOfStore(Store):
    """A ``Store`` that answers as the fact base stood on *day*; every other method reads the full store."""

    def __init__(self, base: Store, day: date) -> None:  # no super().__init__: the connection is the base's
        self.base = base
        self.day = day
        every = base.all(Source)
        self.allowed = {s.id for s in every if counts(s, day)}
        self.undated = sum(not s.published.known for s in every)
        self.trimmer = Trimmer(base, self.allowed)

    def __getattr__(self, name: str) -> Any:  # the connection and anything else of the base store
        return getattr(self.base, name)

    def _keep(self, recs: Iterable[T]) -> list[T]:
        recs = list(recs)
        self.trimmer.prime(recs)
        return [t for r in recs if (t := self.trimmer.trim(r)) is not None]

    def get(self, id_: str) -> Record | None:
        rec = self.base.get(id_)
        kept = self._keep([rec]) if rec is not None else []
        return kept[0] if kept else None

    def get_many(self, ids: Iterable[str]) -> dict[str, Record]:
        return {r.id: r for r in self._keep(self.base.get_many(ids).values())}

    def all(self, cls: type[R]) -> list[R]:
        return self._keep(self.base.all(cls))

    def find(self, cls: type[R], any_of: Mapping[str, Iterable[str]]) -> list[R]:
        return self._keep(self.base.find(cls, any_of))

    def ids_with(self, key: str, values: Iterable[str], type_: str | None = None) -> list[str]:
        ids = self.base.ids_with(key, values, type_)
        found = self.get_many(ids)
        return [i for i in ids if i in found]

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for rec in self.get_many(i for i, _ in self.base.ids_starting("", 1 << 62)).values():
            out[rec.TYPE] = out.get(rec.TYPE, 0) + 1
        return out
