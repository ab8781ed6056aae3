"""The one rich Console factory, and the one kind of text that reaches it.

Every screen for people is drawn by a Console from ``console()``: it writes to
the streams ``writers`` owns (so broken pipes, write errors, encodings and the
pager are handled there) and knows ``--color``. Every text on those screens
is this module's ``Text``: a rich ``Text`` that makes control, bidi and other
invisible characters visible (``escape.safe``) whenever a string goes in,
before rich measures it, so a column is as wide as what it shows. Plain
strings that rich turns into text itself (titles, headers) pass through the
Console's ``render_str``, which escapes them the same way. Escaping is a
property of this path, not of each field: ``tests/test_architecture.py``
checks that no other module makes a Console or imports rich's own ``Text``.
"""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.text import Text as RichText

from . import writers
from .escape import safe

__all__ = ["RichText", "Text", "console", "indented", "t"]

_init = RichText.__init__
_append = RichText.append


class Text(RichText):
    """rich's ``Text``, with every string made safe as it goes in."""

    __slots__ = ()

    # The check is inlined (printable text needs no call to ``safe``, see escape.py): a
    # screen makes hundreds of these, and every start-up pays for them.
    def __init__(self, text: str = "", style: Any = "", **kwargs: Any) -> None:
        _init(self, text if text.isprintable() else safe(text), style, **kwargs)

    def append(self, text: Any, style: Any = None) -> Text:
        if text.__class__ is str:
            if not text.isprintable():
                text = safe(text)
        elif isinstance(text, RichText) and not isinstance(text, Text):
            text = _safe_copy(text)
        _append(self, text, style)
        return self

    def append_text(self, text: RichText) -> Text:
        super().append_text(text if isinstance(text, Text) else _safe_copy(text))
        return self

    @classmethod
    def assemble(cls, *parts: Any, **kwargs: Any) -> Text:
        made = super().assemble(*parts, **kwargs)
        assert isinstance(made, Text)
        return made

    def __add__(self, other: Any) -> RichText:
        return super().__add__(safe(other) if isinstance(other, str) else other)


def _safe_copy(text: RichText) -> RichText:
    """A foreign rich Text made safe (its inner styles are kept only if nothing needed escaping)."""
    plain = safe(text.plain)
    if plain == text.plain:
        return text
    return Text(plain, text.style)


def indented(prefix: str, line: RichText) -> RichText:
    """A piece of a safe ``Text`` (a wrapped line) after a literal *prefix*: nothing new to escape."""
    return RichText.assemble(prefix, line)


def t(value: Any, style: str = "") -> Text:
    """A literal, safe cell; None is a dim dash."""
    if value is None:
        return Text("—", style="dim")
    return Text(str(value), style=style)


class _Console(Console):
    def render_str(self, text: str, **kwargs: Any) -> RichText:
        return super().render_str(safe(text), **kwargs)


def console(*, stderr: bool = False, width: int | None = None) -> Console:
    """A Console on stdout (or stderr) that honours ``--color``, ``NO_COLOR`` and ``FORCE_COLOR``.

    ``--color never``: no escape codes at all; ``always``: colours even in a
    pipe; ``auto`` (the default): colours in a terminal, none in a pipe,
    ``NO_COLOR`` (any value) drops colours but keeps bold and dim,
    ``FORCE_COLOR`` (any value) colours a pipe as well.
    """
    out = writers.stderr() if stderr else writers.stdout()
    options: dict[str, Any] = {"file": out, "highlight": False, "emoji": False, "markup": False, "width": width}
    color = writers.settings.color
    if color == "never":
        options |= {"color_system": None}
    elif color == "always":
        options |= {"force_terminal": True, "color_system": "standard", "no_color": False}
    return _Console(**options)
