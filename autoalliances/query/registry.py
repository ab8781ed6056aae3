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
from ..model.names import close_matches, name_key
from ..model.plans import Plan, deal_plan, figure_plan, milestone_plans
from ..model.records import Company, Conflict, Deal, Figure, Model, Record, Source, System
from ..model.refs import cited_sources, references
from ..model.today import day_label, today
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
from .views import Dossier, Listing, Lookups, RecordView

DateLike = date | str | None


def date_range(since: DateLike, until: DateLike) -> tuple[date | None, date | None]:
    """--since and --until as the first and last day they can mean; a bad value is a usage error naming its flag."""
    return _bound(since, end=False, flag="--since"), _bound(until, end=True, flag="--until")


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


class Registry:
    """The fact base opened for queries, on a day.

    *as_of* gives the fact base as it stood on that day (``query/asof.py``)
    and is the day plan states are computed against; without it, that day
    is ``model.today.today()``. ``undated_left_out`` is how many undated
    sources *as_of* left out (for the one note the command line prints).
    """

    def __init__(self, store: Store, as_of: date | None = None) -> None:
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

    # --- names ---------------------------------------------------------------------

    def resolve(self, name: str, types: Sequence[str] | None = None, what: str = "record", *, whole: bool = False) -> Record:
        """The one record that *name* (an id, name or alias) stands for (*whole*: in the whole fact base, whatever the as-of day)."""
        key = name.strip()
        store = self.base if whole else self.store
        hits = store.lookup_name(key, types)
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
        raise UnknownNameError(what, name, self.suggest(key, types))

    def suggest(self, name: str, types: Sequence[str] | None = None, n: int = 3) -> list[str]:
        """Close matches for a name that resolved to nothing; ids, as a person can type them."""
        names = self.store.all_names(types)
        by_name: dict[str, str] = {}
        for nm, id_, _ in names:
            by_name.setdefault(nm, id_)
        low = name_key(name)
        out = [by_name[m] for m in close_matches(low, by_name, n=n * 2)]
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
        """A company's id and the ids of the companies below it (joint ventures, units).

        As of a day, a company that is not yet in the fact base still filters
        (its joint ventures may be): a filter that matches nothing is an empty answer.
        """
        root = self.resolve(name, ["company"], "company", whole=True).id
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
        if domain is not None and _check_choice(domain, Domain, "domain"):
            any_of["domain"] = [domain]
        _check_choice(kind, DealKind, "deal kind")
        _check_choice(status, DealStatus, "deal status")
        lo, hi = date_range(since, until)
        out = [
            d
            for d in self.store.find(Deal, any_of)
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
        """Car models; *year*/*since*/*until* match any of their dated milestones."""
        any_of: dict[str, list[str]] = {}
        if company:
            any_of["party"] = self._with_units(company)
        if year is not None:
            any_of["year"] = [str(year)]
        _check_choice(powertrain, Powertrain, "powertrain")
        lo, hi = date_range(since, until)
        out = [
            m
            for m in self.store.find(Model, any_of)
            if (powertrain is None or powertrain in m.powertrains)
            and (region is None or (m.market or "").lower() == region.lower())
            and ((lo is None and hi is None) or any(ms.date.overlaps(lo, hi) for ms in m.milestones))
        ]
        return sorted(out, key=lambda m: (m.maker, m.name.lower()))

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
        """Figures by period; *company* matches the company or the body a figure is credited to."""
        any_of: dict[str, list[str]] = {}
        if company:
            any_of["party"] = self._with_units(company)
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
            for f in self.store.find(Figure, any_of)
            if (status is None or f.status == status)
            and ((lo is None and hi is None) or f.period.overlaps(lo, hi))
        ]
        return sorted(out, key=lambda f: (f.period.sort_key(), f.company or "", f.metric, f.id))

    def sources(self) -> list[Source]:
        # By article file (the bundled order), then by id for sources without a file.
        return sorted(self.store.all(Source), key=lambda s: (s.file is None, s.file or "", s.id))

    def conflicts(self, kind: str | None = None, record: str | None = None) -> list[Conflict]:
        any_of: dict[str, list[str]] = {}
        if kind is not None and _check_choice(kind, ConflictKind, "conflict kind"):
            any_of["kind"] = [kind]
        if record:
            any_of["ref"] = [self.resolve(record, whole=True).id]
        return self.store.find(Conflict, any_of)

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
        d = Dossier(company=company, parents=[c for p in company.parents if isinstance(c := found.get(p), Company)])
        d.children = [c for c in self.store.get_many(ids[1:]).values() if isinstance(c, Company)]
        d.deals = _by_date(self.store.find(Deal, {"party": ids}))
        d.models = self.store.find(Model, {"party": ids})
        d.systems = self.store.find(System, {"party": ids})
        d.figures = sorted(self.store.find(Figure, {"party": ids}), key=lambda f: (f.period.sort_key(), f.metric, f.id))
        touched = [r.id for r in d.records()]
        d.conflicts = self.store.find(Conflict, {"ref": touched})
        d.lookups = self.lookups(d.records())
        return d

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
        """The names, sources, conflicts and origins that printing *records* needs."""
        refs: list[str] = []
        for r in records:
            refs += references(r)
        sources = self.sources_of(records)
        origins = self.store.origins(r.id for r in records)
        lk = Lookups(self.names(refs), sources, self.conflicts_of(r.id for r in records), origins, today=self.today, as_of=self.as_of)
        lk.plans = self.plans_of(records, sources)
        return lk

    def plans_of(self, records: Iterable[Record], sources: dict[str, Source] | None = None) -> dict[tuple[str, int | None], Plan]:
        """The plan of every plan among *records*, on ``self.today``.

        Keyed by (record id, milestone position) for a planned milestone and
        (record id, None) for a planned deal or a figure with status plan or
        target. *sources* must hold every source the records cite (by default
        they are read).
        """
        records = list(records)
        sources = dict(self.sources_of(records) if sources is None else sources)
        out: dict[tuple[str, int | None], Plan] = {}
        for r in records:
            for i, p in milestone_plans(getattr(r, "milestones", []), sources, self.today, r.id).items():
                out[(r.id, i)] = p
            plan: Plan | None = None
            if isinstance(r, Deal):
                plan = deal_plan(r, sources, self.today)
            elif isinstance(r, Figure) and r.status != "reported":
                alike = self.store.find(Figure, {"metric": [r.metric], "region": [r.region.lower()]})
                reports = [f for f in alike if f.status == "reported"]
                sources.update(self.sources_of(reports))
                plan = figure_plan(r, sources, self.today, reports)
            if plan is not None:
                out[(r.id, None)] = plan
        return out

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
        """Every source cited by *records*, by id."""
        ids: list[str] = []
        for r in records:
            ids += cited_sources(r)
        return {k: v for k, v in self.store.get_many(ids).items() if isinstance(v, Source)}

    def sources_by_id(self, ids: Iterable[str]) -> dict[str, Source]:
        """Source records by id, sorted by id (the order of every ``sources`` list at the top of a document)."""
        found = self.store.get_many(list(dict.fromkeys(ids)))
        return {k: v for k, v in sorted(found.items()) if isinstance(v, Source)}

    def names(self, ids: Iterable[str]) -> dict[str, str]:
        """Display names for ids (companies, systems, models...), from the whole fact base."""
        return {k: v.name for k, v in self.base.get_many(ids).items()}

    def referrers(self, id_: str) -> list[Record]:
        """Records that point at *id_* (deals of a system, models of a platform...)."""
        return list(self.store.get_many(self.store.ids_with("ref", [id_])).values())

    def counts(self) -> dict[str, int]:
        return self.store.counts()


def _words(rec: Record) -> str:
    """All the text of a record, lower-cased, for search."""
    from ..store.codec import to_plain

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
