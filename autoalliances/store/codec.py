"""Records to plain data and back, driven by the dataclass annotations.

``to_plain`` gives JSON-ready data: dates as their fact-file text (the cache
form) or as objects with precision and span (the output form).
``cache_form`` is ``to_plain(obj, skip_defaults=True)`` compiled per class.
``from_plain`` rebuilds typed records from the cache form. It trusts its
input: the cache only ever holds data that passed validation.
"""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Callable
from typing import Any, TypeVar

from ..model.dates import FuzzyDate
from ..model.refs import field_types, strip

T = TypeVar("T")
Plain = dict[str, Any]

_decoders: dict[type, Callable[[Plain], Any]] = {}


def _decoder_for(tp: Any) -> Callable[[Any], Any] | None:
    tp = strip(tp)
    if tp is FuzzyDate:
        return lambda v: None if v is None else FuzzyDate.parse(v)
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        part: type = tp
        return lambda v: None if v is None else from_plain(part, v)
    if typing.get_origin(tp) is list:
        inner = _decoder_for(typing.get_args(tp)[0])
        if inner is not None:
            each = inner
            return lambda v: [each(x) for x in v]
    return None


def from_plain(cls: type[T], data: Plain) -> T:
    """Build a record (or part) of *cls* from its cache form."""
    dec = _decoders.get(cls)
    if dec is None:
        dec = _decoders[cls] = _decoder(cls)
    obj: T = dec(data)
    return obj


def _decoder(cls: type) -> Callable[[Plain], Any]:
    convs = {name: c for name, tp in field_types(cls).items() if (c := _decoder_for(tp)) is not None}
    spec = getattr(cls, "_spec", None)
    if spec is None:  # not a record class of ``model.records``: through its constructor
        def construct(d: Plain, _cls: type = cls, _convs: dict[str, Callable[[Any], Any]] = convs) -> Any:
            kw = dict(d)
            for name, conv in _convs.items():
                if name in kw:
                    kw[name] = conv(kw[name])
            return _cls(**kw)

        return construct
    # A record class: its fields set straight from the cache form, as ``_Record.__init__`` would
    # set them (a missing field takes its default), without the checks a constructor call makes
    # for arguments that the cache, written from validated records only, never gets wrong.
    steps = tuple((name, default, factory, convs.get(name)) for name, default, factory in spec)
    known = frozenset(name for name, _, _ in spec)

    def dec(d: Plain, _cls: type = cls, _steps: tuple[Any, ...] = steps, _known: frozenset[str] = known) -> Any:
        if not _known.issuperset(d):
            raise TypeError(f"{_cls.__name__}: unexpected field {next(k for k in d if k not in _known)!r}")
        obj: Any = _new(_cls)
        for name, default, factory, conv in _steps:
            if name in d:
                v = d[name]
                if conv is not None:
                    v = conv(v)
            elif factory is not _MISSING:
                v = factory()
            elif default is not _MISSING:
                v = default
            else:
                raise TypeError(f"{_cls.__name__}: missing field {name!r}")
            _set(obj, name, v)
        return obj

    return dec


_new = object.__new__
_set = object.__setattr__
_MISSING = dataclasses.MISSING


def _default(f: dataclasses.Field[Any]) -> tuple[bool, Any]:
    """(has a default, the default value) of a dataclass field."""
    if f.default is not dataclasses.MISSING:
        return True, f.default
    if f.default_factory is not dataclasses.MISSING:
        return True, f.default_factory()
    return False, None


def to_plain(obj: Any, *, dates: str = "text", skip_defaults: bool = False) -> Any:
    """Records, parts and lists to dicts/lists/scalars.

    ``dates="text"`` writes a FuzzyDate as its text (for the cache);
    ``dates="json"`` as an object with precision, start, end and label.
    """
    if isinstance(obj, FuzzyDate):
        return obj.text if dates == "text" else obj.to_json()
    if isinstance(obj, list):
        return [to_plain(x, dates=dates, skip_defaults=skip_defaults) for x in obj]
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        out = {}
        for f in dataclasses.fields(obj):
            v = getattr(obj, f.name)
            if skip_defaults:
                has, default = _default(f)
                if has and v == default:
                    continue
            out[f.name] = to_plain(v, dates=dates, skip_defaults=skip_defaults)
        return out
    return obj


_encoders: dict[type, Callable[[Any], Plain]] = {}
_PLAIN_TYPES: frozenset[type] = frozenset({str, int, float, bool, type(None)})


def cache_form(obj: Any) -> Any:
    """``to_plain(obj, skip_defaults=True)``: the form the cache stores, dates as text.

    The same result, from an encoder compiled once per record class instead of
    asking ``dataclasses`` for the fields of every object (a cold build encodes
    every record of the fact base).
    """
    cls = obj.__class__
    if cls in _PLAIN_TYPES:
        return obj
    if cls is list:
        return [cache_form(x) for x in obj]
    enc = _encoders.get(cls)
    if enc is not None:
        return enc(obj)
    if isinstance(obj, FuzzyDate):
        return obj.text
    if not dataclasses.is_dataclass(obj) or isinstance(obj, type):
        return to_plain(obj, skip_defaults=True)
    spec = [(f.name, *_default(f)) for f in dataclasses.fields(obj)]

    def encode(o: Any, _spec: list[tuple[str, bool, Any]] = spec, _plain: frozenset[type] = _PLAIN_TYPES) -> Plain:
        out = {}
        for name, has_default, default in _spec:
            v = getattr(o, name)
            if has_default and v == default:
                continue
            out[name] = v if v.__class__ in _plain else cache_form(v)
        return out

    _encoders[cls] = encode
    return encode(obj)
