"""Records as the rows of the SQLite export's tables (``schema.DDL``).

``Rows.add_record`` files one record's values into the tables they belong
to; ``Fields`` hands out a record's fields and checks at the end that none
was left out, so a field added to the record types without a place in the
export fails every export loudly instead of silently going missing.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import fields
from typing import Any

from ..model.records import Amount, Company, Conflict, Deal, Figure, Model, Record, Source, System
from ..render.flat import AMOUNT_PARTS, DATE_PARTS, amount_columns, date_columns
from ..store.codec import to_plain


class Fields:
    """Hands out an object's fields by name; ``done`` fails if any was never asked for."""

    def __init__(self, obj: Any) -> None:
        self.obj = obj
        self.left = {f.name for f in fields(obj)}

    def __call__(self, name: str) -> Any:
        self.left.remove(name)
        return getattr(self.obj, name)

    def done(self) -> None:
        if self.left:
            raise RuntimeError(f"export has no column for {type(self.obj).__name__}.{', '.join(sorted(self.left))}")


def _date(prefix: str, d: Any) -> dict[str, Any]:
    return date_columns(prefix, d, DATE_PARTS)


class Rows:
    """Rows per table, collected before one insert per table."""

    def __init__(self) -> None:
        self.tables: dict[str, list[dict[str, Any]]] = {}

    def add(self, table: str, **row: Any) -> int:
        rows = self.tables.setdefault(table, [])
        rows.append(row)
        return len(rows)  # the row's number: the id of notes, people, milestones

    # --- parts -------------------------------------------------------------------------

    def amount(self, prefix: str, a: Amount | None, rec: Record) -> dict[str, Any]:
        """The columns of an amount; its equivalents go to the equivalents table."""
        cols = amount_columns(prefix, a)
        if a is None:
            return cols
        f = Fields(a)
        for name in ("amount", "scale", "unit", "qualifier", "as_printed"):
            f(name)
        for pos, e in enumerate(f("equivalents"), 1):
            nested = e.equivalents
            self.add(
                "equivalents",
                record_id=rec.id,
                record_type=rec.TYPE,
                amount_of=prefix,
                position=pos,
                **amount_columns("", e, AMOUNT_PARTS),
                equivalents=json.dumps(to_plain(nested), ensure_ascii=False) if nested else None,
            )
        f.done()
        return cols

    def cite(self, table: str, owner: str, owner_id: Any, sources: list[str]) -> None:
        for pos, s in enumerate(sources, 1):
            self.add(table, **{owner: owner_id}, position=pos, source_id=s)

    def refs(self, table: str, owner: str, owner_id: str, col: str, ids: list[str]) -> None:
        for pos, i in enumerate(ids, 1):
            self.add(table, **{owner: owner_id}, position=pos, **{col: i})

    def shared(self, rec: Record, f: Fields, *parts: str) -> None:
        """Citations, aliases, notes and milestones: the parts several record types have."""
        base = {"record_id": rec.id, "record_type": rec.TYPE}
        for part in parts:
            for pos, item in enumerate(f(part), 1):
                if part == "sources":
                    self.add("citations", **base, position=pos, source_id=item)
                elif part == "aliases":
                    self.add("aliases", **base, position=pos, alias=item)
                elif part == "alias_sources":
                    for spos, source in enumerate(f.obj.alias_sources[item], 1):
                        self.add("alias_sources", **base, alias=item, position=spos, source_id=source)
                elif part == "inferred":
                    self.add("inferred", **base, field=item, reason=f.obj.inferred[item])
                elif part == "notes":
                    nf = Fields(item)
                    nid = self.add("notes", **base, position=pos, text=nf("text"))
                    self.cite("note_sources", "note_id", nid, nf("sources"))
                    nf.done()
                elif part == "milestones":
                    mf = Fields(item)
                    mid = self.add("milestones", **base, position=pos, **_date("date", mf("date")), event=mf("event"), status=mf("status"))
                    self.cite("milestone_sources", "milestone_id", mid, mf("sources"))
                    mf.done()
                else:  # pragma: no cover - a programming error
                    raise ValueError(part)

    # --- records -------------------------------------------------------------------------

    def add_record(self, rec: Record) -> None:
        f = Fields(rec)
        rid = f("id")
        self.add("records", id=rid, type=rec.TYPE, name=rec.name)
        _BY_TYPE[type(rec)](self, rec, f, rid)
        f.done()

    def _source(self, rec: Source, f: Fields, rid: str) -> None:
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
            url=f("url"),
            archived_url=f("archived_url"),
            **_date("retrieved", f("retrieved")),
            file=f("file"),
            notes=f("notes"),
        )
        self.shared(rec, f, "inferred")

    def _company(self, rec: Company, f: Fields, rid: str) -> None:
        self.add("companies", id=rid, name=f("name"), kind=f("kind"), country=f("country"), description=f("description"))
        self.refs("company_parents", "company_id", rid, "parent_id", f("parents"))
        for pos, person in enumerate(f("people"), 1):
            pf = Fields(person)
            pid = self.add("people", company_id=rid, position=pos, name=pf("name"), role=pf("role"))
            self.cite("person_sources", "person_id", pid, pf("sources"))
            pf.done()
        self.shared(rec, f, "aliases", "alias_sources", "notes", "sources", "inferred")

    def _system(self, rec: System, f: Fields, rid: str) -> None:
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
        self.shared(rec, f, "aliases", "alias_sources", "milestones", "notes", "sources", "inferred")

    def _model(self, rec: Model, f: Fields, rid: str) -> None:
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
        self.shared(rec, f, "aliases", "alias_sources", "milestones", "notes", "sources", "inferred")

    def _deal(self, rec: Deal, f: Fields, rid: str) -> None:
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
        self.shared(rec, f, "milestones", "notes", "sources", "inferred")

    def _figure(self, rec: Figure, f: Fields, rid: str) -> None:
        change = f("change")
        cf = Fields(change) if change is not None else None
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
        self.shared(rec, f, "notes", "sources", "inferred")

    def _conflict(self, rec: Conflict, f: Fields, rid: str) -> None:
        self.add("conflicts", id=rid, topic=f("topic"), kind=f("kind"), nature=f("nature"), note=f("note"))
        self.refs("conflict_records", "conflict_id", rid, "record_id", f("records"))
        for pos, r in enumerate(f("readings"), 1):
            rf = Fields(r)
            self.add("readings", conflict_id=rid, position=pos, source_id=rf("source"), text=rf("text"), record_id=rf("record"))
            rf.done()
        self.shared(rec, f, "inferred")


_BY_TYPE: dict[type, Callable[[Rows, Any, Fields, str], None]] = {
    Source: Rows._source,
    Company: Rows._company,
    System: Rows._system,
    Model: Rows._model,
    Deal: Rows._deal,
    Figure: Rows._figure,
    Conflict: Rows._conflict,
}
