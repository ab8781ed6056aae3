"""Records to plain data and back, driven by the dataclass annotations.

``to_plain`` gives JSON-ready data: dates as their fact-file text (the cache
form) or as objects with precision and span (the output form).
``from_plain`` rebuilds typed records from the cache form. It trusts its input:
the cache only ever holds data that passed validation.
"""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Callable
from typing import Any

from ..model.dates import FuzzyDate
from ..model.refs import field_types, strip

_decoders: dict[type, Callable[[dict[str, Any]], Any]] = {}


def _decoder_for(tp: Any) -> Callable[[Any], Any] | None:
    tp = strip(tp)
    if tp is FuzzyDate:
        return lambda v: None if v is None else FuzzyDate.parse(v)
    if dataclasses.is_dataclass(tp):
        return lambda v: None if v is None else from_plain(tp, v)
    if typing.get_origin(tp) is list:
        inner = _decoder_for(typing.get_args(tp)[0])
        if inner is not None:
            return lambda v: [inner(x) for x in v]
    return None


def from_plain(cls: type, data: dict) -> Any:
    """Build a record of *cls* from its cache form."""
    dec = _decoders.get(cls)
    if dec is None:
        convs = {name: c for name, tp in field_types(cls).items() if (c := _decoder_for(tp)) is not None}

        def dec(d: dict, _cls: type = cls, _convs: dict = convs) -> Any:
            kw = dict(d)
            for name, conv in _convs.items():
                if name in kw:
                    kw[name] = conv(kw[name])
            return _cls(**kw)

        _decoders[cls] = dec
    return dec(data)


def to_plain(obj: Any, *, dates: str = "text", skip_defaults: bool = False) -> Any:
    """Records, parts and lists to dicts/lists/scalars.

    ``dates="text"`` writes a FuzzyDate as its text (for the cache);
    ``dates="json"`` as an object with precision, start, end and label.
    """
    if isinstance(obj, FuzzyDate):
        return obj.text if dates == "text" else obj.to_json()
    if isinstance(obj, list):
        return [to_plain(x, dates=dates, skip_defaults=skip_defaults) for x in obj]
    if dataclasses.is_dataclass(obj):
        out = {}
        for f in dataclasses.fields(obj):
            v = getattr(obj, f.name)
            if skip_defaults and _is_default(f, v):
                continue
            out[f.name] = to_plain(v, dates=dates, skip_defaults=skip_defaults)
        return out
    return obj


_encoders: dict[type, Callable[[Any], dict]] = {}
_PLAIN_TYPES = frozenset({str, int, float, bool, type(None)})


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
    if isinstance(obj, list) or not dataclasses.is_dataclass(obj) or isinstance(obj, type):
        return to_plain(obj, skip_defaults=True)
    spec = []
    for f in dataclasses.fields(obj):
        if f.default is not dataclasses.MISSING:
            spec.append((f.name, True, f.default))
        elif f.default_factory is not dataclasses.MISSING:  # type: ignore[misc]
            spec.append((f.name, True, f.default_factory()))  # type: ignore[misc]
        else:
            spec.append((f.name, False, None))

    def enc(o: Any, _spec: list = spec, _plain: frozenset = _PLAIN_TYPES) -> dict:
        out = {}
        for name, has_default, default in _spec:
            v = getattr(o, name)
            if has_default and v == default:
                continue
            out[name] = v if v.__class__ in _plain else cache_form(v)
        return out

    _encoders[cls] = enc
    return enc(obj)


def _is_default(f: dataclasses.Field, v: Any) -> bool:
    if f.default is not dataclasses.MISSING:
        return v == f.default
    if f.default_factory is not dataclasses.MISSING:  # type: ignore[misc]
        return v == f.default_factory()  # type: ignore[misc]
    return False
