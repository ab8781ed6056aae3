"""The timeline: dated events, oldest first, plans kept as plans.

Plain, typed functions over the ``Registry``; re-exported by ``landscape``
(the matrix and the graph), which shares its conventions. Rendering lives in
``render/landscape.py`` and ``render/landscape_tables.py``.

- **Events**: a deal's announcement (``announced``), every dated milestone of
  a deal, model or system, and the period of every figure. Dates keep their
  precision. Events whose date is unknown are left out and counted
  (``Timeline.left_out``), or listed at the end with ``undated=True``.
- **Provenance**: an event's ``inferred`` holds the editors' reason when its
  ``date`` is inferred; with the registry's ``stated_only`` such a date is not
  stated, and the event is undated.
- **Plans**: a planned event's ``plan`` is its standing on the registry's day
  (``model/plans.py``): upcoming, due, passed or undated, or done when a later
  source reports it. A planned deal's announcement is itself a plan.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from ..errors import UsageError
from ..model.dates import FuzzyDate
from ..model.plans import Plan
from ..model.provenance import UNKNOWN, reasons
from ..model.records import Deal, Figure, Model, Source, System
from .plain import Plain
from .registry import Registry, date_range
from .stated import stated_pairs

EVENT_KINDS: tuple[str, ...] = ("deal", "milestone", "figure")

# A figure's status as an event's: what was measured is reported; a target or plan is planned.
_FIGURE_EVENT_STATUS = {"reported": "reported", "target": "planned", "plan": "planned"}


def _union(lists: Iterable[Iterable[str]]) -> list[str]:
    out: dict[str, None] = {}
    for lst in lists:
        for x in lst:
            out.setdefault(x, None)
    return list(out)


Dated = Deal | Model | System | Figure


class Event(Plain):
    """One dated thing that happened, or was planned as reported then.

    ``kind`` is ``deal`` (a deal's announcement), ``milestone`` (a dated
    milestone of a deal, model or system) or ``figure`` (the period a figure
    covers). ``event`` is ``announced``, the milestone's text or the figure's
    metric, as the facts have it. ``status`` is ``reported`` (reported as
    having happened) or ``planned`` (a plan as reported then);
    ``record_status`` is the status the record itself carries (a deal's
    ``planned``, a figure's ``target``...). ``record`` and ``record_type``
    name the record the event belongs to, and ``about`` is that record.
    ``sources`` are the articles that state this very event; ``plan`` is the
    standing of a planned event on the registry's day (``model/plans.py``). How an event is
    described in words is the render layer's business (``render/landscape.py``).
    """

    __slots__ = ("about", "companies", "conflicts", "date", "event", "inferred", "kind", "plan", "record_status", "sources", "status")
    _hidden = frozenset({"inferred"})  # "date" -> the editors' reason; not compared (nor shown in repr)

    def __init__(
        self,
        date: FuzzyDate,
        kind: str,
        event: str,
        status: str,
        record_status: str,
        companies: tuple[str, ...],
        about: Dated,
        sources: tuple[str, ...],
        conflicts: tuple[str, ...] = (),
        inferred: dict[str, str] | None = None,
        plan: Plan | None = None,
    ) -> None:
        self.date, self.kind, self.event, self.status, self.record_status = date, kind, event, status, record_status
        self.companies, self.about, self.sources, self.conflicts, self.plan = companies, about, sources, conflicts, plan
        self.inferred: dict[str, str] = {} if inferred is None else inferred

    @property
    def record(self) -> str:
        return self.about.id

    @property
    def record_type(self) -> str:
        return self.about.TYPE

    def sort_key(self) -> tuple[object, ...]:
        return (self.date.sort_key(), EVENT_KINDS.index(self.kind), self.about.id, self.event)


class Timeline(Plain):
    """``events``: dated events oldest first, then (with undated=True) the undated ones; ``left_out``:
    undated events that match the filters but were left out; ``names``: display names of the
    companies the events name; ``anomalies``: conflict id -> its one source."""

    __slots__ = ("anomalies", "events", "left_out", "names", "sources", "stated_only")

    def __init__(
        self,
        events: list[Event],
        left_out: int,
        sources: dict[str, Source],
        names: dict[str, str] | None = None,
        stated_only: bool = False,
        anomalies: dict[str, str] | None = None,
    ) -> None:
        self.events, self.left_out, self.sources, self.stated_only = events, left_out, sources, stated_only
        self.names: dict[str, str] = {} if names is None else names
        self.anomalies: dict[str, str] = {} if anomalies is None else anomalies

    @property
    def dated(self) -> list[Event]:
        return [e for e in self.events if e.date.known]

    @property
    def undated(self) -> list[Event]:
        return [e for e in self.events if not e.date.known]


def _check_kinds(kinds: Sequence[str] | None) -> list[str]:
    if not kinds:
        return list(EVENT_KINDS)
    bad = [k for k in kinds if k not in EVENT_KINDS]
    if bad:
        raise UsageError(f"unknown event kind {bad[0]!r}; valid kinds: {', '.join(EVENT_KINDS)}")
    return list(dict.fromkeys(kinds))


def _date(rec: Dated, path: str, value: FuzzyDate, stated_only: bool) -> tuple[FuzzyDate, dict[str, str]]:
    """An event's date and its ``inferred`` entry; with *stated_only* an inferred date is not stated."""
    why = reasons(rec, path)
    if not why:
        return value, {}
    return (UNKNOWN, {}) if stated_only else (value, {"date": "; ".join(why)})


Plans = dict[tuple[str, int | None], Plan]


def _milestone_events(rec: Deal | Model | System, companies: tuple[str, ...], conflicts: list[str], so: bool, plans: Plans) -> list[Event]:
    out = []
    for i, m in enumerate(rec.milestones):
        when, why = _date(rec, f"milestones[{i}].date", m.date, so)
        plan = plans.get((rec.id, i))
        out.append(Event(when, "milestone", m.event, m.status, m.status, companies, rec, tuple(m.sources), tuple(conflicts), why, plan))
    return out


def timeline(
    reg: Registry,
    *,
    company: str | None = None,
    since: date | str | None = None,
    until: date | str | None = None,
    kinds: Sequence[str] | None = None,
    undated: bool = False,
) -> Timeline:
    """Dated events, oldest first by ``FuzzyDate.sort_key`` (precision kept).

    *company* matches a company and the joint ventures and units below it on
    any side of a record (as ``Registry`` filters do); *since*/*until* keep
    events whose date can fall in the range; *kinds* picks among ``deal``,
    ``milestone`` and ``figure``. Undated events are counted in ``left_out``,
    or appended at the end when *undated* is true (a range cannot place them,
    so they are listed whatever *since*/*until* say).
    """
    wanted = _check_kinds(kinds)
    lo, hi = date_range(since, until)
    deals = reg.deals(company=company) if "deal" in wanted or "milestone" in wanted else []
    models = reg.models(company=company) if "milestone" in wanted else []
    systems = reg.systems(company=company) if "milestone" in wanted else []
    figures = reg.figures(company=company) if "figure" in wanted else []
    names = reg.names(
        _union(
            [
                [x for d in deals for x in d.parties],
                [x for m in models for x in (m.maker, m.producer) if x],
                [s.vendor for s in systems if s.vendor],
                [x for f in figures for x in (f.company, f.attributed_to) if x],
            ]
        )
    )
    ids = [*(d.id for d in deals), *(m.id for m in models), *(s.id for s in systems), *(f.id for f in figures)]
    conflicts, anomalies = reg.conflict_index(ids)
    so = reg.stated_only
    plans = reg.plans_of([*deals, *models, *systems, *figures])
    events: list[Event] = []
    for d in deals:
        company, partners = stated_pairs(d, stated_only=so)
        parties = tuple(x for x in (company, *partners) if x)
        if "deal" in wanted:  # a planned deal's date is a plan; any other deal's announcement was reported
            when, why = _date(d, "announced", d.announced, so)
            status = "planned" if d.status == "planned" else "reported"
            cited, cf = tuple(d.sources), tuple(conflicts.get(d.id, []))
            events.append(Event(when, "deal", "announced", status, d.status, parties, d, cited, cf, why, plans.get((d.id, None))))
        if "milestone" in wanted:
            events += _milestone_events(d, parties, conflicts.get(d.id, []), so, plans)
    for m in models:
        who = tuple(x for x in (m.maker, m.producer) if x)
        events += _milestone_events(m, who, conflicts.get(m.id, []), so, plans)
    for s in systems:
        who = (s.vendor,) if s.vendor else ()
        events += _milestone_events(s, who, conflicts.get(s.id, []), so, plans)
    for f in figures:
        who = tuple(x for x in (f.company, f.attributed_to) if x)
        status = _FIGURE_EVENT_STATUS[f.status]
        when, why = _date(f, "period", f.period, so)
        cf = tuple(conflicts.get(f.id, []))
        events.append(Event(when, "figure", f.metric, status, f.status, who, f, tuple(f.sources), cf, why, plans.get((f.id, None))))
    dated = sorted((e for e in events if e.date.known and e.date.overlaps(lo, hi)), key=Event.sort_key)
    unknown = sorted((e for e in events if not e.date.known), key=Event.sort_key)
    shown = dated + unknown if undated else dated
    sources = reg.sources_by_id(s for e in shown for s in e.sources)
    return Timeline(shown, 0 if undated else len(unknown), sources, names, so, anomalies)
