"""``matrix``, ``timeline``, ``plans`` and ``graph``: who works with whom and when (logic in ``query.landscape``, ``query.plans``).

matrix and graph have a fixed shape, so they take no --fields.
"""

from __future__ import annotations

from ..model.vocab import Domain
from .options import EventKind, GraphFormat, PlanState
from .run import FACTS, FORMAT_ONLY, OUTPUT, TERMINAL, Shared, command


@command(FORMAT_ONLY, FACTS, options={"domain": "deal_domain"})
def matrix(
    opts: Shared,
    company: str | None = None,
    domain: Domain | None = None,
    year: int | None = None,
    since: str | None = None,
    until: str | None = None,
) -> None:
    """Automakers (rows) × their partners (columns): each cell lists the domains of their deals.

    Rows are the automaker side of each deal; a joint venture keeps its own row,
    under its parent. The date filters use the announcement date. There is no
    --fields: csv and markdown print the grid itself.

    Example: autoalliances matrix --domain driver-assistance
    """
    from ..query.landscape import matrix as build
    from ..render.emit import emit_matrix

    emit_matrix(build(opts.registry(), company=company, domain=domain, year=year, since=since, until=until), opts.format)


@command(OUTPUT, FACTS, options={"kind": "event_kind"})
def timeline(
    opts: Shared,
    company: str | None = None,
    since: str | None = None,
    until: str | None = None,
    kind: list[EventKind] | None = None,
    undated: bool = False,
) -> None:
    """Events oldest first: deals announced, launches and debuts (done or planned), figure periods.

    Dates keep their precision: "spring 2026" sorts as spring 2026 and prints so.
    Planned events are plans as reported then. Undated events are left out, and
    counted on stderr, unless --undated is given.

    Example: autoalliances timeline --company BMW --since 2025
    """
    from ..query.landscape import timeline as build
    from ..render.emit import emit_timeline

    kinds = [k.value for k in kind or []]
    tl = build(opts.registry(), company=company, since=since, until=until, kinds=kinds, undated=undated)
    emit_timeline(tl, opts.format, fields=opts.fields)


@command(OUTPUT, FACTS, options={"state": "plan_state"})
def plans(
    opts: Shared,
    company: str | None = None,
    state: list[PlanState] | None = None,
    within: str | None = None,
    since: str | None = None,
    until: str | None = None,
) -> None:
    """The agenda of every plan and target, by date: what is upcoming, due, or passed with no later report.

    A plan is a planned milestone, a deal whose status is planned, or a figure
    whose status is plan or target, as an article reported it. Its state is
    read against today (AUTOALLIANCES_TODAY, or --as-of): passed means its date
    is over and no later source in the fact base reports it done. Undated
    plans come last; --within, --since and --until leave them out.

    Example: autoalliances plans --state passed --company toyota
    """
    from ..query.plans import agenda
    from ..render.emit import emit_plans

    states = [s.value for s in state or []]
    tl = agenda(opts.registry(), company=company, states=states, within=within, since=since, until=until)
    emit_plans(tl, opts.format, fields=opts.fields)


@command(FACTS, TERMINAL, options={"company": "neighbourhood", "domain": "deal_domain", "fmt": "graph_fmt"})
def graph(
    opts: Shared,
    company: str | None = None,
    domain: Domain | None = None,
    year: int | None = None,
    fmt: GraphFormat | None = None,
    as_json: bool = False,
) -> None:
    """The partnership network as a Mermaid or Graphviz DOT diagram (or JSON).

    Nodes are companies styled by kind; an arrow joins the automaker side of
    deals to the partner, labelled with their domains; dashed arrows join a
    parent to its joint venture. There is no --fields.

    Example: autoalliances graph --format dot | dot -Tsvg > network.svg
    """
    from ..errors import UsageError
    from ..query.landscape import graph as build
    from ..render.emit import emit_graph

    if as_json and fmt not in (None, "json"):
        raise UsageError(f"--json and --format {fmt} contradict each other: give one of them (--json is --format json)")
    emit_graph(build(opts.registry(), company=company, domain=domain, year=year), "json" if as_json else fmt or "mermaid")
