"""The closed lists (controlled vocabularies) of the fact base.

Kept apart from ``records.py`` so the command line can offer them as choices
without setting up the record classes: this module costs only ``typing``.
"""

from __future__ import annotations

from typing import Literal, get_args

CompanyKind = Literal[
    "automaker", "joint-venture", "technology", "ai", "driver-assistance", "chipmaker", "battery", "association"
]
SystemKind = Literal[
    "operating-system", "ai-model", "ai-assistant", "ai-agent", "driver-assistance",
    "chip", "app", "digital-service", "platform", "architecture",
]
Powertrain = Literal["bev", "phev", "hev", "ice"]
DealKind = Literal["partnership", "co-development", "investment", "supply", "joint-venture"]
Domain = Literal[
    "cockpit-os", "ai-assistant", "driver-assistance", "battery",
    "digital-services", "connectivity", "r-and-d", "manufacturing",
]
DealStatus = Literal["announced", "planned", "in-development", "in-production", "reported", "ongoing"]
Metric = Literal[
    "sales", "deliveries", "market-share", "revenue", "net-profit", "profit-margin", "investment",
    "sales-share", "supplier-count", "user-share", "model-count", "feature-count", "data-volume",
    "recognition-rate", "computing-power",
]
FigureStatus = Literal["reported", "target", "plan"]
MilestoneStatus = Literal["planned", "reported"]
Unit = Literal["EUR", "USD", "CNY", "JPY", "vehicles", "units", "percent", "times", "count", "items"]
Scale = Literal["thousand", "million", "billion", "trillion"]
Qualifier = Literal["exact", "about", "more-than", "less-than", "nearly", "at-least", "up-to"]
ChangeUnit = Literal["percent", "percentage-points"]
ChangeBasis = Literal["year-on-year", "since-period"]
ConflictKind = Literal["precision", "spelling", "naming", "mistranslation", "timing", "scope", "contradiction"]
# disagreement: two or more articles give different readings; anomaly: one article is inconsistent with itself.
ConflictNature = Literal["disagreement", "anomaly"]
Translation = Literal["human", "machine"]


def choices(literal: object) -> tuple[str, ...]:
    """The values of a closed list (a ``Literal`` alias)."""
    return get_args(literal)
