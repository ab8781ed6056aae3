"""The pages of single records: a company's dossier, one deal, model or system in full.

A record's fields are listed from the record type itself (``dataclasses.fields``),
so a field added to the record types shows up here without a change; fields
that name other records become links, dates keep their precision, and each
value carries its inference mark.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from ...model.dates import FuzzyDate
from ...model.records import Amount, Change, Company, Conflict, Deal, Model, Record, System
from ...model.refs import cited_sources, ref_fields
from ...query.views import Dossier
from ...render.text import amount, change, one_line
from .context import Page
from .layout import document, empty, table
from .marks import alias_note, conflict_mark, conflict_nature, inferred_mark, origin_note, plan_note, spaced
from .markup import Html, el, join
from .tables import deals_table, figures_table, models_table, partners, status, systems_table

# Parts shown in sections of their own, and fields the heading already shows.
_OWN_SECTIONS = {"id", "sources", "notes", "milestones", "people", "readings", "inferred", "alias_sources", "aliases", "origin"}
_HEADING = {"name", "title"}
_LABELS = {"company": "automaker side", "partners": "partners", "unnamed_partner": "partner (not named)", "attributed_to": "credited to"}


def _named_refs(cls: type) -> dict[str, bool]:
    """Top-level fields naming other records: field -> is it a list."""
    return {f.path[0]: f.many[0] for f in ref_fields(cls)[1] if len(f.path) == 1}


def field_value(page: Page, rec: Record, name: str, value: Any) -> Html | None:
    """One field's value for the field list, or None when there is nothing to show."""
    if value is None or value in ([], "", {}):
        return None
    refs = _named_refs(type(rec))
    if name in refs:
        ids = value if refs[name] else [value]
        items = [join(page.record(i), spaced(inferred_mark(rec, f"{name}[{n}]" if refs[name] else name))) for n, i in enumerate(ids)]
        return join(*(join(", " if n else None, x) for n, x in enumerate(items)))
    if isinstance(value, FuzzyDate):
        text = f"{value.label} ({value.precision} precision)" if value.known else "not stated"
        return join(text, spaced(inferred_mark(rec, name)))
    if isinstance(value, Amount):
        return join(amount(value), spaced(inferred_mark(rec, name)))
    if isinstance(value, Change):
        return join(change(value), spaced(inferred_mark(rec, name)))
    if name == "status":
        return join(status(str(value)), spaced(inferred_mark(rec, name)))
    if isinstance(value, list):
        return join(*(join(", " if n else None, one_line(str(v)), spaced(inferred_mark(rec, f"{name}[{n}]"))) for n, v in enumerate(value)))
    if isinstance(value, dict):
        return join(", ".join(f"{k}: {v}" for k, v in value.items()))
    return join(str(value), spaced(inferred_mark(rec, name)))


def fields_list(page: Page, rec: Record, skip: set[str] | None = None) -> Html:
    """The record's fields as a description list, in the order of the record type."""
    skip = (skip or set()) | _OWN_SECTIONS | _HEADING
    rows = []
    for f in dataclasses.fields(rec):
        if f.name in skip:
            continue
        if f.name == "description":
            continue
        shown = field_value(page, rec, f.name, getattr(rec, f.name))
        if shown is not None:
            rows += [el("dt", _LABELS.get(f.name, f.name.replace("_", " "))), el("dd", shown)]
    return el("dl", *rows, class_="fields") if rows else join()


def description(page: Page, rec: Record) -> Html:
    text = getattr(rec, "description", None)
    return join(
        el("p", text, spaced(inferred_mark(rec, "description")), " ", page.cite(cited_sources(rec)), " ", conflict_mark(page, rec.id))
        if text
        else el("p", "Sources: ", page.cite(cited_sources(rec)), " ", conflict_mark(page, rec.id)),
        origin_note(page.site.lookups.origins.get(rec.id)),
    )


def aliases(page: Page, rec: Record) -> Html:
    names = getattr(rec, "aliases", [])
    if not names:
        return join()
    return el("p", "Also known as: ", *(join("; " if n else None, alias_note(page, rec, a)) for n, a in enumerate(names)))


def milestones(page: Page, rec: Deal | Model | System) -> Html:
    if not rec.milestones:
        return join()
    rows = [
        el(
            "tr",
            el("td", m.date.label, spaced(inferred_mark(rec, f"milestones[{i}].date"))),
            el("th", one_line(m.event), spaced(inferred_mark(rec, f"milestones[{i}].event")), scope="row"),
            el(
                "td",
                plan_note(m, page.site.today, page.site.lookups.plan(rec.id, i)) if m.status == "planned" else "reported",
                " ",
                inferred_mark(rec, f"milestones[{i}].status"),
            ),
            el("td", page.cite(m.sources)),
        )
        for i, m in enumerate(rec.milestones)
    ]
    head = ["Date", "Event", "Status", "Sources"]
    return join(el("h2", "Milestones"), table(f"Dated events of {rec.name}, as reported", head, rows))


def notes(page: Page, rec: Record, heading: str = "Notes", level: str = "h2") -> Html:
    items = [
        el("li", n.text, spaced(inferred_mark(rec, f"notes[{i}].text")), " ", page.cite(n.sources))
        for i, n in enumerate(getattr(rec, "notes", []))
    ]
    return join(el(level, heading), el("ul", *items)) if items else join()


def conflict_block(page: Page, c: Conflict, level: str = "h3") -> Html:
    readings = [
        el(
            "li",
            one_line(r.text),
            " ",
            page.cite([r.source]),
            join(" (about ", page.record(r.record), ")") if r.record else None,
            class_="reading",
        )
        for r in c.readings
    ]
    return join(
        el(level, el("a", "⚠ ", c.topic, href=page.url(f"conflicts.html#{c.id}"))),
        el("p", f"{conflict_nature(c).capitalize()} ({c.kind}).", " Concerns: ", page.records(c.records) or "—"),
        el("ul", *readings),
        el("p", c.note) if c.note else None,
    )


def conflicts(page: Page, rec: Record, found: list[Conflict]) -> Html:
    if not found:
        return join()
    return join(el("h2", "Where the articles disagree"), *(conflict_block(page, c) for c in found))


def referrers(page: Page, refs: list[Record]) -> Html:
    if not refs:
        return join()
    return join(el("h2", "Referred to by"), el("ul", *(el("li", r.TYPE, " ", page.record(r.id)) for r in refs)))


# --- pages -------------------------------------------------------------------------------------


def record_page(page: Page, rec: Deal | Model | System, refs: list[Record]) -> bytes:
    """One deal, model or system in full."""
    lead_html = el("p", page.record(rec.company), " × ", partners(page, rec), class_="lead") if isinstance(rec, Deal) else None
    body = join(
        lead_html,
        description(page, rec),
        aliases(page, rec),
        el("h2", "Facts"),
        fields_list(page, rec),
        milestones(page, rec),
        notes(page, rec),
        conflicts(page, rec, page.site.conflicts_of(rec.id)),
        referrers(page, refs),
    )
    section = {"deal": "deals.html", "model": "models.html", "system": "systems.html"}[rec.TYPE]
    return document(page, rec.name, body, section=section)


def company_page(page: Page, d: Dossier) -> bytes:
    """A company's dossier: what ``autoalliances company NAME`` prints."""
    c: Company = d.company
    country = c.country or "country not stated in the articles"
    kind = join(c.kind, spaced(inferred_mark(c, "kind")), " · ", country, spaced(inferred_mark(c, "country")))
    people = [
        el("li", p.name, (", " + p.role) if p.role else None, " ", page.cite(p.sources)) for p in c.people
    ]
    body = join(
        el("p", kind, class_="lead"),
        description(page, c),
        aliases(page, c),
        el("p", "Part of: ", page.records([p.id for p in d.parents]), spaced(inferred_mark(c, "parents"))) if d.parents else None,
        el("p", "Units and joint ventures: ", page.records([u.id for u in d.children])) if d.children else None,
        join(el("h2", "People"), el("ul", *people)) if people else None,
        notes(page, c),
        el("h2", "Deals"),
        deals_table(page, d.deals, f"Deals of {c.name} on either side, oldest first", filterable=False)
        if d.deals
        else empty("No deal names it."),
        el("h2", "Models"),
        models_table(page, d.models, f"Car models of {c.name}", filterable=False) if d.models else empty("No model names it."),
        el("h2", "Systems"),
        systems_table(page, d.systems, f"Systems of {c.name}", filterable=False) if d.systems else empty("No system names it."),
        el("h2", "Figures"),
        figures_table(page, d.figures, f"Figures about {c.name}, by period", filterable=False)
        if d.figures
        else empty("No figure names it."),
        conflicts(page, c, d.conflicts),
    )
    return document(page, c.name, body, section="companies.html")
