"""Every option and argument of the command line, declared once, by parameter name.

A command declares its parameters with plain types (``company: str | None =
None``); ``run.command`` looks each one up here by name (or by the name a
command maps it to, ``options={"company": "vendor"}``) and gives it to Typer
as ``Annotated[type, typer.Option(...)]``. The Typer objects are made only
for the command a run builds: declaring forty of them up front cost every
start-up about 7 million instructions. Completion callbacks are named, not
imported, for the same reason.
"""

from __future__ import annotations

from enum import Enum
from typing import Any, Literal, NamedTuple

Format = Literal["table", "json", "jsonl", "csv", "markdown"]
Color = Literal["auto", "always", "never"]
GraphFormat = Literal["mermaid", "dot", "json"]


class EventKind(str, Enum):  # an Enum, not a Literal: Typer takes lists of Enums only
    deal = "deal"
    milestone = "milestone"
    figure = "figure"


class PlanState(str, Enum):  # the states of model.plans.PLAN_STATES, as Typer choices
    upcoming = "upcoming"
    due = "due"
    passed = "passed"
    undated = "undated"
    done = "done"


class Spec(NamedTuple):
    """One option (its flags) or argument (no flags), with its help and Typer settings."""

    decls: tuple[str, ...]
    help: str
    settings: dict[str, Any] = {}  # noqa: RUF012 - never mutated; a NamedTuple default
    complete: str | None = None  # the name of a function in cli.completion


def _arg(help: str, **settings: Any) -> Spec:
    return Spec((), help, settings)


SPECS: dict[str, Spec] = {
    # The shared bundles (run.OUTPUT, run.FACTS).
    "fmt": Spec(("--format", "-f"), "Output format.", {"case_sensitive": False, "show_default": "table"}),
    "graph_fmt": Spec(("--format", "-f"), "Output format.", {"case_sensitive": False, "show_default": "mermaid"}),
    "as_json": Spec(("--json",), "Shorthand for --format json."),
    "fields": Spec(
        ("--fields",),
        "Fields to print, comma-separated, in order (json, jsonl, csv, markdown; a table becomes json). "
        "With no value: list the fields.",
        {"metavar": "A,B,C"},
    ),
    "facts": Spec(("--facts",), "Extra fact file or folder, on top of the bundled facts (repeatable).", {"show_default": False}),
    "no_cache": Spec(("--no-cache",), "Read the fact files directly; do not use or write the cache."),
    "raw_cells": Spec(
        ("--raw-cells",),
        "CSV only: write text cells exactly as the facts hold them (no ' before cells that start "
        "with = + - @, which a spreadsheet would run as formulas).",
    ),
    "color": Spec(
        ("--color",),
        "Colours: auto (in a terminal, honouring NO_COLOR and FORCE_COLOR), always or never.",
        {"case_sensitive": False},
    ),
    "no_pager": Spec(
        ("--no-pager",), "Never page: in a terminal, long output otherwise goes through $AUTOALLIANCES_PAGER, $PAGER or less -FRX."
    ),
    "as_of": Spec(
        ("--as-of",),
        "The fact base as it stood on this day (YYYY-MM-DD): only sources published by then count, "
        "and plans are read against it.",
        {"metavar": "DATE"},
    ),
    "stated_only": Spec(
        ("--stated-only",),
        "Only what the articles state: hide values the editors inferred; filters ignore them.",
    ),
    # The ordering bundle of list commands (run.ORDER).
    "limit": Spec(("--limit", "-n"), "Print only the first N records (after --sort); a note on stderr says how many there were.",
                  {"min": 1, "metavar": "N"}),
    "sort": Spec(("--sort",), "Sort by this field (any JSON or CSV field name of the records; dates in time order, "
                 "amounts by value, empty values last).", {"metavar": "FIELD"}),
    "reverse": Spec(("--reverse",), "Reverse the order (of --sort, or the default order)."),
    # Filters.
    "company": Spec(
        ("--company", "-c"),
        "Company (name, id or alias): the records that name it, a unit below it or a system it makes.",
        complete="complete_company",
    ),
    "vendor": Spec(("--company", "-c"), "Vendor (name, id or alias).", complete="complete_company"),
    "neighbourhood": Spec(("--company", "-c"), "Only this company's neighbourhood: it, its partners, the deals among them."),
    "partner": Spec(("--partner", "-p"), "Company on the partner side.", complete="complete_company"),
    "year": Spec(("--year", "-y"), "Calendar year.", {"min": 1000, "max": 9999}),
    "since": Spec(("--since",), "From this date on (2025, 2025-03, 2025-03-17...). Dates match by overlap: "
                  "'early 2025' (January to April) is in --since 2025-04."),
    "until": Spec(("--until",), "Up to this date (inclusive); dates match by overlap, as for --since."),
    "region": Spec(("--region", "-r"), "Region or market, e.g. China, global."),
    "domain": Spec(("--domain", "-d"), "Domain of the deal.", complete="complete_domain"),
    "deal_domain": Spec(("--domain", "-d"), "Only deals in this domain."),
    "company_kind": Spec(("--kind", "-k"), "Kind of company."),
    "country": Spec(("--country",), "Country, as the articles state it."),
    "deal_kind": Spec(("--kind", "-k"), "Kind of deal."),
    "deal_status": Spec(("--status",), "Status as reported."),
    "powertrain": Spec(("--powertrain",), "Powertrain."),
    "system_kind": Spec(("--kind", "-k"), "Kind of system."),
    "metric": Spec(("--metric", "-m"), "What is measured.", complete="complete_metric"),
    "figure_status": Spec(("--status",), "Status of the figure."),
    "conflict_kind": Spec(("--kind", "-k"), "Kind of disagreement."),
    "nature": Spec(("--nature",), "disagreement (articles differ) or anomaly (one article is inconsistent)."),
    "record": Spec(("--record",), "Only conflicts about this record (id or name).", complete="complete_record"),
    "event_kind": Spec(("--kind", "-k"), "Only these kinds of event (repeatable)."),
    "undated": Spec(("--undated",), "Also list the events whose date is unknown, at the end."),
    "plan_state": Spec(
        ("--state", "-s"),
        "Only plans in this state: passed (date gone, no later report), due, upcoming, undated, done (repeatable).",
    ),
    "within": Spec(
        ("--within", "-w"), "Only plans whose date can fall between today and this span ahead: 90d, 6w, 3m, 1y.", {"metavar": "SPAN"}
    ),
    "ics_company": Spec(("--company", "-c"), "Only the events of this company (name, id or alias).", complete="complete_company"),
    "force": Spec(("--force",), "Overwrite PATH if it exists."),
    "folder_force": Spec(("--force",), "Write into DIR even if it is not empty: replace the files an earlier export wrote, keep the rest."),
    "metadata": Spec(("--metadata",), "Also write Datasette's metadata.json (title, licence, table descriptions, search) to this path.",
                     {"metavar": "PATH"}),
    "no_bundled": Spec(("--no-bundled",), "Check PATHs alone, without the bundled facts."),
    "new_dir": Spec(("--dir",), "Folder to write the new file in (default: the current folder); its fact files count as existing records."),
    "schema_at": Spec(
        ("--schema",),
        "Where the file's yaml-language-server line points (default: the nearest facts.schema.json up from --dir, "
        "else the schema installed with autoalliances).",
    ),
    "with_bundled": Spec(("--with-bundled",), "Load each side on top of the bundled facts (for your own facts that cite bundled records)."),
    # Arguments.
    "company_name": _arg("Company name, id or alias (BMW, Ali, huawei...).")._replace(complete="complete_company"),
    "record_id": _arg("Any record's id, name or alias.", metavar="ID")._replace(complete="complete_record"),
    "text": _arg("Words to look for: word, prefix*, \"a phrase\", AND, OR, NOT (case and accents do not count).", metavar="TEXT"),
    "paths": _arg("Fact files or folders to check with the bundled facts."),
    "db_path": _arg("Database file to write, e.g. facts.db.", metavar="PATH"),
    "json_path": _arg("JSON file to write, or - for stdout.", metavar="PATH"),
    "diff_old": _arg("The older fact folder or file, or the word bundled.", metavar="OLD"),
    "diff_new": _arg("The newer fact folder or file, or the word bundled.", metavar="NEW"),
    "schema_type": _arg("Only the schema of one record: source, company, system, model, deal, figure or conflict.", metavar="TYPE"),
    "csv_dir": _arg("Folder to write the CSV files and datapackage.json to, e.g. release/.", metavar="DIR"),
    "site_dir": _arg("Folder to write the website to, e.g. site/.", metavar="DIR"),
    "ics_path": _arg("iCalendar file to write, e.g. plans.ics, or - for stdout.", metavar="PATH"),
}


def parameter_info(key: str) -> Any:
    """The ``typer.Option`` or ``typer.Argument`` for the spec *key*."""
    import typer

    spec = SPECS[key]
    settings = dict(spec.settings)
    if spec.complete:
        from . import completion

        settings["autocompletion"] = getattr(completion, spec.complete)
    if spec.decls:
        return typer.Option(*spec.decls, help=spec.help, **settings)
    return typer.Argument(help=spec.help, **settings)
