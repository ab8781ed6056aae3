"""The whole fact base in one file: a normalized SQLite database or one JSON document.

Plain functions over a ``Registry``; no typer or rich. The CLI (``export sqlite``,
``export json``) only parses options and calls ``write_sqlite``/``write_json``.

SQLite layout (``DDL`` below is the whole schema):

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
  same facts give the same bytes.

Files are written to a temporary file in the target's folder and renamed into
place, so a reader never sees half a file; an existing file is replaced only
with ``force``.
"""

from __future__ import annotations

import json
import os
import secrets
import sqlite3
from dataclasses import fields
from pathlib import Path
from typing import Any, Callable

from . import __version__
from .codec import to_plain
from .dates import PRECISIONS, FuzzyDate
from .errors import OutputError, OutputExistsError
from .output import Context, dumps, record_json
from .records import (
    RECORD_TYPES,
    Amount,
    ChangeBasis,
    ChangeUnit,
    Company,
    CompanyKind,
    Conflict,
    ConflictKind,
    Deal,
    DealKind,
    DealStatus,
    Domain,
    Figure,
    FigureStatus,
    Metric,
    MilestoneStatus,
    Model,
    Powertrain,
    Qualifier,
    Record,
    Scale,
    Source,
    System,
    SystemKind,
    Translation,
    Unit,
    choices,
)
from .registry import Registry

TOOL = "autoalliances"
EXPORT_SCHEMA = "1"

# --- schema -------------------------------------------------------------------------------


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


def _ref_list(table: str, owner: str, owner_table: str, col: str, target: str, extra: str = "") -> str:
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
    file TEXT NOT NULL,
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

# --- records to rows ------------------------------------------------------------------------


class _Fields:
    """Hands out a record's (or part's) fields and checks at the end that none was left out.

    A field added to ``records.py`` without a place in the export fails every
    export loudly instead of silently going missing from the database.
    """

    def __init__(self, obj: Any) -> None:
        self.obj = obj
        self.left = {f.name for f in fields(obj)}

    def __call__(self, name: str) -> Any:
        self.left.remove(name)
        return getattr(self.obj, name)

    def done(self) -> None:
        if self.left:
            raise RuntimeError(f"export has no column for {type(self.obj).__name__}.{', '.join(sorted(self.left))}")


def _date(prefix: str, d: FuzzyDate) -> dict[str, Any]:
    return {
        prefix: d.text,
        f"{prefix}_precision": d.precision,
        f"{prefix}_start": d.start.isoformat() if d.start else None,
        f"{prefix}_end": d.end.isoformat() if d.end else None,
        f"{prefix}_by": int(d.by),
    }


class _Rows:
    """Rows per table, collected before one insert per table."""

    def __init__(self) -> None:
        self.tables: dict[str, list[dict[str, Any]]] = {}

    def add(self, table: str, **row: Any) -> int:
        rows = self.tables.setdefault(table, [])
        rows.append(row)
        return len(rows)  # the row's number: the id of notes, people, milestones

    def amount(self, prefix: str, a: Amount | None, rec: Record) -> dict[str, Any]:
        """The columns of an amount; its equivalents go to the equivalents table."""
        p = f"{prefix}_" if prefix else ""
        if a is None:
            return {f"{p}{k}": None for k in ("amount", "scale", "unit", "qualifier", "absolute", "as_printed")}
        f = _Fields(a)
        cols = {
            f"{p}amount": f("amount"),
            f"{p}scale": f("scale"),
            f"{p}unit": f("unit"),
            f"{p}qualifier": f("qualifier"),
            f"{p}absolute": a.absolute,
            f"{p}as_printed": f("as_printed"),
        }
        for pos, e in enumerate(f("equivalents"), 1):
            nested = e.equivalents
            self.add(
                "equivalents",
                record_id=rec.id,
                record_type=rec.TYPE,
                amount_of=prefix,
                position=pos,
                **self._flat_amount(e),
                equivalents=json.dumps(to_plain(nested), ensure_ascii=False) if nested else None,
            )
        f.done()
        return cols

    @staticmethod
    def _flat_amount(a: Amount) -> dict[str, Any]:
        return {
            "amount": a.amount,
            "scale": a.scale,
            "unit": a.unit,
            "qualifier": a.qualifier,
            "absolute": a.absolute,
            "as_printed": a.as_printed,
        }

    def cite(self, table: str, owner: str, owner_id: Any, sources: list[str]) -> None:
        for pos, s in enumerate(sources, 1):
            self.add(table, **{owner: owner_id}, position=pos, source_id=s)

    def refs(self, table: str, owner: str, owner_id: str, col: str, ids: list[str]) -> None:
        for pos, i in enumerate(ids, 1):
            self.add(table, **{owner: owner_id}, position=pos, **{col: i})

    def shared(self, rec: Record, f: _Fields, *parts: str) -> None:
        """Citations, aliases, notes and milestones: the parts several record types have."""
        base = {"record_id": rec.id, "record_type": rec.TYPE}
        for part in parts:
            items = f(part)
            for pos, item in enumerate(items, 1):
                if part == "sources":
                    self.add("citations", **base, position=pos, source_id=item)
                elif part == "aliases":
                    self.add("aliases", **base, position=pos, alias=item)
                elif part == "notes":
                    nf = _Fields(item)
                    nid = self.add("notes", **base, position=pos, text=nf("text"))
                    self.cite("note_sources", "note_id", nid, nf("sources"))
                    nf.done()
                elif part == "milestones":
                    mf = _Fields(item)
                    mid = self.add(
                        "milestones", **base, position=pos, **_date("date", mf("date")), event=mf("event"), status=mf("status")
                    )
                    self.cite("milestone_sources", "milestone_id", mid, mf("sources"))
                    mf.done()
                else:  # pragma: no cover - a programming error
                    raise ValueError(part)

    def record(self, rec: Record) -> None:
        f = _Fields(rec)
        rid = f("id")
        self.add("records", id=rid, type=rec.TYPE, name=rec.name)
        if isinstance(rec, Source):
            self.add(
                "sources",
                id=rid,
                title=f("title"),
                outlet=f("outlet"),
                **_date("published", f("published")),
                author=f("author"),
                language=f("language"),
                original_language=f("original_language"),
                translation=f("translation"),
                file=f("file"),
                notes=f("notes"),
            )
        elif isinstance(rec, Company):
            self.add("companies", id=rid, name=f("name"), kind=f("kind"), country=f("country"), description=f("description"))
            self.refs("company_parents", "company_id", rid, "parent_id", f("parents"))
            for pos, person in enumerate(f("people"), 1):
                pf = _Fields(person)
                pid = self.add("people", company_id=rid, position=pos, name=pf("name"), role=pf("role"))
                self.cite("person_sources", "person_id", pid, pf("sources"))
                pf.done()
            self.shared(rec, f, "aliases", "notes", "sources")
        elif isinstance(rec, System):
            self.add(
                "systems",
                id=rid,
                name=f("name"),
                kind=f("kind"),
                vendor=f("vendor"),
                version=f("version"),
                family=f("family"),
                description=f("description"),
            )
            self.shared(rec, f, "aliases", "milestones", "notes", "sources")
        elif isinstance(rec, Model):
            self.add(
                "models",
                id=rid,
                name=f("name"),
                maker=f("maker"),
                producer=f("producer"),
                body=f("body"),
                segment=f("segment"),
                platform=f("platform"),
                market=f("market"),
                description=f("description"),
            )
            for pos, p in enumerate(f("powertrains"), 1):
                self.add("model_powertrains", model_id=rid, position=pos, powertrain=p)
            self.refs("model_systems", "model_id", rid, "system_id", f("systems"))
            self.shared(rec, f, "aliases", "milestones", "notes", "sources")
        elif isinstance(rec, Deal):
            company = f("company")
            self.add(
                "deals",
                id=rid,
                title=f("title"),
                company=company,
                unnamed_partner=f("unnamed_partner"),
                kind=f("kind"),
                **_date("announced", f("announced")),
                status=f("status"),
                **self.amount("value", f("value"), rec),
                description=f("description"),
            )
            self.add("deal_parties", deal_id=rid, side="company", position=1, company_id=company)
            for pos, p in enumerate(f("partners"), 1):
                self.add("deal_parties", deal_id=rid, side="partner", position=pos, company_id=p)
            for pos, d in enumerate(f("domains"), 1):
                self.add("deal_domains", deal_id=rid, position=pos, domain=d)
            self.refs("deal_models", "deal_id", rid, "model_id", f("models"))
            self.refs("deal_systems", "deal_id", rid, "system_id", f("systems"))
            self.shared(rec, f, "milestones", "notes", "sources")
        elif isinstance(rec, Figure):
            change = f("change")
            cf = _Fields(change) if change is not None else None
            self.add(
                "figures",
                id=rid,
                company=f("company"),
                scope=f("scope"),
                metric=f("metric"),
                region=f("region"),
                **_date("period", f("period")),
                status=f("status"),
                **self.amount("value", f("value"), rec),
                change_amount=cf("amount") if cf else None,
                change_unit=cf("unit") if cf else None,
                change_basis=cf("basis") if cf else None,
                **self.amount("change_previous", cf("previous") if cf else None, rec),
                attributed_to=f("attributed_to"),
                system=f("system"),
                model=f("model"),
                description=f("description"),
            )
            if cf:
                cf.done()
            self.shared(rec, f, "notes", "sources")
        elif isinstance(rec, Conflict):
            self.add("conflicts", id=rid, topic=f("topic"), kind=f("kind"), note=f("note"))
            self.refs("conflict_records", "conflict_id", rid, "record_id", f("records"))
            for pos, r in enumerate(f("readings"), 1):
                rf = _Fields(r)
                self.add("readings", conflict_id=rid, position=pos, source_id=rf("source"), text=rf("text"), record_id=rf("record"))
                rf.done()
        else:  # pragma: no cover - every record type is handled above
            raise TypeError(type(rec))
        f.done()


# --- the fact base --------------------------------------------------------------------------


def all_records(reg: Registry) -> dict[str, list[Record]]:
    """Every record, by fact-file key, each type in the order its list command prints it."""
    return {
        "sources": list(reg.sources()),
        "companies": list(reg.companies()),
        "systems": list(reg.systems()),
        "models": list(reg.models()),
        "deals": list(reg.deals()),
        "figures": list(reg.figures()),
        "conflicts": list(reg.conflicts()),
    }


def document(reg: Registry) -> dict[str, Any]:
    """The whole fact base as one JSON-ready object; records in the ``show --json`` shape."""
    groups = all_records(reg)
    ctx = Context(reg, [r for recs in groups.values() for r in recs])
    doc: dict[str, Any] = {"tool": TOOL, "version": __version__}
    for key, recs in groups.items():
        doc[key] = [record_json(r, ctx) for r in recs]
    return doc


def json_text(reg: Registry) -> str:
    """The JSON document as text: UTF-8, keys in a fixed order, a trailing newline."""
    return dumps(document(reg)) + "\n"


def fill_sqlite(conn: sqlite3.Connection, reg: Registry) -> int:
    """Create the schema in an empty database and write every record; returns the count."""
    groups = all_records(reg)
    rows = _Rows()
    for recs in groups.values():
        for rec in recs:
            rows.record(rec)
    meta = {
        "tool": TOOL,
        "version": __version__,
        "schema": EXPORT_SCHEMA,
        "sources": json.dumps([s.id for s in groups["sources"]]),
    }
    conn.isolation_level = None  # explicit transactions below
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA journal_mode = MEMORY")
    conn.execute("BEGIN")
    try:
        conn.execute("PRAGMA defer_foreign_keys = ON")  # systems.family refers to systems; checked at COMMIT
        for stmt in _statements(DDL):
            conn.execute(stmt)
        conn.executemany("INSERT INTO meta (key, value) VALUES (?, ?)", meta.items())
        for table, table_rows in rows.tables.items():
            cols = list(table_rows[0])
            sql = f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
            conn.executemany(sql, [tuple(r[c] for c in cols) for r in table_rows])
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return sum(len(v) for v in groups.values())


def _statements(script: str) -> list[str]:
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


# --- files ----------------------------------------------------------------------------------


def check_target(path: Path, *, force: bool) -> None:
    """Fail before any work when *path* cannot be written (or exists without *force*)."""
    parent = path.parent
    if not parent.is_dir():
        raise OutputError(f"cannot write {path}: folder {parent} does not exist")
    if path.is_dir():
        raise OutputError(f"cannot write {path}: it is a folder")
    if path.exists() and not force:
        raise OutputExistsError(str(path))


def _atomic(path: Path, force: bool, fill: Callable[[Path], None]) -> None:
    """Have *fill* write a temporary file next to *path*, then move it into place."""
    check_target(path, force=force)
    tmp = path.parent / f".{path.name}.{secrets.token_hex(4)}.tmp"
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # the umask applies, as for any new file
    except OSError as e:
        raise OutputError(f"cannot write {path}: {e.strerror}") from None
    os.close(fd)
    try:
        fill(tmp)
        if force:
            os.replace(tmp, path)
        else:
            _publish_new(tmp, path)
    except OSError as e:
        raise OutputError(f"cannot write {path}: {e.strerror or e}") from None
    finally:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass


def _publish_new(tmp: Path, path: Path) -> None:
    """Move *tmp* to *path* unless *path* appeared meanwhile: a hard link never overwrites."""
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise OutputExistsError(str(path)) from None
    except OSError:  # a file system without hard links: check, then rename
        if path.exists():
            raise OutputExistsError(str(path)) from None
        os.replace(tmp, path)


def write_sqlite(reg: Registry, path: Path, *, force: bool = False) -> int:
    """Write the SQLite database to *path*; returns the number of records."""
    count = 0

    def fill(tmp: Path) -> None:
        nonlocal count
        conn = sqlite3.connect(tmp)
        try:
            count = fill_sqlite(conn, reg)
        finally:
            conn.close()

    _atomic(path, force, fill)
    return count


def write_json(reg: Registry, path: Path, *, force: bool = False) -> int:
    """Write the JSON document to *path*; returns the number of records."""
    text = json_text(reg)
    _atomic(path, force, lambda tmp: tmp.write_text(text, encoding="utf-8"))
    return sum(reg.counts().values())
