"""The SQLite export's schema: ``DDL`` is the whole of it.

- one table per record type, keyed by ``id``; scalar fields keep their
  fact-file names, references are ``REFERENCES`` the target table;
- a ``records`` table of every id with its type and display name, so that
  references that may point at any type (conflict records, readings) and the
  parts every type shares (aliases, notes, milestones, citations) have a
  foreign key too;
- dates as written plus ``_precision``, ``_start``, ``_end`` (ISO days) and
  ``_by`` columns; amounts as ``_amount``, ``_scale``, ``_unit``,
  ``_qualifier``, ``_absolute``, ``_as_printed`` columns;
- lists in child tables with a ``position`` (1 = first, as written in the
  fact file): many-to-many references in join tables, parts (people, notes,
  milestones, readings, equivalents) in tables of their own, the sources a
  part cites in ``*_sources`` tables. The one JSON column is
  ``equivalents.equivalents``: an equivalent amount's own equivalents, which
  no fact uses;
- a ``meta`` table (tool, version, schema, source ids) and no timestamp: the
  same facts give the same bytes;
- views for common questions (``deal_overview``, ``record_sources``,
  ``conflict_readings``).
"""

from __future__ import annotations

import sqlite3

from ..model.dates import PRECISIONS
from ..model.records import RECORD_TYPES
from ..model.vocab import (
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
    choices,
)

EXPORT_SCHEMA = "2"  # 2: sources.url, archived_url, retrieved; sources.file may be NULL


def _in(values: object) -> str:
    """``IN ('a', 'b')`` for a closed list (a Literal alias or a tuple)."""
    vals = values if isinstance(values, tuple) else choices(values)
    return "IN (" + ", ".join(f"'{v}'" for v in vals) + ")"


_TYPES = _in(tuple(cls.TYPE for cls in RECORD_TYPES.values()))


def _date_cols(name: str, *, null: bool = False) -> str:
    nn = "" if null else " NOT NULL"
    return f"""{name} TEXT{nn},
    {name}_precision TEXT{nn} CHECK ({name}_precision {_in(PRECISIONS)}),
    {name}_start TEXT,
    {name}_end TEXT,
    {name}_by INTEGER{nn} CHECK ({name}_by IN (0, 1))"""


def _amount_cols(prefix: str) -> str:
    p = f"{prefix}_" if prefix else ""
    nn = "" if prefix else " NOT NULL"
    return f"""{p}amount NUMERIC{nn},
    {p}scale TEXT CHECK ({p}scale {_in(Scale)}),
    {p}unit TEXT{nn} CHECK ({p}unit {_in(Unit)}),
    {p}qualifier TEXT{nn} CHECK ({p}qualifier {_in(Qualifier)}),
    {p}absolute NUMERIC{nn},
    {p}as_printed TEXT"""


def _source_list(table: str, owner: str, owner_table: str) -> str:
    """A table of the sources a part (note, person, milestone) cites."""
    return f"""CREATE TABLE {table} (
    {owner} INTEGER NOT NULL REFERENCES {owner_table}(id),
    position INTEGER NOT NULL,
    source_id TEXT NOT NULL REFERENCES sources(id),
    PRIMARY KEY ({owner}, position)
);
CREATE INDEX {table}_source ON {table} (source_id);
"""


def _ref_list(table: str, owner: str, owner_table: str, col: str, target: str) -> str:
    """A join table: one row per id in a list of references, in order."""
    return f"""CREATE TABLE {table} (
    {owner} TEXT NOT NULL REFERENCES {owner_table}(id),
    position INTEGER NOT NULL,
    {col} TEXT NOT NULL REFERENCES {target}(id),
    PRIMARY KEY ({owner}, position)
);
CREATE INDEX {table}_{col} ON {table} ({col});
"""


DDL = f"""
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Every record of every type: the target of references that may name any type.
CREATE TABLE records (
    id TEXT PRIMARY KEY,
    type TEXT NOT NULL CHECK (type {_TYPES}),
    name TEXT NOT NULL
);
CREATE INDEX records_type ON records (type);

-- The record types -------------------------------------------------------------------------

CREATE TABLE sources (
    id TEXT PRIMARY KEY,
    title TEXT,
    outlet TEXT,
    {_date_cols("published")},
    author TEXT,
    language TEXT NOT NULL,
    original_language TEXT,
    translation TEXT CHECK (translation {_in(Translation)}),
    url TEXT CHECK (url LIKE 'http://%' OR url LIKE 'https://%'),
    archived_url TEXT CHECK (archived_url LIKE 'http://%' OR archived_url LIKE 'https://%'),
    {_date_cols("retrieved", null=True)},
    file TEXT,
    notes TEXT
);

CREATE TABLE companies (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind {_in(CompanyKind)}),
    country TEXT,
    description TEXT
);
CREATE INDEX companies_kind ON companies (kind);

CREATE TABLE systems (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind {_in(SystemKind)}),
    vendor TEXT REFERENCES companies(id),
    version TEXT,
    family TEXT REFERENCES systems(id),
    description TEXT
);
CREATE INDEX systems_vendor ON systems (vendor);
CREATE INDEX systems_family ON systems (family);

CREATE TABLE models (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    maker TEXT NOT NULL REFERENCES companies(id),
    producer TEXT REFERENCES companies(id),
    body TEXT,
    segment TEXT,
    platform TEXT REFERENCES systems(id),
    market TEXT,
    description TEXT
);
CREATE INDEX models_maker ON models (maker);
CREATE INDEX models_producer ON models (producer);
CREATE INDEX models_platform ON models (platform);

CREATE TABLE deals (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    company TEXT NOT NULL REFERENCES companies(id),
    unnamed_partner TEXT,
    kind TEXT NOT NULL CHECK (kind {_in(DealKind)}),
    {_date_cols("announced")},
    status TEXT NOT NULL CHECK (status {_in(DealStatus)}),
    {_amount_cols("value")},
    description TEXT
);
CREATE INDEX deals_company ON deals (company);
CREATE INDEX deals_announced ON deals (announced_start, announced_end);

CREATE TABLE figures (
    id TEXT PRIMARY KEY,
    company TEXT REFERENCES companies(id),
    scope TEXT,
    metric TEXT NOT NULL CHECK (metric {_in(Metric)}),
    region TEXT NOT NULL,
    {_date_cols("period")},
    status TEXT NOT NULL CHECK (status {_in(FigureStatus)}),
    {_amount_cols("value")},
    change_amount NUMERIC,
    change_unit TEXT CHECK (change_unit {_in(ChangeUnit)}),
    change_basis TEXT CHECK (change_basis {_in(ChangeBasis)}),
    {_amount_cols("change_previous")},
    attributed_to TEXT REFERENCES companies(id),
    system TEXT REFERENCES systems(id),
    model TEXT REFERENCES models(id),
    description TEXT
);
CREATE INDEX figures_company ON figures (company);
CREATE INDEX figures_attributed_to ON figures (attributed_to);
CREATE INDEX figures_system ON figures (system);
CREATE INDEX figures_model ON figures (model);
CREATE INDEX figures_metric ON figures (metric, period_start);

CREATE TABLE conflicts (
    id TEXT PRIMARY KEY,
    topic TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind {_in(ConflictKind)}),
    nature TEXT NOT NULL CHECK (nature {_in(ConflictNature)}),
    note TEXT
);

-- Citations: the sources each record cites at record level ---------------------------------

CREATE TABLE citations (
    record_id TEXT NOT NULL REFERENCES records(id),
    record_type TEXT NOT NULL CHECK (record_type {_TYPES}),
    position INTEGER NOT NULL,
    source_id TEXT NOT NULL REFERENCES sources(id),
    PRIMARY KEY (record_id, position)
);
CREATE INDEX citations_source ON citations (source_id);

-- Parts shared by several record types ------------------------------------------------------

CREATE TABLE aliases (
    record_id TEXT NOT NULL REFERENCES records(id),
    record_type TEXT NOT NULL CHECK (record_type {_TYPES}),
    position INTEGER NOT NULL,
    alias TEXT NOT NULL,
    PRIMARY KEY (record_id, position)
);

-- Which articles print which alias (an alias with no row here is a search aid the editors added).
CREATE TABLE alias_sources (
    record_id TEXT NOT NULL REFERENCES records(id),
    record_type TEXT NOT NULL CHECK (record_type {_TYPES}),
    alias TEXT NOT NULL,
    position INTEGER NOT NULL,
    source_id TEXT NOT NULL REFERENCES sources(id),
    PRIMARY KEY (record_id, alias, position)
);
CREATE INDEX alias_sources_source ON alias_sources (source_id);

-- Values the editors inferred rather than read in a source: the field path and why.
CREATE TABLE inferred (
    record_id TEXT NOT NULL REFERENCES records(id),
    record_type TEXT NOT NULL CHECK (record_type {_TYPES}),
    field TEXT NOT NULL,
    reason TEXT NOT NULL,
    PRIMARY KEY (record_id, field)
);

CREATE TABLE notes (
    id INTEGER PRIMARY KEY,
    record_id TEXT NOT NULL REFERENCES records(id),
    record_type TEXT NOT NULL CHECK (record_type {_TYPES}),
    position INTEGER NOT NULL,
    text TEXT NOT NULL,
    UNIQUE (record_id, position)
);
{_source_list("note_sources", "note_id", "notes")}
CREATE TABLE milestones (
    id INTEGER PRIMARY KEY,
    record_id TEXT NOT NULL REFERENCES records(id),
    record_type TEXT NOT NULL CHECK (record_type {_TYPES}),
    position INTEGER NOT NULL,
    {_date_cols("date")},
    event TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status {_in(MilestoneStatus)}),
    UNIQUE (record_id, position)
);
CREATE INDEX milestones_date ON milestones (date_start, date_end);
{_source_list("milestone_sources", "milestone_id", "milestones")}
-- Amounts in other units, as an article gives them, for deals.value, figures.value and
-- figures.change_previous. "equivalents" is JSON: this amount's own equivalents (none so far).
CREATE TABLE equivalents (
    record_id TEXT NOT NULL REFERENCES records(id),
    record_type TEXT NOT NULL CHECK (record_type {_TYPES}),
    amount_of TEXT NOT NULL CHECK (amount_of IN ('value', 'change_previous')),
    position INTEGER NOT NULL,
    {_amount_cols("")},
    equivalents TEXT,
    PRIMARY KEY (record_id, amount_of, position)
);

-- Companies ---------------------------------------------------------------------------------

{_ref_list("company_parents", "company_id", "companies", "parent_id", "companies")}
CREATE TABLE people (
    id INTEGER PRIMARY KEY,
    company_id TEXT NOT NULL REFERENCES companies(id),
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    role TEXT,
    UNIQUE (company_id, position)
);
{_source_list("person_sources", "person_id", "people")}
-- Models --------------------------------------------------------------------------------------

CREATE TABLE model_powertrains (
    model_id TEXT NOT NULL REFERENCES models(id),
    position INTEGER NOT NULL,
    powertrain TEXT NOT NULL CHECK (powertrain {_in(Powertrain)}),
    PRIMARY KEY (model_id, position)
);
{_ref_list("model_systems", "model_id", "models", "system_id", "systems")}
-- Deals ---------------------------------------------------------------------------------------

-- Both sides of a deal: side 'company' (the automaker, also deals.company) and 'partner'.
CREATE TABLE deal_parties (
    deal_id TEXT NOT NULL REFERENCES deals(id),
    side TEXT NOT NULL CHECK (side IN ('company', 'partner')),
    position INTEGER NOT NULL,
    company_id TEXT NOT NULL REFERENCES companies(id),
    PRIMARY KEY (deal_id, side, position)
);
CREATE INDEX deal_parties_company_id ON deal_parties (company_id);

CREATE TABLE deal_domains (
    deal_id TEXT NOT NULL REFERENCES deals(id),
    position INTEGER NOT NULL,
    domain TEXT NOT NULL CHECK (domain {_in(Domain)}),
    PRIMARY KEY (deal_id, position)
);
CREATE INDEX deal_domains_domain ON deal_domains (domain);
{_ref_list("deal_models", "deal_id", "deals", "model_id", "models")}
{_ref_list("deal_systems", "deal_id", "deals", "system_id", "systems")}
-- Conflicts -----------------------------------------------------------------------------------

{_ref_list("conflict_records", "conflict_id", "conflicts", "record_id", "records")}
CREATE TABLE readings (
    conflict_id TEXT NOT NULL REFERENCES conflicts(id),
    position INTEGER NOT NULL,
    source_id TEXT NOT NULL REFERENCES sources(id),
    text TEXT NOT NULL,
    record_id TEXT REFERENCES records(id),
    PRIMARY KEY (conflict_id, position)
);
CREATE INDEX readings_source ON readings (source_id);
CREATE INDEX readings_record ON readings (record_id);

-- Views ---------------------------------------------------------------------------------------

-- One line per deal with the names of both sides, oldest first.
CREATE VIEW deal_overview AS
SELECT
    d.id,
    d.announced,
    d.announced_start,
    c.name AS company,
    (SELECT group_concat(name, ', ') FROM (
        SELECT pc.name FROM deal_parties p JOIN companies pc ON pc.id = p.company_id
        WHERE p.deal_id = d.id AND p.side = 'partner' ORDER BY p.position)) AS partners,
    d.unnamed_partner,
    d.kind,
    (SELECT group_concat(domain, ', ') FROM (
        SELECT domain FROM deal_domains WHERE deal_id = d.id ORDER BY position)) AS domains,
    d.status,
    d.value_absolute,
    d.value_unit,
    d.title
FROM deals d JOIN companies c ON c.id = d.company
ORDER BY d.announced_start IS NULL, d.announced_start, d.announced_end, d.id;

-- Every source a record cites at any depth, and through what.
CREATE VIEW record_sources AS
SELECT record_id, record_type, source_id, 'record' AS via FROM citations
UNION SELECT n.record_id, n.record_type, s.source_id, 'note'
    FROM notes n JOIN note_sources s ON s.note_id = n.id
UNION SELECT m.record_id, m.record_type, s.source_id, 'milestone'
    FROM milestones m JOIN milestone_sources s ON s.milestone_id = m.id
UNION SELECT p.company_id, 'company', s.source_id, 'person'
    FROM people p JOIN person_sources s ON s.person_id = p.id
UNION SELECT conflict_id, 'conflict', source_id, 'reading' FROM readings;

-- Each reading of each conflict with its article's outlet and date.
CREATE VIEW conflict_readings AS
SELECT
    c.id AS conflict_id,
    c.kind,
    c.topic,
    r.position,
    r.text,
    r.source_id,
    s.outlet,
    s.published,
    r.record_id
FROM conflicts c
JOIN readings r ON r.conflict_id = c.id
JOIN sources s ON s.id = r.source_id
ORDER BY c.id, r.position;
"""


def statements(script: str = DDL) -> list[str]:
    """Split DDL into statements (``executescript`` would commit the open transaction)."""
    out, buf = [], ""
    for line in script.splitlines(keepends=True):
        if not buf and (not line.strip() or line.lstrip().startswith("--")):
            continue
        buf += line
        if sqlite3.complete_statement(buf):
            out.append(buf.strip())
            buf = ""
    assert not buf.strip(), buf
    return out
