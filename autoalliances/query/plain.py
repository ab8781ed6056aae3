"""Plain data classes for the landscape: slotted, compared field by field, and free at import.

``dataclasses`` writes and compiles each class's methods when the module is
imported (about a millisecond a class); these classes are written out once,
here, so importing the landscape costs nothing beyond reading its code.
"""

from __future__ import annotations

from typing import Any, ClassVar


class Plain:
    """A base for slotted record-like classes: equality and repr over ``__slots__`` (minus ``_hidden``)."""

    __slots__ = ()
    _hidden: ClassVar[frozenset[str]] = frozenset()  # slots left out of == and repr

    def _fields(self) -> list[str]:
        out: list[str] = []
        for cls in reversed(type(self).__mro__):
            out += [s for s in getattr(cls, "__slots__", ()) if s not in self._hidden]
        return out

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return all(getattr(self, f) == getattr(other, f) for f in self._fields())

    __hash__: ClassVar[None] = None  # type: ignore[assignment]  # mutable values inside: not hashable

    def __repr__(self) -> str:
        inner = ", ".join(f"{f}={getattr(self, f)!r}" for f in self._fields())
        return f"{type(self).__name__}({inner})"

    def _asdict(self) -> dict[str, Any]:
        return {f: getattr(self, f) for f in self._fields()}
