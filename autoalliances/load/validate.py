"""Check parsed YAML against the record schema and build typed records.

The schema is the annotations in ``records.py``. For each field a small
checker is compiled once; checking a record collects every problem (unknown
field, wrong type, value outside a closed list, impossible date, missing
citation) with the line it stands on, and never stops at the first.
"""

from __future__ import annotations

import dataclasses
import re
import types
import typing
import unicodedata
from collections.abc import Callable
from typing import Any

from ..model.dates import FuzzyDate
from ..model.names import close_matches
from ..model.records import NON_EMPTY, SLUG, URL, Ref
from ..model.refs import field_types
from ..model.rules import check_record, unstorable

SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")  # used with fullmatch: "bmw\n" is no id

BAD = object()  # a value that failed its check; the problem is already recorded


class Context:
    """Collects problems and references while one file is checked."""

    __slots__ = ("invalid", "loose", "problems", "refs")

    def __init__(self) -> None:
        # (line, field path, message)
        self.problems: list[tuple[int | None, str, str]] = []
        # (wanted types, id, field path, line)
        self.refs: list[tuple[tuple[str, ...], str, str, int | None]] = []
        # A reference that is not even an id ("Nissan"): (index of its problem, wanted types, text),
        # so the loader can add "did you mean" once every record is known.
        self.loose: list[tuple[int, tuple[str, ...], str]] = []
        # Records that failed their checks but have an id: (type, id, line). Citations of
        # them are summed up in one line instead of "no source with id" for each.
        self.invalid: list[tuple[str, str, int | None]] = []

    def bad(self, line: int | None, path: str, message: str) -> object:
        self.problems.append((line, path, message))
        return BAD


Checker = Callable[[Any, str, "int | None", Context], Any]


def _describe(v: Any) -> str:
    if v is None:
        return "nothing (null)"
    if isinstance(v, bool):
        return f"a yes/no value ({str(v).lower()}); quote it if it is text"
    if isinstance(v, (int, float)):
        return f"a number ({v!r})"
    if isinstance(v, str):
        return f"text ({v!r})"
    if isinstance(v, dict):
        return "a mapping"
    if isinstance(v, list):
        return "a list"
    return type(v).__name__


def _text(v: Any, path: str, line: int | None, ctx: Context) -> Any:
    if not isinstance(v, str):
        return ctx.bad(line, path, f"expected text, got {_describe(v)}")
    if not v.strip():
        return ctx.bad(line, path, "must not be empty")
    return v


def _slug(v: Any, path: str, line: int | None, ctx: Context) -> Any:
    if not isinstance(v, str):
        return ctx.bad(line, path, f"expected an id, got {_describe(v)}")
    if not SLUG_RE.fullmatch(v):
        return ctx.bad(line, path, f"{v!r} is not a valid id: use lowercase letters, digits and single hyphens")
    return v


def _url(v: Any, path: str, line: int | None, ctx: Context) -> Any:
    if not isinstance(v, str):
        return ctx.bad(line, path, f"expected a web address, got {_describe(v)}")
    from urllib.parse import urlsplit

    bad = f"{v!r} is not a web address: use a full http:// or https:// URL"
    # No space, control, format (bidi, zero-width) or separator character: a link must show
    # as what it opens.
    if not v or any(ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp", "Zs") for ch in v):
        return ctx.bad(line, path, bad + " without spaces or invisible characters" if v.strip() else "must not be empty")
    try:
        parts = urlsplit(v)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        return ctx.bad(line, path, bad)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return ctx.bad(line, path, bad)
    return v


def _number_hint(text: str) -> str:
    """Why text that reads as a number to a person is text to YAML, and how to write it ("" if it is not one)."""
    t = text.strip()
    try:
        float(t.replace("_", ""))
    except ValueError:
        return ""
    if t.lower() in ("inf", "+inf", "-inf", "infinity", "nan") or "_" in t:
        return ""
    mantissa, e, exponent = t.lower().partition("e")
    if e:  # YAML's floats need a decimal point and a signed exponent: 1e300 is text, 1.0e+300 a number
        fixed = (mantissa if "." in mantissa else mantissa + ".0") + "e" + (exponent if exponent[:1] in "+-" else "+" + exponent)
        return f"; YAML reads {t} as text: write it with a decimal point and a signed exponent, {fixed}"
    return f"; write {t} without quotes to make it a number"


def _number(v: Any, path: str, line: int | None, ctx: Context) -> Any:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        hint = _number_hint(v) if isinstance(v, str) else ""
        return ctx.bad(line, path, f"expected a number, got {_describe(v)}{hint}")
    why = unstorable(v)
    return v if why is None else ctx.bad(line, path, why)


def _fuzzy_date(v: Any, path: str, line: int | None, ctx: Context) -> Any:
    # The parser keeps unquoted dates (2025-03-26) as text; an unquoted year is a number.
    if isinstance(v, int) and not isinstance(v, bool):  # unquoted 2025
        v = str(v)
    if not isinstance(v, str):
        return ctx.bad(line, path, f"expected a date, got {_describe(v)}")
    try:
        return FuzzyDate.parse(v.strip())
    except ValueError as e:
        return ctx.bad(line, path, str(e))


def _closed(values: tuple[str, ...]) -> Checker:
    allowed = frozenset(values)

    def check(v: Any, path: str, line: int | None, ctx: Context) -> Any:
        if isinstance(v, str) and v in allowed:
            return v
        msg = f"{v!r} is not one of: {', '.join(values)}"
        if isinstance(v, str):
            close = close_matches(v, values, n=1)
            if close:
                msg += f" (did you mean {close[0]!r}?)"
        return ctx.bad(line, path, msg)

    return check


def _ref(marker: Ref) -> Checker:
    def check(v: Any, path: str, line: int | None, ctx: Context) -> Any:
        if isinstance(v, str) and not SLUG_RE.match(v):
            ctx.loose.append((len(ctx.problems), marker.types, v))
        v = _slug(v, path, line, ctx)
        if v is not BAD:
            ctx.refs.append((marker.types, v, path, line))
        return v

    return check


def _optional(inner: Checker) -> Checker:
    def check(v: Any, path: str, line: int | None, ctx: Context) -> Any:
        return None if v is None else inner(v, path, line, ctx)

    return check


def _list(inner: Checker, non_empty: bool) -> Checker:
    def check(v: Any, path: str, line: int | None, ctx: Context) -> Any:
        if v is None and not non_empty:
            return []
        if not isinstance(v, list):
            return ctx.bad(line, path, f"expected a list, got {_describe(v)}")
        if non_empty and not v:
            return ctx.bad(line, path, "must list at least one item")
        out = []
        ok = True
        for i, item in enumerate(v):
            item_line = getattr(item, "line", line)
            r = inner(item, f"{path}[{i}]", item_line, ctx)
            if r is BAD:
                ok = False
            out.append(r)
        return out if ok else BAD

    return check


def _dict(inner: Checker) -> Checker:
    """A mapping from text keys (field paths, aliases) to values of one kind."""

    def check(v: Any, path: str, line: int | None, ctx: Context) -> Any:
        if v is None:
            return {}
        if not isinstance(v, dict):
            return ctx.bad(line, path, f"expected a mapping, got {_describe(v)}")
        lines = getattr(v, "lines", {})
        out = {}
        ok = True
        for key, item in v.items():
            kline = lines.get(key, line)
            if not isinstance(key, str) or not key.strip():
                ctx.bad(kline, path, f"keys must be text, got {_describe(key)}")
                ok = False
                continue
            r = inner(item, f"{path}.{key}", kline, ctx)
            if r is BAD:
                ok = False
            out[key] = r
        return out if ok else BAD

    return check


def _checker(tp: Any) -> Checker:
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        base, *extras = typing.get_args(tp)
        for extra in extras:
            if isinstance(extra, Ref):
                return _ref(extra)
            if extra == SLUG:
                return _slug
            if extra == URL:
                return _url
            if extra == NON_EMPTY:
                return _list(_checker(typing.get_args(base)[0]), non_empty=True)
        return _checker(base)
    if origin in (typing.Union, types.UnionType):
        args = typing.get_args(tp)
        rest = [a for a in args if a is not type(None)]
        if len(rest) == 1:
            inner = _checker(rest[0])
            return _optional(inner) if type(None) in args else inner
        if set(rest) == {int, float}:
            return _optional(_number) if type(None) in args else _number
        raise TypeError(f"unsupported union {tp!r}")  # pragma: no cover - schema bug
    if origin is typing.Literal:
        return _closed(typing.get_args(tp))
    if origin is list:
        return _list(_checker(typing.get_args(tp)[0]), non_empty=False)
    if origin is dict:
        key_type, value_type = typing.get_args(tp)
        assert key_type is str, tp
        return _dict(_checker(value_type))
    if tp is str:
        return _text
    if tp is FuzzyDate:
        return _fuzzy_date
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return _mapping(tp)
    raise TypeError(f"unsupported field type {tp!r}")  # pragma: no cover - schema bug


_mappings: dict[type, Checker] = {}


def _mapping(cls: type) -> Checker:
    """A checker that turns a mapping into an instance of the dataclass *cls*."""
    if cls in _mappings:
        return _mappings[cls]
    fields: list[tuple[str, Checker, bool]] = []

    def check(v: Any, path: str, line: int | None, ctx: Context) -> Any:
        if not isinstance(v, dict):
            return ctx.bad(line, path, f"expected a mapping of fields, got {_describe(v)}")
        lines = getattr(v, "lines", {})
        here = getattr(v, "line", line)
        kwargs: dict[str, Any] = {}
        ok = True
        for key in v:
            if key not in names:
                msg = f"unknown field {key!r}"
                close = close_matches(str(key), names, n=1)
                msg += f" (did you mean {close[0]!r}?)" if close else f"; fields are: {', '.join(names)}"
                ctx.bad(lines.get(key, here), f"{path}.{key}" if path else str(key), msg)
                ok = False
        for name, chk, required in fields:
            fpath = f"{path}.{name}" if path else name
            if name not in v:
                if required:
                    msg = "every record must cite at least one source" if name == "sources" else "is required"
                    ctx.bad(here, fpath, msg)
                    ok = False
                continue
            r = chk(v[name], fpath, lines.get(name, here), ctx)
            if r is BAD:
                ok = False
            else:
                kwargs[name] = r
        if not ok:
            return BAD
        obj = cls(**kwargs)
        for fname, message in check_record(obj):
            # "inferred.kidn": the line of that key inside the mapping, else of the field, else of the record
            top, _, key = fname.partition(".")
            line = lines.get(top, here)
            if key:
                line = getattr(v.get(top), "lines", {}).get(key, line)
            ctx.bad(line, f"{path}.{fname}" if path else fname, message)
            ok = False
        return obj if ok else BAD

    _mappings[cls] = check
    types_ = field_types(cls)
    for f in dataclasses.fields(cls):
        required = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        fields.append((f.name, _checker(types_[f.name]), required))
    names = [f.name for f in dataclasses.fields(cls)]
    return check


def record_checker(cls: type) -> Checker:
    """The checker for a top-level record type."""
    return _mapping(cls)
