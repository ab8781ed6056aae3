"""The documented shapes of records for scripts: JSON objects and flat rows.

Pure data, no rich and no writing: ``emit`` picks a shape and a writer.

- JSON: a record object carries every field of the record (dates as objects
  with ``text``, ``precision``, ``start``, ``end``, ``by`` and ``label``;
  amounts with their ``absolute`` value), then ``sources`` (every article it
  cites, in full) and ``conflicts`` (the ids of the conflicts naming it).
- Flat rows (csv, markdown): one row per record, a fixed list of columns per
  record type read off its annotations (``columns``), so every field of the
  JSON object has a column; the naming rules are above ``flat_row``.
"""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from ..model.dates import FuzzyDate
from ..model.records import TYPE_NAMES, Amount, Company, Deal, Figure, Model, Record, Source, System
from ..model.refs import cited_sources, field_types, strip
from ..query.views import Dossier, Lookups
from ..store.codec import to_plain
from .text import amount, change, milestone

if TYPE_CHECKING:
    from ..store.search import Match

# --- JSON -----------------------------------------------------------------------------------


def source_json(s: Source) -> dict[str, Any]:
    return {
        "id": s.id,
        "title": s.title,
        "outlet": s.outlet,
        "published": s.published.to_json(),
        "author": s.author,
        "language": s.language,
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


def record_json(rec: Record, lk: Lookups) -> dict[str, Any]:
    """The documented JSON object of one record."""
    out: dict[str, Any] = {"type": rec.TYPE}
    out.update(_plain(rec))
    if not isinstance(rec, Source):
        out.pop("sources", None)  # moved to the end, expanded
        out["sources"] = sources_json(lk.sources, cited_sources(rec))
        out["conflicts"] = lk.conflicts.get(rec.id, [])
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
    }


def all_sources(records: Iterable[Record]) -> list[str]:
    """Every source id cited by *records*, sorted."""
    ids: list[str] = []
    for r in records:
        ids += cited_sources(r)
    return sorted(dict.fromkeys(ids))


def json_fields(kind: str) -> list[str]:
    """The top-level keys of a record type's JSON object, in their order ("mixed": the keys of
    any record type's object)."""
    if kind == "mixed":
        return list(dict.fromkeys(k for t in TYPE_NAMES for k in json_fields(t)))
    cls = TYPE_NAMES[kind]
    names = ["type", *(f.name for f in dataclasses.fields(cls))]
    if cls is Source:
        return names
    return [*(n for n in names if n != "sources"), "sources", "conflicts"]


def match_json(m: Match) -> dict[str, Any]:
    """Where a search hit matched: ``{"field", "text", "spans"}``, spans as [start, end) offsets into text."""
    return {"field": m.field, "text": m.text, "spans": [list(span) for span in m.spans]}


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


# A flat row is built from the record type's annotations, so every field the JSON object
# carries has a column (``FLAT_RULES`` in the README): a scalar is its own column; a date
# is its text plus ``_precision``, ``_start``, ``_end`` and ``_by``; an amount is
# ``_amount``, ``_scale``, ``_unit``, ``_qualifier``, ``_absolute``, ``_as_printed`` and
# ``_equivalents``; any other part (a figure's change) is its fields under its name
# (``change_previous_amount``); a list of plain values is joined with ";"; a list of parts
# (milestones, notes, people, readings, equivalents) and a mapping (inferred, alias_sources)
# is one cell of compact JSON, dates as their fact-file text. These are the column names of
# the SQLite export.
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


def _date_text(d: FuzzyDate) -> str:
    return d.text


def _amount_part(part: str) -> Getter:
    return lambda a: a.absolute if part == "absolute" else getattr(a, part)


def _equivalents(a: Amount) -> str | None:
    return _json_cell(a.equivalents)


def _attribute(name: str) -> Getter:
    return lambda obj: getattr(obj, name)


def _then(first: Getter, second: Getter) -> Getter:
    return lambda obj: None if (x := first(obj)) is None else second(x)


def _flat(cls: type, prefix: str = "", get: Getter = lambda r: r) -> list[tuple[str, Getter]]:
    """(column, value from the record) for every field of *cls*, flattened by the rules above."""
    out: list[tuple[str, Getter]] = []
    for name, annotation in field_types(cls).items():
        col = prefix + name
        tp = strip(annotation)
        here = _then(get, _attribute(name))
        origin = typing.get_origin(tp)
        if tp is FuzzyDate:
            out.append((col, _then(here, _date_text)))
            out += [(f"{col}_{part}", _then(here, fn)) for part, fn in _DATE_GETTERS]
        elif tp is Amount:
            out += [(f"{col}_{part}", _then(here, _amount_part(part))) for part in AMOUNT_PARTS]
            out.append((f"{col}_equivalents", _then(here, _equivalents)))
        elif isinstance(tp, type) and dataclasses.is_dataclass(tp):
            out += _flat(tp, col + "_", here)
        elif origin is list and not dataclasses.is_dataclass(strip(typing.get_args(tp)[0])):
            out.append((col, _then(here, join)))
        elif origin in (list, dict):
            out.append((col, _then(here, _json_cell)))
        else:
            out.append((col, here))
    return out


_FLAT: dict[type, list[tuple[str, Getter]]] = {}


def _flat_of(cls: type) -> list[tuple[str, Getter]]:
    got = _FLAT.get(cls)
    if got is None:
        # The record's own ``sources`` give way to every source it cites, at any depth, as in JSON.
        got = _FLAT[cls] = [("type", lambda r: r.TYPE), *(c for c in _flat(cls) if c[0] != "sources" or cls is Source)]
    return got


_SOURCE_COLUMNS = ("sources", "published", "conflicts")
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
    row = {col: get(rec) for col, get in _flat_of(type(rec))}
    if not isinstance(rec, Source):  # a source cites nothing
        row.update(_src_cols(rec, lk))
    return row


def columns(kind: str) -> list[str]:
    """The flat columns of a record type, or of "mixed" lists (csv, markdown, --fields)."""
    if kind == "mixed":
        return list(MIXED_COLUMNS)
    cls = TYPE_NAMES[kind]
    names = [col for col, _ in _flat_of(cls)]
    return names if cls is Source else [*names, *_SOURCE_COLUMNS]


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


def summary_row(rec: Record, lk: Lookups) -> dict[str, Any]:
    """A row any record fits: for mixed lists (search, a company's dossier)."""
    if isinstance(rec, Deal):
        what = f"{rec.kind} with {', '.join(map(lk.name, rec.partners)) or rec.unnamed_partner}"
    elif isinstance(rec, Figure):
        what = f"{rec.metric} {amount(rec.value)} {change(rec.change)}".strip()
    elif isinstance(rec, Model):
        what = "; ".join(milestone(m) for m in rec.milestones)
    elif isinstance(rec, System):
        what = f"{rec.kind} by {lk.name(rec.vendor)}" if rec.vendor else rec.kind
    elif isinstance(rec, Company):
        what = f"{rec.kind}, {rec.country}" if rec.country else rec.kind
    elif isinstance(rec, Source):
        what = rec.outlet or ""
    else:
        what = rec.kind
    when = record_date(rec)
    return {"type": rec.TYPE, "id": rec.id, "name": rec.name, "date": when.text if when else "", "summary": what, **_src_cols(rec, lk)}
