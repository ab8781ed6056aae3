"""The closed lists (controlled vocabularies) of the fact base.

Kept apart from ``records.py`` so the command line can offer them as choices
without setting up the record classes: this module costs only ``typing``.
Each list has a one-line description per value beside it (``describe``):
the JSON Schema (``model/jsonschema.py``) and the comments of the files that
``autoalliances new`` writes show them, and a test checks that every value
has one.
"""

from __future__ import annotations

from typing import Literal, get_args, get_origin

CompanyKind = Literal[
    "automaker", "joint-venture", "technology", "ai", "driver-assistance", "chipmaker", "battery", "association"
]
COMPANY_KINDS = {
    "automaker": "builds and sells cars under its own brands",
    "joint-venture": "a company owned by two or more companies (parents), or a unit of one",
    "technology": "a technology company: software, devices, cloud, internet services",
    "ai": "a company whose business is AI models",
    "driver-assistance": "a maker of driver-assistance or automated-driving systems",
    "chipmaker": "designs or makes chips",
    "battery": "makes batteries or battery cells",
    "association": "an industry body or association that publishes figures",
}
SystemKind = Literal[
    "operating-system", "ai-model", "ai-assistant", "ai-agent", "driver-assistance",
    "chip", "app", "digital-service", "platform", "architecture",
]
SYSTEM_KINDS = {
    "operating-system": "an operating system for the car or its cockpit",
    "ai-model": "an AI (language) model",
    "ai-assistant": "an assistant the driver talks to",
    "ai-agent": "an AI agent that carries out tasks for the driver",
    "driver-assistance": "a driver-assistance or automated-driving system",
    "chip": "a chip or processor",
    "app": "an app, on the phone or in the car",
    "digital-service": "a service delivered online (maps, payments, data)",
    "platform": "a vehicle platform that models are built on",
    "architecture": "an electrical/electronic or software architecture",
}
Powertrain = Literal["bev", "phev", "hev", "ice"]
POWERTRAINS = {
    "bev": "battery electric",
    "phev": "plug-in hybrid",
    "hev": "hybrid without a plug",
    "ice": "combustion engine only",
}
DealKind = Literal["partnership", "co-development", "investment", "supply", "joint-venture"]
DEAL_KINDS = {
    "partnership": "a cooperation agreement: work together, use each other's products",
    "co-development": "the two sides develop a product or system together",
    "investment": "one side invests money in the other",
    "supply": "one side supplies parts, systems or data to the other",
    "joint-venture": "the two sides found or run a company together",
}
Domain = Literal[
    "cockpit-os", "ai-assistant", "driver-assistance", "battery",
    "digital-services", "connectivity", "r-and-d", "manufacturing",
]
DOMAINS = {
    "cockpit-os": "the cockpit or in-car operating system",
    "ai-assistant": "an AI model or assistant in the car",
    "driver-assistance": "driver assistance and automated driving",
    "battery": "batteries and cells",
    "digital-services": "apps and online services: maps, payments, app stores",
    "connectivity": "the car's link to phones, the network and the cloud",
    "r-and-d": "research and development in general",
    "manufacturing": "building cars or parts",
}
DealStatus = Literal["announced", "planned", "in-development", "in-production", "reported", "ongoing"]
DEAL_STATUSES = {
    "announced": "announced by the companies (at the article's date)",
    "planned": "a plan as the article reported it then, not something that happened",
    "in-development": "reported as being developed",
    "in-production": "reported as in production or on sale",
    "reported": "reported as having happened, with no announcement named",
    "ongoing": "a cooperation reported as running for some time",
}
Metric = Literal[
    "sales", "deliveries", "market-share", "revenue", "net-profit", "profit-margin", "investment",
    "sales-share", "supplier-count", "user-share", "model-count", "feature-count", "data-volume",
    "recognition-rate", "computing-power",
]
METRICS = {
    "sales": "vehicles sold",
    "deliveries": "vehicles delivered to customers",
    "market-share": "share of a market",
    "revenue": "revenue",
    "net-profit": "net profit",
    "profit-margin": "profit as a share of revenue",
    "investment": "money invested",
    "sales-share": "share of a company's own sales (of one powertrain, say)",
    "supplier-count": "number of suppliers",
    "user-share": "share of users (of a device or app)",
    "model-count": "number of car models",
    "feature-count": "number of features",
    "data-volume": "amount of data (points of interest, records)",
    "recognition-rate": "how often an assistant understands what is said",
    "computing-power": "computing power of a chip or architecture",
}
FigureStatus = Literal["reported", "target", "plan"]
FIGURE_STATUSES = {
    "reported": "a number reported for a past period",
    "target": "a goal the company set",
    "plan": "a planned number (a budget, a count of launches to come)",
}
MilestoneStatus = Literal["planned", "reported"]
MILESTONE_STATUSES = {
    "planned": "a plan as the article reported it then, not something that happened",
    "reported": "reported as having happened",
}
Unit = Literal["EUR", "USD", "CNY", "JPY", "vehicles", "units", "percent", "times", "count", "items"]
UNITS = {
    "EUR": "euros",
    "USD": "US dollars",
    "CNY": "Chinese yuan (renminbi)",
    "JPY": "Japanese yen",
    "vehicles": "cars or other vehicles",
    "units": "devices, chips or other units",
    "percent": "a percentage",
    "times": "a multiple (3 times as fast)",
    "count": "a plain count",
    "items": "things counted that are not vehicles or units (data points, features)",
}
Scale = Literal["thousand", "million", "billion", "trillion"]
SCALES = {
    "thousand": "10^3",
    "million": "10^6",
    "billion": "10^9 (a thousand million)",
    "trillion": "10^12",
}
Qualifier = Literal["exact", "about", "more-than", "less-than", "nearly", "at-least", "up-to"]
QUALIFIERS = {
    "exact": "the number as stated",
    "about": "an approximate number ('about', 'some', 'around')",
    "more-than": "'more than', 'over'",
    "less-than": "'less than', 'under'",
    "nearly": "'nearly', 'almost'",
    "at-least": "'at least'",
    "up-to": "'up to'",
}
ChangeUnit = Literal["percent", "percentage-points"]
CHANGE_UNITS = {
    "percent": "a change in percent of the previous value",
    "percentage-points": "a change of a percentage, in points",
}
ChangeBasis = Literal["year-on-year", "since-period"]
CHANGE_BASES = {
    "year-on-year": "compared with the same period a year earlier",
    "since-period": "compared with an earlier period the article names",
}
ConflictKind = Literal["precision", "spelling", "naming", "mistranslation", "timing", "scope", "contradiction"]
CONFLICT_KINDS = {
    "precision": "the same value given at different precisions (142.4 and 142.38)",
    "spelling": "the same name spelled differently",
    "naming": "the same thing given different names",
    "mistranslation": "a translation that garbles a name or a value",
    "timing": "different dates or timing for the same event",
    "scope": "different extents of the same deal or figure",
    "contradiction": "statements that cannot both be true",
}
# disagreement: two or more articles give different readings; anomaly: one article is inconsistent with itself.
ConflictNature = Literal["disagreement", "anomaly"]
CONFLICT_NATURES = {
    "disagreement": "two or more articles give different readings (readings from at least two sources)",
    "anomaly": "one article is at odds with itself (all readings from one source)",
}
Translation = Literal["human", "machine"]
TRANSLATIONS = {
    "human": "translated by a person",
    "machine": "machine-translated (the text shows it)",
}

_DESCRIPTIONS: dict[object, dict[str, str]] = {
    CompanyKind: COMPANY_KINDS,
    SystemKind: SYSTEM_KINDS,
    Powertrain: POWERTRAINS,
    DealKind: DEAL_KINDS,
    Domain: DOMAINS,
    DealStatus: DEAL_STATUSES,
    Metric: METRICS,
    FigureStatus: FIGURE_STATUSES,
    MilestoneStatus: MILESTONE_STATUSES,
    Unit: UNITS,
    Scale: SCALES,
    Qualifier: QUALIFIERS,
    ChangeUnit: CHANGE_UNITS,
    ChangeBasis: CHANGE_BASES,
    ConflictKind: CONFLICT_KINDS,
    ConflictNature: CONFLICT_NATURES,
    Translation: TRANSLATIONS,
}


def choices(literal: object) -> tuple[str, ...]:
    """The values of a closed list (a ``Literal`` alias)."""
    return get_args(literal)


def describe(literal: object) -> dict[str, str]:
    """Each value of a closed list with its one-line description, in the list's order."""
    return _DESCRIPTIONS[literal]


def closed_lists() -> dict[str, object]:
    """Every closed list of this module by its name (``CompanyKind``...)."""
    return {name: v for name, v in globals().items() if get_origin(v) is Literal}
