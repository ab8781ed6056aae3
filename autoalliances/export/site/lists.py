"""The pages that list records: companies, deals, models, systems, figures, the timeline, sources, conflicts."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

from ...model.records import Company, Conflict, Deal, Figure, Model, Record, Source, System
from ...model.refs import cited_sources
from ...query.landscape import Timeline
from .context import Page
from .layout import document, empty, table
from .marks import inferred_mark, plan_state, source_freshness, spaced
from .markup import Html, el, join
from .records import conflict_block
from .tables import COMPANY_HEAD, company_row, deals_table, events_table, figures_table, models_table, systems_table

_TYPE_TIP = "Type in the box above a table to keep only the rows that contain every word; select a column heading to sort by it."


def _intro(text: str) -> Html:
    return el("p", text, " ", el("span", _TYPE_TIP, class_="js-tip", hidden=True))


def companies_page(page: Page, companies: list[Company]) -> bytes:
    rows = [company_row(page, c) for c in companies]
    body = join(
        _intro("Every company the facts name: automakers, technology companies, joint ventures, battery makers."),
        table(f"{len(companies)} companies, by name", COMPANY_HEAD, rows, filter_as="companies"),
    )
    return document(page, "Companies", body)


def deals_page(page: Page, deals: list[Deal]) -> bytes:
    body = join(
        _intro("Partnerships, investments, supply and co-development, oldest first. A planned deal is a plan as reported then."),
        deals_table(page, deals, f"{len(deals)} deals, oldest first") if deals else empty("No deals."),
    )
    return document(page, "Deals", body)


def models_page(page: Page, models: list[Model]) -> bytes:
    body = join(
        _intro("Car models with their maker, powertrains, timing and the systems on board."),
        models_table(page, models, f"{len(models)} car models") if models else empty("No models."),
    )
    return document(page, "Models", body)


def systems_page(page: Page, systems: list[System]) -> bytes:
    body = join(
        _intro("Operating systems, AI models and assistants, driver assistance, chips, apps and platforms."),
        systems_table(page, systems, f"{len(systems)} systems, by kind") if systems else empty("No systems."),
    )
    return document(page, "Systems", body)


def figures_page(page: Page, figures: list[Figure]) -> bytes:
    body = join(
        _intro("Sales, deliveries, market shares, revenue, profit and investment, by period. A target or plan is one as reported then."),
        figures_table(page, figures, f"{len(figures)} figures, by period", anchors=True) if figures else empty("No figures."),
    )
    return document(page, "Figures", body)


def timeline_page(page: Page, tl: Timeline) -> bytes:
    today = page.site.today
    dated, undated = tl.dated, tl.undated
    passed = [e for e in dated if plan_state(e, today) == "passed"]
    upcoming = [e for e in dated if plan_state(e, today) in ("upcoming", "due")]
    summary = el(
        "p",
        f"{len(dated)} dated events, oldest first. {len(upcoming)} plans lie ahead or are due; "
        f"{len(passed)} plans have a date that has passed with no later report in the facts "
        "(plans stay plans as reported then: the facts never turn a plan into an event that happened).",
    )
    body = join(
        _intro(
            "Deals announced, launches, debuts and releases done or planned, and the periods figures cover. Dates keep their precision."
        ),
        summary,
        events_table(page, dated, tl.names, f"{len(dated)} dated events, oldest first") if dated else empty("No dated events."),
        join(
            el("h2", "Events without a date"),
            events_table(page, undated, tl.names, f"{len(undated)} events whose date the articles do not give", filterable=False),
        )
        if undated
        else None,
    )
    return document(page, "Timeline", body)


def sources_page(page: Page, sources: list[Source], cited_by: Counter[str]) -> bytes:
    rows = []
    for s in sources:
        language = s.language + (f", from {s.original_language}" if s.original_language else "")
        language += f" ({s.translation} translation)" if s.translation else ""
        rows.append(
            el(
                "tr",
                el("th", s.title or "untitled", el("br"), el("code", s.id), scope="row"),
                el("td", s.outlet or "not named", spaced(inferred_mark(s, "outlet"))),
                el(
                    "td",
                    source_freshness(s, page.site.today),
                    " ",
                    inferred_mark(s, "published"),
                    data_sort=s.published.start.isoformat() if s.published.start else "",
                ),
                el("td", s.author or "not named"),
                el("td", language, spaced(inferred_mark(s, "original_language")), inferred_mark(s, "translation")),
                el("td", el("code", s.file)),
                el("td", s.notes or "—"),
                el("td", str(cited_by.get(s.id, 0)), class_="num"),
                id=s.id,
            )
        )
    head = ["Article", "Outlet", "Published", "Author", "Language", "File", "Notes", "Records citing it"]
    body = join(
        el("p", "The articles every fact comes from, with what their text reveals: no outlet, author or date is guessed."),
        table(f"{len(sources)} articles", head, rows, filter_as="sources"),
    )
    return document(page, "Sources", body)


def conflicts_page(page: Page, conflicts: list[Conflict]) -> bytes:
    blocks = [
        el("section", conflict_block(page, c, level="h2"), id=c.id)
        for c in conflicts
    ]
    body = join(
        el("p", "Where the articles disagree, or one article is inconsistent with itself: each reading is kept with its source."),
        join(*blocks) if blocks else empty("No conflicts."),
    )
    return document(page, "Conflicts", body)


def cited_counts(records: Mapping[str, Sequence[Record]]) -> Counter[str]:
    """How many records cite each source."""
    out: Counter[str] = Counter()
    for key, recs in records.items():
        if key == "sources":
            continue
        for r in recs:
            out.update(cited_sources(r))
    return out
