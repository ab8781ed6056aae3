"""The fact base as it stood on a day (``--as-of``), filtered at query time.

Decisions, documented in the README:

- **Which sources count.** A source counts when the last day its publication
  date can mean is on or before the day (a source dated "2025-03" counts from
  31 March 2025). An undated source never counts; the registry reports how
  many were left out, for one note on stderr.
- **Which records remain.** A record remains when at least one of the sources
  it cites itself (its ``sources``) counts; a conflict remains while the
  readings that count still make it one (two articles for a disagreement,
  every reading of its one article for an anomaly). A remaining record keeps
  only the citations that count, and only the notes, people and milestones
  (and the sources of aliases) that some counting source states; ``inferred``
  paths follow the parts that remain. Its other field values are kept as
  written: a description is not split by article.
- **Names.** A record that does not remain is found by no list and no
  filter; ``company NAME`` and ``show ID`` say that it is not in the fact base
  as of that day. References to it from records that remain are kept, and
  print with its name.

Nothing is rebuilt: ``AsOfStore`` wraps the cached store and filters the
records it decodes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any, TypeVar

from ..model.records import Conflict, R, Record, Source
from ..model.refs import cited_sources
from ..store.db import Store

_PARTS = ("notes", "people", "milestones")
T = TypeVar("T", bound=Record)
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


def trim(rec: T, allowed: set[str]) -> T | None:
    """*rec* as the sources in *allowed* state it, or None when none of its own sources is among them."""
    if isinstance(rec, Source):
        return rec if rec.id in allowed else None
    if all(s in allowed for s in cited_sources(rec)):
        return rec
    changes: dict[str, Any] = {}
    moved: dict[str, dict[int, int]] = {}
    if isinstance(rec, Conflict):
        kept = [i for i, r in enumerate(rec.readings) if r.source in allowed]
        sources = {rec.readings[i].source for i in kept}
        if (rec.nature == "disagreement" and len(sources) < 2) or (rec.nature == "anomaly" and len(kept) < len(rec.readings)):
            return None
        changes["readings"] = [rec.readings[i] for i in kept]
        moved["readings"] = {old: new for new, old in enumerate(kept)}
    else:
        own = [s for s in rec.sources if s in allowed]
        if not own:
            return None
        changes["sources"] = own
        for name in _PARTS:
            items = getattr(rec, name, None)
            if not items:
                continue
            kept = [i for i, it in enumerate(items) if any(s in allowed for s in it.sources)]
            changes[name] = [_rebuild(items[i], {"sources": [s for s in items[i].sources if s in allowed]}) for i in kept]
            moved[name] = {old: new for new, old in enumerate(kept)}
        alias_sources = getattr(rec, "alias_sources", None)
        if alias_sources:
            trimmed = {a: [s for s in ss if s in allowed] for a, ss in alias_sources.items()}
            gone = {a for a, ss in trimmed.items() if not ss}  # printed only by later articles
            changes["alias_sources"] = {a: ss for a, ss in trimmed.items() if ss}
            changes["aliases"] = [a for a in getattr(rec, "aliases", []) if a not in gone]
    changes["inferred"] = _remap(rec.inferred, moved)
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

    def __getattr__(self, name: str) -> Any:  # the connection and anything else of the base store
        return getattr(self.base, name)

    def _keep(self, recs: Iterable[T]) -> list[T]:
        return [t for r in recs if (t := trim(r, self.allowed)) is not None]

    def get(self, id_: str) -> Record | None:
        rec = self.base.get(id_)
        return None if rec is None else trim(rec, self.allowed)

    def get_many(self, ids: Iterable[str]) -> dict[str, Record]:
        out: dict[str, Record] = {}
        for k, v in self.base.get_many(ids).items():
            t = trim(v, self.allowed)
            if t is not None:
                out[k] = t
        return out

    def all(self, cls: type[R]) -> list[R]:
        return self._keep(self.base.all(cls))

    def find(self, cls: type[R], any_of: Mapping[str, Iterable[str]]) -> list[R]:
        return self._keep(self.base.find(cls, any_of))

    def ids_with(self, key: str, values: Iterable[str], type_: str | None = None) -> list[str]:
        ids = self.base.ids_with(key, values, type_)
        found = self.get_many(ids)
        return [i for i in ids if i in found]

    def text_search(self, needle: str) -> list[Record]:
        return self._keep(self.base.text_search(needle))

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for rec in self.get_many(i for i, _ in self.base.ids_starting("", 1 << 62)).values():
            out[rec.TYPE] = out.get(rec.TYPE, 0) + 1
        return out
