"""What the exported tables mean, in words, and what describes a release of the fact base.

Shared by the CSV data package (``datapackage.json``: resource and field
descriptions) and Datasette's ``metadata.json`` (``export sqlite --metadata``).
``TABLES`` must name every table and view of the export; a test fails when a
table is added without a description.
"""

from __future__ import annotations

from typing import Any

from ..version import __version__

TITLE = "autoalliances: alliances between foreign automakers and Chinese technology companies"
DESCRIPTION = (
    "A sourced fact base on the alliances between foreign automakers and Chinese technology companies, "
    "and the car models, in-car systems, sales and financial figures around them. Every fact cites the "
    "articles it comes from; plans are plans as reported then; where articles disagree, each reading is kept."
)
LICENSE = {"name": "MIT", "path": "https://opensource.org/licenses/MIT", "title": "MIT License"}
SOURCE = "autoalliances, from the articles listed in the sources table"
SEARCH_TABLE = "records_fts"  # the full-text index of ``export sqlite`` (see ``sqlite.add_search_index``)

TABLES: dict[str, str] = {
    "meta": "The export itself: tool, version, schema version and the ids of the sources.",
    "records": "Every record of every type: id, type and display name. Searchable (names, aliases, descriptions, notes).",
    "sources": "The articles every fact comes from: title, outlet, publication date, author, language, translation.",
    "companies": "Automakers, technology companies, joint ventures, battery makers, associations.",
    "systems": "In-car systems: operating systems, AI models and assistants, driver assistance, chips, apps, platforms.",
    "models": "Car models: maker, producer, body, segment, platform, market.",
    "deals": "Deals between an automaker side and its partners: kind, announcement date, status, value.",
    "figures": "Sales, deliveries, market shares, revenue, profit, investment and other figures, by period.",
    "conflicts": "Where the articles disagree (or one is inconsistent with itself): topic, kind, nature.",
    "citations": "The sources each record cites, in order.",
    "aliases": "Other names of companies, systems and models, in order.",
    "alias_sources": "The articles that print each alias; an alias without a row is a search aid the editors added.",
    "inferred": "Values the editors inferred rather than read in an article: the field path and why.",
    "notes": "Statements about a record in the editors' own words, each with its own sources.",
    "note_sources": "The sources each note cites.",
    "milestones": "Dated events of deals, models and systems (launch, debut, release); 'planned' is a plan as reported then.",
    "milestone_sources": "The sources each milestone cites.",
    "equivalents": "Amounts in other units, as an article gives them, for deal values and figures.",
    "company_parents": "Owners of a joint venture, parent of a unit.",
    "people": "People named at a company, with their role.",
    "person_sources": "The sources that name each person.",
    "model_powertrains": "Powertrains of each model: bev, phev, hev, ice.",
    "model_systems": "Systems on board each model.",
    "deal_parties": "Both sides of each deal: side 'company' (the automaker side) and 'partner'.",
    "deal_domains": "Domains of each deal: cockpit-os, ai-assistant, driver-assistance, battery...",
    "deal_models": "Models each deal concerns.",
    "deal_systems": "Systems each deal concerns.",
    "conflict_records": "Records each conflict concerns.",
    "readings": "Each article's reading of a disputed fact.",
    "deal_overview": "One line per deal with the names of both sides, oldest first.",
    "record_sources": "Every source a record cites at any depth, and through what (record, note, milestone, person, reading).",
    "conflict_readings": "Each reading of each conflict with its article's outlet and date.",
}

_DATE_SUFFIXES = (
    ("_precision", "precision of {stem}: day, month, quarter, half, season, part (early/mid/late), year or unknown"),
    ("_start", "first day {stem} can mean (ISO date)"),
    ("_end", "last day {stem} can mean (ISO date)"),
    ("_by", "1 when {stem} is a deadline ('by 2026'), else 0"),
)
_AMOUNT_SUFFIXES = (
    ("_absolute", "{stem} with its scale applied (142.4 billion -> 142400000000)"),
    ("_scale", "scale of {stem}: thousand, million, billion, trillion"),
    ("_unit", "unit of {stem}"),
    ("_qualifier", "qualifier of {stem}: exact, about, more-than..."),
    ("_as_printed", "how the article labels {stem}, when that is odd"),
)


def column_description(column: str, date_prefixes: set[str]) -> str | None:
    """A description of a column that follows the export's naming rules, or None."""
    if column == "position":
        return "place in the list as written in the fact file (1 = first)"
    if column in date_prefixes:
        return f"{column} as written in the fact file: a date with its precision (2025-03-26, 2025-Q3, 2026-spring, by 2026, unknown)"
    for suffix, text in _DATE_SUFFIXES:
        if column.endswith(suffix) and column[: -len(suffix)] in date_prefixes:
            return text.format(stem=column[: -len(suffix)])
    for suffix, text in _AMOUNT_SUFFIXES:
        if column.endswith(suffix):
            return text.format(stem=column[: -len(suffix)])
    return None


def fact_base_version(reg: Any = None) -> str:
    """The version of the fact base a release carries.

    Wiring point: the data version (issue 14) takes over here when the
    registry has one (``reg.data_version``, a string or a method); until
    then the fact base is versioned with the tool.
    """
    own = getattr(reg, "data_version", None)
    if callable(own):
        own = own()
    return own if isinstance(own, str) and own else __version__


def datasette_metadata(database: str, tables: list[str], *, search: bool) -> dict[str, Any]:
    """Datasette's ``metadata.json`` for the exported database named *database* (the file name without .db)."""
    described: dict[str, Any] = {}
    for t in tables:
        entry: dict[str, Any] = {"description": TABLES.get(t, "")}
        if t == "records" and search:
            entry["fts_table"] = SEARCH_TABLE
        described[t] = entry
    if search:
        described[SEARCH_TABLE] = {"hidden": True}
    return {
        "title": TITLE,
        "description": DESCRIPTION,
        "license": LICENSE["name"],
        "license_url": LICENSE["path"],
        "source": SOURCE,
        "databases": {database: {"description": DESCRIPTION, "tables": described}},
    }
