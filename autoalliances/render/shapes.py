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
- Flat rows (csv, markdown): one row per record, a fixed list of columns per
  record type (``COLUMNS``), lists joined with ``;``, and an ``inferred``
  column of field paths. Markdown cells carry the markers (``marks``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from typing import Any

from ..model.dates import FuzzyDate
from ..model.plans import Plan, newest
from ..model.provenance import UNKNOWN, hidden_paths, hide_plain, reasons, search_aliases
from ..model.records import TYPE_NAMES, Amount, Company, Conflict, Deal, Figure, Model, Record, Source, System
from ..model.refs import cited_sources
from ..query.views import Dossier, Lookups
from ..store.codec import to_plain
from .marks import HIDDEN, Marks
from .text import change, one_line, plan_words

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
    data = _plain(rec)
    hidden: list[str] = []
    if lk.stated_only:
        hidden = hidden_paths(rec)
        hide_plain(rec, data, hidden, UNKNOWN.to_json())
    out: dict[str, Any] = {"type": rec.TYPE}
    for key, value in data.items():
        out[key] = value
        if key == "alias_sources":  # derived: the aliases no article prints
            out["search_aliases"] = [a for a in data["aliases"] if a not in value]
        elif key == "inferred" and lk.stated_only:
            out["hidden"] = hidden
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
        out["sources"] = sources_json(lk.sources, cited, lk.stated_only)
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
    if kind == "mixed":
        return ["type", "id", "inferred", *(["hidden"] if stated_only else []), "origin", "sources", "conflicts", "as_of"]
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
    keys += list(PLAN_KEYS) if cls in _PLANNED_TYPES else []
    return [*keys, "origin", "as_of"] if cls is Source else [*keys, "origin", "sources", "conflicts", "as_of"]


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
# function that writes them from a record, the screen's ``Marks`` (markers for
# Markdown; with --stated-only, inferred values left out) and its lookups (a
# plan's standing). ``columns`` reads the names; no record needed.
Spec = tuple[tuple[str, ...], Callable[[Any, Marks, Lookups], dict[str, Any]]]


def _one(r: Any, path: str, v: Any, m: Marks) -> Any:
    """A cell's value: itself, marked (Markdown), or None when --stated-only hides it."""
    if v is None or not r.inferred:
        return v
    shown = m.show(r, path, str(v))
    return None if shown is None else (v if shown == str(v) else shown)


def _field(name: str) -> Spec:
    return (name,), lambda r, m, lk: {name: _one(r, name, getattr(r, name), m)}


def _joined(name: str) -> Spec:
    def write(r: Any, m: Marks, lk: Lookups) -> dict[str, Any]:
        values = getattr(r, name)
        return {name: join(m.items(r, name, [str(v) for v in values]) if r.inferred else values)}

    return (name,), write


def _date(name: str) -> Spec:
    def write(r: Any, m: Marks, lk: Lookups) -> dict[str, Any]:
        d = getattr(r, name)
        if not r.inferred:
            return date_columns(name, d)
        cols = date_columns(name, UNKNOWN if m.hidden(r, name) else d)
        cols[name] = m.mark(r, name, cols[name])
        return cols

    return (name, f"{name}_precision"), write


_CSV_AMOUNT = ("absolute", "unit", "qualifier")


def _amount(name: str) -> Spec:
    def write(r: Any, m: Marks, lk: Lookups) -> dict[str, Any]:
        cols = amount_columns(name, getattr(r, name), _CSV_AMOUNT)
        if r.inferred:
            for col, part in zip(cols, ("amount", "unit", "qualifier"), strict=True):
                cols[col] = _one(r, f"{name}.{part}", cols[col], m)
        return cols

    return tuple(amount_columns(name, None, _CSV_AMOUNT)), write


def _computed(name: str, fn: Callable[[Any, Marks], Any]) -> Spec:
    return (name,), lambda r, m, lk: {name: fn(r, m)}


def _plan_state() -> Spec:
    """``plan_state`` of a deal or figure on the registry's day: empty when the record is not a plan."""
    return ("plan_state",), lambda r, m, lk: {"plan_state": p.state if (p := lk.plan(r.id)) else None}


def _milestones(rec: Deal | Model | System, m: Marks, lk: Lookups) -> str:
    """'2026-spring market release (planned, passed);...': the milestones in one cell, each date
    marked or hidden, a plan with its standing."""
    out = []
    for i, x in enumerate(rec.milestones):
        path = f"milestones[{i}].date"
        date = "unknown" if m.hidden(rec, path) else m.mark(rec, path, x.date.text)
        p = lk.plan(rec.id, i)
        out.append(f"{date} {x.event} ({x.status}{', ' + p.state if p else ''})")
    return join(out)


def _aliases(rec: Company | System, m: Marks) -> str:
    """The aliases; --stated-only leaves out the search aids (those no article prints)."""
    aids = set(search_aliases(rec)) if m.stated_only else set()
    return join(a for a in rec.aliases if a not in aids)


def _search_aliases(rec: Company | System, m: Marks) -> str:
    return "" if m.stated_only else join(search_aliases(rec))


_SPECS: dict[type, list[Spec]] = {
    Deal: [
        _field("id"), _date("announced"), _field("company"), _joined("partners"), _field("unnamed_partner"),
        _field("kind"), _joined("domains"), _field("status"), _plan_state(), _amount("value"), _field("title"),
        _joined("models"), _joined("systems"),
    ],
    Company: [
        _field("id"), _field("name"), _field("kind"), _field("country"), _computed("aliases", _aliases),
        _computed("search_aliases", _search_aliases), _joined("parents"),
    ],
    Model: [
        _field("id"), _field("name"), _field("maker"), _field("producer"), _joined("powertrains"), _field("platform"),
        _field("market"), _joined("systems"), (("milestones",), lambda r, m, lk: {"milestones": _milestones(r, m, lk)}),
    ],
    System: [
        _field("id"), _field("name"), _field("kind"), _field("vendor"), _field("version"), _field("family"),
        _computed("aliases", _aliases), _computed("search_aliases", _search_aliases),
    ],
    Figure: [
        _field("id"), _date("period"), _field("company"), _field("scope"), _field("metric"), _field("region"),
        _field("status"), _plan_state(), _amount("value"),
        _computed("change", lambda f, m: _one(f, "change.amount", f.change.amount, m) if f.change else None),
        _computed("change_unit", lambda f, m: _one(f, "change.unit", f.change.unit, m) if f.change else None),
        _field("description"),
    ],
    Source: [
        _field("id"), _date("published"), _field("outlet"), _field("title"), _field("author"), _field("language"),
        _field("original_language"), _field("translation"), _field("url"), _field("archived_url"),
        _date("retrieved"), _field("file"),
    ],
    Conflict: [
        _field("id"), _field("kind"), _field("nature"), _field("topic"), _joined("records"),
        _computed("readings", lambda c, m: join(f"{r.source}: {r.text}" for r in c.readings)),
        _field("note"), _computed("sources", lambda c, m: join(c.sources)),
    ],
}
_SOURCE_COLUMNS = ("sources", "published", "conflicts")
_WITHOUT_SOURCE_COLUMNS = (Source, Conflict)  # a source cites nothing; a conflict lists its readings' sources
MIXED_COLUMNS = ("type", "id", "name", "date", "summary", *_SOURCE_COLUMNS, "inferred")


def _src_cols(rec: Record, lk: Lookups) -> dict[str, Any]:
    ids = cited_sources(rec)
    return {
        "sources": join(ids),
        "published": join(_published(lk.sources[s], lk.stated_only) if s in lk.sources else "" for s in ids),
        "conflicts": join(lk.conflicts.get(rec.id, [])),
    }


def _published(s: Source, stated_only: bool) -> str:
    return "unknown" if stated_only and reasons(s, "published") else s.published.text


def flat_row(rec: Record, lk: Lookups, marks: Marks | None = None) -> dict[str, Any]:
    """One record as a flat row; the columns are fixed per record type (``columns``), ``inferred`` last.

    *marks* puts markers in the cells (Markdown); without it values are plain
    and --stated-only (``lk.stated_only``) leaves inferred ones out.
    """
    m = marks or Marks(stated_only=lk.stated_only, markers=False)
    row: dict[str, Any] = {}
    for _, write in _SPECS[type(rec)]:
        row.update(write(rec, m, lk))
    if not isinstance(rec, _WITHOUT_SOURCE_COLUMNS):
        row.update(_src_cols(rec, lk))
    row["inferred"] = join(rec.inferred)
    return row


def columns(kind: str) -> list[str]:
    """The flat columns of a record type, or of "mixed" lists (csv, markdown, --fields)."""
    if kind == "mixed":
        return list(MIXED_COLUMNS)
    cls = TYPE_NAMES[kind]
    names = [n for names, _ in _SPECS[cls] for n in names]
    return [*names, "inferred"] if cls in _WITHOUT_SOURCE_COLUMNS else [*names, *_SOURCE_COLUMNS, "inferred"]


def _label(rec: Record, path: str, text: str, m: Marks) -> str:
    return m.show(rec, path, text) or HIDDEN


def summary_row(rec: Record, lk: Lookups, marks: Marks | None = None) -> dict[str, Any]:
    """A row any record fits: for mixed lists (search, a company's dossier); *marks* as for ``flat_row``."""
    m = marks or Marks(stated_only=lk.stated_only, markers=False)
    when = ""
    if isinstance(rec, Deal):
        when = "unknown" if m.hidden(rec, "announced") else m.mark(rec, "announced", rec.announced.text)
        partners = m.items(rec, "partners", [lk.name(p) for p in rec.partners])
        what = f"{_label(rec, 'kind', rec.kind, m)} with {', '.join(partners) or rec.unnamed_partner or HIDDEN}"
    elif isinstance(rec, Figure):
        when = "unknown" if m.hidden(rec, "period") else m.mark(rec, "period", rec.period.text)
        what = f"{_label(rec, 'metric', rec.metric, m)} {m.amount(rec, 'value', rec.value)} {change(rec.change)}".strip()
    elif isinstance(rec, Model):
        parts = []
        for i, x in enumerate(rec.milestones):
            label = f"{one_line(x.event)}: {_label(rec, f'milestones[{i}].date', x.date.label, m)}"
            p = lk.plan(rec.id, i)
            parts.append(f"{label} · {plan_words(p)}" if p is not None else f"{label} ({x.status})")
        what = "; ".join(parts)
    elif isinstance(rec, System):
        kind = _label(rec, "kind", rec.kind, m)
        vendor = m.show(rec, "vendor", lk.name(rec.vendor)) if rec.vendor else None
        what = f"{kind} by {vendor}" if vendor else kind
    elif isinstance(rec, Company):
        kind = _label(rec, "kind", rec.kind, m)
        country = m.show(rec, "country", rec.country) if rec.country else None
        what = f"{kind}, {country}" if country else kind
    elif isinstance(rec, Source):
        when = "unknown" if m.hidden(rec, "published") else m.mark(rec, "published", rec.published.text)
        what = rec.outlet or ""
    else:
        what = rec.kind
    row = {"type": rec.TYPE, "id": rec.id, "name": rec.name, "date": when, "summary": what, **_src_cols(rec, lk)}
    row["inferred"] = join(rec.inferred)
    return row
