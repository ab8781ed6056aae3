"""The command line: thin commands that parse options, ask the registry, print.

Each command opens the registry, makes one query and hands the records to
``output``. Errors are turned into a message on stderr and an exit code in
one place (``handled``). Heavy modules are imported inside the commands, so
``--help`` and the JSON path load only what they use.

Start-up is most of the time a query takes, so two things are done lazily:

* ``main`` builds only the click command it is about to run (Typer converts a
  function's signature into a click command on every start, about 1.5 ms per
  command); ``app`` itself stays the full application for tests and tools.
* Help screens are drawn by ``helpview`` (rich console, table and panel)
  instead of ``typer.rich_utils``, which imports markdown-it and rich's
  traceback machinery.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Literal, Optional

import typer
from typer.core import TyperCommand, TyperGroup

from . import __version__
from .vocab import CompanyKind, ConflictKind, DealKind, DealStatus, Domain, FigureStatus, Metric, Powertrain, SystemKind

Format = Literal["table", "json", "jsonl", "csv", "markdown"]
FORMATS: tuple[str, ...] = Format.__args__  # type: ignore[attr-defined]


class _Command(TyperCommand):
    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        # ``--fields`` with no value lists the valid fields, as ``gh --json`` does; click
        # options always take a value, so give it an empty one.
        args = list(args)
        for i, arg in enumerate(args):
            if arg == "--":
                break
            if arg == "--fields" and (i + 1 == len(args) or (args[i + 1].startswith("-") and args[i + 1] != "-")):
                args.insert(i + 1, "")
                break
        return super().parse_args(ctx, args)

    def format_help(self, ctx: Any, formatter: Any) -> None:
        from .helpview import render

        formatter.write(render(ctx))


class _Group(TyperGroup):
    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        # No command at all is a usage error: the help goes to stderr, exit code 2 (as in
        # click). Typer's rich mode would print nothing, expecting its own help renderer.
        if not args and self.no_args_is_help and not ctx.resilient_parsing:
            typer.echo(ctx.get_help(), err=True)
            ctx.exit(2)
        return super().parse_args(ctx, args)

    def format_help(self, ctx: Any, formatter: Any) -> None:
        from .helpview import render

        if ctx.parent is None:  # the root: list every command, built or not
            summaries = _summaries()
        else:  # a command group such as ``export``: its few commands are built
            summaries = [(n, _first_paragraph(c.help)) for n, c in self.commands.items() if not c.hidden]
        formatter.write(render(ctx, summaries))


app = typer.Typer(
    name="autoalliances",
    help="A sourced reference on alliances between foreign automakers and Chinese tech companies.\n\n"
    "Every answer cites the article it comes from and when that article was published.",
    cls=_Group,
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _command(*args: Any, **kwargs: Any) -> Any:
    """``app.command`` with the rich help class; every command is registered through it."""
    return app.command(*args, cls=_Command, **kwargs)


# --- completion callbacks: each opens the registry and asks ``complete`` -----------------


def _completing(fn_name: str, ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    try:
        from . import complete

        facts = ctx.params.get("facts") if ctx is not None else None
        return getattr(complete, fn_name)(_registry(facts, False), incomplete)
    except Exception:  # a shell must never see a traceback while the user presses Tab
        return []


def complete_company(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    return _completing("companies", ctx, incomplete)


def complete_record(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    return _completing("record_ids", ctx, incomplete)


def complete_domain(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    return _completing("domains", ctx, incomplete)


def complete_metric(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    return _completing("metrics", ctx, incomplete)


# --- options shared by every command (declared once) ------------------------------------

FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="Output format.", case_sensitive=False)]
JsonOpt = Annotated[bool, typer.Option("--json", help="Shorthand for --format json.")]
FieldsOpt = Annotated[
    Optional[str],
    typer.Option("--fields", help="Fields to print, comma-separated, in order (json, jsonl, csv, markdown; a table becomes json). With no value: list the fields.", metavar="A,B,C"),
]
FactsOpt = Annotated[
    Optional[list[Path]],
    typer.Option("--facts", help="Extra fact file or folder, on top of the bundled facts (repeatable).", show_default=False),
]
NoCacheOpt = Annotated[bool, typer.Option("--no-cache", help="Read the fact files directly; do not use or write the cache.")]
CompanyOpt = Annotated[
    Optional[str],
    typer.Option("--company", "-c", help="Company on either side (name, id or alias).", autocompletion=complete_company),
]
YearOpt = Annotated[Optional[int], typer.Option("--year", "-y", help="Calendar year.", min=1000, max=9999)]
SinceOpt = Annotated[Optional[str], typer.Option("--since", help="From this date on (2025, 2025-03, 2025-03-17...).")]
UntilOpt = Annotated[Optional[str], typer.Option("--until", help="Up to this date (inclusive).")]
RegionOpt = Annotated[Optional[str], typer.Option("--region", "-r", help="Region or market, e.g. China, global.")]


def _fmt(fmt: str, as_json: bool, fields: str | None = None) -> str:
    """The output format; ``--fields`` turns the default table into JSON, as ``gh --json`` does."""
    return "json" if as_json or (fields is not None and fmt == "table") else fmt


def _fields(fields: str | None) -> list[str] | None:
    """None: not asked; []: asked with no value (list the valid fields)."""
    return None if fields is None else [f.strip() for f in fields.split(",") if f.strip()]


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


@_command()
def company(
    name: Annotated[str, typer.Argument(help="Company name, id or alias (BMW, Ali, huawei...).", autocompletion=complete_company)],
    fmt: FormatOpt = "table",
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
        emit_dossier(reg.dossier(name), _fmt(fmt, as_json, fields), reg, fields=_fields(fields))


@_command()
def companies(
    kind: Annotated[Optional[CompanyKind], typer.Option("--kind", "-k", help="Kind of company.")] = None,
    country: Annotated[Optional[str], typer.Option("--country", help="Country, as the articles state it.")] = None,
    fmt: FormatOpt = "table",
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
        emit_records("company", reg.companies(kind=(kind), country=country), _fmt(fmt, as_json, fields), reg, fields=_fields(fields))


@_command()
def deals(
    company: CompanyOpt = None,
    partner: Annotated[Optional[str], typer.Option("--partner", "-p", help="Company on the partner side.", autocompletion=complete_company)] = None,
    year: YearOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    domain: Annotated[Optional[Domain], typer.Option("--domain", "-d", help="Domain of the deal.", autocompletion=complete_domain)] = None,
    kind: Annotated[Optional[DealKind], typer.Option("--kind", "-k", help="Kind of deal.")] = None,
    status: Annotated[Optional[DealStatus], typer.Option("--status", help="Status as reported.")] = None,
    fmt: FormatOpt = "table",
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
            domain=(domain), kind=(kind), status=(status),
        )
        emit_records("deal", rows, _fmt(fmt, as_json, fields), reg, fields=_fields(fields))


@_command()
def models(
    company: CompanyOpt = None,
    year: YearOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    powertrain: Annotated[Optional[Powertrain], typer.Option("--powertrain", help="bev, phev, hev or ice.")] = None,
    region: RegionOpt = None,
    fmt: FormatOpt = "table",
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
        rows = reg.models(company=company, year=year, since=since, until=until, powertrain=(powertrain), region=region)
        emit_records("model", rows, _fmt(fmt, as_json, fields), reg, fields=_fields(fields))


@_command()
def systems(
    company: Annotated[Optional[str], typer.Option("--company", "-c", help="Vendor (name, id or alias).", autocompletion=complete_company)] = None,
    kind: Annotated[Optional[SystemKind], typer.Option("--kind", "-k", help="Kind of system.")] = None,
    fmt: FormatOpt = "table",
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
        emit_records("system", reg.systems(company=company, kind=(kind)), _fmt(fmt, as_json, fields), reg, fields=_fields(fields))


@_command()
def figures(
    company: CompanyOpt = None,
    metric: Annotated[Optional[Metric], typer.Option("--metric", "-m", help="What is measured.", autocompletion=complete_metric)] = None,
    region: RegionOpt = None,
    year: YearOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    status: Annotated[Optional[FigureStatus], typer.Option("--status", help="reported, target or plan.")] = None,
    fmt: FormatOpt = "table",
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
        rows = reg.figures(company=company, metric=(metric), region=region, year=year, since=since, until=until, status=(status))
        emit_records("figure", rows, _fmt(fmt, as_json, fields), reg, fields=_fields(fields))


_command("sales", help="Same as 'figures'.\n\nExample: autoalliances sales --metric sales --region China")(figures)


@_command()
def sources(
    fmt: FormatOpt = "table",
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
        emit_records("source", reg.sources(), _fmt(fmt, as_json, fields), reg, fields=_fields(fields))


@_command()
def conflicts(
    kind: Annotated[Optional[ConflictKind], typer.Option("--kind", "-k", help="Kind of disagreement.")] = None,
    record: Annotated[Optional[str], typer.Option("--record", help="Only conflicts about this record (id or name).", autocompletion=complete_record)] = None,
    fmt: FormatOpt = "table",
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
        emit_records("conflict", reg.conflicts(kind=(kind), record=record), _fmt(fmt, as_json, fields), reg, fields=_fields(fields))


@_command()
def search(
    text: Annotated[str, typer.Argument(help="Text to look for (case-insensitive).")],
    fmt: FormatOpt = "table",
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
        emit_records("mixed", reg.search(text), _fmt(fmt, as_json, fields), reg, fields=_fields(fields), title=f"results for {text!r}")


@_command()
def show(
    id_: Annotated[str, typer.Argument(metavar="ID", help="Any record's id, name or alias.", autocompletion=complete_record)],
    fmt: FormatOpt = "table",
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
        emit_record(reg.get(id_), _fmt(fmt, as_json, fields), reg, fields=_fields(fields))


@_command()
def validate(
    paths: Annotated[Optional[list[Path]], typer.Argument(help="Fact files or folders to check with the bundled facts.")] = None,
    no_bundled: Annotated[bool, typer.Option("--no-bundled", help="Check PATHs alone, without the bundled facts.")] = False,
    fmt: FormatOpt = "table",
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

GraphFormat = Literal["mermaid", "dot", "json"]


class EventKind(str, Enum):  # an Enum, not a Literal: Typer takes lists of Enums only
    deal = "deal"
    milestone = "milestone"
    figure = "figure"


@_command()
def matrix(
    company: CompanyOpt = None,
    domain: Annotated[Optional[Domain], typer.Option("--domain", "-d", help="Only deals in this domain.")] = None,
    year: YearOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    fmt: FormatOpt = "table",
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
        m = build(reg, company=company, domain=domain, year=year, since=since, until=until)
        emit_matrix(m, _fmt(fmt, as_json))


@_command()
def timeline(
    company: CompanyOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    kind: Annotated[
        Optional[list[EventKind]],
        typer.Option("--kind", "-k", help="Only these kinds of event: deal, milestone, figure (repeatable)."),
    ] = None,
    undated: Annotated[bool, typer.Option("--undated", help="Also list the events whose date is unknown, at the end.")] = False,
    fmt: FormatOpt = "table",
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
        emit_timeline(tl, _fmt(fmt, as_json, fields), fields=_fields(fields))


@_command()
def graph(
    company: Annotated[
        Optional[str], typer.Option("--company", "-c", help="Only this company's neighbourhood: it, its partners, the deals among them.")
    ] = None,
    domain: Annotated[Optional[Domain], typer.Option("--domain", "-d", help="Only deals in this domain.")] = None,
    year: YearOpt = None,
    fmt: Annotated[GraphFormat, typer.Option("--format", "-f", help="Output format.", case_sensitive=False)] = "mermaid",
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
        g = build(reg, company=company, domain=domain, year=year)
        emit_graph(g, "json" if as_json else fmt)


# --- export (issue 4): the whole fact base as one SQLite database or JSON document ---------
# One block on purpose: the writers live in export.py; these commands only parse options.

export_app = typer.Typer(no_args_is_help=True, cls=_Group)
app.add_typer(
    export_app,
    name="export",
    help="Write the whole fact base to a SQLite database or a JSON document.\n\n"
    "Example: autoalliances export sqlite facts.db",
)

ForceOpt = Annotated[bool, typer.Option("--force", help="Overwrite PATH if it exists.")]


@export_app.command("sqlite", cls=_Command)
def export_sqlite(
    path: Annotated[Path, typer.Argument(metavar="PATH", help="Database file to write, e.g. facts.db.")],
    force: ForceOpt = False,
    facts: FactsOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """A normalized SQLite database: a table per record type, join tables, foreign keys.

    Example: autoalliances export sqlite facts.db && datasette facts.db
    """
    with handled():
        from .export import check_target, write_sqlite

        check_target(path, force=force)
        n = write_sqlite(_registry(facts, no_cache), path, force=force)
        _err(f"Wrote {n} records to {path}")


@export_app.command("json", cls=_Command)
def export_json(
    path: Annotated[Path, typer.Argument(metavar="PATH", help="JSON file to write, or - for stdout.")],
    force: ForceOpt = False,
    facts: FactsOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """One JSON document: {"tool", "version", "sources", "companies", ...}, records as in show --json.

    Example: autoalliances export json - | jq '.deals | length'
    """
    with handled():
        from .export import check_target, json_text, write_json

        if str(path) == "-":
            sys.stdout.write(json_text(_registry(facts, no_cache)))
            return
        check_target(path, force=force)
        n = write_json(_registry(facts, no_cache), path, force=force)
        _err(f"Wrote {n} records to {path}")


# --- start-up -------------------------------------------------------------------------------


def _name(info: Any) -> str:
    return info.name or info.callback.__name__.replace("_", "-")


def _summaries() -> list[tuple[str, str]]:
    """(name, first paragraph of help) of every command and command group, unbuilt."""
    out = []
    for info in [*app.registered_commands, *app.registered_groups]:
        if getattr(info, "hidden", False):
            continue
        group = getattr(info, "typer_instance", None)
        callback = getattr(info, "callback", None)
        text = info.help or (group.info.help if group else None) or (callback.__doc__ if callback else None)
        out.append((_name(info), _first_paragraph(text)))
    return out


def _first_paragraph(text: str | None) -> str:
    return " ".join((text or "").strip().split("\n\n")[0].split())


def needed_commands(argv: list[str], environ: dict[str, str] | os._Environ[str]) -> set[str] | None:
    """The commands this invocation can reach: a set of names, or None for all of them.

    ``autoalliances deals ...`` needs only ``deals``; bare ``--help`` or
    ``--version`` needs none (the help lists commands from their summaries).
    Anything else (an unknown word, completion of a command name) gets them all,
    so click's own messages ("No such command ... Did you mean") stay right.
    """
    names = {_name(i) for i in [*app.registered_commands, *app.registered_groups]}
    if "_AUTOALLIANCES_COMPLETE" in environ:
        import shlex

        bash_words = environ.get("COMP_WORDS")
        raw = bash_words if bash_words is not None else environ.get("_TYPER_COMPLETE_ARGS", "")
        try:
            words = shlex.split(raw)
        except ValueError:
            return None
        cword = environ.get("COMP_CWORD", "")
        if bash_words is not None and cword.isdigit():  # bash names the word being completed by index
            args = words[1 : int(cword)]
        elif raw.endswith(" "):  # zsh, fish, PowerShell: the incomplete word is the last one, if any
            args = words[1:]
        else:
            args = words[1:-1]
        return {args[0]} if args and args[0] in names else None
    if not argv or argv[0] in ("-h", "--help", "--version"):
        return set()
    return {argv[0]} if argv[0] in names else None


def _app_for(wanted: set[str] | None) -> typer.Typer:
    if wanted is None:
        return app
    import copy

    lean = copy.copy(app)
    lean.registered_commands = [c for c in app.registered_commands if _name(c) in wanted]
    lean.registered_groups = [g for g in app.registered_groups if _name(g) in wanted]
    return lean


def main() -> None:
    """Entry point for the ``autoalliances`` script and ``python -m autoalliances``."""
    try:
        _app_for(needed_commands(sys.argv[1:], os.environ))(prog_name="autoalliances")
    except BrokenPipeError:
        _quiet_pipe()
        sys.exit(0)
    except KeyboardInterrupt:
        sys.exit(130)
