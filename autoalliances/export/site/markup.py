"""HTML built by function calls, escaped by construction.

``Html`` is text that is already markup; only this module's builders make it.
Everything else that goes into a page, a string from a fact file above all,
is escaped on the way in: ``el("td", name)`` can never produce a tag from
*name*. The builders also refuse what a page of this site must never hold:

- an attribute whose name starts with ``on`` (no inline event handler at all,
  so none can be built from data);
- a ``href``/``src`` with a scheme other than http, https or mailto
  (no ``javascript:`` link); relative links are the normal case;
- tag and attribute names that are not plain names;
- a ``<script>`` or ``<style>`` body that could end its element early.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9-]*$")
# What HTML forbids in text or a reader could not see: C0 and C1 controls other than tab and
# newline, lone surrogates and the noncharacters. They are shown as escapes ('\\x1b').
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef"
    + "".join(f"{chr(p * 0x10000 + 0xFFFE)}{chr(p * 0x10000 + 0xFFFF)}" for p in range(17))
    + "]"
)
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_SAFE_SCHEMES = {"http", "https", "mailto"}
_URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href"}
VOID = frozenset({"meta", "link", "br", "hr", "input", "img", "wbr"})


class Html(str):
    """Markup made by this module; concatenating it with plain text goes through ``join``."""

    __slots__ = ()


def visible(text: str) -> str:
    """*text* with what HTML cannot carry shown as escapes: ESC becomes the four characters '\\x1b'."""
    return _INVISIBLE.sub(lambda m: _escape_code(ord(m.group())), text)


def _escape_code(n: int) -> str:
    return f"\\x{n:02x}" if n < 0x100 else f"\\u{n:04x}" if n < 0x10000 else f"\\U{n:08x}"


def text(value: object) -> str:
    """Plain text as HTML text or attribute value: visible, then ``<``, ``>``, ``&`` and both quotes escaped."""
    return html.escape(visible(str(value)), quote=True)


def esc(value: object) -> Html:
    """Plain text as HTML (see ``text``); ``Html`` passes as it is."""
    if isinstance(value, Html):
        return value
    return Html(text(value))


def join(*parts: object) -> Html:
    """Parts in a row: ``Html`` as it is, text escaped, ``None`` left out, iterables flattened."""
    out: list[str] = []
    _flatten(parts, out)
    return Html("".join(out))


def _flatten(parts: Iterable[object], out: list[str]) -> None:
    for p in parts:
        if p is None or p is False:
            continue
        if isinstance(p, str):
            out.append(p if isinstance(p, Html) else text(p))
        elif isinstance(p, (int, float)):
            out.append(text(p))
        elif isinstance(p, Iterable):
            _flatten(p, out)
        else:
            raise TypeError(f"cannot put a {type(p).__name__} in a page")


def check_url(value: str) -> str:
    """*value* if it is a relative link or an http(s)/mailto address; else ``ValueError``."""
    stripped = "".join(value.split()).lower()  # browsers ignore blanks and controls inside a scheme
    m = _SCHEME.match(stripped)
    if m and m.group(1) not in _SAFE_SCHEMES:
        raise ValueError(f"refused link {value!r}: scheme {m.group(1)!r}")
    return value


def attribute_name(key: str) -> str:
    """A keyword as an attribute name: ``class_`` -> ``class``, ``aria_label`` -> ``aria-label``."""
    name = key.rstrip("_").replace("_", "-")
    if not _NAME.match(name) and name != "xlink:href":
        raise ValueError(f"refused attribute name {key!r}")
    if name.lower().startswith("on"):
        raise ValueError(f"refused attribute {name!r}: no inline event handlers")
    return name


def attributes(attrs: dict[str, object]) -> str:
    out = []
    for key, value in attrs.items():
        if value is None or value is False:
            continue
        name = attribute_name(key)
        if value is True:
            out.append(f" {name}")
            continue
        raw = str(value)
        if name.lower() in _URL_ATTRIBUTES:
            check_url(raw)
        out.append(f' {name}="{text(raw)}"')
    return "".join(out)


def el(tag: str, *children: object, **attrs: object) -> Html:
    """``<tag attrs>children</tag>``; children escaped unless ``Html`` (see ``join``)."""
    if not _NAME.match(tag):
        raise ValueError(f"refused tag name {tag!r}")
    lowered = tag.lower()
    if lowered in ("script", "style"):
        raise ValueError("use raw_element for script and style")
    start = f"<{tag}{attributes(attrs)}>"
    if lowered in VOID:
        if children:
            raise ValueError(f"<{tag}> has no content")
        return Html(start)
    return Html(f"{start}{join(*children)}</{tag}>")


def attr_element(tag: str, attrs: dict[str, object], *children: object) -> Html:
    """``el`` for attribute names that are not Python keywords' shape (``viewBox``, ``data-sort``...)."""
    if not _NAME.match(tag) or tag.lower() in ("script", "style"):
        raise ValueError(f"refused tag name {tag!r}")
    return Html(f"<{tag}{attributes(attrs)}>{join(*children)}</{tag}>")


def raw_element(tag: str, body: str) -> Html:
    """A ``<script>`` or ``<style>`` whose body is one of the site's own files, never data."""
    if tag not in ("script", "style"):
        raise ValueError(tag)
    if f"</{tag}" in body.lower() or "<!--" in body:
        raise ValueError(f"a <{tag}> body may not contain '</{tag}' or '<!--'")
    return Html(f"<{tag}>{body}</{tag}>")
