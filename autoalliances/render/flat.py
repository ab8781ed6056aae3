"""Flat rows for csv and markdown: one row per record, a fixed list of columns per record type.

Pure data, no rich and no writing, like ``shapes`` (the JSON objects), whose
plan and freshness values the rows repeat. The columns are read off the
record type's annotations (``columns``), so every field of the JSON object
has a column; Markdown cells carry the markers (``marks``), CSV cells stay plain.
"""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Callable, Iterable
from typing import Any

from ..model.dates import FuzzyDate
from ..model.provenance import hidden_paths, hide_plain, reasons, search_aliases
from ..model.records import TYPE_NAMES, Amount, Company, Deal, Figure, Model, Record, Source, System
from ..model.refs import cited_sources, field_types, strip
from ..query.views import Lookups
from ..store.codec import to_plain
from .marks import HIDDEN, Marks
from .shapes import PLANNED_TYPES, iso, newest_published, plan_json
from .text import change, one_line, plan_words


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


# A flat row is built from the record type's annotations, so every field the JSON object
# carries has a column (the rules are in the README, "CSV and Markdown"): a scalar is its
# own column; a date is its text plus ``_precision``, ``_start``, ``_end`` and ``_by``; an
# amount is ``_amount``, ``_scale``, ``_unit``, ``_qualifier``, ``_absolute``, ``_as_printed``
# and ``_equivalents``; any other part (a figure's change) is its fields under its name
# (``change_previous_amount``); a list of plain values is joined with ";"; a list of parts
# (milestones, notes, people, readings) and a mapping (alias_sources) is one cell of compact
# JSON, dates as their fact-file text. ``inferred`` is the field paths the editors inferred,
# joined with ";" (their reasons are the JSON cell ``inferred_reasons``); companies, systems
# and models add ``search_aliases``; deals and figures add ``plan_state``. These are the
# column names of the SQLite export.
Getter = Callable[[Any], Any]
_DATE_GETTERS: tuple[tuple[str, Getter], ...] = (
    ("precision", lambda d: d.precision),
    ("start", lambda d: d.start.isoformat() if d.start else None),
    ("end", lambda d: d.end.isoformat() if d.end else None),
    ("by", lambda d: int(d.by)),
)


def _json_cell(v: Any) -> str | None:
    if not v:
        return None
    import json

    return json.dumps(to_plain(v), ensure_ascii=False, separators=(",", ":"))


def _amount_part(part: str) -> Getter:
    return lambda a: a.absolute if part == "absolute" else getattr(a, part)


def _attribute(name: str) -> Getter:
    return lambda obj: getattr(obj, name)


def _then(first: Getter, second: Getter) -> Getter:
    return lambda obj: None if (x := first(obj)) is None else second(x)


class Column:
    """One flat column: its name, how its value is read, the field path it shows, and what it is."""

    __slots__ = ("get", "kind", "name", "path")

    def __init__(self, name: str, get: Getter, path: str, kind: str) -> None:
        self.name = name
        self.get = get
        self.path = path  # "announced", "value.qualifier": what an ``inferred`` entry would name
        self.kind = kind  # "value", "date" (the text), "part" (of a date), "list", "json", "extra"


def _flat(cls: type, prefix: str = "", path: str = "", get: Getter = lambda r: r) -> list[Column]:
    """The columns of every field of *cls*, flattened by the rules above."""
    out: list[Column] = []
    for name, annotation in field_types(cls).items():
        col, here_path = prefix + name, f"{path}.{name}" if path else name
        tp = strip(annotation)
        here = _then(get, _attribute(name))
        origin = typing.get_origin(tp)
        if name == "inferred":
            out.append(Column(col, _then(here, join), here_path, "extra"))
            out.append(Column(f"{col}_reasons", _then(here, _json_cell), here_path, "extra"))
        elif tp is FuzzyDate:
            out.append(Column(col, _then(here, lambda d: d.text), here_path, "date"))
            out += [Column(f"{col}_{part}", _then(here, fn), here_path, "part") for part, fn in _DATE_GETTERS]
        elif tp is Amount:
            out += [Column(f"{col}_{part}", _then(here, _amount_part(part)), f"{here_path}.{part}", "value") for part in AMOUNT_PARTS]
            out.append(Column(f"{col}_equivalents", _then(here, lambda a: _json_cell(a.equivalents)), f"{here_path}.equivalents", "json"))
        elif isinstance(tp, type) and dataclasses.is_dataclass(tp):
            out += _flat(tp, col + "_", here_path, here)
        elif origin is list and not dataclasses.is_dataclass(strip(typing.get_args(tp)[0])):
            out.append(Column(col, here, here_path, "list"))
        elif origin in (list, dict):
            out.append(Column(col, _then(here, _json_cell), here_path, "json"))
        else:
            out.append(Column(col, here, here_path, "value"))
        if name == "alias_sources":  # derived: the aliases no article prints
            out.append(Column("search_aliases", search_aliases, "aliases", "extra"))
        if name == "status" and cls in PLANNED_TYPES:  # a plan's standing on the registry's day, as in JSON
            out += [Column(n, lambda r: None, "status", "plan") for n in ("plan_state", "reported_on", "reported_done")]
    return out


_FLAT: dict[type, list[Column]] = {}


def _flat_of(cls: type) -> list[Column]:
    got = _FLAT.get(cls)
    if got is None:
        # The record's own ``sources`` give way to every source it cites, at any depth, as in JSON.
        own = [c for c in _flat(cls) if c.name != "sources" or cls is Source]
        got = _FLAT[cls] = [Column("type", lambda r: r.TYPE, "type", "extra"), *own]
    return got


_SOURCE_COLUMNS = ("sources", "published", "conflicts")
_ORIGIN = ("kind", "root", "file", "line")  # load.overlay.Origin: where the record came from
_TAIL = (*(f"origin_{k}" for k in _ORIGIN), "as_of")  # ... and its newest source's date
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


def _cell(rec: Any, c: Column, m: Marks, lk: Lookups) -> Any:
    """One column's value, with the screen's marks: a dagger after an inferred value (Markdown),
    nothing where --stated-only hides it."""
    if c.kind == "plan":
        v = plan_json(lk.plan(rec.id), rec.sources, lk.sources)[c.name]
        return _json_cell(v) if isinstance(v, dict) else v
    v = c.get(rec)
    if c.kind == "extra" and c.name == "search_aliases":
        return None if m.stated_only else join(v)
    if not rec.inferred or c.kind in ("extra", "json") or v is None:
        return join(v) if c.kind == "list" and isinstance(v, list) else v
    if c.kind == "list":
        items = m.items(rec, c.path, [str(x) for x in v])
        if c.path == "aliases" and m.stated_only:  # the search aids are the editors'
            aids = set(search_aliases(rec))
            items = [a for a in items if a not in aids]
        return join(items)
    if c.kind == "part":
        return None if m.hidden(rec, c.path) else v
    if c.kind == "date":
        return "unknown" if m.hidden(rec, c.path) else m.mark(rec, c.path, str(v))
    shown = m.show(rec, c.path, str(v))
    return None if shown is None else (v if shown == str(v) else shown)


def _parts(rec: Record, lk: Lookups) -> dict[str, Any]:
    """*rec* in plain form as its JSON object has it: without what --stated-only hides, with each
    milestone's plan (``plan_json``); dates as their fact-file text."""
    plain: dict[str, Any] = to_plain(rec, dates="text")
    if lk.stated_only and rec.inferred:
        hide_plain(rec, plain, hidden_paths(rec), "unknown")
    for i, (ms, md) in enumerate(zip(getattr(rec, "milestones", []), plain.get("milestones") or [], strict=False)):
        md.update(plan_json(lk.plan(rec.id, i), ms.sources, lk.sources))
    return plain


def flat_row(rec: Record, lk: Lookups, marks: Marks | None = None) -> dict[str, Any]:
    """One record as a flat row; the columns are fixed per record type (``columns``).

    *marks* puts markers in the cells (Markdown); without it values are plain
    and --stated-only (``lk.stated_only``) leaves inferred ones out.
    """
    m = marks or Marks(stated_only=lk.stated_only, markers=False)
    cols = _flat_of(type(rec))
    row = {c.name: _cell(rec, c, m, lk) for c in cols}
    parts = [c.name for c in cols if c.kind == "json" and "." not in c.path]
    if parts:  # lists of parts and mappings: the objects of JSON, dates as text
        plain = _parts(rec, lk)
        row.update((name, _json_cell(plain.get(name))) for name in parts)
    if not isinstance(rec, Source):  # a source cites nothing
        row.update(_src_cols(rec, lk))
    origin = lk.origins.get(rec.id) or {}
    row.update((f"origin_{k}", origin.get(k)) for k in _ORIGIN)
    row["as_of"] = iso(rec.published.end) if isinstance(rec, Source) else newest_published(cited_sources(rec), lk.sources)
    return row


def columns(kind: str) -> list[str]:
    """The flat columns of a record type, or of "mixed" lists (csv, markdown, --fields)."""
    if kind == "mixed":
        return list(MIXED_COLUMNS)
    cls = TYPE_NAMES[kind]
    names = [c.name for c in _flat_of(cls)]
    return [*names, *_TAIL] if cls is Source else [*names, *_SOURCE_COLUMNS, *_TAIL]


def record_date(rec: Record) -> FuzzyDate | None:
    """The date a record is known by in mixed lists: a deal's announcement, a figure's period,
    a source's publication."""
    if isinstance(rec, Deal):
        return rec.announced
    if isinstance(rec, Figure):
        return rec.period
    if isinstance(rec, Source):
        return rec.published
    return None


_DATE_PATHS = {Deal: "announced", Figure: "period", Source: "published"}


def _label(rec: Record, path: str, text: str, m: Marks) -> str:
    return m.show(rec, path, text) or HIDDEN


def summary_row(rec: Record, lk: Lookups, marks: Marks | None = None) -> dict[str, Any]:
    """A row any record fits: for mixed lists (search, a company's dossier); *marks* as for ``flat_row``."""
    m = marks or Marks(stated_only=lk.stated_only, markers=False)
    if isinstance(rec, Deal):
        partners = m.items(rec, "partners", [lk.name(p) for p in rec.partners])
        what = f"{_label(rec, 'kind', rec.kind, m)} with {', '.join(partners) or rec.unnamed_partner or HIDDEN}"
    elif isinstance(rec, Figure):
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
        what = rec.outlet or ""
    else:
        what = rec.kind
    when = record_date(rec)
    path = _DATE_PATHS.get(type(rec))
    date = "" if when is None else ("unknown" if path and m.hidden(rec, path) else m.mark(rec, path or "", when.text))
    row = {"type": rec.TYPE, "id": rec.id, "name": rec.name, "date": date, "summary": what, **_src_cols(rec, lk)}
    row["inferred"] = join(rec.inferred)
    return row
