"""The documented shapes of records for scripts: JSON objects and flat rows.

Pure data, no rich and no writing: ``emit`` picks a shape and a writer.

- JSON: a record object carries every field of the record (dates as objects
  with ``text``, ``precision``, ``start``, ``end``, ``by`` and ``label``;
  amounts with their ``absolute`` value; ``inferred``, field path -> the
  editors' reason; after ``alias_sources`` the derived ``search_aliases``;
  a plan's ``plan_state``, ``reported_on`` and ``reported_done``), then
  ``origin`` (where it came from: ``kind`` bundled or user, ``root``,
  ``file``, ``line``), ``sources`` (every article it cites, in full),
  ``conflicts`` (the ids of the conflicts naming it) and ``as_of`` (the
  newest publication date among those sources). With --stated-only the
  inferred values are hidden (``provenance.hide_plain``) and ``hidden`` lists
  their paths.

The flat rows of csv and markdown are in ``flat``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from ..model.dates import FuzzyDate
from ..model.plans import Plan, newest
from ..model.provenance import UNKNOWN, hidden_paths, hide_plain
from ..model.records import TYPE_NAMES, Amount, Deal, Figure, Record, Source
from ..model.refs import cited_sources
from ..query.views import Dossier, Lookups
from ..store.codec import to_plain

if TYPE_CHECKING:
    from ..store.search import Match

# --- JSON -----------------------------------------------------------------------------------


_SOURCE_KEYS = ("title", "outlet", "published", "author", "language")


def source_json(s: Source, stated_only: bool = False) -> dict[str, Any]:
    """A source as records cite it; ``inferred`` holds the entries of the fields shown here."""
    out = {
        "id": s.id,
        "title": s.title,
        "outlet": s.outlet,
        "published": s.published.to_json(),
        "author": s.author,
        "language": s.language,
        "url": s.url,
        "archived_url": s.archived_url,
        "file": s.file,
        "inferred": {k: v for k, v in s.inferred.items() if k in _SOURCE_KEYS},
    }
    if stated_only and out["inferred"]:
        hide_plain(s, out, list(out["inferred"]), UNKNOWN.to_json())
    return out


def sources_json(sources: dict[str, Source], ids: Iterable[str], stated_only: bool = False) -> list[dict[str, Any]]:
    """The sources *ids* names, in full, in that order (ids with no source record are skipped)."""
    return [source_json(sources[s], stated_only) for s in ids if s in sources]


_SCALARS: frozenset[type] = frozenset({str, int, float, bool, type(None)})
_output: dict[type, Callable[[Any], dict[str, Any]]] = {}


def _source_objects(lk: Lookups, ids: Iterable[str]) -> list[dict[str, Any]]:
    """``sources_json(lk.sources, ids, lk.stated_only)``, each source's object made once per *lk*."""
    made = lk.source_objects
    out = []
    for s in ids:
        obj = made.get(s)
        if obj is None:
            source = lk.sources.get(s)
            if source is None:
                continue
            obj = made[s] = source_json(source, lk.stated_only)
        out.append(obj)
    return out


def _plain(obj: Any) -> Any:
    """Output form of a record part: dates as objects, amounts with ``absolute`` (after their own fields).

    ``codec.to_plain(obj, dates="json")`` plus the absolute amounts, from a function made once per
    class instead of asking ``dataclasses`` for the fields of every object: a listing runs this for
    every record it prints (tests/test_shapes.py checks the two agree on every bundled record).
    """
    cls = obj.__class__
    if cls in _SCALARS:
        return obj
    if cls is list:
        return [x if x.__class__ in _SCALARS else _plain(x) for x in obj]
    if cls is FuzzyDate:
        return obj.to_json()
    enc = _output.get(cls)
    if enc is None:
        if not dataclasses.is_dataclass(obj) or isinstance(obj, type):
            return to_plain(obj, dates="json")  # a mapping (inferred, alias_sources): as it is
        enc = _output[cls] = _output_encoder(cls)
    return enc(obj)


def _output_encoder(cls: type) -> Callable[[Any], dict[str, Any]]:
    names: tuple[str, ...] = tuple(f.name for f in dataclasses.fields(cls))
    amount = cls is Amount
    one = attrgetter(*names)  # one name: the value itself, else a tuple of them
    values: Callable[[Any], tuple[Any, ...]] = one if len(names) > 1 else (lambda o: (one(o),))

    def encode(o: Any, _names: tuple[str, ...] = names, _scalars: frozenset[type] = _SCALARS) -> dict[str, Any]:
        out: dict[str, Any] = {}
        v: Any
        for name, v in zip(_names, values(o), strict=True):
            c = v.__class__
            if c in _scalars or c is dict:  # a mapping (inferred, alias_sources): as it is, as to_plain gives it
                out[name] = v
            elif c is list:
                out[name] = [x if x.__class__ in _scalars else _plain(x) for x in v]
            elif c is FuzzyDate:
                out[name] = v.to_json()
            else:
                out[name] = _plain(v)
        if amount:
            out["absolute"] = o.absolute
        return out

    return encode


PLAN_KEYS = ("plan_state", "reported_on", "reported_done")  # on milestones, deals and figures
PLANNED_TYPES = (Deal, Figure)


def iso(d: Any) -> str | None:
    return d.isoformat() if d is not None else None


def newest_published(ids: Iterable[str], sources: dict[str, Source]) -> str | None:
    """The newest publication date (ISO, its last possible day) among the sources *ids*; None if all are undated."""
    s = newest(sources[i] for i in ids if i in sources)
    return iso(s.published.end) if s else None


def plan_json(plan: Plan | None, cited: Iterable[str], sources: dict[str, Source]) -> dict[str, Any]:
    """``plan_state`` (null: not a plan), ``reported_on`` (newest publication among the sources that state it)
    and ``reported_done`` (the later source reporting it done, or null)."""
    return _plan_object(plan, newest_published(cited, sources))


def _plan_object(plan: Plan | None, reported_on: str | None) -> dict[str, Any]:
    done = plan.done if plan is not None else None
    return {
        "plan_state": plan.state if plan is not None else None,
        "reported_on": reported_on,
        "reported_done": None if done is None else {
            "source": done.source.id, "published": iso(done.source.published.end), "record": done.record,
        },
    }


def _newest(lk: Lookups, ids: list[str]) -> str | None:
    """``newest_published(ids, lk.sources)``, once per set of ids and *lk* (records repeat their citations)."""
    key = tuple(ids)
    made = lk.newest
    if key not in made:
        made[key] = newest_published(ids, lk.sources)
    return made[key]


def _plan_json(plan: Plan | None, cited: list[str], lk: Lookups) -> dict[str, Any]:
    """``plan_json(plan, cited, lk.sources)``."""
    return _plan_object(plan, _newest(lk, cited))


def record_json(rec: Record, lk: Lookups) -> dict[str, Any]:
    """The documented JSON object of one record."""
    data = _plain(rec)
    out: dict[str, Any]
    if lk.stated_only or "alias_sources" in data:  # keys to add in the middle
        hidden: list[str] = []
        if lk.stated_only:
            hidden = hidden_paths(rec)
            hide_plain(rec, data, hidden, UNKNOWN.to_json())
        out = {"type": rec.TYPE}
        for key, value in data.items():
            out[key] = value
            if key == "alias_sources":  # derived: the aliases no article prints
                out["search_aliases"] = [a for a in data["aliases"] if a not in value]
            elif key == "inferred" and lk.stated_only:
                out["hidden"] = hidden
    else:
        out = {"type": rec.TYPE, **data}
    milestones = getattr(rec, "milestones", None)
    if milestones:
        for i, (m, md) in enumerate(zip(milestones, out.get("milestones") or [], strict=False)):
            md.update(_plan_json(lk.plan(rec.id, i), m.sources, lk))
    if isinstance(rec, PLANNED_TYPES):
        out.update(_plan_json(lk.plan(rec.id), rec.sources, lk))
    out["origin"] = lk.origins.get(rec.id)
    if isinstance(rec, Source):
        out["as_of"] = iso(rec.published.end)
    else:
        out.pop("sources", None)  # moved to the end, expanded
        cited = cited_sources(rec)
        out["sources"] = _source_objects(lk, cited)
        out["conflicts"] = lk.conflicts.get(rec.id, [])
        out["as_of"] = _newest(lk, cited)
    return out


def dossier_json(d: Dossier) -> dict[str, Any]:
    lk = d.lookups
    return {
        "company": record_json(d.company, lk),
        "parents": [c.id for c in d.parents],
        "units": [c.id for c in d.children],
        "deals": [record_json(x, lk) for x in d.deals],
        "models": [record_json(x, lk) for x in d.models],
        "systems": [record_json(x, lk) for x in d.systems],
        "figures": [record_json(x, lk) for x in d.figures],
        "conflicts": [record_json(x, lk) for x in d.conflicts],
        "sources": sources_json(lk.sources, all_sources(d.records()), lk.stated_only),
        "as_of": newest_published(all_sources(d.records()), lk.sources),
    }


def all_sources(records: Iterable[Record]) -> list[str]:
    """Every source id cited by *records*, sorted."""
    ids: list[str] = []
    for r in records:
        ids += cited_sources(r)
    return sorted(dict.fromkeys(ids))


def json_fields(kind: str, stated_only: bool = False) -> list[str]:
    """The top-level keys of a record type's JSON object ("mixed": those every type has)."""
    if kind == "mixed":  # the keys of any record type's object
        return list(dict.fromkeys(k for t in TYPE_NAMES for k in json_fields(t, stated_only)))
    cls = TYPE_NAMES[kind]
    keys = ["type"]
    for f in dataclasses.fields(cls):
        if f.name == "sources" and cls is not Source:
            continue  # moved to the end
        keys.append(f.name)
        if f.name == "alias_sources":
            keys.append("search_aliases")
        elif f.name == "inferred" and stated_only:
            keys.append("hidden")
    keys += list(PLAN_KEYS) if cls in PLANNED_TYPES else []
    return [*keys, "origin", "as_of"] if cls is Source else [*keys, "origin", "sources", "conflicts", "as_of"]


def match_json(m: Match) -> dict[str, Any]:
    """Where a search hit matched: ``{"field", "text", "spans"}``, spans as [start, end) offsets into text."""
    return {"field": m.field, "text": m.text, "spans": [list(span) for span in m.spans]}
