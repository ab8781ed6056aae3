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
from ..model.names import close_matches, name_key
from ..model.plans import Plan, deal_plan, figure_plan, milestone_plans
from ..model.provenance import hidden_paths, hide_plain, stated
from ..model.records import Company, Conflict, Deal, Figure, Model, R, Record, Source, System
from ..model.refs import cited_sources, references
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
from .filters import DateLike, check_choice, date_range
from .stated import conflict_sources, matches, stated_dates, stated_values
from .views import Dossier, Listing, Lookups, RecordView

__all__ = ["DateLike", "Registry", "date_range"]

def _by_date(recs: Iterable[Deal]) -> list[Deal]:
    return sorted(recs, key=lambda d: (d.announced.sort_key(), d.id))


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

    def _find(self, cls: type[R], any_of: Mapping[str, Iterable[str]]) -> list[R]:
        """``Store.find`` through the indexes; with stated_only, only records that match through stated values."""
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
            children = self.store.ids_with("ref", [cur], "company")
            if self.stated_only and children:  # a parent link the editors inferred does not count
                found = self.store.get_many(children)
                children = [c for c in children if cur in stated_values(found[c], "ref")]
            for child in children:
                if child not in out:
                    out.append(child)
                    todo.append(child)
        return out

    # --- lists ---------------------------------------------------------------------

    def companies(self, kind: str | None = None, country: str | None = None) -> list[Company]:
        any_of: dict[str, list[str]] = {}
        if kind is not None and check_choice(kind, CompanyKind, "company kind"):
            any_of["kind"] = [kind]
        if country:
            any_of["country"] = [country.lower()]
        return sorted(self._find(Company, any_of), key=lambda c: c.name.lower())

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
        if domain is not None and check_choice(domain, Domain, "domain"):
            any_of["domain"] = [domain]
        check_choice(kind, DealKind, "deal kind")
        check_choice(status, DealStatus, "deal status")
        lo, hi = date_range(since, until)
        out = [
            d
            for d in self._find(Deal, any_of)
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
        """Car models; *year*/*since*/*until* match any of their dated milestones."""
        any_of: dict[str, list[str]] = {}
        if company:
            any_of["party"] = self._with_units(company)
        if year is not None:
            any_of["year"] = [str(year)]
        check_choice(powertrain, Powertrain, "powertrain")
        lo, hi = date_range(since, until)
        out = [
            m
            for m in self._find(Model, any_of)
            if (powertrain is None or powertrain in (stated(m, "powertrains") if self.stated_only else m.powertrains))
            and (region is None or str(self._value(m, "market") or "").lower() == region.lower())
            and self._dates_overlap(m, lo, hi)
        ]
        return sorted(out, key=lambda m: (m.maker, m.name.lower()))

    def systems(self, company: str | None = None, kind: str | None = None) -> list[System]:
        any_of: dict[str, list[str]] = {}
        if company:
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
        """Figures by period; *company* matches the company or the body a figure is credited to."""
        any_of: dict[str, list[str]] = {}
        if company:
            any_of["party"] = self._with_units(company)
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
            for f in self._find(Figure, any_of)
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
        if record:
            any_of["ref"] = [self.resolve(record, whole=True).id]
        check_choice(nature, ConflictNature, "conflict nature")
        return [c for c in self._find(Conflict, any_of) if nature is None or c.nature == nature]

    def search(self, text: str) -> list[Record]:
        """Records with *text* in any of their words (names, aliases, descriptions, notes)."""
        needle = text.strip().lower()
        if not needle:
            raise UsageError("search: give some text to look for")
        return [r for r in self.store.text_search(needle) if needle in _words(r, stated_only=self.stated_only)]

    # --- one company, one record ---------------------------------------------------

    def dossier(self, name: str) -> Dossier:
        company = self.company(name)
        ids = self._with_units(company.id)
        found = self.store.get_many(company.parents)
        d = Dossier(company=company, parents=[c for p in company.parents if isinstance(c := found.get(p), Company)])
        d.children = [c for c in self.store.get_many(ids[1:]).values() if isinstance(c, Company)]
        d.deals = _by_date(self._find(Deal, {"party": ids}))
        d.models = self._find(Model, {"party": ids})
        d.systems = self._find(System, {"party": ids})
        d.figures = sorted(self._find(Figure, {"party": ids}), key=lambda f: (f.period.sort_key(), f.metric, f.id))
        touched = [r.id for r in d.records()]
        d.conflicts = self._find(Conflict, {"ref": touched})
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
        conflicts, anomalies = self.conflict_index(r.id for r in records)
        for r in records:  # a conflict shown in full is its own anomaly
            if isinstance(r, Conflict) and r.nature == "anomaly":
                anomalies[r.id] = conflict_sources(r)[0]
        lk = Lookups(
            self.names(refs), sources, conflicts, origins,
            today=self.today, as_of=self.as_of, stated_only=self.stated_only, anomalies=anomalies,
        )
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
        return self.conflict_index(ids)[0]

    def conflict_index(self, ids: Iterable[str]) -> tuple[dict[str, list[str]], dict[str, str]]:
        """For each id, the conflicts that name it; and for each of those that is an anomaly, its one source."""
        ids = list(ids)
        out: dict[str, list[str]] = {i: [] for i in ids}
        anomalies: dict[str, str] = {}
        if not ids:
            return out, anomalies
        for c in self._find(Conflict, {"ref": ids}):
            if c.nature == "anomaly":
                anomalies[c.id] = conflict_sources(c)[0]
            for r in [*c.records, *(x.record for x in c.readings if x.record)]:
                if r in out and c.id not in out[r]:
                    out[r].append(c.id)
        return out, anomalies

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


def _words(rec: Record, *, stated_only: bool = False) -> str:
    """All the text of a record, lower-cased, for search; *stated_only*: without inferred values and the editors' reasons."""
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

    plain = to_plain(rec)
    if stated_only:
        plain = hide_plain(rec, plain, hidden_paths(rec), "unknown")
        plain.pop("inferred", None)
    walk(plain)
    return "\n".join(parts).lower()
