"""Read fact files: find them, parse YAML safely, validate, cross-check ids.

Every problem becomes a ``FactError`` located as ``file:line: field: message``;
a run collects all of them before it fails. YAML is parsed with libyaml's C
parser when PyYAML has it, with a constructor that remembers the line of every
key and refuses duplicate keys, anchors and aliases, and any tag beyond the
plain safe ones.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

import yaml

from .errors import FactError
from .records import RECORD_TYPES, Record
from .validate import BAD, Context, record_checker

_Base = getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader


class LineDict(dict):
    """A mapping that knows the line it starts on and the line of each key."""

    __slots__ = ("line", "lines")


class _FactLoader(_Base):  # type: ignore[misc, valid-type]
    """Safe loader that records lines and refuses duplicate keys and aliases."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.problems: list[tuple[int, str, str]] = []

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        if node in self.constructed_objects or node in self.recursive_objects:
            # Seen before: the document refers to it through an alias. Refusing
            # aliases outright stops alias bombs and makes every value appear once.
            self.problems.append((node.start_mark.line + 1, "", "YAML anchors and aliases are not allowed in fact files"))
            return None
        return super().construct_object(node, deep)


def _construct_map(loader: _FactLoader, node: yaml.MappingNode) -> Any:
    data = LineDict()
    data.line = node.start_mark.line + 1
    data.lines = lines = {}
    yield data
    for key_node, value_node in node.value:
        kline = key_node.start_mark.line + 1
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str):
            loader.problems.append((kline, "", f"keys must be text, got {key!r}"))
            continue
        if key in data:
            loader.problems.append((kline, key, f"duplicate key {key!r} (first on line {lines[key]})"))
            continue
        lines[key] = kline
        data[key] = loader.construct_object(value_node, deep=True)


def _construct_timestamp(loader: _FactLoader, node: yaml.ScalarNode) -> str:
    """Keep unquoted dates as text: our date parser checks them and says where."""
    return str(node.value)


_FactLoader.add_constructor("tag:yaml.org,2002:map", _construct_map)
_FactLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


@dataclass
class LoadResult:
    records: list[Record] = field(default_factory=list)
    errors: list[FactError] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)


def parse_file(path: Path) -> tuple[Any, list[FactError]]:
    """Read and parse one file; return its data (None on failure) and problems."""
    name = str(path)
    try:
        raw = path.read_bytes()
    except IsADirectoryError:
        return None, [FactError(name, None, None, "is a directory, not a fact file")]
    except OSError as e:
        return None, [FactError(name, None, None, f"cannot read: {e.strerror or e}")]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        return None, [FactError(name, line, None, f"not UTF-8 text: byte 0x{raw[e.start]:02x} cannot be decoded")]
    if not text.strip() or all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()):
        return None, [FactError(name, None, None, "file is empty: expected a mapping such as 'deals: [...]'")]
    loader = _FactLoader(text)
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = mark.line + 1 if mark else None
        what = " ".join(x for x in (e.context, e.problem) if x)
        return None, [FactError(name, line, None, f"invalid YAML: {what}")]
    except yaml.YAMLError as e:
        return None, [FactError(name, None, None, f"invalid YAML: {e}")]
    except RecursionError:
        return None, [FactError(name, None, None, "invalid YAML: nested too deeply")]
    finally:
        loader.dispose()
    problems = [FactError(name, line, f or None, msg) for line, f, msg in loader.problems]
    return (None if problems else data), problems


def check_file(data: Any) -> tuple[list[tuple[Record, int | None]], Context]:
    """Validate a parsed file's top-level shape and records; records come with their line."""
    ctx = Context()
    records: list[tuple[Record, int | None]] = []
    if not isinstance(data, dict):
        kinds = ", ".join(RECORD_TYPES)
        ctx.bad(None, "", f"the top level must be a mapping with one or more of: {kinds}")
        return records, ctx
    lines = getattr(data, "lines", {})
    for key, items in data.items():
        line = lines.get(key)
        cls = RECORD_TYPES.get(key)
        if cls is None:
            import difflib

            close = difflib.get_close_matches(str(key), list(RECORD_TYPES), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else f"; use one of: {', '.join(RECORD_TYPES)}"
            ctx.bad(line, str(key), f"unknown record type {key!r}{hint}")
            continue
        if not isinstance(items, list):
            ctx.bad(line, key, "expected a list of records (each item starting with '- id: ...')")
            continue
        check = record_checker(cls)
        for i, item in enumerate(items):
            item_line = getattr(item, "line", line)
            rec = check(item, f"{key}[{i}]", item_line, ctx)
            if rec is not BAD:
                records.append((rec, item_line))
    return records, ctx


def load_files(files: Sequence[Path]) -> LoadResult:
    """Parse, validate and cross-check *files* as one fact base."""
    result = LoadResult(files=list(files))
    where: dict[str, tuple[str, str, int | None]] = {}  # id -> (type, file, line)
    refs: list[tuple[tuple[str, ...], str, str, str, int | None]] = []
    for path in files:
        data, problems = parse_file(path)
        if problems:
            result.errors.extend(problems)
            continue
        records, ctx = check_file(data)
        name = str(path)
        result.errors.extend(FactError(name, line, f or None, msg) for line, f, msg in ctx.problems)
        for rec, line in records:
            seen = where.get(rec.id)
            if seen is not None:
                t, f, ln = seen
                at = f"{f}:{ln}" if ln else f
                result.errors.append(FactError(name, line, "id", f"duplicate id {rec.id!r}: already used by the {t} at {at}"))
                continue
            where[rec.id] = (rec.TYPE, name, line)
            result.records.append(rec)
        refs.extend((types, ref, path_, name, line) for types, ref, path_, line in ctx.refs)
    for types, ref, fpath, name, line in refs:
        seen = where.get(ref)
        if seen is None:
            result.errors.append(FactError(name, line, fpath, _unknown_ref(ref, types, where)))
        elif types and seen[0] not in types:
            wanted = " or ".join(types)
            result.errors.append(FactError(name, line, fpath, f"{ref!r} is a {seen[0]}, expected a {wanted}"))
    return result


def _unknown_ref(ref: str, types: tuple[str, ...], where: dict[str, tuple[str, str, int | None]]) -> str:
    import difflib

    kind = " or ".join(types) if types else "record"
    pool = [i for i, (t, _, _) in where.items() if not types or t in types]
    close = difflib.get_close_matches(ref, pool, n=3)
    msg = f"no {kind} with id {ref!r}"
    return msg + (f" (did you mean {', '.join(repr(c) for c in close)}?)" if close else "")
