"""The options the commands share, declared once, and the bundles the command helper adds.

Every option is an ``Annotated`` type; a command lists its own filters in its
signature and gets the shared bundles (output format, fact files) from
``run.command``. Closed lists come from ``model.vocab`` as ``Literal`` types,
which Typer turns into choices.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Literal

import typer

from ..model.vocab import CompanyKind, ConflictKind, DealKind, DealStatus, Domain, FigureStatus, Metric, Powertrain, SystemKind
from .completion import complete_company, complete_domain, complete_metric, complete_record

Format = Literal["table", "json", "jsonl", "csv", "markdown"]
GraphFormat = Literal["mermaid", "dot", "json"]


class EventKind(str, Enum):  # an Enum, not a Literal: Typer takes lists of Enums only
    deal = "deal"
    milestone = "milestone"
    figure = "figure"


# --- the bundles that ``run.command`` adds to a command ---------------------------------------

FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="Output format.", case_sensitive=False)]
JsonOpt = Annotated[bool, typer.Option("--json", help="Shorthand for --format json.")]
FieldsOpt = Annotated[
    str | None,
    typer.Option(
        "--fields",
        help="Fields to print, comma-separated, in order (json, jsonl, csv, markdown; a table becomes json). "
        "With no value: list the fields.",
        metavar="A,B,C",
    ),
]
FactsOpt = Annotated[
    list[Path] | None,
    typer.Option("--facts", help="Extra fact file or folder, on top of the bundled facts (repeatable).", show_default=False),
]
NoCacheOpt = Annotated[bool, typer.Option("--no-cache", help="Read the fact files directly; do not use or write the cache.")]

# --- filters ------------------------------------------------------------------------------------

CompanyOpt = Annotated[
    str | None,
    typer.Option("--company", "-c", help="Company on either side (name, id or alias).", autocompletion=complete_company),
]
PartnerOpt = Annotated[
    str | None,
    typer.Option("--partner", "-p", help="Company on the partner side.", autocompletion=complete_company),
]
VendorOpt = Annotated[
    str | None, typer.Option("--company", "-c", help="Vendor (name, id or alias).", autocompletion=complete_company)
]
YearOpt = Annotated[int | None, typer.Option("--year", "-y", help="Calendar year.", min=1000, max=9999)]
SinceOpt = Annotated[str | None, typer.Option("--since", help="From this date on (2025, 2025-03, 2025-03-17...).")]
UntilOpt = Annotated[str | None, typer.Option("--until", help="Up to this date (inclusive).")]
RegionOpt = Annotated[str | None, typer.Option("--region", "-r", help="Region or market, e.g. China, global.")]
DomainOpt = Annotated[
    Domain | None, typer.Option("--domain", "-d", help="Domain of the deal.", autocompletion=complete_domain)
]
DealDomainOpt = Annotated[Domain | None, typer.Option("--domain", "-d", help="Only deals in this domain.")]
CompanyKindOpt = Annotated[CompanyKind | None, typer.Option("--kind", "-k", help="Kind of company.")]
CountryOpt = Annotated[str | None, typer.Option("--country", help="Country, as the articles state it.")]
DealKindOpt = Annotated[DealKind | None, typer.Option("--kind", "-k", help="Kind of deal.")]
DealStatusOpt = Annotated[DealStatus | None, typer.Option("--status", help="Status as reported.")]
PowertrainOpt = Annotated[Powertrain | None, typer.Option("--powertrain", help="bev, phev, hev or ice.")]
SystemKindOpt = Annotated[SystemKind | None, typer.Option("--kind", "-k", help="Kind of system.")]
MetricOpt = Annotated[
    Metric | None, typer.Option("--metric", "-m", help="What is measured.", autocompletion=complete_metric)
]
FigureStatusOpt = Annotated[FigureStatus | None, typer.Option("--status", help="reported, target or plan.")]
ConflictKindOpt = Annotated[ConflictKind | None, typer.Option("--kind", "-k", help="Kind of disagreement.")]
RecordOpt = Annotated[
    str | None,
    typer.Option("--record", help="Only conflicts about this record (id or name).", autocompletion=complete_record),
]
EventKindOpt = Annotated[
    list[EventKind] | None,
    typer.Option("--kind", "-k", help="Only these kinds of event: deal, milestone, figure (repeatable)."),
]
UndatedOpt = Annotated[bool, typer.Option("--undated", help="Also list the events whose date is unknown, at the end.")]
GraphCompanyOpt = Annotated[
    str | None,
    typer.Option("--company", "-c", help="Only this company's neighbourhood: it, its partners, the deals among them."),
]
GraphFormatOpt = Annotated[GraphFormat, typer.Option("--format", "-f", help="Output format.", case_sensitive=False)]

# --- arguments ------------------------------------------------------------------------------------

CompanyArg = Annotated[
    str, typer.Argument(help="Company name, id or alias (BMW, Ali, huawei...).", autocompletion=complete_company)
]
RecordArg = Annotated[
    str, typer.Argument(metavar="ID", help="Any record's id, name or alias.", autocompletion=complete_record)
]
SearchArg = Annotated[str, typer.Argument(help="Text to look for (case-insensitive).")]
