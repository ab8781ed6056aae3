"""Rules that span the fields of a record, checked after each field passed its own check.

``check_record`` returns every (field, message) problem: a deal without a
partner, a figure without a value, an ``inferred`` entry that names no
field, a disagreement that only one article takes part in. A problem with
one key of a mapping field names it: ``inferred.kidn``, ``alias_sources.Ali``.
"""

from __future__ import annotations

import math
from typing import Any

from .names import close_matches
from .provenance import field_value
from .records import Amount, Conflict, Deal, Figure, Record, Source

# What SQLite (the cache, ``export sqlite``) can hold: a 64-bit integer, a finite float.
INT_MIN, INT_MAX = -(2**63), 2**63 - 1


def unstorable(v: int | float) -> str | None:
    """Why the number *v* cannot be stored, or None when it can."""
    if isinstance(v, float):
        return None if math.isfinite(v) else "must be a finite number"
    if not INT_MIN <= v <= INT_MAX:
        return f"is too large to store ({len(str(abs(v)))} digits): whole numbers must lie between {INT_MIN} and {INT_MAX}"
    return None


def _paths(obj: Any, prefix: str = "") -> list[str]:
    """Every field path of *obj* that holds a value: ``kind``, ``domains[0]``, ``milestones[1].date``..."""
    out: list[str] = []
    for name in getattr(obj, "__dataclass_fields__", {}):
        value = getattr(obj, name)
        path = f"{prefix}{name}"
        if value is None or value in ([], ""):
            continue
        out.append(path)
        items = value if isinstance(value, list) else [value]
        for i, item in enumerate(items):
            here = f"{path}[{i}]" if isinstance(value, list) else path
            if isinstance(value, list):
                out.append(here)
            if hasattr(item, "__dataclass_fields__"):
                out += _paths(item, here + ".")
    return out


_NOT_INFERABLE = ("id", "sources", "inferred", "alias_sources")


def _inferred_problem(rec: Record, path: str) -> str | None:
    found, value = field_value(rec, path)
    top = path.split(".", maxsplit=1)[0].split("[", maxsplit=1)[0]
    if top in _NOT_INFERABLE and top in getattr(rec, "__dataclass_fields__", {}):
        return f"{path!r} cannot be inferred: it is the record's own bookkeeping, not a value from an article"
    if not found:
        name, _, rest = path.partition("[")
        index = rest.split("]")[0]
        known, whole = field_value(rec, name)
        if known and isinstance(whole, list) and index.isdigit() and int(index) >= len(whole):
            return f"{path!r} is out of range: {name} has {len(whole)} item{'s' if len(whole) != 1 else ''}"
        candidates = [p for p in _paths(rec) if p.split(".")[0].split("[")[0] not in _NOT_INFERABLE]
        close = close_matches(path, candidates, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        return f"{path!r} is not a field of this record{hint}"
    if value is None or value in ([], ""):
        return f"{path!r} has no value: there is nothing inferred to mark"
    return None


def _provenance_problems(rec: Record) -> list[tuple[str, str]]:
    """Problems of ``inferred``, ``alias_sources`` and ``nature``; a field ``inferred.<key>`` names the bad key."""
    problems: list[tuple[str, str]] = []
    for path in getattr(rec, "inferred", {}):
        why = _inferred_problem(rec, path)
        if why:
            problems.append((f"inferred.{path}", why))
    aliases = getattr(rec, "aliases", [])
    for alias in getattr(rec, "alias_sources", {}):
        if alias not in aliases:
            close = close_matches(alias, aliases, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else "; list it under aliases first"
            problems.append((f"alias_sources.{alias}", f"{alias!r} is not one of the record's aliases{hint}"))
    if isinstance(rec, Conflict):
        sources = list(dict.fromkeys(r.source for r in rec.readings))
        if rec.nature == "disagreement" and len(sources) < 2:
            only = f"every reading cites {sources[0]!r}" if sources else "it has no readings"
            why = (
                f"a disagreement needs readings from at least two different sources, but {only}; "
                "one article at odds with itself is an anomaly: use nature: anomaly"
            )
            problems.append(("nature", why))
        elif rec.nature == "anomaly" and len(sources) != 1:
            cited = ", ".join(repr(s) for s in sources)
            why = (
                f"an anomaly is one article at odds with itself, so its readings cite one source, not {cited}; "
                "readings from different articles are a disagreement: use nature: disagreement"
            )
            problems.append(("nature", why))
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
    elif isinstance(rec, Amount) and rec.scale is not None and unstorable(rec.amount) is None:
        why = unstorable(rec.absolute)
        if why is not None:
            problems.append(("scale", f"the amount with its scale applied {why}"))
    elif isinstance(rec, Figure):
        if rec.company is None and not rec.scope:
            problems.append(("company", "a figure needs a company, or a scope for a group or market"))
        if rec.value is None and rec.change is None:
            problems.append(("value", "a figure needs a value, a change or both"))
        if rec.change is not None and rec.change.amount is None and rec.change.previous is None:
            problems.append(("change", "a change needs an amount, a previous value or both"))
    return problems
