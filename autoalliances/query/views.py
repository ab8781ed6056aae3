"""What the registry hands to the render layer: records plus everything needed to print them.

Rendering runs no queries. A command asks the registry for records and for
the ``Lookups`` of those records (the names of the ids they refer to, the
sources they cite, the conflicts that name them); ``Dossier`` and
``RecordView`` bundle one company's or one record's whole answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model.records import Company, Conflict, Deal, Figure, Model, Record, Source, System


@dataclass
class Lookups:
    """Names, sources and conflicts for a set of records."""

    names: dict[str, str] = field(default_factory=dict)  # id -> display name, for the ids the records refer to
    sources: dict[str, Source] = field(default_factory=dict)  # every source the records cite, by id
    conflicts: dict[str, list[str]] = field(default_factory=dict)  # record id -> ids of the conflicts naming it

    def name(self, id_: str | None) -> str:
        """The display name of an id ("" for None; the id itself when it names nothing known)."""
        return "" if id_ is None else self.names.get(id_, id_)


@dataclass
class Dossier:
    """Everything known about one company."""

    company: Company
    parents: list[Company] = field(default_factory=list)
    children: list[Company] = field(default_factory=list)
    deals: list[Deal] = field(default_factory=list)
    models: list[Model] = field(default_factory=list)
    systems: list[System] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    lookups: Lookups = field(default_factory=Lookups)

    def records(self) -> list[Record]:
        return [self.company, *self.deals, *self.models, *self.systems, *self.figures, *self.conflicts]


@dataclass
class RecordView:
    """One record in full (``show``): its lookups, the conflicts that name it, what refers to it."""

    record: Record
    lookups: Lookups
    conflicts: list[Conflict]
    conflict_lookups: Lookups
    referrers: list[Record]


@dataclass
class Listing:
    """A list of records of one type (or ``mixed`` types), ready to print."""

    kind: str  # a record type, or "mixed"
    records: list[Record]
    lookups: Lookups
    title: str | None = None
