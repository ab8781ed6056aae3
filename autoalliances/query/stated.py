"""What ``--stated-only`` keeps: a record matches a filter only through values a source states.

The store finds records through its indexes (``store/index.py``) whatever
the provenance of the value; with ``--stated-only`` the registry then drops
each record whose matching value the editors inferred. ``stated_values``
gives, for one index key, the values of a record that no ``inferred`` entry
covers; it mirrors ``index_entries`` for the keys the filters use.

The landscape's provenance lives here too: which domains of a matrix cell or
graph edge are inferred on every deal behind it, and whether the pairing
itself is.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ..model.dates import FuzzyDate
from ..model.provenance import is_inferred, reasons, stated
from ..model.records import Company, Conflict, Deal, Figure, Model, Record, System
from ..model.refs import ref_fields


def _years(dates: Iterable[FuzzyDate]) -> set[str]:
    return {str(d.year) for d in dates if d.year is not None}


def stated_dates(rec: Record) -> list[FuzzyDate]:
    """The dates of a deal (announced), figure (period) or milestones that no ``inferred`` entry covers."""
    if isinstance(rec, Deal):
        return stated(rec, "announced")
    if isinstance(rec, Figure):
        return stated(rec, "period")
    milestones = getattr(rec, "milestones", [])
    return [m.date for i, m in enumerate(milestones) if not is_inferred(rec, f"milestones[{i}].date")]


def _refs(obj: Any, path: tuple[str, ...], prefix: str, rec: Record) -> list[str]:
    """The ids at a reference field's *path* whose own path is not inferred."""
    value = getattr(obj, path[0], None)
    here = prefix + path[0]
    items = list(enumerate(value)) if isinstance(value, list) else [(None, value)]
    out: list[str] = []
    for i, item in items:
        at = here if i is None else f"{here}[{i}]"
        if item is None or is_inferred(rec, at):
            continue
        out += [item] if len(path) == 1 else _refs(item, path[1:], at + ".", rec)
    return out


def stated_values(rec: Record, key: str) -> set[str]:
    """The values of index *key* that *rec* has through stated fields only."""
    if key == "ref":
        return {v for f in ref_fields(type(rec))[1] for v in _refs(rec, f.path, "", rec)}
    if key == "year":
        return _years(stated_dates(rec))
    if key == "party":
        names = {Deal: ("company", "partners"), Model: ("maker", "producer"), System: ("vendor",), Figure: ("company", "attributed_to")}
        return {v for name in names.get(type(rec), ()) for v in stated(rec, name)}
    if key in ("country", "region"):
        return {v.lower() for v in stated(rec, key)}
    name = {"partner": "partners", "domain": "domains"}.get(key, key)
    return set(stated(rec, name)) if hasattr(rec, name) else set()


def matches(rec: Record, any_of: Mapping[str, Iterable[str]]) -> bool:
    """Does *rec* match every key of *any_of* through a stated value?"""
    return all(stated_values(rec, key) & set(wanted) for key, wanted in any_of.items())


# --- the landscape --------------------------------------------------------------------------


def _why(deals: Sequence[Deal], path_of: Any) -> str | None:
    """The reasons, deal by deal, when *path_of(deal)* is inferred on every one of *deals*; else None."""
    found = []
    for d in deals:
        path = path_of(d)
        why = reasons(d, path) if path is not None else []
        if not why:
            return None
        found.append(f"{d.id}: {'; '.join(why)}")
    return " | ".join(found) if found else None


def pairing_inferred(deals: Sequence[Deal], partner: str | None) -> dict[str, str]:
    """``automaker``/``partner`` -> reason, when that side is inferred on every deal of a cell or edge."""
    out: dict[str, str] = {}
    side = _why(deals, lambda d: "company")
    if side:
        out["automaker"] = side
    if partner is not None:
        other = _why(deals, lambda d: f"partners[{d.partners.index(partner)}]" if partner in d.partners else None)
        if other:
            out["partner"] = other
    return out


def domains_inferred(deals: Sequence[Deal], domains: Sequence[str]) -> dict[str, str]:
    """``domains[i]`` -> reason for each of *domains* that every deal listing it has inferred."""
    out: dict[str, str] = {}
    for i, dom in enumerate(domains):
        behind = [d for d in deals if dom in d.domains]
        why = _why(behind, lambda d, dom=dom: f"domains[{d.domains.index(dom)}]")
        if why:
            out[f"domains[{i}]"] = why
    return out


def company_inferred(c: Company | None) -> dict[str, str]:
    """The inferred entries of a company that a matrix row or a graph node shows: its kind and parents."""
    if c is None:
        return {}
    return {k: v for k, v in c.inferred.items() if k.split("[")[0] in ("kind", "parents")}


def stated_pairs(d: Deal, *, stated_only: bool) -> tuple[str | None, list[str]]:
    """A deal's automaker side and named partners as the landscape places it (None: the side is inferred)."""
    if not stated_only:
        return d.company, list(d.partners)
    company = d.company if not is_inferred(d, "company") else None
    return company, stated(d, "partners")


def conflict_sources(c: Conflict) -> list[str]:
    return list(dict.fromkeys(r.source for r in c.readings))


# What each column of the search table (``store.search.search_row``) is made of, by field name.
_SEARCH_FIELDS = {
    "name": ("name", "title", "topic", "description"),
    "aliases": ("aliases",),
    "description": ("description",),
    "notes": ("notes", "note", "readings"),
}


def stated_text(rec: Record, column: str) -> str:
    """The stated part of a search column's text of *rec*, lower-cased (inferred values left out)."""
    parts: list[str] = []
    for name in _SEARCH_FIELDS.get(column, ()):
        if hasattr(rec, name):
            parts += [str(getattr(v, "text", v)) for v in stated(rec, name)]
    return "\n".join(parts).lower()


def stated_hit(rec: Record, column: str, words: Iterable[str]) -> bool:
    """Does *rec* still match in *column* when only stated values count (every highlighted word is in them)?"""
    if not rec.inferred:
        return True
    text = stated_text(rec, column)
    return all(w.lower() in text for w in words)
