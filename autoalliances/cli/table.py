"""The command table: every command's name, where it lives, and its one-line summary.

A plain mapping, read by ``root.LazyGroup``: a run imports and builds only the
command it invokes, and ``--help`` lists every command from the summaries
here without importing any of them. A test checks that each summary is the
first paragraph of the command's own help.
"""

from __future__ import annotations

from typing import NamedTuple


class Entry(NamedTuple):
    target: str  # "module:attribute", the attribute a command function or a Typer group
    summary: str  # the first paragraph of its help
    help: str | None = None  # help text of its own, for an alias of another command


COMMANDS: dict[str, Entry] = {
    "company": Entry(
        "autoalliances.cli.records:company",
        "Everything known about one company: deals on both sides, models, systems, figures.",
    ),
    "companies": Entry("autoalliances.cli.lists:companies", "List companies: automakers, tech companies, joint ventures, battery makers."),
    "deals": Entry("autoalliances.cli.lists:deals", "List deals (partnerships, investments, supply, co-development), oldest first."),
    "models": Entry("autoalliances.cli.lists:models", "List car models with maker, powertrain, timing and the systems on board."),
    "systems": Entry(
        "autoalliances.cli.lists:systems",
        "List in-car systems: operating systems, AI models, driver assistance, chips, apps.",
    ),
    "figures": Entry("autoalliances.cli.lists:figures", "List sales, deliveries, market shares, revenue, profit and investment figures."),
    "sales": Entry(
        "autoalliances.cli.lists:figures",
        "Same as 'figures'.",
        "Same as 'figures'.\n\nExample: autoalliances sales --metric sales --region China",
    ),
    "sources": Entry("autoalliances.cli.lists:sources", "List the articles the facts come from: outlet, date, author, language."),
    "conflicts": Entry(
        "autoalliances.cli.lists:conflicts", "List where the articles disagree or one article is inconsistent, with each reading."
    ),
    "search": Entry("autoalliances.cli.lists:search", "Search every record: names, aliases, descriptions, notes."),
    "show": Entry("autoalliances.cli.records:show", "One record in full, with its sources, conflicts and what refers to it."),
    "validate": Entry("autoalliances.cli.validate:validate", "Check fact files: every error as file:line: field: message; exit 3 on any."),
    "matrix": Entry(
        "autoalliances.cli.landscape:matrix",
        "Automakers (rows) × their partners (columns): each cell lists the domains of their deals.",
    ),
    "timeline": Entry(
        "autoalliances.cli.landscape:timeline",
        "Events oldest first: deals announced, launches and debuts (done or planned), figure periods.",
    ),
    "plans": Entry(
        "autoalliances.cli.landscape:plans",
        "The agenda of every plan and target, by date: what is upcoming, due, or passed with no later report.",
    ),
    "graph": Entry("autoalliances.cli.landscape:graph", "The partnership network as a Mermaid or Graphviz DOT diagram (or JSON)."),
    "export": Entry(
        "autoalliances.cli.export:app",
        "Write the whole fact base: a SQLite database, a JSON document, CSV files, a static website or an iCalendar file.",
    ),
    "new": Entry(
        "autoalliances.cli.author:app",
        "Write a new fact file, every field explained in a comment: source, company, deal, model, system, figure, conflict.",
    ),
    "diff": Entry(
        "autoalliances.cli.author:diff",
        "Compare two fact trees (folders, or the word bundled): records added, removed and changed, field by field.",
    ),
    "schema": Entry("autoalliances.cli.author:schema", "The JSON Schema of fact files (Draft 2020-12), for editors and check-jsonschema."),
}
