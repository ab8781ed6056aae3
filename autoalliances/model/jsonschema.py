"""The JSON Schema (Draft 2020-12) of a fact file, generated from the record types.

One source of truth: the annotations in ``records.py`` (types, which fields
are required, which strings are ids, web addresses or references), the
closed lists of ``vocab.py`` with their descriptions, the date grammar of
``dates.py`` and the field meanings of ``fielddocs.py``. Editors that speak
the yaml-language-server protocol give completion and checking from it;
``check-jsonschema`` validates fact files with it. The validator remains
the judge: the schema cannot see across records (references that name
nothing, duplicate ids) nor the rules that span fields (a deal needs a
partner), and it cannot tell that 2025-02-30 is not a day.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from pathlib import Path
from typing import Any

from .dates import PATTERN as DATE_PATTERN
from .dates import FuzzyDate
from .fielddocs import FIELDS, RECORDS
from .records import NON_EMPTY, RECORD_TYPES, SLUG, TYPE_NAMES, URL, Ref
from .refs import field_types
from .vocab import closed_lists, describe

DIALECT = "https://json-schema.org/draft/2020-12/schema"
SLUG_PATTERN = "^[a-z0-9]+(-[a-z0-9]+)*$"
URL_PATTERN = "^[Hh][Tt][Tt][Pp][Ss]?://[^\\s/?#@]+([/?#][^\\s]*)?$"
FIELD_PATH_PATTERN = "^[a-z_]+(\\[[0-9]+\\])?(\\.[a-z_]+(\\[[0-9]+\\])?)*$"

_LIST_NAMES = {literal: name for name, literal in closed_lists().items()}


def _ref(name: str) -> dict[str, Any]:
    return {"$ref": f"#/$defs/{name}"}


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    if set(schema) == {"type"} or (schema.get("type") and "$ref" not in schema):
        kind = schema["type"]
        kinds = kind if isinstance(kind, list) else [kind]
        return {**schema, "type": [*kinds, "null"]}
    return {"anyOf": [schema, {"type": "null"}]}


def _refers(marker: Ref) -> dict[str, Any]:
    return _ref("id" if not marker.types else f"{marker.types[0]}-id") if len(marker.types) <= 1 else _ref("id")


def _type(tp: Any) -> dict[str, Any]:
    """The schema of one annotation."""
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        base, *extras = typing.get_args(tp)
        for extra in extras:
            if isinstance(extra, Ref):
                return _refers(extra)
            if extra == SLUG:
                return _ref("id")
            if extra == URL:
                return _ref("url")
            if extra == NON_EMPTY:
                return {**_type(base), "minItems": 1}
        return _type(base)
    if origin in (typing.Union, types.UnionType):
        args = typing.get_args(tp)
        rest = [a for a in args if a is not type(None)]
        if set(rest) == {int, float}:
            inner: dict[str, Any] = {"type": "number"}
        else:
            (only,) = rest
            inner = _type(only)
        return _nullable(inner) if type(None) in args else inner
    if origin is typing.Literal:
        return _ref(_LIST_NAMES[tp])
    if origin is list:
        return {"type": "array", "items": _type(typing.get_args(tp)[0])}
    if origin is dict:
        value = typing.get_args(tp)[1]
        return {"type": "object", "propertyNames": {"pattern": "\\S"}, "additionalProperties": _type(value)}
    if tp is str:
        return {"type": "string", "pattern": "\\S"}
    if tp is FuzzyDate:
        return _ref("date")
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return _ref(tp.__name__)
    raise TypeError(f"no schema for {tp!r}")  # pragma: no cover - a new kind of annotation


def _default(f: dataclasses.Field[Any]) -> tuple[bool, Any]:
    if f.default is not dataclasses.MISSING:
        return True, f.default
    if f.default_factory is not dataclasses.MISSING:
        return True, f.default_factory()
    return False, None


def _object(cls: type, description: str) -> dict[str, Any]:
    """A record type or part: its fields, which are required, nothing else allowed."""
    hints = field_types(cls)
    docs = FIELDS[cls.__name__]
    props: dict[str, Any] = {}
    required: list[str] = []
    for f in dataclasses.fields(cls):
        schema = _type(hints[f.name])
        has_default, default = _default(f)
        if not has_default:
            required.append(f.name)
        elif schema.get("type") in ("array", "object") and "minItems" not in schema:
            schema = _nullable(schema)  # an optional list or mapping may be left null: it means empty
        if f.name == "inferred":
            schema["propertyNames"] = {"pattern": FIELD_PATH_PATTERN}
        schema = {"description": docs[f.name], **schema}
        if has_default:
            schema["default"] = default
        props[f.name] = schema
    return {
        "type": "object",
        "description": description,
        "properties": props,
        "required": required,
        "additionalProperties": False,
    }


def _parts() -> list[type]:
    """Every dataclass a record type contains, in the order first met."""
    seen: list[type] = []

    def visit(cls: type) -> None:
        for tp in field_types(cls).values():
            for inner in _dataclasses_in(tp):
                if inner not in seen and inner not in RECORD_TYPES.values():
                    seen.append(inner)
                    visit(inner)

    for cls in RECORD_TYPES.values():
        visit(cls)
    return seen


def _dataclasses_in(tp: Any) -> list[type]:
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return [tp]
    return [c for a in typing.get_args(tp) for c in _dataclasses_in(a)]


def _closed_list(name: str, literal: object) -> dict[str, Any]:
    described = describe(literal)
    return {
        "type": "string",
        "description": "One of: " + "; ".join(f"{v}: {d}" for v, d in described.items()),
        "enum": list(described),
        "enumDescriptions": list(described.values()),
        "markdownEnumDescriptions": [f"**{v}**: {d}" for v, d in described.items()],
    }


def definitions() -> dict[str, Any]:
    """Every ``$defs`` entry: the record types, their parts, closed lists, ids, dates, addresses."""
    defs: dict[str, Any] = {
        "id": {
            "type": "string",
            "pattern": SLUG_PATTERN,
            "description": "an id: lowercase letters and digits, words joined by single hyphens (bmw-huawei-harmonyos)",
        },
    }
    for type_ in TYPE_NAMES:
        defs[f"{type_}-id"] = {**_ref("id"), "description": f"the id of a {type_}"}
    defs["url"] = {
        "type": "string",
        "format": "uri",
        "pattern": URL_PATTERN,
        "description": "a web address starting with http:// or https://",
    }
    defs["date"] = {
        "description": (
            "a date as precise as the article gives it, quoted: \"2025-03-26\" (day), \"2025-04\" (month), "
            "\"2025-Q3\" (quarter), \"2025-H2\" (half), \"2026-spring\" (season: spring, summer, autumn, winter), "
            "\"2025-early\" (part: early, mid, late), \"2024\" (year), or \"unknown\"; put \"by \" first for a deadline "
            "(\"by 2026\")"
        ),
        "anyOf": [
            {"type": "string", "pattern": DATE_PATTERN},
            {"type": "integer", "minimum": 1000, "maximum": 9999, "description": "an unquoted year"},
        ],
    }
    for name, literal in closed_lists().items():
        defs[name] = _closed_list(name, literal)
    for part in _parts():
        defs[part.__name__] = _object(part, (part.__doc__ or part.__name__).strip().split("\n")[0])
    for cls in RECORD_TYPES.values():
        defs[cls.__name__] = _object(cls, f"A {cls.TYPE}: {RECORDS[cls.__name__]}.")
    return defs


def bundled_schema_path() -> Path:
    """The committed schema: inside the installed package, or in the checkout."""
    package = Path(__file__).resolve().parent.parent
    inside = package / "schema" / "facts.schema.json"
    return inside if inside.is_file() else package.parent / "schema" / "facts.schema.json"


def type_names() -> list[str]:
    """The record types a schema can be asked for: source, company..."""
    return list(TYPE_NAMES)


def schema(type_: str | None = None) -> dict[str, Any]:
    """The schema of a whole fact file, or with *type_* ("deal") of one record of that type."""
    defs = definitions()
    if type_ is not None:
        cls = TYPE_NAMES[type_]
        return {
            "$schema": DIALECT,
            "title": f"autoalliances {type_} record",
            "description": f"One item of the '{next(k for k, c in RECORD_TYPES.items() if c is cls)}' list of a fact file.",
            **_ref(cls.__name__),
            "$defs": defs,
        }
    return {
        "$schema": DIALECT,
        "title": "autoalliances fact file",
        "description": (
            "A fact file: a mapping whose keys are record types, each a list of records. "
            "`autoalliances validate` checks what a schema cannot: references, duplicate ids, rules across fields."
        ),
        "type": "object",
        "properties": {
            key: {
                "type": "array",
                "description": f"{key}: each item {RECORDS[cls.__name__]}",
                "items": _ref(cls.__name__),
            }
            for key, cls in RECORD_TYPES.items()
        },
        "additionalProperties": False,
        "minProperties": 1,
        "$defs": defs,
    }


def schema_text(type_: str | None = None) -> str:
    """The schema as the text ``autoalliances schema`` prints and ``schema/facts.schema.json`` holds."""
    import json

    return json.dumps(schema(type_), indent=2, ensure_ascii=False) + "\n"
