"""Rules that span the fields of a record, checked after each field passed its own check.

``check_record`` returns every (field, message) problem: a deal without a
partner, a figure without a value, an ``inferred`` entry that names no
field, a disagreement that only one article takes part in.
"""

from __future__ import annotations

from typing import Any

from .records import Conflict, Deal, Figure, Record, Source


def field_value(rec: object, path: str) -> tuple[bool, Any]:
    """(found, value) of a field path such as ``kind``, ``domains[1]`` or ``milestones[0].date``."""
    obj: Any = rec
    for step in path.split("."):
        name, _, index = step.partition("[")
        if not name or not hasattr(obj, "__dataclass_fields__") or name not in obj.__dataclass_fields__:
            return False, None
        obj = getattr(obj, name)
        if index:
            if not index.endswith("]") or not index[:-1].isdigit() or not isinstance(obj, list) or int(index[:-1]) >= len(obj):
                return False, None
            obj = obj[int(index[:-1])]
    return True, obj


def _provenance_problems(rec: Record) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    for path in getattr(rec, "inferred", {}):
        found, value = field_value(rec, path)
        if not found or path.split(".")[0].split("[")[0] in ("id", "sources", "inferred", "alias_sources"):
            problems.append(("inferred", f"{path!r} is not a field of this record that can be inferred"))
        elif value is None or value in ([], ""):
            problems.append(("inferred", f"{path!r} has no value: there is nothing inferred to mark"))
    aliases = getattr(rec, "aliases", [])
    for alias in getattr(rec, "alias_sources", {}):
        if alias not in aliases:
            problems.append(("alias_sources", f"{alias!r} is not one of the record's aliases"))
    if isinstance(rec, Conflict):
        sources = {r.source for r in rec.readings}
        if rec.nature == "disagreement" and len(sources) < 2:
            why = "a disagreement needs readings from at least two different sources; one article at odds with itself is an anomaly"
            problems.append(("nature", why))
        elif rec.nature == "anomaly" and len(sources) != 1:
            problems.append(("nature", "an anomaly is one article at odds with itself: its readings cite one source"))
    return problems


def _source_problems(rec: Source) -> list[tuple[str, str]]:
    import os.path

    problems: list[tuple[str, str]] = []
    if rec.file is not None and (os.path.isabs(rec.file) or rec.file.startswith("~")):
        problems.append(("file", f"{rec.file!r}: give the path relative to this fact file, so it works on every machine"))
    got, pub = rec.retrieved, rec.published
    if got is not None and got.end is not None and pub.start is not None and got.end < pub.start:
        problems.append(("retrieved", f"{got.text!r} is before the article was published ({pub.text!r})"))
    return problems


def check_record(rec: Record) -> list[tuple[str, str]]:
    """Rules that span fields; returns (field, message) pairs."""
    problems = _provenance_problems(rec)
    if isinstance(rec, Deal):
        if not rec.partners and not rec.unnamed_partner:
            problems.append(("partners", "a deal needs partners, or unnamed_partner when the article names none"))
        if rec.company in rec.partners:
            problems.append(("partners", f"{rec.company!r} is the deal's company and cannot also be its partner"))
    elif isinstance(rec, Source):
        problems += _source_problems(rec)
    elif isinstance(rec, Figure):
        if rec.company is None and not rec.scope:
            problems.append(("company", "a figure needs a company, or a scope for a group or market"))
        if rec.value is None and rec.change is None:
            problems.append(("value", "a figure needs a value, a change or both"))
        if rec.change is not None and rec.change.amount is None and rec.change.previous is None:
            problems.append(("change", "a change needs an amount, a previous value or both"))
    return problems
