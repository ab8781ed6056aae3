"""Parse one fact file: safe YAML that remembers the line of every key.

YAML is parsed with libyaml's C parser when PyYAML has it, with a constructor
that remembers the line of every key and refuses duplicate keys, anchors and
aliases, and any tag beyond the plain safe ones. Every problem becomes a
``FactError`` located as ``file:line: field: message``.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml

from ..errors import FactError
from .discover import CannotRead, read_fact_bytes

_Base = getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader


class LineDict(dict[str, Any]):
    """A mapping that knows the line it starts on and the line of each key."""

    __slots__ = ("line", "lines")
    line: int
    lines: dict[str, int]


_ALIAS = "YAML anchors and aliases are not allowed in fact files"
_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_STR_TAG = "tag:yaml.org,2002:str"
_ScalarNode, _SequenceNode, _MappingNode = yaml.ScalarNode, yaml.SequenceNode, yaml.MappingNode


class _NotPlain(Exception):
    """The document needs PyYAML's own constructor (a tag, or nesting too deep for the shortcut)."""


# Fact files nest about six levels deep. A deeper document takes PyYAML's own
# path, so it fails (or not) with "nested too deeply" exactly as before.
_PLAIN_DEPTH = 64


class _FactLoader(_Base):  # type: ignore[misc, valid-type]
    """Safe loader that records lines and refuses duplicate keys and aliases.

    A plain document (mappings, lists, strings, numbers, booleans, nulls and
    dates, nested at most ``_PLAIN_DEPTH`` deep: every fact file) is built by
    ``_value`` below, one direct walk over the composed nodes, instead of by
    PyYAML's generic constructor with its generators and state machine, which
    took about as long as parsing itself. It gives the same values, lines and
    problems. Any other document is built by PyYAML's constructor as before,
    from the start.
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.problems: list[tuple[int, str, str]] = []

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        if node in self.constructed_objects or node in self.recursive_objects:
            # Seen before: the document refers to it through an alias. Refusing
            # aliases outright stops alias bombs and makes every value appear once.
            self.problems.append((node.start_mark.line + 1, "", _ALIAS))
            return None
        try:
            return super().construct_object(node, deep)
        except (ValueError, TypeError, ArithmeticError) as e:  # a converter's own error: say where
            raise _unconvertible(node, e) from None

    def construct_document(self, node: yaml.Node) -> Any:
        if node.__class__ is _MappingNode and node.tag == _MAP_TAG:
            known = len(self.problems)
            try:
                return self._value(node, 0)
            except _NotPlain:
                del self.problems[known:]
            finally:
                self.constructed_objects: dict[yaml.Node, Any] = {}
                self.recursive_objects: dict[yaml.Node, Any] = {}
                self.deep_construct = False
        return super().construct_document(node)

    def _value(self, node: yaml.Node, depth: int) -> Any:
        seen = self.constructed_objects
        if node in seen:
            self.problems.append((node.start_mark.line + 1, "", _ALIAS))
            return None
        cls, tag = node.__class__, node.tag
        if cls is _ScalarNode:
            if tag == _STR_TAG:
                seen[node] = value = node.value
                return value
            scalar = _SCALARS.get(tag)
            if scalar is not None:
                try:
                    seen[node] = value = scalar(self, node)
                except (ValueError, TypeError, ArithmeticError) as e:  # located, not a traceback
                    raise _unconvertible(node, e) from None
                return value
        elif depth < _PLAIN_DEPTH:
            if cls is _MappingNode:
                if tag == _MAP_TAG:
                    assert isinstance(node, yaml.MappingNode)
                    return self._mapping(node, depth + 1)
            elif cls is _SequenceNode and tag == _SEQ_TAG:
                seq: list[Any] = []
                seen[node] = seq
                value_of = self._value
                depth += 1
                seq.extend([value_of(item, depth) for item in node.value])
                return seq
        raise _NotPlain

    def _mapping(self, node: yaml.MappingNode, depth: int) -> LineDict:
        """What ``_construct_map`` builds, without the generator."""
        data = LineDict()
        self.constructed_objects[node] = data
        data.line = node.start_mark.line + 1
        lines: dict[str, int] = {}
        data.lines = lines
        value_of = self._value
        problems = self.problems
        for key_node, value_node in node.value:
            kline = key_node.start_mark.line + 1
            key = value_of(key_node, depth)
            if not isinstance(key, str):
                problems.append((kline, "", f"keys must be text, got {key!r}"))
                continue
            if key in data:
                problems.append((kline, key, f"duplicate key {key!r} (first on line {lines[key]})"))
                continue
            lines[key] = kline
            data[key] = value_of(value_node, depth)
        return data

    if not _Base.yaml_path_resolvers:  # always so for the safe loaders; resolve() below assumes it

        def resolve(self, kind: type, value: str, implicit: tuple[bool, bool]) -> str:
            """PyYAML's ``BaseResolver.resolve`` with the resolver lists looked up once per class."""
            if kind is _ScalarNode:
                if implicit[0]:
                    for tag, regexp in _IMPLICIT.get(value[:1], _WILDCARD):
                        if regexp.match(value):
                            return str(tag)
                return _DEFAULT_SCALAR_TAG
            return str(super().resolve(kind, value, implicit))


def _unconvertible(node: yaml.Node, e: Exception) -> yaml.constructor.ConstructorError:
    text = " ".join(str(e).split())[:200]
    what = repr(str(node.value)[:40]) if isinstance(node, _ScalarNode) else "a value"
    return yaml.constructor.ConstructorError(None, None, f"cannot convert {what} ({type(e).__name__}: {text})", node.start_mark)


def _construct_map(loader: _FactLoader, node: yaml.MappingNode) -> Any:
    if not isinstance(node, yaml.MappingNode):  # an explicit !!map tag on a list or a scalar
        raise yaml.constructor.ConstructorError(None, None, f"expected a mapping, but found {node.id}", node.start_mark)
    data = LineDict()
    data.line = node.start_mark.line + 1
    lines: dict[str, int] = {}
    data.lines = lines
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


def _construct_int(loader: _FactLoader, node: yaml.ScalarNode) -> Any:
    """PyYAML's int, but a number Python refuses to convert (over 4300 digits) is a located error."""
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_int(loader, node)
    except ValueError:
        digits = sum(ch.isdigit() for ch in str(node.value))
        raise yaml.constructor.ConstructorError(None, None, f"number too long to read ({digits} digits)", node.start_mark) from None


_FactLoader.add_constructor("tag:yaml.org,2002:map", _construct_map)
_FactLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)
_FactLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)

# Scalar tags whose constructor returns the value directly (no generator): the
# fast path calls them exactly as ``construct_object`` would.
_SCALARS = {
    tag: _FactLoader.yaml_constructors[tag]
    for tag in (f"tag:yaml.org,2002:{t}" for t in ("null", "bool", "int", "float", "timestamp"))
}
_WILDCARD = tuple(_FactLoader.yaml_implicit_resolvers.get(None, []))
_IMPLICIT = {first: tuple(rs) + _WILDCARD for first, rs in _FactLoader.yaml_implicit_resolvers.items() if first is not None}
_DEFAULT_SCALAR_TAG: str = _FactLoader.DEFAULT_SCALAR_TAG


@contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic garbage collection while a fact base is built.

    Loading keeps every parsed record alive, and each automatic collection of
    the oldest generation walks all of them: for 10,000 deals that doubled the
    time of a cold start. Parsing creates no reference cycles worth collecting.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def parse_file(path: Path) -> tuple[Any, list[FactError]]:
    """Read and parse one file; return its data (None on failure) and problems."""
    name = str(path)
    try:
        raw = read_fact_bytes(path)
    except IsADirectoryError:
        return None, [FactError(name, None, None, "is a directory, not a fact file")]
    except CannotRead as e:
        return None, [FactError(name, None, None, f"cannot read: {e}")]
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
        where = mark.line + 1 if mark else None
        what = " ".join(x for x in (e.context, e.problem) if x)
        return None, [FactError(name, where, None, f"invalid YAML: {what}")]
    except yaml.reader.ReaderError as e:  # a character YAML refuses (NUL, most controls): say where, on one line
        at = text[: e.position].count("\n") + 1 if isinstance(e.position, int) else None
        char = f" U+{e.character:04X}" if isinstance(e.character, int) else ""
        return None, [FactError(name, at, None, f"invalid YAML: unacceptable character{char}: {e.reason}")]
    except yaml.YAMLError as e:
        return None, [FactError(name, None, None, "invalid YAML: " + " ".join(str(e).split()))]
    except RecursionError:
        return None, [FactError(name, None, None, "invalid YAML: nested too deeply")]
    except (ValueError, TypeError, ArithmeticError, MemoryError) as e:  # a converter's own error
        text = " ".join(str(e).split())[:200]
        return None, [FactError(name, None, None, f"invalid YAML: cannot convert a value: {type(e).__name__}: {text}")]
    finally:
        loader.dispose()
    problems = [FactError(name, line, f or None, msg) for line, f, msg in loader.problems]
    return (None if problems else data), problems


