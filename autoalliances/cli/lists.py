"""The list commands: each is its filters, one registry call, and the records it returns.

``run.listing`` adds the output and fact-file options, opens the registry,
and prints what the function returns in the chosen format.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import options as o
from .run import listing

if TYPE_CHECKING:
    from ..model.records import Company, Conflict, Deal, Figure, Model, Record, Source, System
    from ..query.registry import Registry


@listing("company")
def companies(reg: Registry, kind: o.CompanyKindOpt = None, country: o.CountryOpt = None) -> list[Company]:
    """List companies: automakers, tech companies, joint ventures, battery makers.

    Example: autoalliances companies --kind joint-venture
    """
    return reg.companies(kind=kind, country=country)


@listing("deal")
def deals(
    reg: Registry,
    company: o.CompanyOpt = None,
    partner: o.PartnerOpt = None,
    year: o.YearOpt = None,
    since: o.SinceOpt = None,
    until: o.UntilOpt = None,
    domain: o.DomainOpt = None,
    kind: o.DealKindOpt = None,
    status: o.DealStatusOpt = None,
) -> list[Deal]:
    """List deals (partnerships, investments, supply, co-development), oldest first.

    Example: autoalliances deals --year 2025 --partner huawei
    """
    return reg.deals(company=company, partner=partner, year=year, since=since, until=until, domain=domain, kind=kind, status=status)


@listing("model")
def models(
    reg: Registry,
    company: o.CompanyOpt = None,
    year: o.YearOpt = None,
    since: o.SinceOpt = None,
    until: o.UntilOpt = None,
    powertrain: o.PowertrainOpt = None,
    region: o.RegionOpt = None,
) -> list[Model]:
    """List car models with maker, powertrain, timing and the systems on board.

    Example: autoalliances models --company toyota
    """
    return reg.models(company=company, year=year, since=since, until=until, powertrain=powertrain, region=region)


@listing("system")
def systems(reg: Registry, company: o.VendorOpt = None, kind: o.SystemKindOpt = None) -> list[System]:
    """List in-car systems: operating systems, AI models, driver assistance, chips, apps.

    Example: autoalliances systems --kind driver-assistance
    """
    return reg.systems(company=company, kind=kind)


@listing("figure")
def figures(
    reg: Registry,
    company: o.CompanyOpt = None,
    metric: o.MetricOpt = None,
    region: o.RegionOpt = None,
    year: o.YearOpt = None,
    since: o.SinceOpt = None,
    until: o.UntilOpt = None,
    status: o.FigureStatusOpt = None,
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


@listing("conflict")
def conflicts(reg: Registry, kind: o.ConflictKindOpt = None, record: o.RecordOpt = None) -> list[Conflict]:
    """List the places where the articles disagree, with each article's reading.

    Example: autoalliances conflicts --kind precision
    """
    return reg.conflicts(kind=kind, record=record)


@listing("mixed", title=lambda text: f"results for {text!r}")
def search(reg: Registry, text: o.SearchArg) -> list[Record]:
    """Search every record: names, aliases, descriptions, notes.

    Example: autoalliances search HarmonyOS
    """
    return reg.search(text)
