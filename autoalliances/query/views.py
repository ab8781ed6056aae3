"""What the registry hands to the render layer: records plus everything needed to print them.

Rendering runs no queries. A command asks the registry for records and for
the ``Lookups`` of those records (the names of the ids they refer to, the
sources they cite, the conflicts that name them); ``Dossier`` and
``RecordView`` bundle one company's or one record's whole answer.

Plain classes rather than dataclasses: ``dataclass()`` compiles its methods
with ``exec`` when the module is imported, which every start-up would pay.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from ..model.records import Company, Conflict, Deal, Figure, Model, Record, Source, System

if TYPE_CHECKING:
    from ..model.plans import Plan
    from ..store.search import Match


class Lookups:
    """Names, sources, conflicts, origins and plans for a set of records, the day they are read on, and
    whether inferred values are hidden."""

    __slots__ = (
        "anomalies", "as_of", "conflicts", "names", "newest", "origins", "plans", "source_objects", "sources", "stated_only", "today",
    )

    def __init__(
        self,
        names: dict[str, str] | None = None,
        sources: dict[str, Source] | None = None,
        conflicts: dict[str, list[str]] | None = None,
        origins: dict[str, dict[str, object]] | None = None,
        *,
        today: date | None = None,
        as_of: date | None = None,
        stated_only: bool = False,
        anomalies: dict[str, str] | None = None,
    ) -> None:
        self.names = names or {}  # id -> display name, for the ids the records refer to
        self.sources = sources or {}  # every source the records cite, by id
        self.conflicts = conflicts or {}  # record id -> ids of the conflicts naming it
        self.origins = origins or {}  # record id -> where it came from (load.overlay.Origin)
        # (record id, milestone position) or (record id, None) -> the plan's standing on ``today``
        self.plans: dict[tuple[str, int | None], Plan] = {}
        self.today = today  # the day plans are read against (None: plans are not assessed)
        self.as_of = as_of  # set when the fact base is read as of a day (--as-of); then today == as_of
        self.stated_only = stated_only  # --stated-only: print no value the editors inferred
        # conflict id -> its one source, for the conflicts that are anomalies (one article at odds
        # with itself); every other conflict is a disagreement between articles
        self.anomalies = anomalies or {}
        # source id -> its JSON object, made once and shared by every record printed that cites it
        # (``render.shapes.record_json``): never changed after it is made
        self.source_objects: dict[str, dict[str, object]] = {}
        # source ids -> the newest publication among them (``render.shapes``), worked out once
        self.newest: dict[tuple[str, ...], str | None] = {}

    def plan(self, record: str, milestone: int | None = None) -> Plan | None:
        """The plan of a record's milestone (by position), or of the record itself."""
        return self.plans.get((record, milestone))

    def name(self, id_: str | None) -> str:
        """The display name of an id ("" for None; the id itself when it names nothing known)."""
        return "" if id_ is None else self.names.get(id_, id_)


class Dossier:
    """Everything known about one company."""

    __slots__ = ("children", "company", "conflicts", "deals", "figures", "lookups", "models", "parents", "systems")

    def __init__(self, company: Company, parents: list[Company] | None = None) -> None:
        self.company = company
        self.parents = parents or []
        self.children: list[Company] = []
        self.deals: list[Deal] = []
        self.models: list[Model] = []
        self.systems: list[System] = []
        self.figures: list[Figure] = []
        self.conflicts: list[Conflict] = []
        self.lookups = Lookups()

    def records(self) -> list[Record]:
        return [self.company, *self.deals, *self.models, *self.systems, *self.figures, *self.conflicts]


class RecordView:
    """One record in full (``show``): its lookups, the conflicts that name it, what refers to it."""

    __slots__ = ("conflict_lookups", "conflicts", "lookups", "record", "referrers")

    def __init__(
        self, record: Record, lookups: Lookups, conflicts: list[Conflict], conflict_lookups: Lookups, referrers: list[Record]
    ) -> None:
        self.record = record
        self.lookups = lookups
        self.conflicts = conflicts
        self.conflict_lookups = conflict_lookups
        self.referrers = referrers


class Listing:
    """A list of records of one type (or ``mixed`` types), ready to print."""

    __slots__ = ("kind", "lookups", "matches", "none", "notes", "records", "shown_of", "title")

    def __init__(self, kind: str, records: list[Record], lookups: Lookups, title: str | None = None) -> None:
        self.kind = kind  # a record type, or "mixed"
        self.records = records
        self.lookups = lookups
        self.title = title
        self.matches: dict[str, Match] | None = None  # search: where each record matched
        self.notes: list[str] = []  # caveats for people, printed on stderr after the result
        self.shown_of: int | None = None  # --limit: how many records there were before the cut
        self.none: str | None = None  # the note when nothing matched (default: "no <title or kind> match")
