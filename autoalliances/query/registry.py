"""Queries over the fact base: plain, typed functions with no CLI in them.

Names resolve case-insensitively through ids, names and aliases; an unknown
name raises ``UnknownNameError`` with the closest matches. A company filter
covers the company and the joint ventures and units below it (``audi`` also
finds SAIC Audi's deals), and either side of a deal.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from ..errors import UnknownNameError, UsageError
from ..model.dates import parse_bound
from ..model.names import close_matches, name_key, ranked_matches
from ..model.records import Company, Conflict, Deal, Figure, Model, R, Record, Source, System
from ..model.refs import cited_sources, file_number, mentioned_files, references
from ..model.vocab import (
    CompanyKind,
    ConflictKind,
    DealKind,
    DealStatus,
    Domain,
    FigureStatus,
    Metric,
    Powertrain,
    SystemKind,
    choices,
)
from ..store.db import Store
from ..store.index import index_entries
from .views import Dossier, Listing, Lookups, RecordView

DateLike = date | str | None


def date_range(since: DateLike, until: DateLike) -> tuple[date | None, date | None]:
    """--since and --until as the first and last day they can mean; a bad value is a usage error
    naming its flag, and so is a --since after the --until (a range that can hold nothing)."""
    lo, hi = _bound(since, end=False, flag="--since"), _bound(until, end=True, flag="--until")
    if lo is not None and hi is not None and lo > hi:
        raise UsageError(f"--since {since} is after --until {until}: no date can be in that range")
    return lo, hi


def _bound(value: DateLike, *, end: bool, flag: str) -> date | None:
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
        raise UnknownNameError(what, value, close_matches(value, allowed, n=3) or list(allowed))
    return value


def _by_date(recs: Iterable[Deal]) -> list[Deal]:
    return sorted(recs, key=lambda d: (d.announced.sort_key(), d.id))


def _matches(entries: set[tuple[str, str]], wanted: dict[str, set[str]]) -> bool:
    """Whether index *entries* have, for every key, one of its wanted values (as ``Store.find``)."""
    return all(any((key, v) in entries for v in values) for key, values in wanted.items())


def _by_maker(recs: Iterable[Model]) -> list[Model]:
    return sorted(recs, key=lambda m: (m.maker, m.name.lower()))


class Registry:
    """The fact base opened for queries."""

    def __init__(self, store: Store) -> None:
        self.store = store

    # --- names ---------------------------------------------------------------------

    def resolve(self, name: str, types: Sequence[str] | None = None, what: str = "record") -> Record:
        """The one record that *name* (an id, name or alias) stands for.

        Case, spaces, hyphens and underscores do not count ("Mercedes Benz" is
        mercedes-benz); an exact spelling wins over a loose one. A name that
        stands for a record of another type than asked says so.
        """
        key = name.strip()
        hits = self.store.lookup_name(key, types) or self.store.lookup_name(key, types, loose=True)
        if len(hits) > 1:
            exact = [h for h in hits if h[0] == name_key(key)]
            hits = exact or hits
        if len(hits) == 1:
            rec = self.store.get(hits[0][0])
            assert rec is not None
            return rec
        if len(hits) > 1:
            raise UsageError(f"{name!r} is ambiguous: it names " + ", ".join(f"{t} {i!r}" for i, t in hits))
        elsewhere = (self.store.lookup_name(key) or self.store.lookup_name(key, loose=True)) if types else []
        raise UnknownNameError(what, name, [] if elsewhere else self.suggest(key, types), elsewhere=elsewhere)

    def suggest(self, name: str, types: Sequence[str] | None = None, n: int = 3) -> list[str]:
        """Close matches for a name that resolved to nothing: ids, ranked by how much one of
        their spellings (id, name, alias) looks like *name* (``model.names.ranked_matches``)."""
        return ranked_matches(name, {nm: id_ for nm, id_, _ in self.store.all_names(types)}, n=n)

    def get(self, name: str) -> Record:
        """Any record by id, name or alias."""
        return self.resolve(name)

    def company(self, name: str) -> Company:
        rec = self.resolve(name, ["company"], "company")
        assert isinstance(rec, Company)
        return rec

    def _with_units(self, name: str) -> list[str]:
        """A company's id and the ids of the companies below it (joint ventures, units)."""
        return self._units(self.company(name).id)

    def _units(self, root: str) -> list[str]:
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
        if kind is not None and _check_choice(kind, CompanyKind, "company kind"):
            any_of["kind"] = [kind]
        if country:
            any_of["country"] = [country.lower()]
        return sorted(self.store.find(Company, any_of), key=lambda c: c.name.lower())

    def companies_listing(self, kind: str | None = None, country: str | None = None) -> Listing:
        """``companies`` ready to print; with *country*, a note names the companies whose country
        the articles do not state (no --country can match them)."""
        listing = self.listing("company", self.companies(kind=kind, country=country))
        if country:
            unstated = [c.name for c in self.companies(kind=kind) if not c.country]
            n = len(unstated)
            if n:
                listing.notes.append(
                    f"{n} compan{'y has' if n == 1 else 'ies have'} no country stated in the articles"
                    f" and cannot match --country: {', '.join(unstated)}"
                )
        return listing

    def _records(self, cls: type[R], ids: Sequence[str]) -> list[R]:
        """The records of *ids* that are of type *cls*, in the order of *ids*."""
        found = self.store.get_many(ids)
        return [r for i in ids if isinstance(r := found.get(i), cls)]

    def _find(self, cls: type[R], any_of: dict[str, list[str]], company: str | None) -> list[R]:
        """``Store.find``; with *company*, only the records about it (``about``)."""
        if not company:
            return self.store.find(cls, any_of)
        found = self._records(cls, self.about(company, cls.TYPE))
        if not any_of:
            return found
        wanted = {key: set(values) for key, values in any_of.items()}
        return [r for r in found if _matches(index_entries(r), wanted)]

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
        """Deals, oldest first; *company* matches deals about it (``about``: either side, its
        units, its systems), *partner* the partner side. Dates match by overlap."""
        any_of: dict[str, list[str]] = {}
        if partner:
            any_of["partner"] = self._with_units(partner)
        if year is not None:
            any_of["year"] = [str(year)]
        if domain is not None and _check_choice(domain, Domain, "domain"):
            any_of["domain"] = [domain]
        _check_choice(kind, DealKind, "deal kind")
        _check_choice(status, DealStatus, "deal status")
        lo, hi = date_range(since, until)
        out = [
            d
            for d in self._find(Deal, any_of, company)
            if (kind is None or d.kind == kind)
            and (status is None or d.status == status)
            and ((lo is None and hi is None) or d.announced.overlaps(lo, hi))
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
        """Car models; *company* matches its maker, producer or one of its systems;
        *year*/*since*/*until* match any of their dated milestones, by overlap."""
        any_of: dict[str, list[str]] = {}
        if year is not None:
            any_of["year"] = [str(year)]
        _check_choice(powertrain, Powertrain, "powertrain")
        lo, hi = date_range(since, until)
        out = [
            m
            for m in self._find(Model, any_of, company)
            if (powertrain is None or powertrain in m.powertrains)
            and (region is None or (m.market or "").lower() == region.lower())
            and ((lo is None and hi is None) or any(ms.date.overlaps(lo, hi) for ms in m.milestones))
        ]
        return _by_maker(out)

    def systems(self, company: str | None = None, kind: str | None = None) -> list[System]:
        any_of: dict[str, list[str]] = {}
        if company:
            any_of["party"] = self._with_units(company)
        if kind is not None and _check_choice(kind, SystemKind, "system kind"):
            any_of["kind"] = [kind]
        return sorted(self.store.find(System, any_of), key=lambda s: (s.kind, s.name.lower()))

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
        """Figures by period; *company* matches the company, the body a figure is credited to,
        or a system of the company it is about. Dates match by overlap."""
        any_of: dict[str, list[str]] = {}
        if metric is not None and _check_choice(metric, Metric, "metric"):
            any_of["metric"] = [metric]
        if region:
            any_of["region"] = [region.lower()]
        if year is not None:
            any_of["year"] = [str(year)]
        _check_choice(status, FigureStatus, "figure status")
        lo, hi = date_range(since, until)
        out = [
            f
            for f in self._find(Figure, any_of, company)
            if (status is None or f.status == status)
            and ((lo is None and hi is None) or f.period.overlaps(lo, hi))
        ]
        return sorted(out, key=lambda f: (f.period.sort_key(), f.company or "", f.metric, f.id))

    def sources(self) -> list[Source]:
        return sorted(self.store.all(Source), key=lambda s: s.file)

    def conflicts(self, kind: str | None = None, record: str | None = None) -> list[Conflict]:
        any_of: dict[str, list[str]] = {}
        if kind is not None and _check_choice(kind, ConflictKind, "conflict kind"):
            any_of["kind"] = [kind]
        if record:
            any_of["ref"] = [self.get(record).id]
        return self.store.find(Conflict, any_of)

    def search(self, text: str) -> list[Record]:
        """Records whose names, aliases, descriptions or notes match *text*, best first.

        Full-text search (``store.search``): words at word boundaries, ``harm*``,
        ``"a phrase"``, AND/OR/NOT; case and diacritics do not count.
        """
        return self.search_listing(text).records

    def search_listing(self, text: str) -> Listing:
        """``search`` with where each record matched (``Listing.matches``), ready to print."""
        if not text.strip():
            raise UsageError("search: give some text to look for")
        hits = self.store.search(text)
        found = self.store.get_many(h.id for h in hits)
        records = [found[h.id] for h in hits if h.id in found]
        listing = self.listing("mixed", records, f"results for {text!r}")
        listing.matches = {h.id: h.match for h in hits}
        if self.store.meta("search") != "fts5":
            listing.notes.append("full-text search is not available (this SQLite has no FTS5): matched as plain text, in load order")
        return listing

    # --- one company, one record ---------------------------------------------------

    def dossier(self, name: str) -> Dossier:
        """Everything that names the company, or a unit below it, in any reference field, directly
        or through the systems they make (``about``), with its parents and units."""
        company = self.company(name)
        about = self._about_refs(company)
        ids = about[0]
        found = self.store.get_many([*company.parents, *ids[1:]])
        d = Dossier(company=company, parents=[c for p in company.parents if isinstance(c := found.get(p), Company)])
        d.children = [c for i in ids[1:] if isinstance(c := found.get(i), Company)]
        d.deals = _by_date(self._records(Deal, self._about(company, "deal", about)))
        d.models = _by_maker(self._records(Model, self._about(company, "model", about)))
        d.systems = self.store.find(System, {"party": ids})
        figures = self._records(Figure, self._about(company, "figure", about))
        d.figures = sorted(figures, key=lambda f: (f.period.sort_key(), f.metric, f.id))
        touched = [r.id for r in d.records()]
        d.conflicts = self.store.find(Conflict, {"ref": touched})
        d.lookups = self.lookups(d.records())
        return d

    def about(self, name: str, type_: str) -> list[str]:
        """Ids of the records of *type_* that are about a company: those that name it, a unit
        below it or a system they make (``vendor``) in any reference field.

        For a joint venture, deals also include the one that set it up (a
        ``joint-venture`` deal between its parents) and its parents' deals over
        the systems its own models and figures are about (FAW-Audi's five
        models with the Audi-Huawei driver assistance).
        """
        company = self.company(name)
        return self._about(company, type_, self._about_refs(company))

    def _about_refs(self, company: Company) -> tuple[list[str], list[str], list[str]]:
        """(its units, the ids a record must name to be about the company, a joint venture's extra deals)."""
        units = self._units(company.id)
        refs = [*units, *self.store.ids_with("party", units, "system")]
        extra: list[str] = []
        if company.kind == "joint-venture" and company.parents:
            used = {x for r in self.store.find(Model, {"party": units}) for x in [*r.systems, r.platform] if x}
            used |= {f.system for f in self.store.find(Figure, {"party": units}) if f.system}
            parents = set(company.parents)
            for deal in self.store.find(Deal, {"party": list(parents)}):
                parties = set(deal.parties)
                if (deal.kind == "joint-venture" and parties <= parents and len(parties) > 1) or used & set(deal.systems):
                    extra.append(deal.id)
        return units, refs, extra

    def _about(self, company: Company, type_: str, about: tuple[list[str], list[str], list[str]]) -> list[str]:
        _, refs, extra = about
        out = self.store.ids_with("ref", refs, type_)
        return out + [d for d in extra if d not in out] if type_ == "deal" else out

    def record_view(self, name: str) -> RecordView:
        """One record by id, name or alias, with what ``show`` prints about it."""
        rec = self.get(name)
        lookups = self.lookups([rec])
        ids = lookups.conflicts.get(rec.id, [])
        found = self.store.get_many(ids)
        conflicts = [c for i in ids if isinstance(c := found.get(i), Conflict)]
        return RecordView(rec, lookups, conflicts, self.lookups(conflicts), self.referrers(rec.id))

    def listing(self, kind: str, records: Sequence[Record], title: str | None = None) -> Listing:
        """*records* with their lookups, ready for the render layer."""
        return Listing(kind, list(records), self.lookups(records), title)

    def lookups(self, records: Sequence[Record]) -> Lookups:
        """The names, sources and conflicts that printing *records* needs."""
        refs: list[str] = []
        for r in records:
            refs += references(r)
        return Lookups(self.names(refs), self.sources_of(records), self.conflicts_of(r.id for r in records))

    def conflicts_of(self, ids: Iterable[str]) -> dict[str, list[str]]:
        """For each id, the conflicts that name it."""
        ids = list(ids)
        out: dict[str, list[str]] = {i: [] for i in ids}
        if not ids:
            return out
        for c in self.store.find(Conflict, {"ref": ids}):
            for r in [*c.records, *(x.record for x in c.readings if x.record)]:
                if r in out and c.id not in out[r]:
                    out[r].append(c.id)
        return out

    def sources_of(self, records: Iterable[Record]) -> dict[str, Source]:
        """Every source cited by *records*, by id, and any source their texts name by its file
        number ("article 004"), so that a screen can show it as a footnote instead."""
        ids: list[str] = []
        files: list[str] = []
        for r in records:
            ids += cited_sources(r)
            files += mentioned_files(r)
        if files:
            ids += [s.id for s in self.store.all(Source) if file_number(s.file) in files]
        return {k: v for k, v in self.store.get_many(ids).items() if isinstance(v, Source)}

    def sources_by_id(self, ids: Iterable[str]) -> dict[str, Source]:
        """Source records by id, sorted by id (the order of every ``sources`` list at the top of a document)."""
        found = self.store.get_many(list(dict.fromkeys(ids)))
        return {k: v for k, v in sorted(found.items()) if isinstance(v, Source)}

    def names(self, ids: Iterable[str]) -> dict[str, str]:
        """Display names for ids (companies, systems, models...)."""
        return {k: v.name for k, v in self.store.get_many(ids).items()}

    def referrers(self, id_: str) -> list[Record]:
        """Records that point at *id_* (deals of a system, models of a platform...); for a source,
        the records that cite it."""
        rec = self.store.get(id_)
        key = "cites" if isinstance(rec, Source) else "ref"
        return list(self.store.get_many(self.store.ids_with(key, [id_])).values())

    def counts(self) -> dict[str, int]:
        return self.store.counts()
