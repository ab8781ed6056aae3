"""Field-level provenance: which values of a record the editors inferred, and what a source states.

A record's ``inferred`` maps field paths (``kind``, ``domains[1]``,
``milestones[0].date``, ``value.qualifier``) to the editors' reason. A path
covers the value it names and everything inside it: ``domains`` covers
``domains[0]``, ``value`` covers ``value.qualifier``. ``alias_sources`` says
which articles print an alias; an alias without an entry is a search aid.

Plain functions, used by the registry's ``--stated-only`` filters, by the
landscape and by every output shape; nothing here imports beyond ``model``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .dates import FuzzyDate

UNKNOWN = FuzzyDate.parse("unknown")  # what a hidden date becomes: not stated


def _inside(path: str, outer: str) -> bool:
    """Is *path* the value *outer* names, or a part of it?"""
    return path == outer or (path.startswith(outer) and path[len(outer)] in ".[")


def reasons(rec: object, path: str, *, deep: bool = False) -> list[str]:
    """The editors' reasons that apply to the value at *path*: its own entry and its containers'.

    With *deep*, also the entries of its parts (printing ``value`` as one text
    shows its ``value.qualifier``).
    """
    inferred: dict[str, str] = getattr(rec, "inferred", None) or {}
    if not inferred:
        return []
    return [r for key, r in inferred.items() if _inside(path, key) or (deep and _inside(key, path))]


def is_inferred(rec: object, path: str, *, deep: bool = False) -> bool:
    return bool(reasons(rec, path, deep=deep))


def stated(rec: object, name: str) -> list[Any]:
    """The values of the field *name* that no ``inferred`` entry covers: list items, or the one value."""
    value = getattr(rec, name)
    if value is None:
        return []
    if not getattr(rec, "inferred", None):
        return list(value) if isinstance(value, list) else [value]
    if is_inferred(rec, name):
        return []
    if isinstance(value, list):
        return [v for i, v in enumerate(value) if not is_inferred(rec, f"{name}[{i}]")]
    return [value]


def stated_date(rec: object, path: str, value: FuzzyDate) -> FuzzyDate:
    """*value*, or the unknown date when it is inferred (what ``--stated-only`` sees)."""
    return UNKNOWN if is_inferred(rec, path) else value


def search_aliases(rec: object) -> list[str]:
    """The aliases no article prints: the editors' search aids (common short names, other spellings)."""
    printed: dict[str, list[str]] = getattr(rec, "alias_sources", None) or {}
    return [a for a in getattr(rec, "aliases", None) or [] if a not in printed]


def hidden_paths(rec: object) -> list[str]:
    """What ``--stated-only`` hides of *rec*: its inferred field paths, then its search aids as ``aliases[i]``."""
    out = list(getattr(rec, "inferred", None) or {})
    aids = set(search_aliases(rec))
    if aids:
        out += [f"aliases[{i}]" for i, a in enumerate(getattr(rec, "aliases", [])) if a in aids]
    return out


def distinct_reasons(records: Iterable[object]) -> int:
    """How many different reasons the records give (a screen numbers its daggers when more than one)."""
    return len({r for rec in records for r in (getattr(rec, "inferred", None) or {}).values()})


# --- plain data ---------------------------------------------------------------------------


def _steps(path: str) -> list[str | int]:
    """'milestones[0].date' -> ['milestones', 0, 'date']."""
    out: list[str | int] = []
    for part in path.split("."):
        name, *indexes = part.split("[")
        out.append(name)
        out += [int(i.rstrip("]")) for i in indexes]
    return out


def field_value(rec: object, path: str) -> tuple[bool, Any]:
    """(found, value) of a field path such as ``kind``, ``domains[1]`` or ``milestones[0].date``."""
    obj: Any = rec
    for step in path.split("."):
        name, _, index = step.partition("[")
        if not name or not hasattr(obj, "__dataclass_fields__") or name not in obj.__dataclass_fields__:
            return False, None
        obj = getattr(obj, name)
        for part in index.split("[") if index else []:
            if not part.endswith("]") or not part[:-1].isdigit() or not isinstance(obj, list) or int(part[:-1]) >= len(obj):
                return False, None
            obj = obj[int(part[:-1])]
    return True, obj


def hide_plain(rec: object, data: dict[str, Any], paths: Iterable[str], unknown_date: Any) -> dict[str, Any]:
    """*data*, the plain form of *rec* (changed in place), without the values at *paths*.

    A list item is removed, a date becomes *unknown_date* (the form the caller
    prints for "not stated"), a whole list ``[]``, any other value ``None``.
    Paths refer to the record as stored, so items are removed only after every
    path was found.
    """
    removals: dict[int, tuple[list[Any], set[int]]] = {}
    for path in paths:
        found, value = field_value(rec, path)
        if not found:
            continue
        steps = _steps(path)
        parent: Any = data
        for step in steps[:-1]:
            parent = parent[step] if isinstance(step, int) else parent.get(step)
            if parent is None:
                break
        last = steps[-1]
        if parent is None:
            continue
        if isinstance(last, int):
            removals.setdefault(id(parent), (parent, set()))[1].add(last)
        elif isinstance(value, FuzzyDate):
            parent[last] = unknown_date
        elif isinstance(value, list):
            parent[last] = []
        else:
            parent[last] = None
    for lst, indexes in removals.values():
        for i in sorted(indexes, reverse=True):
            del lst[i]
    return data
