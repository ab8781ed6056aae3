"""Which fields of a record point at other records, read off the annotations.

A field annotated ``SourceRef`` (or ``Citations``) cites an article; any other
``Ref`` points at a record. Both may sit in a part (a note's sources, a
reading's record). The lists are computed once per record class from the
annotations in ``records.py``, so adding a reference field there is enough
for the store's indexes, the output's name lookups and the export to see it.
"""

from __future__ import annotations

import dataclasses
import sys
import types
import typing
from collections.abc import Callable
from typing import Any, NamedTuple

from .records import Record, Ref

_hints: dict[type, dict[str, Any]] = {}
_evaluated: dict[tuple[str, str], Any] = {}


def field_types(cls: type) -> dict[str, Any]:
    """Field name -> annotation (with ``Annotated`` extras) of a record dataclass.

    What ``typing.get_type_hints(cls, include_extras=True)`` gives for the
    fields, at a fraction of its cost: each distinct annotation text of a
    module is evaluated once ("str | None" is shared by many fields), which
    matters because every start-up that decodes records pays for it.
    """
    hints = _hints.get(cls)
    if hints is None:
        namespace = vars(sys.modules[cls.__module__])
        hints = {}
        for f in dataclasses.fields(cls):
            tp = f.type
            if isinstance(tp, str):
                key = (cls.__module__, tp)
                if key not in _evaluated:
                    _evaluated[key] = eval(tp, namespace)  # the module's own annotations, nothing from outside
                tp = _evaluated[key]
            hints[f.name] = tp
        _hints[cls] = hints
    return hints


def strip(tp: Any) -> Any:
    """Drop ``Annotated`` and ``Optional`` wrappers."""
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        return strip(typing.get_args(tp)[0])
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return strip(args[0]) if len(args) == 1 else tp
    return tp


class RefField(NamedTuple):
    """One reference field: its path from the record, and the record types it may name."""

    path: tuple[str, ...]  # ("partners",) or ("readings", "record")
    types: tuple[str, ...]  # () for any type; ("source",) for a citation
    many: tuple[bool, ...]  # per step of the path: is it a list?


def _marker(tp: Any) -> Ref | None:
    """The ``Ref`` of a field type (through Optional and list), if any."""
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        for extra in typing.get_args(tp)[1:]:
            if isinstance(extra, Ref):
                return extra
        return _marker(typing.get_args(tp)[0])
    if origin in (typing.Union, types.UnionType):
        for a in typing.get_args(tp):
            m = _marker(a) if a is not type(None) else None
            if m is not None:
                return m
        return None
    if origin is list:
        return _marker(typing.get_args(tp)[0])
    if origin is dict:
        return _marker(typing.get_args(tp)[1])
    return None


def _is_list(tp: Any) -> bool:
    return typing.get_origin(strip(tp)) in (list, dict)


def _walk(cls: type, prefix: tuple[str, ...], many: tuple[bool, ...], seen: frozenset[type] = frozenset()) -> list[RefField]:
    """Reference fields of *cls* and of its parts; a part that contains itself (an amount's
    equivalents are amounts) is walked once."""
    seen = seen | {cls}
    top: list[RefField] = []
    nested: list[RefField] = []
    for name, tp in field_types(cls).items():
        m = _marker(tp)
        if m is not None:
            top.append(RefField((*prefix, name), m.types, (*many, _is_list(tp))))
            continue
        inner = strip(tp)
        if typing.get_origin(inner) is list:
            inner = strip(typing.get_args(inner)[0])
        if dataclasses.is_dataclass(inner) and isinstance(inner, type) and inner not in seen:
            nested += _walk(inner, (*prefix, name), (*many, _is_list(tp)), seen)
    return top + nested  # the record's own fields first, then those of its parts


_fields: dict[type, tuple[list[RefField], list[RefField]]] = {}


def ref_fields(cls: type) -> tuple[list[RefField], list[RefField]]:
    """(citation fields, other reference fields) of a record class, own fields first."""
    got = _fields.get(cls)
    if got is None:
        every = _walk(cls, (), ())
        got = _fields[cls] = ([f for f in every if f.types == ("source",)], [f for f in every if f.types != ("source",)])
    return got


Collect = Callable[[Any, dict[str, None]], None]


def _collector(path: tuple[str, ...]) -> Collect:
    """A function adding the ids at *path* of an object to a dict (a mapping gives its values,
    a list its items, in order), made once per field: a listing asks it of every record it prints."""
    name, rest = path[0], path[1:]
    below = _collector(rest) if rest else None

    def collect(obj: Any, out: dict[str, None]) -> None:
        v = getattr(obj, name, None)
        if v is None:
            return
        if isinstance(v, dict):  # a mapping's values: alias -> sources
            items: Any = [x for values in v.values() for x in (values if isinstance(values, list) else [values])]
        else:
            items = v if isinstance(v, list) else (v,)
        for item in items:
            if item is not None:
                if below is None:
                    out[item] = None
                else:
                    below(item, out)

    return collect


_collectors: dict[type, tuple[tuple[Collect, ...], tuple[Collect, ...]]] = {}


def _collectors_of(cls: type) -> tuple[tuple[Collect, ...], tuple[Collect, ...]]:
    got = _collectors.get(cls)
    if got is None:
        cites, others = ref_fields(cls)
        got = _collectors[cls] = (tuple(_collector(f.path) for f in cites), tuple(_collector(f.path) for f in others))
    return got


def cited_sources(rec: Record) -> list[str]:
    """Every source id a record cites, at any depth, record-level first, without repeats."""
    out: dict[str, None] = {}
    for collect in _collectors_of(type(rec))[0]:
        collect(rec, out)
    return list(out)


def references(rec: Record) -> list[str]:
    """Ids of the records *rec* points at (other than its sources), without repeats."""
    out: dict[str, None] = {}
    for collect in _collectors_of(type(rec))[1]:
        collect(rec, out)
    return list(out)


def reference_names() -> set[str]:
    """The names of every top-level reference field of any record type (not citations)."""
    from .records import RECORD_TYPES

    return {f.path[0] for cls in RECORD_TYPES.values() for f in ref_fields(cls)[1] if len(f.path) == 1}


_MENTION_WORDS = ("article", "file", "source")


def file_mentions(text: str) -> list[tuple[int, int, str]]:
    """Where *text* names a source by the number its file starts with: "article 004",
    "files 003", "Source 001" -> (start, end, "004") of the number, in order.

    A plain scan rather than a regular expression: it runs over the notes of every record
    a query prints, and compiling a pattern would cost each of those runs more than the scan.
    """
    low = text.lower()
    out: list[tuple[int, int, str]] = []
    for word in _MENTION_WORDS:
        at = low.find(word)
        while at >= 0:
            j = at + len(word)
            j += low[j : j + 1] == "s"
            k = j
            while k < len(low) and low[k].isspace():
                k += 1
            num = low[k : k + 3]
            if k > j and len(num) == 3 and num.isdigit() and not low[k + 3 : k + 4].isalnum() and not low[at - 1 : at].isalnum():
                out.append((k, k + 3, num))
            at = low.find(word, j)
    return sorted(out) if len(out) > 1 else out


def file_number(file: str) -> str | None:
    """The number a source's file name starts with ("004_59c0.txt" -> "004"), if any."""
    return file[:3] if len(file) >= 3 and file[:3].isdigit() and not file[3:4].isdigit() else None


def texts(rec: Record) -> list[str]:
    """The texts of a record a screen prints as prose: title, topic, description, note, notes, readings."""
    out = [getattr(rec, a, None) for a in ("title", "topic", "description", "note")]
    notes = getattr(rec, "notes", None)
    out += [notes] if isinstance(notes, str) else [n.text for n in notes or ()]
    out += [r.text for r in getattr(rec, "readings", ())]
    return [t for t in out if t]


def mentioned_files(rec: Record) -> list[str]:
    """The file numbers that a record's texts name a source by ("article 004" -> "004")."""
    return list(dict.fromkeys(num for t in texts(rec) for _, _, num in file_mentions(t)))
