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
- **Timeline events**: see ``query/timeline.py`` (re-exported here).
- **Provenance**: a cell's or edge's ``inferred`` maps its own paths
  (``domains[0]``, ``automaker``, ``from``...) to the reasons, deal by deal,
  when the editors inferred that value on every deal behind it. With the
  registry's ``stated_only`` the inferred values are left out instead: a
  domain, a pairing (the deal is then counted in ``left_out``), a parent link.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from ..model.provenance import reasons, stated
from ..model.records import UNNAMED_PARTNER, Company, Deal, Source
from ..model.refs import cited_sources
from ..model.vocab import CompanyKind, Domain, choices
from .plain import Plain
from .registry import Registry
from .stated import company_inferred, domains_inferred, pairing_inferred, stated_pairs
from .timeline import EVENT_KINDS, Dated, Event, Timeline, timeline

__all__ = ["EVENT_KINDS", "Cell", "Dated", "Edge", "Event", "Graph", "Matrix", "Node", "Party", "Timeline", "graph", "matrix", "timeline"]

DOMAIN_ORDER: tuple[str, ...] = choices(Domain)
KIND_ORDER: tuple[str, ...] = (*choices(CompanyKind), "unnamed")


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


class Party(Plain):
    """A row or column of the matrix. ``id`` is None for the "partner not named" column.

    ``inferred``: "kind", "parents": the company's own entries.
    """

    __slots__ = ("id", "inferred", "kind", "name", "parents")

    def __init__(
        self, id: str | None, name: str, kind: str | None, parents: tuple[str, ...] = (), inferred: dict[str, str] | None = None
    ) -> None:
        self.id, self.name, self.kind, self.parents = id, name, kind, parents
        self.inferred: dict[str, str] = {} if inferred is None else inferred


class Cell(Plain):
    """What one automaker (row) does with one partner (column).

    ``inferred``: "domains[i]", "automaker", "partner" -> reasons.
    """

    __slots__ = ("automaker", "conflicts", "deals", "domains", "inferred", "partner", "sources", "unnamed_partners")

    def __init__(
        self,
        automaker: str,
        partner: str | None,
        domains: list[str],
        deals: list[str],
        sources: list[str],
        conflicts: list[str] | None = None,
        unnamed_partners: list[str] | None = None,
        inferred: dict[str, str] | None = None,
    ) -> None:
        self.automaker, self.partner, self.domains, self.deals, self.sources = automaker, partner, domains, deals, sources
        self.conflicts: list[str] = [] if conflicts is None else conflicts
        self.unnamed_partners: list[str] = [] if unnamed_partners is None else unnamed_partners
        self.inferred: dict[str, str] = {} if inferred is None else inferred


class Matrix(Plain):
    """Rows, columns and the cells that exist, indexed by (row, column) once.

    ``left_out``: deals that cannot be placed (their automaker side, or every
    partner, is inferred); ``anomalies``: conflict id -> its one source.
    """

    __slots__ = ("_by_pair", "anomalies", "cells", "columns", "left_out", "rows", "sources", "stated_only")
    _hidden = frozenset({"_by_pair"})

    def __init__(
        self,
        rows: list[Party],
        columns: list[Party],
        cells: list[Cell],
        sources: dict[str, Source],
        stated_only: bool = False,
        left_out: int = 0,
        anomalies: dict[str, str] | None = None,
    ) -> None:
        self.rows, self.columns, self.cells, self.sources = rows, columns, cells, sources
        self.stated_only, self.left_out = stated_only, left_out
        self.anomalies: dict[str, str] = {} if anomalies is None else anomalies
        self._by_pair = {(c.automaker, c.partner): c for c in cells}

    def cell(self, automaker: str, partner: str | None) -> Cell | None:
        return self._by_pair.get((automaker, partner))

    @property
    def deals(self) -> list[str]:
        return _union(c.deals for c in self.cells)


def _parents(c: Company, stated_only: bool) -> list[str]:
    return stated(c, "parents") if stated_only else c.parents


def _row_order(ids: Iterable[str], companies: dict[str, Company], stated_only: bool = False) -> list[str]:
    """Automakers by name, each followed directly by its joint ventures and units that have rows."""
    ids = list(ids)
    present = set(ids)

    def name(i: str) -> str:
        c = companies.get(i)
        return (c.name if c else i).lower()

    def key(i: str) -> tuple[str, int, str]:
        c = companies.get(i)
        parents = _parents(c, stated_only) if c else []
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
    conflicts, anomalies = reg.conflict_index(d.id for d in deals)
    so = reg.stated_only
    acc: dict[tuple[str, str | None], list[Deal]] = {}
    left_out = 0
    for d in deals:
        company, partners = stated_pairs(d, stated_only=so)
        cols: list[str | None] = [*partners]
        if d.unnamed_partner or not d.partners:
            cols.append(None)
        if company is None or not cols:
            left_out += 1
            continue
        for p in cols:
            acc.setdefault((company, p), []).append(d)
    cells = []
    for (row, col), ds in acc.items():
        domains = _domains(x for d in ds for x in (stated(d, "domains") if so else d.domains))
        cells.append(
            Cell(
                automaker=row,
                partner=col,
                domains=domains,
                deals=[d.id for d in ds],
                sources=_union(cited_sources(d) for d in ds),
                conflicts=_union(conflicts.get(d.id, []) for d in ds),
                unnamed_partners=_union([d.unnamed_partner] for d in ds if col is None and d.unnamed_partner),
                inferred={} if so else {**domains_inferred(ds, domains), **pairing_inferred(ds, col)},
            )
        )

    def party(i: str) -> Party:
        c = companies.get(i)
        if c is None:
            return Party(i, i, None)
        kind = None if so and reasons(c, "kind") else c.kind
        return Party(i, c.name, kind, tuple(_parents(c, so)), {} if so else company_inferred(c))

    rows = [party(i) for i in _row_order({r for r, _ in acc}, companies, so)]
    named = sorted({c for _, c in acc if c is not None}, key=lambda i: (party(i).name.lower(), i))
    columns = [party(i) for i in named]
    if any(c is None for _, c in acc):
        columns.append(Party(None, UNNAMED_PARTNER, None))
    row_pos = {p.id: n for n, p in enumerate(rows)}
    col_pos = {p.id: n for n, p in enumerate(columns)}
    cells.sort(key=lambda c: (row_pos[c.automaker], col_pos[c.partner]))
    return Matrix(rows, columns, cells, reg.sources_by_id(s for c in cells for s in c.sources), so, left_out, anomalies)


# --- graph -------------------------------------------------------------------------------


class Node(Plain):
    """A company, or a partner an article does not name (``id`` ``unnamed:<deal id>``, kind ``unnamed``).

    ``kind`` None: with stated_only, a kind the editors inferred; ``inferred``:
    "kind", "parents": the company's own entries.
    """

    __slots__ = ("id", "inferred", "kind", "name", "parents")

    def __init__(self, id: str, name: str, kind: str | None, parents: tuple[str, ...] = (), inferred: dict[str, str] | None = None) -> None:
        self.id, self.name, self.kind, self.parents = id, name, kind, parents
        self.inferred: dict[str, str] = {} if inferred is None else inferred


class Edge(Plain):
    """``deal``: automaker side -> partner, all their deals; ``parent``: parent -> joint venture or unit.

    ``inferred``: "domains[i]", "from", "to", "relation" -> reasons.
    """

    __slots__ = ("conflicts", "deals", "domains", "inferred", "relation", "source", "sources", "target")

    def __init__(
        self,
        source: str,
        target: str,
        relation: str,
        domains: list[str],
        deals: list[str],
        sources: list[str],
        conflicts: list[str] | None = None,
        inferred: dict[str, str] | None = None,
    ) -> None:
        self.source, self.target, self.relation = source, target, relation
        self.domains, self.deals, self.sources = domains, deals, sources
        self.conflicts: list[str] = [] if conflicts is None else conflicts
        self.inferred: dict[str, str] = {} if inferred is None else inferred


class Graph(Plain):
    """Nodes and edges; ``focus``: the company whose neighbourhood this is, if any; ``left_out``: deals
    whose automaker side (or every partner) is inferred, with stated_only; ``domain``, ``year``: the
    filters it was drawn with, for "regenerate with"."""

    __slots__ = ("domain", "edges", "focus", "left_out", "nodes", "sources", "stated_only", "year")

    def __init__(
        self,
        nodes: list[Node],
        edges: list[Edge],
        sources: dict[str, Source],
        focus: str | None = None,
        stated_only: bool = False,
        left_out: int = 0,
        domain: str | None = None,
        year: int | None = None,
    ) -> None:
        self.nodes, self.edges, self.sources, self.focus = nodes, edges, sources, focus
        self.stated_only, self.left_out, self.domain, self.year = stated_only, left_out, domain, year

    def node(self, id_: str) -> Node | None:
        return next((n for n in self.nodes if n.id == id_), None)

    def edge(self, a: str, b: str) -> Edge | None:
        """The edge between *a* and *b*, whichever way it points."""
        return next((e for e in self.edges if {e.source, e.target} == {a, b}), None)


def unnamed_id(deal_id: str) -> str:
    return f"unnamed:{deal_id}"


def _pairs(d: Deal, stated_only: bool = False) -> list[tuple[str, str]]:
    company, partners = stated_pairs(d, stated_only=stated_only)
    if company is None:
        return []
    out = [(company, p) for p in partners]
    if d.unnamed_partner or not d.partners:
        out.append((company, unnamed_id(d.id)))
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
    focus = reg.company(company).id if company is not None else None
    so = reg.stated_only
    keep: set[str]
    if focus is not None:
        near = reg.deals(company=company, domain=domain, year=year)
        keep = {focus} | {x for d in near for pair in _pairs(d, so) for x in pair}
    else:
        keep = {x for d in deals for pair in _pairs(d, so) for x in pair}
    todo = [i for i in keep if i in companies]
    while todo:  # parents of joint ventures and units, up the chain
        for p in _parents(companies[todo.pop()], so):
            if p not in keep:
                keep.add(p)
                todo.append(p)
    conflicts = reg.conflicts_of(d.id for d in deals)
    by_pair: dict[frozenset[str], Edge] = {}
    behind: dict[frozenset[str], list[Deal]] = {}
    for d in deals:  # gather first, then join once per edge: many deals on one pair cost no more than one each
        for a, b in _pairs(d, so):
            if a not in keep or b not in keep:
                continue
            pair = frozenset((a, b))
            if pair not in by_pair:
                by_pair[pair] = Edge(a, b, "deal", [], [], [])
                behind[pair] = []
            behind[pair].append(d)
    for pair, e in by_pair.items():
        ds = behind[pair]
        e.domains = _domains(x for d in ds for x in (stated(d, "domains") if so else d.domains))
        e.deals = [d.id for d in ds]
        e.sources = _union(cited_sources(d) for d in ds)
        e.conflicts = _union(conflicts.get(d.id, []) for d in ds)
    for pair, e in by_pair.items() if not so else ():
        sides = pairing_inferred(behind[pair], e.target if e.target in companies else None)
        ends = {{"automaker": "from", "partner": "to"}[k]: v for k, v in sides.items()}
        e.inferred = {**domains_inferred(behind[pair], e.domains), **ends}
    unnamed = {unnamed_id(d.id): d.unnamed_partner or UNNAMED_PARTNER for d in deals}
    nodes = []
    for i in keep:
        c = companies.get(i)
        if c is not None:
            kind = None if so and reasons(c, "kind") else c.kind
            nodes.append(Node(i, c.name, kind, tuple(_parents(c, so)), {} if so else company_inferred(c)))
        elif i in unnamed:
            nodes.append(Node(i, unnamed[i], "unnamed"))
    nodes.sort(key=lambda n: (KIND_ORDER.index(n.kind) if n.kind else len(KIND_ORDER), n.name.lower(), n.id))
    edges = sorted(by_pair.values(), key=lambda e: (e.source, e.target))
    for n in nodes:
        for p in n.parents:
            if p in keep:
                link = Edge(p, n.id, "parent", [], [], list(cited_sources(companies[n.id])))
                if n.inferred:  # the link rests on the child's parents entry; its label on the child's kind
                    link.inferred = {"relation": "; ".join(f"{n.id} {k}: {v}" for k, v in n.inferred.items())}
                edges.append(link)
    left_out = sum(1 for d in deals if so and not _pairs(d, so))
    return Graph(nodes, edges, reg.sources_by_id(s for e in edges for s in e.sources), focus, so, left_out, domain, year)
