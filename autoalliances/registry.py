"""Queries over the fact base: plain, typed functions with no CLI in them.

Names resolve case-insensitively through ids, names and aliases; an unknown
name raises ``UnknownNameError`` with the closest matches. A company filter
covers the company and the joint ventures and units below it (``audi`` also
finds SAIC Audi's deals), and either side of a deal.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Iterable, Sequence

from .dates import parse_bound
from .errors import UnknownNameError, UsageError
from .records import (
    Company,
    CompanyKind,
    Conflict,
    ConflictKind,
    Deal,
    DealKind,
    DealStatus,
    Domain,
    Figure,
    FigureStatus,
    Metric,
    Model,
    Powertrain,
    Record,
    Source,
    System,
    SystemKind,
    choices,
)
from .store import Store, cited_sources


@dataclass
class Dossier:
    """Everything known about one company."""

    company: Company
    parents: list[Company] = field(default_factory=list)
    children: list[Company] = field(default_factory=list)
    deals: list[Deal] = field(default_factory=list)
    models: list[Model] = field(default_factory=list)
    systems: list[System] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)

    def records(self) -> list[Record]:
        return [self.company, *self.deals, *self.models, *self.systems, *self.figures, *self.conflicts]


def date_bound(value: date | str | None, *, end: bool, flag: str) -> date | None:
    """A --since/--until value as a date; a bad one is a usage error naming *flag*."""
    if value is None or isinstance(value, date):
        return value
    try:
        return parse_bound(value, end=end)
    except ValueError as e:
        raise UsageError(f"{flag}: {e}") from None


def _check_choice(value: str | None, literal: object, what: str) -> str | None:
    if value is None:
        return None
    allowed = choices(literal)
    if value not in allowed:
        import difflib

        close = difflib.get_close_matches(value, allowed, n=3)
        raise UnknownNameError(what, value, close or list(allowed))
    return value


def _by_date(recs: Iterable[Deal]) -> list[Deal]:
    return sorted(recs, key=lambda d: (d.announced.sort_key(), d.id))


class Registry:
    """The fact base opened for queries."""

    def __init__(self, store: Store) -> None:
        self.store = store

    # --- names ---------------------------------------------------------------------

    def resolve(self, name: str, types: Sequence[str] | None = None, what: str = "record") -> Record:
        """The one record that *name* (an id, name or alias) stands for."""
        key = name.strip()
        hits = self.store.lookup_name(key, types)
        if len(hits) > 1:
            exact = [h for h in hits if h[0] == key.lower()]
            hits = exact or hits
        if len(hits) == 1:
            rec = self.store.get(hits[0][0])
            assert rec is not None
            return rec
        if len(hits) > 1:
            raise UsageError(f"{name!r} is ambiguous: it names " + ", ".join(f"{t} {i!r}" for i, t in hits))
        raise UnknownNameError(what, name, self.suggest(key, types))

    def suggest(self, name: str, types: Sequence[str] | None = None, n: int = 3) -> list[str]:
        """Close matches for a name that resolved to nothing; ids, as a person can type them."""
        import difflib

        names = self.store.all_names(types)
        by_name: dict[str, str] = {}
        for nm, id_, _ in names:
            by_name.setdefault(nm, id_)
        low = name.lower()
        out = [by_name[m] for m in difflib.get_close_matches(low, list(by_name), n=n * 2, cutoff=0.6)]
        out += [i for nm, i in by_name.items() if low and low in nm]
        return list(dict.fromkeys(out))[:n]

    def get(self, name: str) -> Record:
        """Any record by id, name or alias."""
        return self.resolve(name)

    def company(self, name: str) -> Company:
        rec = self.resolve(name, ["company"], "company")
        assert isinstance(rec, Company)
        return rec

    def _with_units(self, name: str) -> list[str]:
        """A company's id and the ids of the companies below it (joint ventures, units)."""
        root = self.company(name).id
        out, todo = [root], [root]
        while todo:
            cur = todo.pop()
            for child in self.store.ids_with("ref", [cur], "company"):
                if child not in out:
                    out.append(child)
                    todo.append(child)
        return out

    # --- lists ---------------------------------------------------------------------

    def companies(self, kind: str | None = None, country: str | None = None) -> list[Company]:
        any_of: dict[str, list[str]] = {}
        if _check_choice(kind, CompanyKind, "company kind"):
            any_of["kind"] = [kind]  # type: ignore[list-item]
        if country:
            any_of["country"] = [country.lower()]
        recs = self.store.find("company", any_of)
        return sorted(recs, key=lambda c: c.name.lower())  # type: ignore[attr-defined]

    def deals(
        self,
        company: str | None = None,
        partner: str | None = None,
        year: int | None = None,
        since: date | str | None = None,
        until: date | str | None = None,
        domain: str | None = None,
        kind: str | None = None,
        status: str | None = None,
    ) -> list[Deal]:
        """Deals, oldest first; *company* matches either side, *partner* the partner side."""
        any_of: dict[str, list[str]] = {}
        if company:
            any_of["party"] = self._with_units(company)
        if partner:
            any_of["partner"] = self._with_units(partner)
        if year is not None:
            any_of["year"] = [str(year)]
        if _check_choice(domain, Domain, "domain"):
            any_of["domain"] = [domain]  # type: ignore[list-item]
        _check_choice(kind, DealKind, "deal kind")
        _check_choice(status, DealStatus, "deal status")
        lo, hi = date_bound(since, end=False, flag="--since"), date_bound(until, end=True, flag="--until")
        out = [
            d
            for d in self.store.find("deal", any_of)
            if isinstance(d, Deal)
            and (kind is None or d.kind == kind)
            and (status is None or d.status == status)
            and (lo is None and hi is None or d.announced.overlaps(lo, hi))
        ]
        return _by_date(out)

    def models(
        self,
        company: str | None = None,
        year: int | None = None,
        since: date | str | None = None,
        until: date | str | None = None,
        powertrain: str | None = None,
        region: str | None = None,
    ) -> list[Model]:
        """Car models; *year*/*since*/*until* match any of their dated milestones."""
        any_of: dict[str, list[str]] = {}
        if company:
            any_of["party"] = self._with_units(company)
        if year is not None:
            any_of["year"] = [str(year)]
        _check_choice(powertrain, Powertrain, "powertrain")
        lo, hi = date_bound(since, end=False, flag="--since"), date_bound(until, end=True, flag="--until")
        out = [
            m
            for m in self.store.find("model", any_of)
            if isinstance(m, Model)
            and (powertrain is None or powertrain in m.powertrains)
            and (region is None or (m.market or "").lower() == region.lower())
            and (lo is None and hi is None or any(ms.date.overlaps(lo, hi) for ms in m.milestones))
        ]
        return sorted(out, key=lambda m: (m.maker, m.name.lower()))

    def systems(self, company: str | None = None, kind: str | None = None) -> list[System]:
        any_of: dict[str, list[str]] = {}
        if company:
            any_of["party"] = self._with_units(company)
        if _check_choice(kind, SystemKind, "system kind"):
            any_of["kind"] = [kind]  # type: ignore[list-item]
        recs = self.store.find("system", any_of)
        return sorted(recs, key=lambda s: (s.kind, s.name.lower()))  # type: ignore[attr-defined]

    def figures(
        self,
        company: str | None = None,
        metric: str | None = None,
        region: str | None = None,
        year: int | None = None,
        since: date | str | None = None,
        until: date | str | None = None,
        status: str | None = None,
    ) -> list[Figure]:
        """Figures by period; *company* matches the company or the body a figure is credited to."""
        any_of: dict[str, list[str]] = {}
        if company:
            any_of["party"] = self._with_units(company)
        if _check_choice(metric, Metric, "metric"):
            any_of["metric"] = [metric]  # type: ignore[list-item]
        if region:
            any_of["region"] = [region.lower()]
        if year is not None:
            any_of["year"] = [str(year)]
        _check_choice(status, FigureStatus, "figure status")
        lo, hi = date_bound(since, end=False, flag="--since"), date_bound(until, end=True, flag="--until")
        out = [
            f
            for f in self.store.find("figure", any_of)
            if isinstance(f, Figure)
            and (status is None or f.status == status)
            and (lo is None and hi is None or f.period.overlaps(lo, hi))
        ]
        return sorted(out, key=lambda f: (f.period.sort_key(), f.company or "", f.metric, f.id))

    def sources(self) -> list[Source]:
        return sorted(self.store.all("source"), key=lambda s: s.file)  # type: ignore[attr-defined]

    def conflicts(self, kind: str | None = None, record: str | None = None) -> list[Conflict]:
        any_of: dict[str, list[str]] = {}
        if _check_choice(kind, ConflictKind, "conflict kind"):
            any_of["kind"] = [kind]  # type: ignore[list-item]
        if record:
            any_of["ref"] = [self.get(record).id]
        return self.store.find("conflict", any_of)  # type: ignore[return-value]

    def search(self, text: str) -> list[Record]:
        """Records with *text* in any of their words (names, aliases, descriptions, notes)."""
        needle = text.strip().lower()
        if not needle:
            raise UsageError("search: give some text to look for")
        return [r for r in self.store.text_search(needle) if needle in _words(r)]

    # --- one company, one record ---------------------------------------------------

    def dossier(self, name: str) -> Dossier:
        company = self.company(name)
        ids = self._with_units(company.id)
        found = self.store.get_many(company.parents)
        d = Dossier(company=company, parents=[found[p] for p in company.parents if p in found])  # type: ignore[misc]
        d.children = [c for c in self.store.get_many(ids[1:]).values() if isinstance(c, Company)]
        d.deals = _by_date(x for x in self.store.find("deal", {"party": ids}) if isinstance(x, Deal))
        d.models = [x for x in self.store.find("model", {"party": ids}) if isinstance(x, Model)]
        d.systems = [x for x in self.store.find("system", {"party": ids}) if isinstance(x, System)]
        d.figures = sorted(
            (x for x in self.store.find("figure", {"party": ids}) if isinstance(x, Figure)),
            key=lambda f: (f.period.sort_key(), f.metric, f.id),
        )
        touched = [r.id for r in d.records()]
        d.conflicts = [c for c in self.store.find("conflict", {"ref": touched}) if isinstance(c, Conflict)]
        return d

    def conflicts_of(self, ids: Iterable[str]) -> dict[str, list[str]]:
        """For each id, the conflicts that name it."""
        ids = list(ids)
        out: dict[str, list[str]] = {i: [] for i in ids}
        if not ids:
            return out
        for c in self.store.find("conflict", {"ref": ids}):
            assert isinstance(c, Conflict)
            for r in [*c.records, *(x.record for x in c.readings if x.record)]:
                if r in out and c.id not in out[r]:
                    out[r].append(c.id)
        return out

    def sources_of(self, records: Iterable[Record]) -> dict[str, Source]:
        """Every source cited by *records*, by id."""
        ids: list[str] = []
        for r in records:
            ids += cited_sources(r)
        return {k: v for k, v in self.store.get_many(ids).items() if isinstance(v, Source)}

    def names(self, ids: Iterable[str]) -> dict[str, str]:
        """Display names for ids (companies, systems, models...)."""
        out = {}
        for k, v in self.store.get_many(ids).items():
            out[k] = getattr(v, "name", k)
        return out

    def referrers(self, id_: str) -> list[Record]:
        """Records that point at *id_* (deals of a system, models of a platform...)."""
        return list(self.store.get_many(self.store.ids_with("ref", [id_])).values())

    def counts(self) -> dict[str, int]:
        return self.store.counts()


def _words(rec: Record) -> str:
    """All the text of a record, lower-cased, for search."""
    from .codec import to_plain

    parts: list[str] = []

    def walk(v: object) -> None:
        if isinstance(v, str):
            parts.append(v)
        elif isinstance(v, dict):
            for x in v.values():
                walk(x)
        elif isinstance(v, list):
            for x in v:
                walk(x)

    walk(to_plain(rec))
    return "\n".join(parts).lower()
