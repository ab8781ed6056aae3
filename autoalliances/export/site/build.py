"""The whole site as files in memory: relative path -> bytes (written by ``export/folder.py``).

One pass over the registry: every record, their lookups, each company's
dossier, the landscape (matrix, timeline, graph). Pages are built from that
and run no query of their own.
"""

from __future__ import annotations

from datetime import date
from typing import TypeVar

from ...model.records import Company, Conflict, Deal, Figure, Model, Record, Source, System
from ...query.landscape import graph, matrix, timeline
from ...query.registry import Registry
from ..describe import fact_base_version
from ..document import all_records
from .context import Page, Site, record_path
from .feed import atom_feed, calendar_text
from .graph import network_page
from .lists import (
    cited_counts,
    companies_page,
    conflicts_page,
    deals_page,
    figures_page,
    models_page,
    sources_page,
    systems_page,
    timeline_page,
)
from .overview import index_page
from .records import company_page, record_page

_R = TypeVar("_R", bound=Record)


def build_site(reg: Registry, *, today: date | None = None, use_graphviz: bool = True) -> dict[str, bytes]:
    """Every file of the site, with plan states and ages judged on the registry's day (``reg.today``:
    ``AUTOALLIANCES_TODAY`` or ``--as-of``, else the system date), as the terminal judges them.

    *today*, when given, must be that day: the registry has already read every plan against it.
    """
    if today is not None and today != reg.today:
        raise ValueError(f"the registry reads plans on {reg.today}, not {today}: open it for that day (AUTOALLIANCES_TODAY)")
    today = reg.today
    groups = all_records(reg)
    every = [r for recs in groups.values() for r in recs]
    calendar = calendar_text(reg, today)
    site = Site(groups, reg.lookups(every), today, fact_base_version(reg), calendar=calendar is not None)
    tl = timeline(reg, undated=True)

    def page(path: str) -> Page:
        return Page(site, path)

    def of(cls: type[_R], key: str) -> list[_R]:
        return [r for r in groups[key] if isinstance(r, cls)]

    files: dict[str, bytes] = {
        "index.html": index_page(page("index.html"), matrix(reg), tl),
        "companies.html": companies_page(page("companies.html"), of(Company, "companies")),
        "deals.html": deals_page(page("deals.html"), of(Deal, "deals")),
        "models.html": models_page(page("models.html"), of(Model, "models")),
        "systems.html": systems_page(page("systems.html"), of(System, "systems")),
        "figures.html": figures_page(page("figures.html"), of(Figure, "figures")),
        "timeline.html": timeline_page(page("timeline.html"), tl),
        "network.html": network_page(page("network.html"), graph(reg), use_graphviz=use_graphviz),
        "sources.html": sources_page(page("sources.html"), of(Source, "sources"), cited_counts(groups)),
        "conflicts.html": conflicts_page(page("conflicts.html"), of(Conflict, "conflicts")),
        "events.atom": atom_feed(site, tl),
    }
    for c in of(Company, "companies"):
        path = record_path("company", c.id)
        files[path] = company_page(page(path), reg.dossier(c.id))
    for key in ("deals", "models", "systems"):
        for rec in groups[key]:
            assert isinstance(rec, (Deal, Model, System))
            path = record_path(rec.TYPE, rec.id)
            files[path] = record_page(page(path), rec, reg.referrers(rec.id))
    if calendar is not None:
        files["calendar.ics"] = calendar.encode("utf-8")
    return files
