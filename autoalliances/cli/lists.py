"""The list commands: each is its filters, one registry call, and the records it returns.

``run.listing`` adds the output and fact-file options, opens the registry,
and prints what the function returns in the chosen format. Each parameter's
option (flags, help, completion) is declared in ``options.SPECS``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..model.vocab import (
    CompanyKind,
    ConflictKind,
    ConflictNature,
    DealKind,
    DealStatus,
    Domain,
    FigureStatus,
    Metric,
    Powertrain,
    SystemKind,
)
from .run import listing

if TYPE_CHECKING:
    from ..model.records import Conflict, Deal, Figure, Model, Source, System
    from ..query.registry import Registry
    from ..query.views import Listing


@listing("company", options={"kind": "company_kind"})
def companies(reg: Registry, kind: CompanyKind | None = None, country: str | None = None) -> Listing:
    """List companies: automakers, tech companies, joint ventures, battery makers.

    Example: autoalliances companies --kind joint-venture
    """
    return reg.companies_listing(kind=kind, country=country)


@listing("deal", options={"kind": "deal_kind", "status": "deal_status"})
def deals(
    reg: Registry,
    company: str | None = None,
    partner: str | None = None,
    year: int | None = None,
    since: str | None = None,
    until: str | None = None,
    domain: Domain | None = None,
    kind: DealKind | None = None,
    status: DealStatus | None = None,
) -> list[Deal]:
    """List deals (partnerships, investments, supply, co-development), oldest first.

    Example: autoalliances deals --year 2025 --partner huawei
    """
    return reg.deals(company=company, partner=partner, year=year, since=since, until=until, domain=domain, kind=kind, status=status)


@listing("model")
def models(
    reg: Registry,
    company: str | None = None,
    year: int | None = None,
    since: str | None = None,
    until: str | None = None,
    powertrain: Powertrain | None = None,
    region: str | None = None,
) -> list[Model]:
    """List car models with maker, powertrain, timing and the systems on board.

    Example: autoalliances models --company toyota
    """
    return reg.models(company=company, year=year, since=since, until=until, powertrain=powertrain, region=region)


@listing("system", options={"company": "vendor", "kind": "system_kind"})
def systems(reg: Registry, company: str | None = None, kind: SystemKind | None = None) -> list[System]:
    """List in-car systems: operating systems, AI models, driver assistance, chips, apps.

    Example: autoalliances systems --kind driver-assistance
    """
    return reg.systems(company=company, kind=kind)


@listing("figure", options={"status": "figure_status"})
def figures(
    reg: Registry,
    company: str | None = None,
    metric: Metric | None = None,
    region: str | None = None,
    year: int | None = None,
    since: str | None = None,
    until: str | None = None,
    status: FigureStatus | None = None,
) -> list[Figure]:
    """List sales, deliveries, market shares, revenue, profit and investment figures.

    Example: autoalliances figures --company BMW --year 2024
    """
    return reg.figures(company=company, metric=metric, region=region, year=year, since=since, until=until, status=status)


@listing("source")
def sources(reg: Registry) -> list[Source]:
    """List the articles the facts come from: outlet, date, author, language.

    Example: autoalliances sources
    """
    return reg.sources()


@listing("conflict", options={"kind": "conflict_kind"})
def conflicts(
    reg: Registry, kind: ConflictKind | None = None, record: str | None = None, nature: ConflictNature | None = None
) -> list[Conflict]:
    """List where the articles disagree or one article is inconsistent, with each reading.

    A disagreement is two or more articles giving different readings; an
    anomaly is one article at odds with itself (a garbled name, a sub-heading
    that contradicts its own text).

    Example: autoalliances conflicts --kind precision
    """
    return reg.conflicts(kind=kind, record=record, nature=nature)


@listing("mixed")
def search(reg: Registry, text: list[str]) -> Listing:
    """Search every record: names, aliases, descriptions, notes.

    Full-text, best match first: words match whole (EV is not "seven"), case and
    accents do not count; harm* is a prefix, "digital key" a phrase, and AND, OR,
    NOT combine words (several words: records with all of them).

    Example: autoalliances search HarmonyOS
    """
    return reg.search_listing(" ".join(text))
