"""The typed records of the fact base.

Each record type is a frozen dataclass. Its annotations are the schema: the
validator (``load/validate.py``), the cache codec (``store/codec.py``) and the
reference helpers (``model/refs.py``) read them, so a field is declared once,
here. ``Annotated`` markers say what plain types cannot:
that a string is an id (``Slug``), a web address (``Url``) or a reference to
another record (``Ref``), and that a list must not be empty (``NonEmpty``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import MISSING, FrozenInstanceError, dataclass, field, fields
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, TypeVar

from .dates import FuzzyDate
from .vocab import (
    ChangeBasis,
    ChangeUnit,
    CompanyKind,
    ConflictKind,
    ConflictNature,
    DealKind,
    DealStatus,
    Domain,
    FigureStatus,
    Metric,
    MilestoneStatus,
    Powertrain,
    Qualifier,
    Scale,
    SystemKind,
    Translation,
    Unit,
)

if TYPE_CHECKING:  # costs nothing at run time: type checkers read it, Python never imports it
    from typing_extensions import dataclass_transform
else:

    def dataclass_transform(**_: object) -> object:
        return lambda f: f


class Ref:
    """Marks a string as the id of a record of the given types (None: any type)."""

    __slots__ = ("types",)

    def __init__(self, *types: str) -> None:
        self.types = types

    def __repr__(self) -> str:
        return f"Ref{self.types}"


SLUG = "slug"
NON_EMPTY = "non-empty"
URL = "url"

Slug = Annotated[str, SLUG]
Url = Annotated[str, URL]  # an http or https address
SourceRef = Annotated[str, Ref("source")]
CompanyRef = Annotated[str, Ref("company")]
SystemRef = Annotated[str, Ref("system")]
ModelRef = Annotated[str, Ref("model")]
AnyRef = Annotated[str, Ref()]
Citations = Annotated[list[SourceRef], NON_EMPTY]
# Field path (a field's name, or a path into a part: "milestones[0].date") -> the editors' reason.
Inferred = dict[str, str]
# Alias, exactly as in ``aliases`` -> the sources whose article prints it; an alias with no
# entry is a search aid the editors added.
AliasSources = dict[str, list[SourceRef]]
Number = int | float


# Where each record type's display name (``name``) comes from: the first of these fields that is
# set and not empty, else the id. ``Store.names`` reads them from the stored rows without
# building the records.
NAME_FIELDS: dict[str, tuple[str, ...]] = {
    "source": ("title", "url", "file"),
    "company": ("name",),
    "system": ("name",),
    "model": ("name",),
    "deal": ("title",),
    "figure": ("description",),
    "conflict": ("topic",),
}


def display_name(type_: str, id_: str, value_of: Callable[[str], Any]) -> str:
    """The display name of a record of *type_*: the first of its ``NAME_FIELDS`` that *value_of* gives
    set and not empty, else its id (for a record, and for a stored row read without building one)."""
    for name in NAME_FIELDS[type_]:
        v = value_of(name)
        if v:
            return str(v)
    return id_


def _display_name(rec: Any) -> str:
    return display_name(rec.TYPE, rec.id, lambda name: getattr(rec, name))


SCALE_FACTORS = {"thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12}

class _Record:
    """Base of every record: immutable, compared and hashed by its fields.

    The classes are still dataclasses (``dataclasses.fields`` drives the
    validator and the codec), but ``__init__``, ``__eq__``, ``__repr__`` and the
    frozen ``__setattr__`` live here once instead of being generated per class:
    ``dataclass()`` compiles each generated method with ``exec``, and for the 13
    record classes that cost about 10 ms on every start-up of the command line.
    """

    __slots__ = ()
    _spec: ClassVar[tuple[tuple[str, Any, Any], ...]] = ()  # (name, default, default_factory) per field

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        spec = self._spec
        if len(args) > len(spec):
            raise TypeError(f"{type(self).__name__}() takes {len(spec)} positional arguments but {len(args)} were given")
        setter = object.__setattr__
        for i, (name, default, factory) in enumerate(spec):
            if i < len(args):
                if name in kwargs:
                    raise TypeError(f"{type(self).__name__}() got multiple values for argument {name!r}")
                value = args[i]
            elif name in kwargs:
                value = kwargs.pop(name)
            elif factory is not MISSING:
                value = factory()
            elif default is not MISSING:
                value = default
            else:
                raise TypeError(f"{type(self).__name__}() missing required argument: {name!r}")
            setter(self, name, value)
        if kwargs:
            raise TypeError(f"{type(self).__name__}() got an unexpected keyword argument {next(iter(kwargs))!r}")

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name, _, _ in self._spec)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, _Record)
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash((self.__class__.__name__, *(_hashable(v) for v in self._values())))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{n}={getattr(self, n)!r}' for n, _, _ in self._spec)})"

    def __setattr__(self, name: str, value: Any) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")


def _hashable(v: Any) -> Any:
    if isinstance(v, list):
        return tuple(_hashable(x) for x in v)
    if isinstance(v, dict):
        return tuple((k, _hashable(x)) for k, x in v.items())
    return v


_R = TypeVar("_R", bound=_Record)


@dataclass_transform(frozen_default=True, field_specifiers=(field,))
def _frozen(cls: type[_R]) -> type[_R]:
    """Make ``cls`` a dataclass whose methods come from ``_Record``.

    ``dataclass_transform`` tells type checkers that the decorated classes
    take their fields as constructor arguments, as a frozen dataclass does.
    """
    dataclass(init=False, repr=False, eq=False)(cls)
    cls._spec = tuple((f.name, f.default, f.default_factory) for f in fields(cls))  # type: ignore[arg-type]
    return cls


# --- parts shared by several records -------------------------------------------------


@_frozen
class Note(_Record):
    """A statement in our own words, with the articles it comes from."""

    text: str
    sources: Citations


@_frozen
class Person(_Record):
    name: str
    sources: Citations
    role: str | None = None


@_frozen
class Milestone(_Record):
    """A dated event: a launch, a debut, a release. ``planned`` is a plan as reported then."""

    date: FuzzyDate
    event: str
    status: MilestoneStatus
    sources: Citations


@_frozen
class Amount(_Record):
    amount: Number
    unit: Unit
    scale: Scale | None = None
    qualifier: Qualifier = "exact"
    equivalents: list[Amount] = field(default_factory=list)
    as_printed: str | None = None

    @property
    def absolute(self) -> Number:
        """The amount with its scale applied (142.4 billion -> 142400000000)."""
        if self.scale is None:
            return self.amount
        from decimal import Decimal

        v = Decimal(str(self.amount)) * SCALE_FACTORS[self.scale]
        return int(v) if v == v.to_integral_value() else float(v)


@_frozen
class Change(_Record):
    unit: ChangeUnit
    amount: Number | None = None
    previous: Amount | None = None
    basis: ChangeBasis | None = None


@_frozen
class Reading(_Record):
    """One article's reading of a disputed fact."""

    source: SourceRef
    text: str
    record: AnyRef | None = None


# --- the record types -----------------------------------------------------------------


@_frozen
class Source(_Record):
    id: Slug
    language: str
    published: FuzzyDate
    title: str | None = None
    outlet: str | None = None
    author: str | None = None
    url: Url | None = None
    archived_url: Url | None = None
    retrieved: FuzzyDate | None = None
    file: str | None = None  # a copy of the article, relative to the fact file (``validate`` checks it exists)
    original_language: str | None = None
    translation: Translation | None = None
    notes: str | None = None
    inferred: Inferred = field(default_factory=dict)

    TYPE: ClassVar[str] = "source"

    @property
    def name(self) -> str:
        return _display_name(self)


@_frozen
class Company(_Record):
    id: Slug
    name: str
    kind: CompanyKind
    sources: Citations
    country: str | None = None
    aliases: list[str] = field(default_factory=list)
    alias_sources: AliasSources = field(default_factory=dict)
    parents: list[CompanyRef] = field(default_factory=list)
    description: str | None = None
    people: list[Person] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    inferred: Inferred = field(default_factory=dict)

    TYPE: ClassVar[str] = "company"


@_frozen
class System(_Record):
    id: Slug
    name: str
    kind: SystemKind
    sources: Citations
    vendor: CompanyRef | None = None
    version: str | None = None
    family: SystemRef | None = None
    aliases: list[str] = field(default_factory=list)
    alias_sources: AliasSources = field(default_factory=dict)
    description: str | None = None
    milestones: list[Milestone] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    inferred: Inferred = field(default_factory=dict)

    TYPE: ClassVar[str] = "system"


@_frozen
class Model(_Record):
    id: Slug
    name: str
    maker: CompanyRef
    sources: Citations
    producer: CompanyRef | None = None
    body: str | None = None
    segment: str | None = None
    powertrains: list[Powertrain] = field(default_factory=list)
    platform: SystemRef | None = None
    market: str | None = None
    systems: list[SystemRef] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    alias_sources: AliasSources = field(default_factory=dict)
    description: str | None = None
    milestones: list[Milestone] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    inferred: Inferred = field(default_factory=dict)

    TYPE: ClassVar[str] = "model"


UNNAMED_PARTNER = "partner not named"  # what stands for a partner that no article names


@_frozen
class Deal(_Record):
    id: Slug
    title: str
    company: CompanyRef
    kind: DealKind
    domains: Annotated[list[Domain], NON_EMPTY]
    announced: FuzzyDate
    status: DealStatus
    sources: Citations
    partners: list[CompanyRef] = field(default_factory=list)
    unnamed_partner: str | None = None
    value: Amount | None = None
    models: list[ModelRef] = field(default_factory=list)
    systems: list[SystemRef] = field(default_factory=list)
    description: str | None = None
    milestones: list[Milestone] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    inferred: Inferred = field(default_factory=dict)

    TYPE: ClassVar[str] = "deal"

    @property
    def name(self) -> str:
        return _display_name(self)

    @property
    def parties(self) -> list[str]:
        return [self.company, *self.partners]


@_frozen
class Figure(_Record):
    id: Slug
    metric: Metric
    region: str
    period: FuzzyDate
    status: FigureStatus
    sources: Citations
    company: CompanyRef | None = None
    scope: str | None = None
    value: Amount | None = None
    change: Change | None = None
    attributed_to: CompanyRef | None = None
    system: SystemRef | None = None
    model: ModelRef | None = None
    description: str | None = None
    notes: list[Note] = field(default_factory=list)
    inferred: Inferred = field(default_factory=dict)

    TYPE: ClassVar[str] = "figure"

    @property
    def name(self) -> str:
        return _display_name(self)


@_frozen
class Conflict(_Record):
    id: Slug
    topic: str
    kind: ConflictKind
    readings: Annotated[list[Reading], NON_EMPTY]
    nature: ConflictNature = "disagreement"
    records: list[AnyRef] = field(default_factory=list)
    note: str | None = None
    inferred: Inferred = field(default_factory=dict)

    TYPE: ClassVar[str] = "conflict"

    @property
    def name(self) -> str:
        return _display_name(self)

    @property
    def sources(self) -> list[str]:
        seen: dict[str, None] = {}
        for r in self.readings:
            seen.setdefault(r.source, None)
        return list(seen)


Record = Source | Company | System | Model | Deal | Figure | Conflict
R = TypeVar("R", Source, Company, System, Model, Deal, Figure, Conflict)  # one record type, as in ``Store.find``

# Record types in load and display order, keyed by the top-level key of a fact file.
RECORD_TYPES: dict[str, type[Record]] = {
    "sources": Source,
    "companies": Company,
    "systems": System,
    "models": Model,
    "deals": Deal,
    "figures": Figure,
    "conflicts": Conflict,
}
TYPE_NAMES: dict[str, type[Record]] = {cls.TYPE: cls for cls in RECORD_TYPES.values()}
PLURAL: dict[str, str] = {cls.TYPE: key for key, cls in RECORD_TYPES.items()}
