"""What printing records needs besides the records: names, sources, conflicts, origins, plans.

Plain functions over a ``Store``; ``Registry.lookups`` and its neighbours
call them with the registry's day and ``stated_only``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from ..model.plans import Plan, deal_plan, figure_plan, milestone_plans
from ..model.records import Conflict, Deal, Figure, Record, Source
from ..model.refs import cited_sources, file_number, mentioned_files, references
from ..store.db import Store
from .stated import conflict_sources, matches
from .views import Lookups


def sources_of(store: Store, records: Iterable[Record]) -> dict[str, Source]:
    """Every source cited by *records*, by id, and any source their texts name by its file
    number ("article 004"), so that a screen can show it as a footnote instead."""
    ids: list[str] = []
    files: list[str] = []
    for r in records:
        ids += cited_sources(r)
        files += mentioned_files(r)
    if files:
        ids += [s.id for s in store.all(Source) if s.file and file_number(s.file) in files]
    return {k: v for k, v in store.get_many(ids).items() if isinstance(v, Source)}


def conflict_index(store: Store, ids: Iterable[str], *, stated_only: bool = False) -> tuple[dict[str, list[str]], dict[str, str]]:
    """For each id, the conflicts that name it; and for each of those that is an anomaly, its one source."""
    ids = list(ids)
    out: dict[str, list[str]] = {i: [] for i in ids}
    anomalies: dict[str, str] = {}
    if not ids:
        return out, anomalies
    found = store.find(Conflict, {"ref": ids})
    if stated_only:
        found = [c for c in found if not c.inferred or matches(c, {"ref": ids})]
    for c in found:
        if c.nature == "anomaly":
            anomalies[c.id] = conflict_sources(c)[0]
        for r in [*c.records, *(x.record for x in c.readings if x.record)]:
            if r in out and c.id not in out[r]:
                out[r].append(c.id)
    return out, anomalies


def plans_of(
    store: Store, records: Iterable[Record], today: date, sources: dict[str, Source] | None = None
) -> dict[tuple[str, int | None], Plan]:
    """The plan of every plan among *records*, on *today*.

    Keyed by (record id, milestone position) for a planned milestone and
    (record id, None) for a planned deal or a figure with status plan or
    target. *sources* must hold every source the records cite (by default
    they are read).
    """
    records = list(records)
    sources = dict(sources_of(store, records) if sources is None else sources)
    out: dict[tuple[str, int | None], Plan] = {}
    alike: dict[tuple[str, str], list[Figure]] = {}  # (metric, region) -> its reported figures, read once per pair
    for r in records:
        for i, p in milestone_plans(getattr(r, "milestones", []), sources, today, r.id).items():
            out[(r.id, i)] = p
        plan: Plan | None = None
        if isinstance(r, Deal):
            plan = deal_plan(r, sources, today)
        elif isinstance(r, Figure) and r.status != "reported":
            key = (r.metric, r.region.lower())
            reports = alike.get(key)
            if reports is None:
                found = store.find(Figure, {"metric": [key[0]], "region": [key[1]]})
                reports = alike[key] = [f for f in found if f.status == "reported"]
                sources.update(sources_of(store, reports))
            plan = figure_plan(r, sources, today, reports)
        if plan is not None:
            out[(r.id, None)] = plan
    return out


def lookups(
    store: Store, base: Store, records: Sequence[Record], *, today: date, as_of: date | None, stated_only: bool
) -> Lookups:
    """The names (from the whole fact base, *base*), sources, conflicts, origins and plans that
    printing *records* needs."""
    refs: list[str] = []
    for r in records:
        refs += references(r)
    sources = sources_of(store, records)
    conflicts, anomalies = conflict_index(store, (r.id for r in records), stated_only=stated_only)
    for r in records:  # a conflict shown in full is its own anomaly
        if isinstance(r, Conflict) and r.nature == "anomaly":
            anomalies[r.id] = conflict_sources(r)[0]
    names = base.names(refs)
    origins = store.origins(r.id for r in records)
    lk = Lookups(names, sources, conflicts, origins, today=today, as_of=as_of, stated_only=stated_only, anomalies=anomalies)
    lk.plans = plans_of(store, records, today, sources)
    return lk
