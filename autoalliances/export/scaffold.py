"""The text of a new fact file: every field of a record type, each explained in a comment.

``fields_of`` reads a record type's fields off its annotations (what each
is, whether it is required, its closed list or the records it names);
``render`` writes the YAML of one record with the values given and a
comment above every field: its meaning (``model/fielddocs.py``), whether it
is required, and its format or allowed values (``model/vocab.py``). A
required field without a value is written commented out, so ``validate``
names it as missing; every other field without a value is written as
``null``, ``[]`` or ``{}``. Filled in, the file validates as it stands.
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from collections.abc import Mapping
from typing import Any, NamedTuple

from ..model.dates import FuzzyDate
from ..model.fielddocs import FIELDS, RECORDS
from ..model.records import NON_EMPTY, PLURAL, SLUG, TYPE_NAMES, URL, Amount, Ref
from ..model.refs import field_types
from ..model.vocab import choices, describe

DATE_FORMAT = (
    'a quoted date, as precise as the article: "2025-03-26", "2025-04", "2025-Q3", "2025-H2", '
    '"2026-spring" (or summer, autumn, winter), "2025-early" (or mid, late), "2024", or "unknown"; '
    '"by 2026" for a deadline'
)
NAME_FIELDS = {"company": "name", "system": "name", "model": "name", "deal": "title", "source": "title", "conflict": "topic"}


class FieldSpec(NamedTuple):
    """One field of a record type as ``new`` sees it."""

    name: str
    kind: str  # text, id, ref, url, date, choice, number, part
    many: bool  # a list (or, for kind part, a list of parts)
    required: bool  # no default: the validator says "is required" without it
    types: tuple[str, ...]  # for ref: the record types it may name (() = any)
    values: tuple[str, ...]  # for choice: the closed list
    literal: object  # for choice: the Literal, for descriptions
    part: type | None  # for part: the dataclass
    doc: str

    @property
    def flag(self) -> str:
        """The option that fills it: ``--partner`` for ``partners``, ``--unnamed-partner``..."""
        return "--" + singular(self.name).replace("_", "-")

    @property
    def simple(self) -> bool:
        """Given on the command line as text (complex parts are edited in the file)."""
        return self.kind != "part" or self.part is Amount or self.name in ("readings", "inferred")


def singular(name: str) -> str:
    if name.endswith("aliases"):
        return name[:-2]
    return name[:-1] if name.endswith("s") and not name.endswith("ss") else name


def _spec(name: str, tp: Any, required: bool, doc: str) -> FieldSpec:
    many = False
    non_empty = False
    origin = typing.get_origin(tp)
    if origin is typing.Annotated and NON_EMPTY in typing.get_args(tp)[1:]:
        non_empty = True
        tp = typing.get_args(tp)[0]
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        rest = [a for a in typing.get_args(tp) if a is not type(None)]
        tp = rest[0] if len(rest) == 1 else float
    if typing.get_origin(tp) is list:
        many = True
        tp = typing.get_args(tp)[0]
    if typing.get_origin(tp) is dict:
        return FieldSpec(name, "part", False, required, (), (), None, None, doc)
    kind: str = "text"
    refs: tuple[str, ...] = ()
    values: tuple[str, ...] = ()
    literal: object = None
    part: type | None = None
    if typing.get_origin(tp) is typing.Annotated:
        base, *extras = typing.get_args(tp)
        for extra in extras:
            if isinstance(extra, Ref):
                kind, refs = "ref", extra.types
            elif extra == SLUG:
                kind = "id"
            elif extra == URL:
                kind = "url"
        tp = base
    if typing.get_origin(tp) is typing.Literal:
        kind, values, literal = "choice", choices(tp), tp
    elif tp is FuzzyDate:
        kind = "date"
    elif tp in (int, float):
        kind = "number"
    elif isinstance(tp, type) and dataclasses.is_dataclass(tp):
        kind, part = "part", tp
    return FieldSpec(name, kind, many, required or non_empty, refs, values, literal, part, doc)


def fields_of(type_: str) -> list[FieldSpec]:
    """The fields of record type *type_* ("deal"), in the order the record declares them."""
    cls = TYPE_NAMES[type_]
    specs = _fields(cls)
    return [s for s in specs if s.name not in _LAST] + [s for s in specs if s.name in _LAST]


_LAST = ("sources", "inferred")  # written last, as in the bundled facts


def _fields(cls: type) -> list[FieldSpec]:
    hints = field_types(cls)
    out = []
    for f in dataclasses.fields(cls):
        required = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        out.append(_spec(f.name, hints[f.name], required, FIELDS[cls.__name__][f.name]))
    return out


# --- YAML text ------------------------------------------------------------------------------


def scalar(value: Any) -> str:
    """One value as a YAML scalar on one line that reads back as exactly *value*."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, FuzzyDate):
        return json.dumps(value.text)
    import yaml

    text = str(value)
    # Plain or single-quoted where PyYAML finds that safe; else double-quoted with escapes
    # (control characters, line breaks, unassigned code points, edge spaces), always one line.
    style = None if text.isprintable() and text == text.strip() else '"'
    out = yaml.safe_dump(text, allow_unicode=True, width=10**9, default_flow_style=True, default_style=style)
    out = out.removesuffix("\n...\n").removesuffix("\n")
    if "\n" in out:
        out = yaml.safe_dump(text, allow_unicode=True, width=10**9, default_style='"').removesuffix("\n")
    return out


def _flow(values: list[Any]) -> str:
    return "[" + ", ".join(scalar(v) for v in values) + "]"


def _amount(a: Amount) -> str:
    parts = [f"amount: {scalar(a.amount)}"]
    if a.scale:
        parts.append(f"scale: {a.scale}")
    parts.append(f"unit: {a.unit}")
    if a.qualifier != "exact":
        parts.append(f"qualifier: {a.qualifier}")
    return "{" + ", ".join(parts) + "}"


def _values_comment(spec: FieldSpec, indent: str) -> list[str]:
    """The allowed values of a closed list, one per line with its meaning."""
    if spec.kind != "choice":
        return []
    described = describe(spec.literal)
    width = max(len(v) for v in described)
    return [f"{indent}#   {v.ljust(width)}  {d}" for v, d in described.items()]


def _format(spec: FieldSpec) -> str:
    if spec.kind == "id":
        return ""
    if spec.kind == "ref":
        what = " or ".join(spec.types) if spec.types else "record"
        return f"{'a list of ' if spec.many else 'a '}{what} id{'s' if spec.many else ''}"
    if spec.kind == "date":
        return DATE_FORMAT
    if spec.kind == "url":
        return "a full http:// or https:// address"
    if spec.kind == "choice":
        return ("a list, each " if spec.many else "") + "one of:"
    if spec.kind == "number":
        return "a number"
    if spec.kind == "part" and spec.part is None:
        return "a mapping"
    if spec.kind == "part":
        return "a list, each item:" if spec.many else "null, or a mapping:"
    if spec.many:
        return "a list of text"
    return "text"


def _example(spec: FieldSpec) -> str:
    """An example value for a field of a part, as YAML text (in a comment)."""
    if spec.kind == "ref":
        one = f"{spec.types[0] if spec.types else 'record'}-id"
        return f"[{one}]" if spec.many else one
    if spec.kind == "date":
        return '"2026-spring"'
    if spec.kind == "choice":
        return f"[{spec.values[0]}]" if spec.many else spec.values[0]
    if spec.kind == "number":
        return "1.5"
    if spec.kind == "part":
        return "[]" if spec.many else "null"
    return "..."


def _part_comment(spec: FieldSpec, indent: str) -> list[str]:
    """How an item of a part is written: each of its fields with an example value."""
    assert spec.part is not None
    lines = []
    for i, sub in enumerate(_fields(spec.part)):
        lead = ("- " if i == 0 else "  ") if spec.many else ""
        need = "required" if sub.required else "optional"
        allowed = f"; one of: {', '.join(sub.values)}" if sub.kind == "choice" else ""
        lines.append(f"{indent}#   {lead}{sub.name}: {_example(sub)}   # {need}: {sub.doc}{allowed}")
    return lines


_DICT_EXAMPLES = {
    "inferred": 'kind: "the article says they work together; that it is a partnership is our reading"',
    "alias_sources": "Some Alias: [source-id]",
}


def _field_lines(spec: FieldSpec, value: Any, indent: str) -> list[str]:
    need = "required" if spec.required else "optional"
    fmt = _format(spec)
    lines = [f"{indent}# {spec.name} ({need}): {spec.doc}" + (f"; {fmt}" if fmt else "")]
    lines += _values_comment(spec, indent)
    if spec.kind == "part" and spec.part is not None:
        lines += _part_comment(spec, indent)
    elif spec.kind == "part":
        lines.append(f"{indent}#   for example  {_DICT_EXAMPLES.get(spec.name, 'key: value')}")
    present = value is not None and value not in ([], {})
    if not present:
        if spec.required:
            lines.append(f"{indent}# {spec.name}:")
        else:
            empty = "{}" if spec.kind == "part" and spec.part is None else ("[]" if spec.many else "null")
            lines.append(f"{indent}{spec.name}: {empty}")
        return lines
    assert value is not None
    if spec.name == "inferred" or isinstance(value, dict):
        lines.append(f"{indent}{spec.name}:")
        lines += [f"{indent}  {scalar(k)}: {scalar(v)}" for k, v in value.items()]
    elif spec.name == "readings":
        lines.append(f"{indent}{spec.name}:")
        for source, text in value:
            lines.append(f"{indent}  - source: {scalar(source)}")
            lines.append(f"{indent}    text: {scalar(text)}")
    elif isinstance(value, Amount):
        lines.append(f"{indent}{spec.name}: {_amount(value)}")
    elif spec.many and spec.kind in ("ref", "choice", "id"):
        lines.append(f"{indent}{spec.name}: {_flow(value)}")
    elif spec.many:
        lines.append(f"{indent}{spec.name}:")
        lines += [f"{indent}  - {scalar(v)}" for v in value]
    else:
        lines.append(f"{indent}{spec.name}: {scalar(value)}")
    return lines


def render(type_: str, values: Mapping[str, Any], schema: str | None) -> str:
    """The commented YAML of one new record of *type_* with *values* (field -> checked value)."""
    cls = TYPE_NAMES[type_]
    head = []
    if schema:
        head.append(f"# yaml-language-server: $schema={schema}")
    head += [
        f"# A {type_}: {RECORDS[cls.__name__]}.",
        f"# Written by `autoalliances new {type_}`. Above each field: what it means, whether it is",
        "# required, and its format or allowed values. Write what the article says, in your own",
        "# words; leave null or [] what it does not say. A commented-out field is required and still",
        f"# missing: fill it in and remove the '#'. Then check the file: autoalliances validate {values.get('id', 'FILE')}.yaml",
        f"{PLURAL[type_]}:",
    ]
    body: list[str] = []
    for i, spec in enumerate(fields_of(type_)):
        lines = _field_lines(spec, values.get(spec.name), "    ")
        if i == 0:  # the record's first field starts the list item: "  - id: ..."
            last = lines[-1]
            lines[-1] = ("  # - " + last[6:]) if last.startswith("    # ") else ("  - " + last[4:])
        body += lines
    return "\n".join(head + body) + "\n"
