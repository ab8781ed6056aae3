"""The landscape: who works with whom (matrix, graph) and when (timeline).

Plain, typed functions over the ``Registry`` that return plain data; no typer,
no rich, and no display text: rendering lives in ``render/landscape.py`` (json,
csv, markdown), ``render/diagrams.py`` (Mermaid, DOT) and
``render/landscape_tables.py`` (rich).

Decisions, documented in the README:

- **Sides.** A deal's ``company`` is its automaker side (the fact format defines
  it so) and its ``partners`` the other side. The matrix has one row per
  company that is the automaker side of a deal shown and one column per
  partner; a partner the article does not name goes to one last column,
  "partner not named".
- **Joint ventures** keep their own row: a deal of SAIC Audi is SAIC Audi's,
  not Audi's. The row sits directly below its parent automaker's and carries
  ``parents``. A company filter still covers them (``--company audi`` finds
  SAIC Audi's deals), as everywhere else.
- **Graph edges**: one edge per company pair, automaker side -> partner, with
  the domains of all their deals joined; joint ventures and units hang from
  their parents by a dashed "parent" edge. A partner the article does not name
  is a node of its own per deal (kind ``unnamed``).
- **Timeline events**: a deal's announcement (``announced``), every dated
  milestone of a deal, model or system, and the period of every figure. Dates
  keep their precision. Events whose date is unknown are left out and counted
  (``Timeline.left_out``), or listed at the end with ``undated=True``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from ..errors import UsageError
from ..model.dates import FuzzyDate
from ..model.records import UNNAMED_PARTNER, Company, Deal, Figure, Milestone, Model, Source, System
from ..model.refs import cited_sources
from ..model.vocab import CompanyKind, Domain, choices
from .registry import Registry, date_range

DOMAIN_ORDER: tuple[str, ...] = choices(Domain)
KIND_ORDER: tuple[str, ...] = (*choices(CompanyKind), "unnamed")
EVENT_KINDS: tuple[str, ...] = ("deal", "milestone", "figure")

# A figure's status as an event's: what was measured is reported; a target or plan is planned.
_FIGURE_EVENT_STATUS = {"reported": "reported", "target": "planned", "plan": "planned"}


def _domains(values: Iterable[str]) -> list[str]:
    """Domains without repeats, in the fixed order of the fact format."""
    return sorted(set(values), key=DOMAIN_ORDER.index)


def _union(lists: Iterable[Iterable[str]]) -> list[str]:
    out: dict[str, None] = {}
    for lst in lists:
        for x in lst:
            out.setdefault(x, None)
    return list(out)


# --- matrix ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Party:
    """A row or column of the matrix. ``id`` is None for the "partner not named" column."""

    id: str | None
    name: str
    kind: str | None
    parents: tuple[str, ...] = ()


@dataclass
class Cell:
    """What one automaker (row) does with one partner (column)."""

    automaker: str
    partner: str | None
    domains: list[str]
    deals: list[str]
    sources: list[str]
    conflicts: list[str] = field(default_factory=list)
    unnamed_partners: list[str] = field(default_factory=list)


@dataclass
class Matrix:
    rows: list[Party]
    columns: list[Party]
    cells: list[Cell]
    sources: dict[str, Source]

    _by_pair: dict[tuple[str, str | None], Cell] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._by_pair = {(c.automaker, c.partner): c for c in self.cells}

    def cell(self, automaker: str, partner: str | None) -> Cell | None:
        return self._by_pair.get((automaker, partner))

    @property
    def deals(self) -> list[str]:
        return _union(c.deals for c in self.cells)


def _row_order(ids: Iterable[str], companies: dict[str, Company]) -> list[str]:
    """Automakers by name, each followed directly by its joint ventures and units that have rows."""
    ids = list(ids)
    present = set(ids)

    def name(i: str) -> str:
        c = companies.get(i)
        return (c.name if c else i).lower()

    def key(i: str) -> tuple[str, int, str]:
        c = companies.get(i)
        parents = list(c.parents) if c else []
        if not parents:
            return (name(i), 0, name(i))
        anchor = next((p for p in parents if p in present), parents[0])
        return (name(anchor), 1, name(i))

    return sorted(ids, key=key)


def matrix(
    reg: Registry,
    *,
    company: str | None = None,
    domain: str | None = None,
    year: int | None = None,
    since: date | str | None = None,
    until: date | str | None = None,
) -> Matrix:
    """Automakers (rows) × partners (columns); a cell holds the domains of their deals.

    Filters are those of ``Registry.deals``: *company* on either side (and its
    joint ventures), *domain* (a cell then lists every domain of the deals that
    match), *year*/*since*/*until* on the announcement date.
    """
    deals = reg.deals(company=company, domain=domain, year=year, since=since, until=until)
    companies = {c.id: c for c in reg.companies()}
    conflicts = reg.conflicts_of(d.id for d in deals)
    acc: dict[tuple[str, str | None], list[Deal]] = {}
    for d in deals:
        cols: list[str | None] = [*d.partners]
        if d.unnamed_partner or not d.partners:
            cols.append(None)
        for p in cols:
            acc.setdefault((d.company, p), []).append(d)
    cells = []
    for (row, col), ds in acc.items():
        cells.append(
            Cell(
                automaker=row,
                partner=col,
                domains=_domains(x for d in ds for x in d.domains),
                deals=[d.id for d in ds],
                sources=_union(cited_sources(d) for d in ds),
                conflicts=_union(conflicts.get(d.id, []) for d in ds),
                unnamed_partners=_union([d.unnamed_partner] for d in ds if col is None and d.unnamed_partner),
            )
        )

    def party(i: str) -> Party:
        c = companies.get(i)
        return Party(i, c.name, c.kind, tuple(c.parents)) if c else Party(i, i, None)

    rows = [party(i) for i in _row_order({r for r, _ in acc}, companies)]
    named = sorted({c for _, c in acc if c is not None}, key=lambda i: (party(i).name.lower(), i))
    columns = [party(i) for i in named]
    if any(c is None for _, c in acc):
        columns.append(Party(None, UNNAMED_PARTNER, None))
    row_pos = {p.id: n for n, p in enumerate(rows)}
    col_pos = {p.id: n for n, p in enumerate(columns)}
    cells.sort(key=lambda c: (row_pos[c.automaker], col_pos[c.partner]))
    return Matrix(rows, columns, cells, reg.sources_by_id(s for c in cells for s in c.sources))


# --- timeline ----------------------------------------------------------------------------


Dated = Deal | Model | System | Figure


@dataclass(frozen=True)
class Event:
    """One dated thing that happened, or was planned as reported then.

    ``kind`` is ``deal`` (a deal's announcement), ``milestone`` (a dated
    milestone of a deal, model or system) or ``figure`` (the period a figure
    covers). ``event`` is ``announced``, the milestone's text or the figure's
    metric, as the facts have it. ``status`` is ``reported`` (reported as
    having happened) or ``planned`` (a plan as reported then);
    ``record_status`` is the status the record itself carries (a deal's
    ``planned``, a figure's ``target``...). ``record`` and ``record_type``
    name the record the event belongs to, and ``about`` is that record.
    ``sources`` are the articles that state this very event. How an event is
    described in words is the render layer's business (``render/landscape.py``).
    """

    date: FuzzyDate
    kind: str
    event: str
    status: str
    record_status: str
    companies: tuple[str, ...]
    about: Dated
    sources: tuple[str, ...]
    conflicts: tuple[str, ...] = ()

    @property
    def record(self) -> str:
        return self.about.id

    @property
    def record_type(self) -> str:
        return self.about.TYPE

    def sort_key(self) -> tuple[object, ...]:
        return (self.date.sort_key(), EVENT_KINDS.index(self.kind), self.about.id, self.event)


@dataclass
class Timeline:
    events: list[Event]  # dated events oldest first, then (with undated=True) the undated ones
    left_out: int  # undated events that match the filters but were left out
    sources: dict[str, Source]
    names: dict[str, str] = field(default_factory=dict)  # display names of the companies the events name

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


def _milestone_event(m: Milestone, rec: Deal | Model | System, companies: tuple[str, ...], conflicts: list[str]) -> Event:
    return Event(m.date, "milestone", m.event, m.status, m.status, companies, rec, tuple(m.sources), tuple(conflicts))


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
    conflicts = reg.conflicts_of([*(d.id for d in deals), *(m.id for m in models), *(s.id for s in systems), *(f.id for f in figures)])
    events: list[Event] = []
    for d in deals:
        parties = tuple(d.parties)
        if "deal" in wanted:
            cited = tuple(d.sources)
            events.append(Event(d.announced, "deal", "announced", "reported", d.status, parties, d, cited, tuple(conflicts.get(d.id, []))))
        if "milestone" in wanted:
            events += [_milestone_event(m, d, parties, conflicts.get(d.id, [])) for m in d.milestones]
    for m in models:
        who = tuple(x for x in (m.maker, m.producer) if x)
        events += [_milestone_event(x, m, who, conflicts.get(m.id, [])) for x in m.milestones]
    for s in systems:
        who = (s.vendor,) if s.vendor else ()
        events += [_milestone_event(x, s, who, conflicts.get(s.id, [])) for x in s.milestones]
    for f in figures:
        who = tuple(x for x in (f.company, f.attributed_to) if x)
        status = _FIGURE_EVENT_STATUS[f.status]
        events.append(Event(f.period, "figure", f.metric, status, f.status, who, f, tuple(f.sources), tuple(conflicts.get(f.id, []))))
    dated = sorted((e for e in events if e.date.known and e.date.overlaps(lo, hi)), key=Event.sort_key)
    unknown = sorted((e for e in events if not e.date.known), key=Event.sort_key)
    shown = dated + unknown if undated else dated
    return Timeline(shown, 0 if undated else len(unknown), reg.sources_by_id(s for e in shown for s in e.sources), names)


# --- graph -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Node:
    """A company, or a partner an article does not name (``id`` ``unnamed:<deal id>``, kind ``unnamed``)."""

    id: str
    name: str
    kind: str
    parents: tuple[str, ...] = ()


@dataclass
class Edge:
    """``deal``: automaker side -> partner, all their deals; ``parent``: parent -> joint venture or unit."""

    source: str
    target: str
    relation: str
    domains: list[str]
    deals: list[str]
    sources: list[str]
    conflicts: list[str] = field(default_factory=list)


@dataclass
class Graph:
    nodes: list[Node]
    edges: list[Edge]
    sources: dict[str, Source]
    focus: str | None = None  # the company whose neighbourhood this is, if any
    domain: str | None = None  # the filters it was drawn with, for "regenerate with"
    year: int | None = None

    def node(self, id_: str) -> Node | None:
        return next((n for n in self.nodes if n.id == id_), None)

    def edge(self, a: str, b: str) -> Edge | None:
        """The edge between *a* and *b*, whichever way it points."""
        return next((e for e in self.edges if {e.source, e.target} == {a, b}), None)


def unnamed_id(deal_id: str) -> str:
    return f"unnamed:{deal_id}"


def _pairs(d: Deal) -> list[tuple[str, str]]:
    out = [(d.company, p) for p in d.partners]
    if d.unnamed_partner or not d.partners:
        out.append((d.company, unnamed_id(d.id)))
    return out


def graph(
    reg: Registry,
    *,
    company: str | None = None,
    domain: str | None = None,
    year: int | None = None,
) -> Graph:
    """The partnership network.

    Without *company*: every company that is a party to a deal shown. With
    *company*: its neighbourhood — the company (its joint ventures' deals
    included, as company filters do), its direct partners, and every edge
    among them. Either way, the parents of a joint venture or unit in the
    graph are added, linked by a ``parent`` edge.
    """
    companies = {c.id: c for c in reg.companies()}
    deals = reg.deals(domain=domain, year=year)
    focus = reg.company(company).id if company else None
    keep: set[str]
    if focus is not None:
        near = reg.deals(company=company, domain=domain, year=year)
        keep = {focus} | {x for d in near for pair in _pairs(d) for x in pair}
    else:
        keep = {x for d in deals for pair in _pairs(d) for x in pair}
    todo = [i for i in keep if i in companies]
    while todo:  # parents of joint ventures and units, up the chain
        for p in companies[todo.pop()].parents:
            if p not in keep:
                keep.add(p)
                todo.append(p)
    conflicts = reg.conflicts_of(d.id for d in deals)
    by_pair: dict[frozenset[str], Edge] = {}
    for d in deals:
        for a, b in _pairs(d):
            if a not in keep or b not in keep:
                continue
            e = by_pair.setdefault(frozenset((a, b)), Edge(a, b, "deal", [], [], []))
            e.domains = _domains([*e.domains, *d.domains])
            e.deals.append(d.id)
            e.sources = _union([e.sources, cited_sources(d)])
            e.conflicts = _union([e.conflicts, conflicts.get(d.id, [])])
    unnamed = {unnamed_id(d.id): d.unnamed_partner or UNNAMED_PARTNER for d in deals}
    nodes = []
    for i in keep:
        c = companies.get(i)
        if c is not None:
            nodes.append(Node(i, c.name, c.kind, tuple(c.parents)))
        elif i in unnamed:
            nodes.append(Node(i, unnamed[i], "unnamed"))
    nodes.sort(key=lambda n: (KIND_ORDER.index(n.kind), n.name.lower(), n.id))
    edges = sorted(by_pair.values(), key=lambda e: (e.source, e.target))
    for n in nodes:
        for p in n.parents:
            if p in keep:
                edges.append(Edge(p, n.id, "parent", [], [], list(cited_sources(companies[n.id]))))
    return Graph(nodes, edges, reg.sources_by_id(s for e in edges for s in e.sources), focus, domain, year)
