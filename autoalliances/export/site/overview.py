"""The index page: what the fact base is, its version and freshness, the alliance matrix, the newest events."""

from __future__ import annotations

from ...model.records import Deal
from ...query.landscape import Event, Matrix, Timeline
from .context import Page, record_path
from .layout import document, empty, table
from .marks import conflict_links, plan_state, source_freshness
from .markup import Html, el, join
from .tables import events_table

NEWEST = 10  # events on the index page


def matrix_table(page: Page, m: Matrix) -> Html:
    """Automakers (rows) × partners (columns); a cell links each deal, by its domains."""
    deals = {d.id: d for d in page.site.records["deals"] if isinstance(d, Deal)}
    head: list[object] = [el("th", "Automaker side", scope="col")]
    for p in m.columns:
        head.append(el("th", page.record(p.id) if p.id else p.name, scope="col"))
    rows = []
    for r in m.rows:
        parents = join(el("br"), el("span", "part of ", page.records(list(r.parents)), class_="aid")) if r.parents else None
        cells: list[Html] = [el("th", page.record(r.id), parents, scope="row")]
        for p in m.columns:
            c = m.cell(r.id or "", p.id)
            if c is None:
                cells.append(el("td", "—", class_="none"))
                continue
            links = []
            for i, did in enumerate(c.deals):
                d = deals.get(did)
                text = ", ".join(d.domains) if d is not None else did
                links.append(join(el("br") if i else None, page.link(record_path("deal", did), text)))
            unnamed = join(el("br"), el("span", "; ".join(c.unnamed_partners), class_="unnamed")) if c.unnamed_partners else None
            cells.append(el("td", *links, unnamed, " ", page.cite(c.sources), " ", conflict_links(page, c.conflicts)))
        rows.append(el("tr", *cells))
    caption = (
        "Who works with whom: each row an automaker side, each column a partner; a cell links the deals between them, by their domains"
    )
    return el("div", table(caption, head, rows, class_="matrix"), class_="scroll")


def newest(tl: Timeline) -> list[Event]:
    """The newest reported events, newest first."""
    done = [e for e in tl.dated if e.status != "planned"]
    return list(reversed(done))[:NEWEST]


def index_page(page: Page, m: Matrix, tl: Timeline) -> bytes:
    site = page.site
    today = site.today
    recs = site.records
    sources = list(site.sources.values())
    dated = sorted((s for s in sources if s.published.end is not None), key=lambda s: s.published.sort_key())
    undated = len(sources) - len(dated)
    fresh = (
        f"The newest article was {source_freshness(dated[-1], today)}; the oldest was {source_freshness(dated[0], today)}."
        if dated
        else "No article states its publication date."
    )
    if undated:
        fresh += f" {undated} of {len(sources)} articles do not state when they were published."
    plans = [e for e in tl.dated if plan_state(e, today) is not None]
    passed = [e for e in plans if plan_state(e, today) == "passed"]
    counts = ", ".join(f"{len(recs[k])} {k}" for k in ("companies", "deals", "models", "systems", "figures", "sources", "conflicts"))
    downloads = [el("li", page.link("events.atom", "Atom feed of the events"), ", newest first")]
    if site.calendar:
        downloads.append(el("li", page.link("calendar.ics", "The events as a calendar"), " (iCalendar, for any calendar program)"))
    about = el(
        "dl",
        el("dt", "Version"),
        el("dd", f"fact base {site.version}"),
        el("dt", "Contents"),
        el("dd", counts),
        el("dt", "Freshness"),
        el("dd", fresh),
        el("dt", "Plans"),
        el(
            "dd",
            f"{len(plans)} dated plans as reported then; {len(passed)} of them have a date that has passed "
            f"with no later report in the facts (see the ",
            page.link("timeline.html", "timeline"),
            ").",
        ),
        class_="fields",
    )
    latest = newest(tl)
    body = join(
        el("h2", "About this fact base"),
        about,
        el("h2", "Feeds"),
        el("ul", *downloads),
        el("h2", "Who works with whom"),
        matrix_table(page, m) if m.rows else empty("No deals."),
        el("p", "The same network as a diagram: ", page.link("network.html", "Network"), "."),
        el("h2", "Newest events"),
        events_table(page, latest, tl.names, f"The {len(latest)} newest reported events, newest first", filterable=False)
        if latest
        else empty("No dated events."),
        el("p", "Every event, plans included: ", page.link("timeline.html", "Timeline"), "."),
    )
    lead = (
        "A sourced reference on the alliances between foreign automakers and Chinese technology companies, "
        "and the car models, in-car systems, sales and financial figures around them. "
        "Every fact says which article it comes from and when that article was published."
    )
    return document(page, "Automakers and Chinese technology companies", body, section="index.html", lead=lead)
