"""What a record can be found by: the (key, value) pairs and names the store indexes.

``index_entries`` gives pairs such as ("party", "bmw") or ("year", "2025");
the registry's filters are lookups of these keys. ``names_of`` gives the
names a person may type for a record (its id, name and aliases).
"""

from __future__ import annotations

from collections.abc import Iterable

from ..model.dates import FuzzyDate
from ..model.names import name_key
from ..model.records import Company, Conflict, Deal, Figure, Model, Record, System
from ..model.refs import cited_sources, references


def _years(dates: Iterable[FuzzyDate | None]) -> set[str]:
    return {str(d.year) for d in dates if d is not None and d.year is not None}


def index_entries(rec: Record) -> set[tuple[str, str]]:
    """The (key, value) pairs a record can be found by."""
    e: set[tuple[str, str]] = {("ref", r) for r in references(rec)}
    e |= {("cites", s) for s in cited_sources(rec)}
    if isinstance(rec, Deal):
        e |= {("party", p) for p in rec.parties}
        e |= {("partner", p) for p in rec.partners}
        e |= {("domain", d) for d in rec.domains}
        e |= {("year", y) for y in _years([rec.announced])}
    elif isinstance(rec, Model):
        e |= {("party", p) for p in (rec.maker, rec.producer) if p}
        e |= {("year", y) for y in _years(m.date for m in rec.milestones)}
    elif isinstance(rec, System):
        if rec.vendor:
            e.add(("party", rec.vendor))
        e.add(("kind", rec.kind))
    elif isinstance(rec, Figure):
        e |= {("party", p) for p in (rec.company, rec.attributed_to) if p}
        e.add(("metric", rec.metric))
        e.add(("region", rec.region.lower()))
        e |= {("year", y) for y in _years([rec.period])}
    elif isinstance(rec, Company):
        e.add(("kind", rec.kind))
        if rec.country:
            e.add(("country", rec.country.lower()))
    elif isinstance(rec, Conflict):
        e.add(("kind", rec.kind))
    return e


def names_of(rec: Record) -> set[str]:
    """Names a person may use for a record, in lookup form: id, name, aliases."""
    names = {rec.id, name_key(rec.name)}
    names |= {name_key(a) for a in getattr(rec, "aliases", ())}
    return names
