"""Queries over the fact base: plain, typed functions with no CLI in them.

Names resolve case-insensitively through ids, names and aliases; an unknown
name raises ``UnknownNameError`` with the closest matches. A company filter
covers the company and the joint ventures and units below it (``audi`` also
finds SAIC Audi's deals), and either side of a deal.

With ``stated_only`` the registry answers from what the articles state: a
filter matches a record only through a value no ``inferred`` entry covers
(``deals --domain cockpit-os`` leaves out a deal whose cockpit-os domain the
editors inferred), and the lookups it hands to rendering say that inferred
values are to be hidden. The records themselves are never changed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date

from ..errors import UnknownNameError, UsageError
from ..model.names import name_key, ranked_matches
from ..model.plans import Plan
from ..model.provenance import stated
from ..model.records import Company, Conflict, Deal, Figure, Model, R, Record, Source, System
from ..model.today import day_label, today
from ..model.vocab import (
    CompanyKind,
    ConflictKind,
    ConflictNature,
    DealKind,
    DealStatus,
    Domain,
    FigureStatus,
    Metric,
    Powertrain,
    SystemKind,
)
from ..store.db import Store
from ..store.index import index_entries
from . import lookup, scope
from .filters import DateLike, check_choice, date_range
from .stated import matches, stated_dates, stated_hit
from .views import Dossier, Listing, Lookups, RecordView

__all__ = ["DateLike", "Registry", "date_range"]


def _by_date(recs: Iterable[Deal]) -> list[Deal]:
    return sorted(recs, key=lambda d: (d.announced.sort_key(), d.id))


def _matches(entries: set[tuple[str, str]], wanted: dict[str, set[str]]) -> bool:
    """Whether index *entries* have, for every key, one of its wanted values (as ``Store.find``)."""
    return all(any((key, v) in entries for v in values) for key, values in wanted.items())


def _given(value: str | None, option: str) -> str | None:
    """A free-text filter as given; an empty one is a usage error, never "no filter".

    ``--region ''`` (an unset shell variable) used to list every figure, and
    every model with no market stated: two answers, neither asked for.
    """
    if value is not None and not value.strip():
        raise UsageError(f"{option}: the value is empty ({value!r}): give one, or leave the option out")
    return value


def _by_maker(recs: Iterable[Model]) -> list[Model]:
    return sorted(recs, key=lambda m: (m.maker, m.name.lower()))


class Registry:
    """The fact base opened for queries, on a day.

    *as_of* gives the fact base as it stood on that day (``query/asof.py``)
    and is the day plan states are computed against; without it, that day
    is ``model.today.today()``. ``undated_left_out`` is how many undated
    sources *as_of* left out (for the one note the command line prints).
    *stated_only*: the fact base as the articles state it (``--stated-only``).
    """

    def __init__(self, store: Store, as_of: date | None = None, *, stated_only: bool = False) -> None:
        self.base = store  # the whole fact base, for the names that references print
        self.as_of = as_of
        self.today = today(as_of)
        self.undated_left_out = 0
        self.sources_left = True  # False: as of *as_of*, no source counts yet
        if as_of is None:
            self.store = store
        else:
            from .asof import AsOfStore

            view = AsOfStore(store, as_of)
            self.store = view
            self.undated_left_out = view.undated
            self.sources_left = bool(view.allowed)
        self.stated_only = stated_only

    def _find(self, cls: type[R], any_of: Mapping[str, Iterable[str]], company: str | None = None) -> list[R]:
        """``Store.find`` through the indexes; with *company*, only the records about it (``about``).

        With stated_only, only records that match through stated values.
        """
        if company is not None:  # "" is a name that names nothing, never "no filter"
            c = self._company_whole(company)
            found = self._about_records(cls, self._about_refs(c))
            if any_of:
                wanted = {key: set(values) for key, values in any_of.items()}
                found = [r for r in found if _matches(index_entries(r), wanted)]
        else:
            found = self.store.find(cls, any_of)
        if not self.stated_only or not any_of:
            return found
        return [r for r in found if not r.inferred or matches(r, any_of)]

    def _value(self, rec: Record, name: str) -> object:
        """A field's value, or None when stated_only hides it."""
        if not self.stated_only:
            return getattr(rec, name)
        values = stated(rec, name)
        return values[0] if values else None

    def _dates_overlap(self, rec: Deal | Model | Figure, lo: date | None, hi: date | None) -> bool:
        """Does any (stated) date of *rec* fall in [lo, hi]? True when no bound is given."""
        if lo is None and hi is None:
            return True
        if self.stated_only:
            return any(d.overlaps(lo, hi) for d in stated_dates(rec))
        if isinstance(rec, Deal):
            return rec.announced.overlaps(lo, hi)
        if isinstance(rec, Figure):
            return rec.period.overlaps(lo, hi)
        return any(ms.date.overlaps(lo, hi) for ms in rec.milestones)

    # --- names ---------------------------------------------------------------------

    def resolve(self, name: str, types: Sequence[str] | None = None, what: str = "record", *, whole: bool = False) -> Record:
        """The one record that *name* (an id, name or alias) stands for (*whole*: in the whole fact
        base, whatever the as-of day).

        Case, spaces, hyphens and underscores do not count ("Mercedes Benz" is
        mercedes-benz); an exact spelling wins over a loose one. A name that
        stands for a record of another type than asked says so.
        """
        key = name.strip()
        store = self.base if whole else self.store
        hits = store.lookup_name(key, types) or store.lookup_name(key, types, loose=True)
        if len(hits) > 1:
            exact = [h for h in hits if h[0] == name_key(key)]
            hits = exact or hits
        if len(hits) == 1:
            rec = store.get(hits[0][0])
            if rec is None:  # in the fact base, but not as of self.as_of
                raise UsageError(
                    f"{what} {name!r} is not in the fact base as of {day_label(self.as_of or self.today)}: "
                    "every source that cites it is later or undated"
                )
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
        """A company's id and the ids of the companies below it (joint ventures, units).

        As of a day, a company that is not yet in the fact base still filters
        (its joint ventures may be): a filter that matches nothing is an empty answer.
        """
        return scope.units(self.store, self._company_whole(name).id, stated_only=self.stated_only)

    def _company_whole(self, name: str) -> Company:
        """The company *name* stands for in the whole fact base (as of a day it may not be in yet)."""
        rec = self.resolve(name, ["company"], "company", whole=True)
        assert isinstance(rec, Company)
        return rec

    # --- lists ---------------------------------------------------------------------

    def companies(self, kind: str | None = None, country: str | None = None) -> list[Company]:
        country = _given(country, "--country")
        any_of: dict[str, list[str]] = {}
        if kind is not None and check_choice(kind, CompanyKind, "company kind"):
            any_of["kind"] = [kind]
        if country:
            any_of["country"] = [country.lower()]
        return sorted(self._find(Company, any_of), key=lambda c: c.name.lower())

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
        if partner is not None:
            any_of["partner"] = self._with_units(partner)
        if year is not None:
            any_of["year"] = [str(year)]
        if domain is not None and check_choice(domain, Domain, "domain"):
            any_of["domain"] = [domain]
        check_choice(kind, DealKind, "deal kind")
        check_choice(status, DealStatus, "deal status")
        lo, hi = date_range(since, until)
        out = [
            d
            for d in self._find(Deal, any_of, company)
            if (kind is None or self._value(d, "kind") == kind)
            and (status is None or self._value(d, "status") == status)
            and self._dates_overlap(d, lo, hi)
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
        region = _given(region, "--region")
        any_of: dict[str, list[str]] = {}
        if year is not None:
            any_of["year"] = [str(year)]
        check_choice(powertrain, Powertrain, "powertrain")
        lo, hi = date_range(since, until)
        out = [
            m
            for m in self._find(Model, any_of, company)
            if (powertrain is None or powertrain in (stated(m, "powertrains") if self.stated_only else m.powertrains))
            and (region is None or str(self._value(m, "market") or "").lower() == region.lower())
            and self._dates_overlap(m, lo, hi)
        ]
        return _by_maker(out)

    def systems(self, company: str | None = None, kind: str | None = None) -> list[System]:
        any_of: dict[str, list[str]] = {}
        if company is not None:
            any_of["party"] = self._with_units(company)
        if kind is not None and check_choice(kind, SystemKind, "system kind"):
            any_of["kind"] = [kind]
        return sorted(self._find(System, any_of), key=lambda s: (s.kind, s.name.lower()))

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
        region = _given(region, "--region")
        any_of: dict[str, list[str]] = {}
        if metric is not None and check_choice(metric, Metric, "metric"):
            any_of["metric"] = [metric]
        if region:
            any_of["region"] = [region.lower()]
        if year is not None:
            any_of["year"] = [str(year)]
        check_choice(status, FigureStatus, "figure status")
        lo, hi = date_range(since, until)
        out = [
            f
            for f in self._find(Figure, any_of, company)
            if (status is None or self._value(f, "status") == status) and self._dates_overlap(f, lo, hi)
        ]
        return sorted(out, key=lambda f: (f.period.sort_key(), f.company or "", f.metric, f.id))

    def sources(self) -> list[Source]:
        # By article file (the bundled order), then by id for sources without a file.
        return sorted(self.store.all(Source), key=lambda s: (s.file is None, s.file or "", s.id))

    def conflicts(self, kind: str | None = None, record: str | None = None, nature: str | None = None) -> list[Conflict]:
        """Conflicts; *nature* is ``disagreement`` (articles differ) or ``anomaly`` (one article is inconsistent)."""
        any_of: dict[str, list[str]] = {}
        if kind is not None and check_choice(kind, ConflictKind, "conflict kind"):
            any_of["kind"] = [kind]
        if record is not None:
            any_of["ref"] = [self.resolve(record, whole=True).id]
        check_choice(nature, ConflictNature, "conflict nature")
        return [c for c in self._find(Conflict, any_of) if nature is None or c.nature == nature]

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
        if self.stated_only:  # a match only in what the editors inferred does not count
            by_id = {h.id: h.match for h in hits}
            records = [r for r in records if stated_hit(r, by_id[r.id].field, (by_id[r.id].text[a:b] for a, b in by_id[r.id].spans))]
        listing = self.listing("mixed", records, f"results for {text!r}")
        listing.matches = {h.id: h.match for h in hits}
        listing.none = f"no record matches {text!r}"
        if not any(c.isalnum() for c in text):  # '*', '-', '"" ': nothing a word index can look for
            from ..store.search import HELP

            listing.none += f": it has no letters or digits to look for; {HELP}"
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
        d.deals = _by_date(self._about_records(Deal, about))
        d.models = _by_maker(self._about_records(Model, about))
        d.systems = self._find(System, {"party": ids})
        figures = self._about_records(Figure, about)
        d.figures = sorted(figures, key=lambda f: (f.period.sort_key(), f.metric, f.id))
        touched = [r.id for r in d.records()]
        d.conflicts = self._find(Conflict, {"ref": touched})
        d.lookups = self.lookups(d.records())
        return d

    def about(self, name: str, type_: str) -> list[str]:
        """Ids of the records of *type_* that are about a company: those that name it, a unit
        below it or a system they make (``vendor``) in any reference field (``scope.about_refs``)."""
        return scope.about_ids(self.store, type_, self._about_refs(self.company(name)))

    def _about_refs(self, company: Company) -> scope.About:
        return scope.about_refs(self.store, company, stated_only=self.stated_only)

    def _about_records(self, cls: type[R], about: scope.About) -> list[R]:
        return scope.about_records(self.store, cls, about, stated_only=self.stated_only)

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
        """The names, sources, conflicts, origins and plans that printing *records* needs."""
        return lookup.lookups(self.store, self.base, records, today=self.today, as_of=self.as_of, stated_only=self.stated_only)

    def plans_of(self, records: Iterable[Record], sources: dict[str, Source] | None = None) -> dict[tuple[str, int | None], Plan]:
        """The plan of every plan among *records*, on ``self.today`` (``lookup.plans_of``)."""
        return lookup.plans_of(self.store, records, self.today, sources)

    def conflicts_of(self, ids: Iterable[str]) -> dict[str, list[str]]:
        """For each id, the conflicts that name it."""
        return self.conflict_index(ids)[0]

    def conflict_index(self, ids: Iterable[str]) -> tuple[dict[str, list[str]], dict[str, str]]:
        """For each id, the conflicts that name it; and for each of those that is an anomaly, its one source."""
        return lookup.conflict_index(self.store, ids, stated_only=self.stated_only)

    def sources_of(self, records: Iterable[Record]) -> dict[str, Source]:
        """Every source cited by *records*, and any source their texts name by its file number."""
        return lookup.sources_of(self.store, records)

    def sources_by_id(self, ids: Iterable[str]) -> dict[str, Source]:
        """Source records by id, sorted by id (the order of every ``sources`` list at the top of a document)."""
        found = self.store.get_many(list(dict.fromkeys(ids)))
        return {k: v for k, v in sorted(found.items()) if isinstance(v, Source)}

    def names(self, ids: Iterable[str]) -> dict[str, str]:
        """Display names for ids (companies, systems, models...), from the whole fact base."""
        return self.base.names(ids)

    def referrers(self, id_: str) -> list[Record]:
        """Records that point at *id_* (deals of a system, models of a platform...); for a source,
        the records that cite it."""
        rec = self.store.get(id_)
        key = "cites" if isinstance(rec, Source) else "ref"
        return list(self.store.get_many(self.store.ids_with(key, [id_])).values())

    def counts(self) -> dict[str, int]:
        return self.store.counts()
