"""The documented shapes of records for scripts: JSON objects and flat rows.

Pure data, no rich and no writing: ``emit`` picks a shape and a writer.

- JSON: a record object carries every field of the record (dates as objects
  with ``text``, ``precision``, ``start``, ``end``, ``by`` and ``label``;
  amounts with their ``absolute`` value), then ``origin`` (where it came
  from: ``kind`` bundled or user, ``root``, ``file``, ``line``), ``sources``
  (every article it cites, in full) and ``conflicts`` (the ids of the
  conflicts naming it).
- Flat rows (csv, markdown): one row per record, a fixed list of columns per
  record type (``COLUMNS``), lists joined with ``;``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from typing import Any

from ..model.dates import FuzzyDate
from ..model.plans import Plan, newest
from ..model.records import TYPE_NAMES, Amount, Company, Conflict, Deal, Figure, Model, Record, Source, System
from ..model.refs import cited_sources
from ..query.views import Dossier, Lookups
from ..store.codec import to_plain
from .text import amount, change, milestone

# --- JSON -----------------------------------------------------------------------------------


def source_json(s: Source) -> dict[str, Any]:
    return {
        "id": s.id,
        "title": s.title,
        "outlet": s.outlet,
        "published": s.published.to_json(),
        "author": s.author,
        "language": s.language,
        "url": s.url,
        "archived_url": s.archived_url,
        "file": s.file,
    }


def sources_json(sources: dict[str, Source], ids: Iterable[str]) -> list[dict[str, Any]]:
    """The sources *ids* names, in full, in that order (ids with no source record are skipped)."""
    return [source_json(sources[s]) for s in ids if s in sources]


def _plain(obj: Any) -> Any:
    """Output form of a record part: dates as objects, amounts with ``absolute``."""
    data = to_plain(obj, dates="json")
    _add_absolute(obj, data)
    return data


def _add_absolute(obj: Any, data: Any) -> None:
    if isinstance(obj, Amount):
        data["absolute"] = obj.absolute
        for e, ed in zip(obj.equivalents, data["equivalents"], strict=False):
            _add_absolute(e, ed)
    elif isinstance(obj, list):
        for o, d in zip(obj, data, strict=False):
            _add_absolute(o, d)
    elif dataclasses.is_dataclass(obj):
        for f in dataclasses.fields(obj):
            _add_absolute(getattr(obj, f.name), data.get(f.name))


PLAN_KEYS = ("plan_state", "reported_on", "reported_done")  # on milestones, deals and figures
_PLANNED_TYPES = (Deal, Figure)


def _iso(d: Any) -> str | None:
    return d.isoformat() if d is not None else None


def newest_published(ids: Iterable[str], sources: dict[str, Source]) -> str | None:
    """The newest publication date (ISO, its last possible day) among the sources *ids*; None if all are undated."""
    s = newest(sources[i] for i in ids if i in sources)
    return _iso(s.published.end) if s else None


def plan_json(plan: Plan | None, cited: Iterable[str], sources: dict[str, Source]) -> dict[str, Any]:
    """``plan_state`` (null: not a plan), ``reported_on`` (newest publication among the sources that state it)
    and ``reported_done`` (the later source reporting it done, or null)."""
    done = plan.done if plan is not None else None
    return {
        "plan_state": plan.state if plan is not None else None,
        "reported_on": newest_published(cited, sources),
        "reported_done": None if done is None else {
            "source": done.source.id, "published": _iso(done.source.published.end), "record": done.record,
        },
    }


def record_json(rec: Record, lk: Lookups) -> dict[str, Any]:
    """The documented JSON object of one record."""
    out: dict[str, Any] = {"type": rec.TYPE}
    out.update(_plain(rec))
    for i, (m, md) in enumerate(zip(getattr(rec, "milestones", []), out.get("milestones") or [], strict=False)):
        md.update(plan_json(lk.plan(rec.id, i), m.sources, lk.sources))
    if isinstance(rec, _PLANNED_TYPES):
        out.update(plan_json(lk.plan(rec.id), rec.sources, lk.sources))
    out["origin"] = lk.origins.get(rec.id)
    if isinstance(rec, Source):
        out["as_of"] = _iso(rec.published.end)
    else:
        out.pop("sources", None)  # moved to the end, expanded
        cited = cited_sources(rec)
        out["sources"] = sources_json(lk.sources, cited)
        out["conflicts"] = lk.conflicts.get(rec.id, [])
        out["as_of"] = newest_published(cited, lk.sources)
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
        "sources": sources_json(lk.sources, all_sources(d.records())),
        "as_of": newest_published(all_sources(d.records()), lk.sources),
    }


def all_sources(records: Iterable[Record]) -> list[str]:
    """Every source id cited by *records*, sorted."""
    ids: list[str] = []
    for r in records:
        ids += cited_sources(r)
    return sorted(dict.fromkeys(ids))


def json_fields(kind: str) -> list[str]:
    """The top-level keys of a record type's JSON object ("mixed": those every type has)."""
    if kind == "mixed":
        return ["type", "id", "origin", "sources", "conflicts", "as_of"]
    cls = TYPE_NAMES[kind]
    plan_keys = list(PLAN_KEYS) if cls in _PLANNED_TYPES else []
    if cls is Source:
        return ["type", *(f.name for f in dataclasses.fields(cls)), *plan_keys, "origin", "as_of"]
    own = [f.name for f in dataclasses.fields(cls) if f.name != "sources"]
    return ["type", *own, *plan_keys, "origin", "sources", "conflicts", "as_of"]


# --- flat rows (csv, markdown) ----------------------------------------------------------------


def join(items: Iterable[str]) -> str:
    return ";".join(items)


DATE_PARTS = ("precision", "start", "end", "by")


def date_columns(prefix: str, d: FuzzyDate | None, parts: tuple[str, ...] = ("precision",)) -> dict[str, Any]:
    """A date as flat columns: *prefix* (its text), then ``{prefix}_{part}`` for each of
    ``precision``, ``start``, ``end`` (ISO days) and ``by`` (0/1) asked for, in that order."""
    out: dict[str, Any] = {prefix: d.text if d else None}
    for part in parts:
        v: Any = None
        if d is not None:
            if part == "precision":
                v = d.precision
            elif part == "start":
                v = d.start.isoformat() if d.start else None
            elif part == "end":
                v = d.end.isoformat() if d.end else None
            else:
                v = int(d.by)
        out[f"{prefix}_{part}"] = v
    return out


AMOUNT_PARTS = ("amount", "scale", "unit", "qualifier", "absolute", "as_printed")


def amount_columns(prefix: str, a: Amount | None, parts: tuple[str, ...] = AMOUNT_PARTS) -> dict[str, Any]:
    """An amount as flat columns ``{prefix}_{part}`` (just ``{part}`` with an empty *prefix*).

    A first part ``absolute`` is named *prefix* alone: the CSV's ``value``
    column is the amount with its scale applied.
    """
    out: dict[str, Any] = {}
    for i, part in enumerate(parts):
        name = prefix if i == 0 and part == "absolute" else (f"{prefix}_{part}" if prefix else part)
        out[name] = None if a is None else (a.absolute if part == "absolute" else getattr(a, part))
    return out


# A flat row is built from column specs: the column names a spec writes and the
# function that writes them from a record (and its lookups). ``columns`` reads the names; no record needed.
Spec = tuple[tuple[str, ...], Callable[[Any, Lookups], dict[str, Any]]]


def _field(name: str) -> Spec:
    return (name,), lambda r, lk: {name: getattr(r, name)}


def _joined(name: str) -> Spec:
    return (name,), lambda r, lk: {name: join(getattr(r, name))}


def _date(name: str) -> Spec:
    return (name, f"{name}_precision"), lambda r, lk: date_columns(name, getattr(r, name))


_CSV_AMOUNT = ("absolute", "unit", "qualifier")


def _amount(name: str) -> Spec:
    return tuple(amount_columns(name, None, _CSV_AMOUNT)), lambda r, lk: amount_columns(name, getattr(r, name), _CSV_AMOUNT)


def _computed(name: str, fn: Callable[[Any], Any]) -> Spec:
    return (name,), lambda r, lk: {name: fn(r)}


def _looked_up(name: str, fn: Callable[[Any, Lookups], Any]) -> Spec:
    return (name,), lambda r, lk: {name: fn(r, lk)}


def _plan_state() -> Spec:
    """``plan_state`` of a deal or figure: empty when the record is not a plan."""
    return _looked_up("plan_state", lambda r, lk: p.state if (p := lk.plan(r.id)) else None)


def milestones_cell(rec: Any, lk: Lookups) -> str:
    """A record's milestones in one cell: '2026-spring market release (planned, passed)', joined with ';'."""
    def one(i: int, m: Any) -> str:
        p = lk.plan(rec.id, i)
        return f"{m.date.text} {m.event} ({m.status}{', ' + p.state if p else ''})"

    return join(one(i, m) for i, m in enumerate(rec.milestones))


_SPECS: dict[type, list[Spec]] = {
    Deal: [
        _field("id"), _date("announced"), _field("company"), _joined("partners"), _field("unnamed_partner"),
        _field("kind"), _joined("domains"), _field("status"), _plan_state(), _amount("value"), _field("title"),
        _joined("models"), _joined("systems"),
    ],
    Company: [_field("id"), _field("name"), _field("kind"), _field("country"), _joined("aliases"), _joined("parents")],
    Model: [
        _field("id"), _field("name"), _field("maker"), _field("producer"), _joined("powertrains"), _field("platform"),
        _field("market"), _joined("systems"),
        _looked_up("milestones", milestones_cell),
    ],
    System: [_field("id"), _field("name"), _field("kind"), _field("vendor"), _field("version"), _field("family"), _joined("aliases")],
    Figure: [
        _field("id"), _date("period"), _field("company"), _field("scope"), _field("metric"), _field("region"),
        _field("status"), _plan_state(), _amount("value"),
        _computed("change", lambda f: f.change.amount if f.change else None),
        _computed("change_unit", lambda f: f.change.unit if f.change else None),
        _field("description"),
    ],
    Source: [
        _field("id"), _date("published"), _field("outlet"), _field("title"), _field("author"), _field("language"),
        _field("original_language"), _field("translation"), _field("url"), _field("archived_url"), _date("retrieved"),
        _field("file"),
    ],
    Conflict: [
        _field("id"), _field("kind"), _field("topic"), _joined("records"),
        _computed("readings", lambda c: join(f"{r.source}: {r.text}" for r in c.readings)),
        _field("note"), _computed("sources", lambda c: join(c.sources)),
    ],
}
_SOURCE_COLUMNS = ("sources", "published", "conflicts")
_WITHOUT_SOURCE_COLUMNS = (Source, Conflict)  # a source cites nothing; a conflict lists its readings' sources
MIXED_COLUMNS = ("type", "id", "name", "date", "summary", *_SOURCE_COLUMNS)


def _src_cols(rec: Record, lk: Lookups) -> dict[str, Any]:
    ids = cited_sources(rec)
    return {
        "sources": join(ids),
        "published": join(lk.sources[s].published.text if s in lk.sources else "" for s in ids),
        "conflicts": join(lk.conflicts.get(rec.id, [])),
    }


def flat_row(rec: Record, lk: Lookups) -> dict[str, Any]:
    """One record as a flat row; the columns are fixed per record type (``columns``)."""
    row: dict[str, Any] = {}
    for _, write in _SPECS[type(rec)]:
        row.update(write(rec, lk))
    if not isinstance(rec, _WITHOUT_SOURCE_COLUMNS):
        row.update(_src_cols(rec, lk))
    return row


def columns(kind: str) -> list[str]:
    """The flat columns of a record type, or of "mixed" lists (csv, markdown, --fields)."""
    if kind == "mixed":
        return list(MIXED_COLUMNS)
    cls = TYPE_NAMES[kind]
    names = [n for names, _ in _SPECS[cls] for n in names]
    return names if cls in _WITHOUT_SOURCE_COLUMNS else [*names, *_SOURCE_COLUMNS]


def summary_row(rec: Record, lk: Lookups) -> dict[str, Any]:
    """A row any record fits: for mixed lists (search, a company's dossier)."""
    when = ""
    if isinstance(rec, Deal):
        when, what = rec.announced.text, f"{rec.kind} with {', '.join(map(lk.name, rec.partners)) or rec.unnamed_partner}"
    elif isinstance(rec, Figure):
        when, what = rec.period.text, f"{rec.metric} {amount(rec.value)} {change(rec.change)}".strip()
    elif isinstance(rec, Model):
        what = "; ".join(milestone(m, lk.plan(rec.id, i)) for i, m in enumerate(rec.milestones))
    elif isinstance(rec, System):
        what = f"{rec.kind} by {lk.name(rec.vendor)}" if rec.vendor else rec.kind
    elif isinstance(rec, Company):
        what = f"{rec.kind}, {rec.country}" if rec.country else rec.kind
    elif isinstance(rec, Source):
        when, what = rec.published.text, rec.outlet or ""
    else:
        what = rec.kind
    return {"type": rec.TYPE, "id": rec.id, "name": rec.name, "date": when, "summary": what, **_src_cols(rec, lk)}
