"""The command line: thin commands that parse options, ask the registry, print.

Each command opens the registry, makes one query and hands the records to
``output``. Errors are turned into a message on stderr and an exit code in
one place (``handled``). Heavy modules are imported inside the commands, so
``--help`` and the JSON path load only what they use.
"""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Annotated, Iterator, List, Optional

import typer


from . import __version__
from .records import (
    CompanyKind,
    ConflictKind,
    DealKind,
    DealStatus,
    Domain,
    FigureStatus,
    Metric,
    Powertrain,
    SystemKind,
    choices,
)

FORMATS = ("table", "json", "jsonl", "csv", "markdown")


def _enum(name: str, values: tuple[str, ...]) -> type[Enum]:
    return Enum(name, {v: v for v in values}, type=str)  # type: ignore[return-value]


Format = _enum("Format", FORMATS)
DomainChoice = _enum("Domain", choices(Domain))
CompanyKindChoice = _enum("CompanyKind", choices(CompanyKind))
SystemKindChoice = _enum("SystemKind", choices(SystemKind))
DealKindChoice = _enum("DealKind", choices(DealKind))
DealStatusChoice = _enum("DealStatus", choices(DealStatus))
MetricChoice = _enum("Metric", choices(Metric))
FigureStatusChoice = _enum("FigureStatus", choices(FigureStatus))
PowertrainChoice = _enum("Powertrain", choices(Powertrain))
ConflictKindChoice = _enum("ConflictKind", choices(ConflictKind))

app = typer.Typer(
    name="autoalliances",
    help="A sourced reference on alliances between foreign automakers and Chinese tech companies.\n\n"
    "Every answer cites the article it comes from and when that article was published.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

# --- options shared by every command (declared once) ------------------------------------

FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="Output format.", case_sensitive=False)]  # type: ignore[valid-type]
JsonOpt = Annotated[bool, typer.Option("--json", help="Shorthand for --format json.")]
FieldsOpt = Annotated[
    Optional[str],
    typer.Option("--fields", help="Comma-separated fields to print, in order (json, jsonl, csv, markdown).", metavar="A,B,C"),
]
FactsOpt = Annotated[
    Optional[List[Path]],
    typer.Option("--facts", help="Extra fact file or folder, on top of the bundled facts (repeatable).", show_default=False),
]
NoCacheOpt = Annotated[bool, typer.Option("--no-cache", help="Read the fact files directly; do not use or write the cache.")]
CompanyOpt = Annotated[Optional[str], typer.Option("--company", "-c", help="Company on either side (name, id or alias).")]
YearOpt = Annotated[Optional[int], typer.Option("--year", "-y", help="Calendar year.", min=1000, max=9999)]
SinceOpt = Annotated[Optional[str], typer.Option("--since", help="From this date on (2025, 2025-03, 2025-03-17...).")]
UntilOpt = Annotated[Optional[str], typer.Option("--until", help="Up to this date (inclusive).")]
RegionOpt = Annotated[Optional[str], typer.Option("--region", "-r", help="Region or market, e.g. China, global.")]


def _fmt(fmt: Format, as_json: bool) -> str:  # type: ignore[valid-type]
    return "json" if as_json else fmt.value  # type: ignore[attr-defined]


def _fields(fields: str | None) -> list[str] | None:
    return [f.strip() for f in fields.split(",") if f.strip()] if fields else None


def _value(e: Enum | None) -> str | None:
    return None if e is None else e.value


def _registry(facts: list[Path] | None, no_cache: bool):  # noqa: ANN202 - Registry imported lazily
    from . import open_registry

    return open_registry(*(facts or []), use_cache=not no_cache)


@contextmanager
def handled() -> Iterator[None]:
    """Turn expected failures into a message on stderr and a documented exit code."""
    from .errors import AutoAlliancesError, FactDataError

    try:
        yield
    except FactDataError as e:
        for err in e.errors:
            _err(str(err))
        _err(f"Error: {e}")
        raise typer.Exit(e.exit_code) from None
    except AutoAlliancesError as e:
        _err(f"Error: {e}")
        raise typer.Exit(e.exit_code) from None
    except BrokenPipeError:
        _quiet_pipe()
        raise typer.Exit(0) from None
    except (typer.Exit, typer.Abort, KeyboardInterrupt):
        raise
    except Exception as e:  # a bug: say so in one line; the traceback only on request
        if os.environ.get("AUTOALLIANCES_DEBUG"):
            raise
        _err(f"Error: internal error: {type(e).__name__}: {e} (set AUTOALLIANCES_DEBUG=1 for the traceback)")
        raise typer.Exit(1) from None


def _err(message: str) -> None:
    from .text import safe

    sys.stderr.write(safe(message) + "\n")


def _quiet_pipe() -> None:
    """The reader went away (``| head``): stop writing, say nothing."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def _version(value: bool) -> None:
    if value:
        typer.echo(f"autoalliances {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """A sourced reference on alliances between foreign automakers and Chinese tech companies.

    Every answer cites the article it comes from and when that article was published.
    """


# --- commands ------------------------------------------------------------------------------


@app.command()
def company(
    name: Annotated[str, typer.Argument(help="Company name, id or alias (BMW, Ali, huawei...).")],
    fmt: FormatOpt = Format.table,  # type: ignore[attr-defined]
    as_json: JsonOpt = False,
    fields: FieldsOpt = None,
    facts: FactsOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """Everything known about one company: deals on both sides, models, systems, figures.

    Example: autoalliances company BMW
    """
    with handled():
        from .output import emit_dossier

        reg = _registry(facts, no_cache)
        emit_dossier(reg.dossier(name), _fmt(fmt, as_json), reg, fields=_fields(fields))


@app.command()
def companies(
    kind: Annotated[Optional[CompanyKindChoice], typer.Option("--kind", "-k", help="Kind of company.")] = None,  # type: ignore[valid-type]
    country: Annotated[Optional[str], typer.Option("--country", help="Country, as the articles state it.")] = None,
    fmt: FormatOpt = Format.table,  # type: ignore[attr-defined]
    as_json: JsonOpt = False,
    fields: FieldsOpt = None,
    facts: FactsOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """List companies: automakers, tech companies, joint ventures, battery makers.

    Example: autoalliances companies --kind joint-venture
    """
    with handled():
        from .output import emit_records

        reg = _registry(facts, no_cache)
        emit_records("company", reg.companies(kind=_value(kind), country=country), _fmt(fmt, as_json), reg, fields=_fields(fields))


@app.command()
def deals(
    company: CompanyOpt = None,
    partner: Annotated[Optional[str], typer.Option("--partner", "-p", help="Company on the partner side.")] = None,
    year: YearOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    domain: Annotated[Optional[DomainChoice], typer.Option("--domain", "-d", help="Domain of the deal.")] = None,  # type: ignore[valid-type]
    kind: Annotated[Optional[DealKindChoice], typer.Option("--kind", "-k", help="Kind of deal.")] = None,  # type: ignore[valid-type]
    status: Annotated[Optional[DealStatusChoice], typer.Option("--status", help="Status as reported.")] = None,  # type: ignore[valid-type]
    fmt: FormatOpt = Format.table,  # type: ignore[attr-defined]
    as_json: JsonOpt = False,
    fields: FieldsOpt = None,
    facts: FactsOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """List deals (partnerships, investments, supply, co-development), oldest first.

    Example: autoalliances deals --year 2025 --partner huawei
    """
    with handled():
        from .output import emit_records

        reg = _registry(facts, no_cache)
        rows = reg.deals(
            company=company, partner=partner, year=year, since=since, until=until,
            domain=_value(domain), kind=_value(kind), status=_value(status),
        )
        emit_records("deal", rows, _fmt(fmt, as_json), reg, fields=_fields(fields))


@app.command()
def models(
    company: CompanyOpt = None,
    year: YearOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    powertrain: Annotated[Optional[PowertrainChoice], typer.Option("--powertrain", help="bev, phev, hev or ice.")] = None,  # type: ignore[valid-type]
    region: RegionOpt = None,
    fmt: FormatOpt = Format.table,  # type: ignore[attr-defined]
    as_json: JsonOpt = False,
    fields: FieldsOpt = None,
    facts: FactsOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """List car models with maker, powertrain, timing and the systems on board.

    Example: autoalliances models --company toyota
    """
    with handled():
        from .output import emit_records

        reg = _registry(facts, no_cache)
        rows = reg.models(company=company, year=year, since=since, until=until, powertrain=_value(powertrain), region=region)
        emit_records("model", rows, _fmt(fmt, as_json), reg, fields=_fields(fields))


@app.command()
def systems(
    company: Annotated[Optional[str], typer.Option("--company", "-c", help="Vendor (name, id or alias).")] = None,
    kind: Annotated[Optional[SystemKindChoice], typer.Option("--kind", "-k", help="Kind of system.")] = None,  # type: ignore[valid-type]
    fmt: FormatOpt = Format.table,  # type: ignore[attr-defined]
    as_json: JsonOpt = False,
    fields: FieldsOpt = None,
    facts: FactsOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """List in-car systems: operating systems, AI models, driver assistance, chips, apps.

    Example: autoalliances systems --kind driver-assistance
    """
    with handled():
        from .output import emit_records

        reg = _registry(facts, no_cache)
        emit_records("system", reg.systems(company=company, kind=_value(kind)), _fmt(fmt, as_json), reg, fields=_fields(fields))


@app.command()
def figures(
    company: CompanyOpt = None,
    metric: Annotated[Optional[MetricChoice], typer.Option("--metric", "-m", help="What is measured.")] = None,  # type: ignore[valid-type]
    region: RegionOpt = None,
    year: YearOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    status: Annotated[Optional[FigureStatusChoice], typer.Option("--status", help="reported, target or plan.")] = None,  # type: ignore[valid-type]
    fmt: FormatOpt = Format.table,  # type: ignore[attr-defined]
    as_json: JsonOpt = False,
    fields: FieldsOpt = None,
    facts: FactsOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """List sales, deliveries, market shares, revenue, profit and investment figures.

    Example: autoalliances figures --company BMW --year 2024
    """
    with handled():
        from .output import emit_records

        reg = _registry(facts, no_cache)
        rows = reg.figures(company=company, metric=_value(metric), region=region, year=year, since=since, until=until, status=_value(status))
        emit_records("figure", rows, _fmt(fmt, as_json), reg, fields=_fields(fields))


app.command("sales", help="Same as 'figures'.\n\nExample: autoalliances sales --metric sales --region China")(figures)


@app.command()
def sources(
    fmt: FormatOpt = Format.table,  # type: ignore[attr-defined]
    as_json: JsonOpt = False,
    fields: FieldsOpt = None,
    facts: FactsOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """List the articles the facts come from: outlet, date, author, language.

    Example: autoalliances sources
    """
    with handled():
        from .output import emit_records

        reg = _registry(facts, no_cache)
        emit_records("source", reg.sources(), _fmt(fmt, as_json), reg, fields=_fields(fields))


@app.command()
def conflicts(
    kind: Annotated[Optional[ConflictKindChoice], typer.Option("--kind", "-k", help="Kind of disagreement.")] = None,  # type: ignore[valid-type]
    record: Annotated[Optional[str], typer.Option("--record", help="Only conflicts about this record (id or name).")] = None,
    fmt: FormatOpt = Format.table,  # type: ignore[attr-defined]
    as_json: JsonOpt = False,
    fields: FieldsOpt = None,
    facts: FactsOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """List the places where the articles disagree, with each article's reading.

    Example: autoalliances conflicts --kind precision
    """
    with handled():
        from .output import emit_records

        reg = _registry(facts, no_cache)
        emit_records("conflict", reg.conflicts(kind=_value(kind), record=record), _fmt(fmt, as_json), reg, fields=_fields(fields))


@app.command()
def search(
    text: Annotated[str, typer.Argument(help="Text to look for (case-insensitive).")],
    fmt: FormatOpt = Format.table,  # type: ignore[attr-defined]
    as_json: JsonOpt = False,
    fields: FieldsOpt = None,
    facts: FactsOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """Search every record: names, aliases, descriptions, notes.

    Example: autoalliances search HarmonyOS
    """
    with handled():
        from .output import emit_records

        reg = _registry(facts, no_cache)
        emit_records("mixed", reg.search(text), _fmt(fmt, as_json), reg, fields=_fields(fields), title=f"results for {text!r}")


@app.command()
def show(
    id_: Annotated[str, typer.Argument(metavar="ID", help="Any record's id, name or alias.")],
    fmt: FormatOpt = Format.table,  # type: ignore[attr-defined]
    as_json: JsonOpt = False,
    fields: FieldsOpt = None,
    facts: FactsOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """One record in full, with its sources, conflicts and what refers to it.

    Example: autoalliances show bmw-alibaba-ai-cockpit
    """
    with handled():
        from .output import emit_record

        reg = _registry(facts, no_cache)
        emit_record(reg.get(id_), _fmt(fmt, as_json), reg, fields=_fields(fields))


@app.command()
def validate(
    paths: Annotated[Optional[List[Path]], typer.Argument(help="Fact files or folders to check with the bundled facts.")] = None,
    no_bundled: Annotated[bool, typer.Option("--no-bundled", help="Check PATHs alone, without the bundled facts.")] = False,
    fmt: FormatOpt = Format.table,  # type: ignore[attr-defined]
    as_json: JsonOpt = False,
) -> None:
    """Check fact files: every error as file:line: field: message; exit 3 on any.

    Example: autoalliances validate my-facts/
    """
    with handled():
        from .cache import discover, fact_roots
        from .errors import EXIT_DATA, UsageError
        from .loader import load_files
        from .output import dumps

        if no_bundled and not paths:
            raise UsageError("validate --no-bundled needs at least one PATH")
        files, _ = discover(fact_roots(paths or [], bundled=not no_bundled))
        result = load_files(files)
        fmt_ = _fmt(fmt, as_json)
        if fmt_ in ("json", "jsonl"):
            report = {
                "valid": not result.errors,
                "files": len(files),
                "records": len(result.records),
                "errors": [{"file": e.path, "line": e.line, "field": e.field, "message": e.message} for e in result.errors],
            }
            sys.stdout.write(dumps(report, indent=2 if fmt_ == "json" else None) + "\n")
        elif result.errors:
            from .tables import render_errors

            render_errors(result.errors, len(files))
        else:
            sys.stdout.write(f"OK: {len(result.records)} records in {len(files)} files\n")
        if result.errors:
            raise typer.Exit(EXIT_DATA)


# --- landscape: matrix, timeline, graph ------------------------------------------------------
# Who works with whom and when, over all records (logic in landscape.py). matrix and
# graph have a fixed shape, so they take no --fields: giving it is a usage error.

GRAPH_FORMATS = ("mermaid", "dot", "json")
GraphFormat = _enum("GraphFormat", GRAPH_FORMATS)
EventKindChoice = _enum("EventKind", ("deal", "milestone", "figure"))


@app.command()
def matrix(
    company: CompanyOpt = None,
    domain: Annotated[Optional[DomainChoice], typer.Option("--domain", "-d", help="Only deals in this domain.")] = None,  # type: ignore[valid-type]
    year: YearOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    fmt: FormatOpt = Format.table,  # type: ignore[attr-defined]
    as_json: JsonOpt = False,
    facts: FactsOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """Automakers (rows) × their partners (columns): each cell lists the domains of their deals.

    Rows are the automaker side of each deal; a joint venture keeps its own row,
    under its parent. The date filters use the announcement date. There is no
    --fields: csv and markdown print the grid itself.

    Example: autoalliances matrix --domain driver-assistance
    """
    with handled():
        from .landscape import matrix as build
        from .output import emit_matrix

        reg = _registry(facts, no_cache)
        m = build(reg, company=company, domain=_value(domain), year=year, since=since, until=until)
        emit_matrix(m, _fmt(fmt, as_json))


@app.command()
def timeline(
    company: CompanyOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    kind: Annotated[
        Optional[List[EventKindChoice]],  # type: ignore[valid-type]
        typer.Option("--kind", "-k", help="Only these kinds of event: deal, milestone, figure (repeatable)."),
    ] = None,
    undated: Annotated[bool, typer.Option("--undated", help="Also list the events whose date is unknown, at the end.")] = False,
    fmt: FormatOpt = Format.table,  # type: ignore[attr-defined]
    as_json: JsonOpt = False,
    fields: FieldsOpt = None,
    facts: FactsOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """Events oldest first: deals announced, launches and debuts (done or planned), figure periods.

    Dates keep their precision: "spring 2026" sorts as spring 2026 and prints so.
    Planned events are plans as reported then. Undated events are left out, and
    counted on stderr, unless --undated is given.

    Example: autoalliances timeline --company BMW --since 2025
    """
    with handled():
        from .landscape import timeline as build
        from .output import emit_timeline

        reg = _registry(facts, no_cache)
        tl = build(reg, company=company, since=since, until=until, kinds=[k.value for k in kind or []], undated=undated)
        emit_timeline(tl, _fmt(fmt, as_json), fields=_fields(fields))


@app.command()
def graph(
    company: Annotated[
        Optional[str], typer.Option("--company", "-c", help="Only this company's neighbourhood: it, its partners, the deals among them.")
    ] = None,
    domain: Annotated[Optional[DomainChoice], typer.Option("--domain", "-d", help="Only deals in this domain.")] = None,  # type: ignore[valid-type]
    year: YearOpt = None,
    fmt: Annotated[GraphFormat, typer.Option("--format", "-f", help="Output format.", case_sensitive=False)] = GraphFormat.mermaid,  # type: ignore[valid-type,attr-defined]
    as_json: JsonOpt = False,
    facts: FactsOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """The partnership network as a Mermaid or Graphviz DOT diagram (or JSON).

    Nodes are companies styled by kind; an arrow joins the automaker side of
    deals to the partner, labelled with their domains; dashed arrows join a
    parent to its joint venture. There is no --fields.

    Example: autoalliances graph --format dot | dot -Tsvg > network.svg
    """
    with handled():
        from .landscape import graph as build
        from .output import emit_graph

        reg = _registry(facts, no_cache)
        g = build(reg, company=company, domain=_value(domain), year=year)
        emit_graph(g, "json" if as_json else fmt.value)  # type: ignore[attr-defined]


def main() -> None:
    """Entry point for the ``autoalliances`` script and ``python -m autoalliances``."""
    try:
        app()
    except BrokenPipeError:
        _quiet_pipe()
        sys.exit(0)
    except KeyboardInterrupt:
        sys.exit(130)
