"""What each field of a fact file means, in one line: the words beside the types.

The types, closed lists and formats come from the annotations in
``records.py`` (and ``vocab.py``, ``dates.py``); this module only says what a
field is for. The JSON Schema (``jsonschema.py``) and the comments of the
files ``autoalliances new`` writes read it; a test checks that every field of
every record type and part has a line here, and that no line names a field
that does not exist.
"""

from __future__ import annotations

RECORDS = {
    "Source": "an article the facts come from",
    "Company": "an automaker, a technology company, a joint venture or another company the articles name",
    "System": "an operating system, AI model or assistant, driver-assistance system, chip, app or platform",
    "Model": "a car model",
    "Deal": "an alliance between the automaker side and its partners: partnership, co-development, investment, supply",
    "Figure": "a number an article gives: sales, a market share, revenue, an investment",
    "Conflict": "a place where articles disagree (disagreement), or where one article is at odds with itself (anomaly)",
}

_ID = "lowercase slug (letters, digits, single hyphens), unique across all records of every type"
_SOURCES = "ids of the sources (articles) this is read from; at least one"
_NOTES = "remarks in your own words, each with the sources it comes from"
_INFERRED = (
    "values you inferred rather than read: field path (kind, domains[0], milestones[1].date) -> why; "
    "leave it empty when every value is stated"
)
_ALIASES = "other names the articles use for it"
_ALIAS_SOURCES = "alias -> ids of the sources whose article prints it; an alias with no entry is a search aid you added"
_DESCRIPTION = "what it is, in your own words"
_MILESTONES = "dated events: launches, debuts, releases (planned or reported)"

FIELDS: dict[str, dict[str, str]] = {
    "Source": {
        "id": _ID + "; outlet-date-topic reads well (yicai-2025-03-18-bmw-huawei)",
        "language": "language of the text you have (en, zh, ja...)",
        "published": "when the article was published, as precise as it says; \"unknown\" when it does not say",
        "title": "the headline as printed, or null",
        "outlet": "the publication, only when the text names it; never guess",
        "author": "the author, when named",
        "url": "where the article is online",
        "archived_url": "a copy in a web archive, in case the page changes or goes away",
        "retrieved": "when you read the article at url",
        "file": "a saved copy of the article, relative to this fact file (validate checks that it exists)",
        "original_language": "the language it was translated from, when the text shows it",
        "translation": "how it was translated, when the text shows it",
        "notes": "remarks on the text's quality: scrambled paragraphs, garbled names...",
        "inferred": _INFERRED,
    },
    "Company": {
        "id": _ID,
        "name": "the name as the articles print it",
        "kind": "what kind of company it is",
        "sources": _SOURCES,
        "country": "the country, only as the articles state it (China, Germany, Japan)",
        "aliases": _ALIASES,
        "alias_sources": _ALIAS_SOURCES,
        "parents": "company ids: the owners of a joint venture, the parent of a unit",
        "description": _DESCRIPTION,
        "people": "people named at the company, each with the sources that name them",
        "notes": _NOTES,
        "inferred": _INFERRED,
    },
    "System": {
        "id": _ID,
        "name": "the name as the articles print it",
        "kind": "what kind of system it is",
        "sources": _SOURCES,
        "vendor": "company id of who makes it",
        "version": "its version, quoted (\"5.0\")",
        "family": "system id of the product family it belongs to",
        "aliases": _ALIASES,
        "alias_sources": _ALIAS_SOURCES,
        "description": _DESCRIPTION,
        "milestones": _MILESTONES,
        "notes": _NOTES,
        "inferred": _INFERRED,
    },
    "Model": {
        "id": _ID,
        "name": "the model's name as the articles print it",
        "maker": "company id of the brand's owner",
        "sources": _SOURCES,
        "producer": "company id of the joint venture that builds it",
        "body": "body style as the articles describe it (sedan, SUV)",
        "segment": "segment as the articles describe it (premium, compact)",
        "powertrains": "its powertrains",
        "platform": "system id of its platform or architecture",
        "market": "where it is sold, as stated (China)",
        "systems": "system ids of what is on board",
        "aliases": _ALIASES,
        "alias_sources": _ALIAS_SOURCES,
        "description": _DESCRIPTION,
        "milestones": _MILESTONES,
        "notes": _NOTES,
        "inferred": _INFERRED,
    },
    "Deal": {
        "id": _ID + "; company-partner-topic reads well (bmw-huawei-harmonyos)",
        "title": "one line saying who does what with whom, in your own words and in the past tense for what happened",
        "company": "company id of the automaker side",
        "kind": "what kind of deal it is",
        "domains": "what the deal is about; at least one",
        "announced": "when it was announced, as precise as the article says; \"unknown\" when it does not say",
        "status": "where the deal stood as reported",
        "sources": _SOURCES,
        "partners": "company ids of the other side",
        "unnamed_partner": "the article's words for a partner it does not name (then partners may be empty)",
        "value": "the amount of money involved, when given",
        "models": "model ids the deal covers",
        "systems": "system ids the deal covers",
        "description": _DESCRIPTION,
        "milestones": _MILESTONES,
        "notes": _NOTES,
        "inferred": _INFERRED,
    },
    "Figure": {
        "id": _ID + "; company-metric-period reads well (bmw-china-sales-2024)",
        "metric": "what is measured",
        "region": "where it applies: China, global, Europe...",
        "period": "the period the number is for",
        "status": "a reported number, a target or a plan",
        "sources": _SOURCES,
        "company": "company id the number is about (or give scope)",
        "scope": "the group or market it is about, when it is not one company (\"Japanese automakers in China\")",
        "value": "the number (a figure needs a value, a change or both)",
        "change": "how it changed, against what",
        "attributed_to": "company id the article credits the number to (an association)",
        "system": "system id the figure is about",
        "model": "model id the figure is about",
        "description": "what the number is, in your own words",
        "notes": _NOTES,
        "inferred": _INFERRED,
    },
    "Conflict": {
        "id": _ID + "; topic-kind reads well (bmw-revenue-2024-precision)",
        "topic": "what the readings are about, in a few words",
        "kind": "what kind of difference it is",
        "readings": "each article's reading, in its own words: a disagreement needs two sources, an anomaly has one",
        "nature": "disagreement (articles differ) or anomaly (one article is inconsistent)",
        "records": "ids of the records concerned, of any type",
        "note": "what the difference is, in your own words",
        "inferred": _INFERRED,
    },
    "Note": {"text": "the remark, in your own words", "sources": _SOURCES},
    "Person": {"name": "the person's name as printed", "sources": _SOURCES, "role": "their role or title, as printed"},
    "Milestone": {
        "date": "when, as precise as the article says",
        "event": "what happens, in a few words (launch, debut, release)",
        "status": "planned (a plan as reported then) or reported (reported as having happened)",
        "sources": _SOURCES,
    },
    "Amount": {
        "amount": "the number as printed (142.4)",
        "unit": "what it counts",
        "scale": "thousand, million, billion or trillion, as printed",
        "qualifier": "how exact the number is",
        "equivalents": "the same amount in other units, as the article gives them",
        "as_printed": "how the article labels it, when that is odd (\"Rs. 545 million\")",
    },
    "Change": {
        "unit": "percent or percentage points",
        "amount": "the change (-8.4), or null when only the previous value is given",
        "previous": "the value it changed from",
        "basis": "what it is compared with",
    },
    "Reading": {
        "source": "id of the source that gives this reading",
        "text": "the reading, as the article gives it",
        "record": "id of the record that holds this reading",
    },
}


def field_doc(cls: type, name: str) -> str:
    """The one-line meaning of field *name* of record type or part *cls*."""
    return FIELDS[cls.__name__][name]
