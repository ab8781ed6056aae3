"""Table rows of records, shared by the list pages and the company pages.

Each row's first cell is its row header (``<th scope="row">``); sortable
values that text does not order well (dates, amounts) go in ``data-sort``.
"""

from __future__ import annotations

from ...model.dates import FuzzyDate
from ...model.records import Company, Deal, Figure, Model, Record, System
from ...model.refs import cited_sources
from ...query.landscape import Event
from ...render.landscape import describe
from ...render.text import amount, change, one_line
from .context import Page
from .layout import table
from .marks import conflict_mark, inferred_any, inferred_mark, plan_note, spaced
from .markup import Html, el, join

PLANNED_STATUSES = ("planned", "target", "plan")


def sort_date(d: FuzzyDate) -> str:
    """A date's first day as ISO text; '' (sorted last) when unknown."""
    return d.start.isoformat() if d.start else ""


def when(rec: Record, d: FuzzyDate, path: str) -> Html:
    """A date in words, with its inference mark."""
    text = el("time", d.label, datetime=d.start.isoformat()) if d.start and d.precision == "day" else d.label
    return join(text, spaced(inferred_mark(rec, path, brief=True)))


def marks(page: Page, rec: Record) -> Html:
    """The source notes and conflict marks at the end of a row."""
    return join(page.cite(cited_sources(rec)), " ", conflict_mark(page, rec.id))


def status(value: str) -> Html:
    """A record's status in words; a plan says it is one as reported then."""
    if value in PLANNED_STATUSES:
        return el("span", el("strong", value), " (as reported then)", class_="status plan")
    return el("span", value, class_="status")


def partners(page: Page, d: Deal) -> Html:
    if d.partners:
        return page.records(d.partners)
    return el("span", one_line(d.unnamed_partner or "partner not named"), class_="unnamed")


# --- deals --------------------------------------------------------------------------------


DEAL_HEAD = ["Announced", "Deal", "Kind", "Domains", "Status", "Value", el("th", "Sources", scope="col", data_nosort=True)]


def deal_row(page: Page, d: Deal) -> Html:
    return el(
        "tr",
        el("td", when(d, d.announced, "announced"), data_sort=sort_date(d.announced)),
        el("th", page.record(d.id, d.title), el("br"), page.record(d.company), " × ", partners(page, d), scope="row"),
        el("td", d.kind, spaced(inferred_mark(d, "kind", brief=True))),
        el("td", ", ".join(d.domains), " ", el("span", "(partly inferred)", class_="inferred") if inferred_any(d, "domains") else None),
        el("td", status(d.status)),
        el("td", amount(d.value, printed=False), class_="num", data_sort=d.value.absolute if d.value else ""),
        el("td", marks(page, d)),
    )


def deals_table(page: Page, deals: list[Deal], caption: str, *, filterable: bool = True) -> Html:
    return table(caption, DEAL_HEAD, [deal_row(page, d) for d in deals], filter_as="deals" if filterable else None)


# --- models and systems --------------------------------------------------------------------


def milestones_text(page: Page, rec: Model | System | Deal) -> Html:
    items = [
        el("li", one_line(m.event), ": ", m.date.label, " — ",
           plan_note(m, page.site.today, page.site.lookups.plan(rec.id, i)) if m.status == "planned" else "reported",
           spaced(inferred_mark(rec, f"milestones[{i}].date", brief=True)), page.cite(m.sources))
        for i, m in enumerate(rec.milestones)
    ]
    return el("ul", *items) if items else join("—")


def model_row(page: Page, m: Model) -> Html:
    return el(
        "tr",
        el("th", page.record(m.id), scope="row"),
        el("td", page.record(m.maker), (" (built by " if m.producer else None), page.record(m.producer) if m.producer else None,
           ")" if m.producer else None),
        el("td", ", ".join(p.upper() for p in m.powertrains) or "—"),
        el("td", milestones_text(page, m)),
        el("td", page.records(m.systems) or "—"),
        el("td", marks(page, m)),
    )


MODEL_HEAD = ["Model", "Maker", "Powertrains", "Timing", "Systems", el("th", "Sources", scope="col", data_nosort=True)]


def models_table(page: Page, models: list[Model], caption: str, *, filterable: bool = True) -> Html:
    return table(caption, MODEL_HEAD, [model_row(page, m) for m in models], filter_as="models" if filterable else None)


SYSTEM_HEAD = ["System", "Kind", "Vendor", "Version", el("th", "Sources", scope="col", data_nosort=True)]


def system_row(page: Page, s: System) -> Html:
    return el(
        "tr",
        el("th", page.record(s.id), scope="row"),
        el("td", s.kind, spaced(inferred_mark(s, "kind", brief=True))),
        el("td", page.record(s.vendor) if s.vendor else "—", spaced(inferred_mark(s, "vendor", brief=True))),
        el("td", s.version or "—"),
        el("td", marks(page, s)),
    )


def systems_table(page: Page, systems: list[System], caption: str, *, filterable: bool = True) -> Html:
    return table(caption, SYSTEM_HEAD, [system_row(page, s) for s in systems], filter_as="systems" if filterable else None)


# --- companies -----------------------------------------------------------------------------


COMPANY_HEAD = ["Company", "Kind", "Country", "Also known as", "Part of", el("th", "Sources", scope="col", data_nosort=True)]


def company_row(page: Page, c: Company) -> Html:
    return el(
        "tr",
        el("th", page.record(c.id), scope="row"),
        el("td", c.kind, spaced(inferred_mark(c, "kind", brief=True))),
        el("td", c.country or "not stated", spaced(inferred_mark(c, "country", brief=True))),
        el("td", ", ".join(c.aliases) or "—"),
        el("td", page.records(c.parents) or "—", spaced(inferred_mark(c, "parents", brief=True))),
        el("td", marks(page, c)),
    )


# --- figures -------------------------------------------------------------------------------


FIGURE_HEAD = [
    "Period", "Who", "Metric", "Region", "Value", "Change", "Status", "About", el("th", "Sources", scope="col", data_nosort=True),
]


def figure_row(page: Page, f: Figure, *, anchor: bool = False) -> Html:
    who = page.record(f.company) if f.company else one_line(f.scope or "")
    about = [f.description or None]
    if f.attributed_to:
        about.append(join(" Credited to ", page.record(f.attributed_to), "."))
    notes = [el("li", n.text, " ", page.cite(n.sources)) for n in f.notes]
    return el(
        "tr",
        el("td", when(f, f.period, "period"), data_sort=sort_date(f.period)),
        el("th", who, el("br"), el("a", "details", href=page.url(f"figures.html#{f.id}")) if not anchor else None, scope="row"),
        el("td", f.metric),
        el("td", f.region),
        el("td", amount(f.value, printed=False) or "—", spaced(inferred_mark(f, "value", brief=True)), class_="num",
           data_sort=f.value.absolute if f.value else ""),
        el("td", change(f.change) or "—", data_sort=f.change.amount if f.change and f.change.amount is not None else ""),
        el("td", plan_note(f, page.site.today, page.site.lookups.plan(f.id)) if f.status in PLANNED_STATUSES else f.status),
        el("td", *about, el("ul", *notes) if notes else None),
        el("td", marks(page, f)),
        id=f.id if anchor else None,
    )


def figures_table(page: Page, figures: list[Figure], caption: str, *, anchors: bool = False, filterable: bool = True) -> Html:
    rows = [figure_row(page, f, anchor=anchors) for f in figures]
    return table(caption, FIGURE_HEAD, rows, filter_as="figures" if filterable else None)


# --- timeline events -------------------------------------------------------------------------


EVENT_HEAD = ["Date", "Kind", "Event", "Status", "Companies", el("th", "Sources", scope="col", data_nosort=True)]


def event_row(page: Page, e: Event, names: dict[str, str]) -> Html:
    planned = e.status == "planned"
    return el(
        "tr",
        el("td", e.date.label, data_sort=sort_date(e.date)),
        el("td", e.kind),
        el("th", page.record(e.record, describe(e, names)), scope="row"),
        el("td", plan_note(e, page.site.today) if planned else "reported"),
        el("td", page.records(e.companies) or "—"),
        el("td", page.cite(e.sources), " ", conflict_mark(page, e.record)),
        class_="planned" if planned else None,
    )


def events_table(page: Page, events: list[Event], names: dict[str, str], caption: str, *, filterable: bool = True) -> Html:
    return table(caption, EVENT_HEAD, [event_row(page, e, names) for e in events], filter_as="events" if filterable else None)
