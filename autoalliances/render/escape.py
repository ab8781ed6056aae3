"""What each output format escapes, so that no value in a fact file can act.

Fact files come from other people. A value is printed as the characters it
holds, never as something a terminal, a spreadsheet, a Markdown renderer or
a shell would run:

- ``safe``: for terminals (and the text of every format). Control characters
  (C0, DEL, C1; tab and newline stay), bidi controls (U+202A-U+202E,
  U+2066-U+2069) and every other invisible format character (Unicode
  categories Cf, Zl, Zp: U+200B-U+200F, U+2028, U+2029, U+FEFF...) are made
  visible: ESC becomes the four characters ``\\x1b``, U+202E the six
  characters ``\\u202e``.
- ``json_invisible``: JSON keeps the same characters as ``\\uXXXX`` escapes
  (the same string for a parser, inert on a screen).
- ``csv_cell``: a text cell that a spreadsheet would read as a formula
  (``=``, ``+``, ``-``, ``@``, tab or carriage return first, also after
  spaces or line breaks) gets a leading ``'``, as OWASP advises; numbers stay
  numbers.
- ``markdown_cell``: HTML and Markdown syntax escaped with backslashes or
  entities, so ``<img onerror=...>``, links and images stay text.

Standard library only: every output path imports this module.
"""

from __future__ import annotations

import re
from typing import Any

# Invisible or cursor-moving characters: C0 controls but tab and newline, DEL, C1
# controls, then every character of the Unicode categories Cf (format: bidi controls,
# zero-width spaces and joiners, the byte order mark, tags...), Zl and Zp (line and
# paragraph separators), as of Unicode 15.1. tests/test_hostile.py checks the list
# against the running Python's unicodedata.
_INVISIBLE_RANGES = (
    (0x00, 0x08), (0x0B, 0x1F), (0x7F, 0x9F), (0xAD, 0xAD), (0x600, 0x605), (0x61C, 0x61C), (0x6DD, 0x6DD),
    (0x70F, 0x70F), (0x890, 0x891), (0x8E2, 0x8E2), (0x180E, 0x180E), (0x200B, 0x200F), (0x2028, 0x202E),
    (0x2060, 0x2064), (0x2066, 0x206F), (0xFEFF, 0xFEFF), (0xFFF9, 0xFFFB), (0x110BD, 0x110BD), (0x110CD, 0x110CD),
    (0x13430, 0x1343F), (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A), (0xE0001, 0xE0001), (0xE0020, 0xE007F),
)
INVISIBLE = frozenset(chr(c) for lo, hi in _INVISIBLE_RANGES for c in range(lo, hi + 1))
# Cheap to compile, unlike one character class of the ranges above (which would cost
# every start-up about 3 million instructions). Every invisible character is in a
# Unicode category that str.isprintable() rejects (Cc, Cf, Zl, Zp), so printable text,
# nearly all text, needs no search at all; other text has each character outside
# printable ASCII looked up in INVISIBLE.
_NOT_PLAIN = re.compile("[^\t\n\x20-\x7e]")


def visible(ch: str) -> str:
    """The visible form of one invisible character: '\\x1b', '\\u202e', '\\U000e0001'."""
    c = ord(ch)
    return f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}" if c < 0x10000 else f"\\U{c:08x}"


def _visible(m: re.Match[str]) -> str:
    ch = m.group()
    return visible(ch) if ch in INVISIBLE else ch


def safe(text: str) -> str:
    """*text* with every invisible or control character made visible (tab and newline kept)."""
    if text.isprintable():
        return text
    return _NOT_PLAIN.sub(_visible, text)


def _json_escape(ch: str) -> str:
    c = ord(ch)
    if c < 0x10000:
        return f"\\u{c:04x}"
    c -= 0x10000
    return f"\\u{0xD800 + (c >> 10):04x}\\u{0xDC00 + (c & 0x3FF):04x}"


def json_invisible(text: str) -> str:
    """JSON text with the invisible characters Python's encoder leaves raw written as \\u escapes.

    Only characters inside JSON strings can be invisible (the syntax is ASCII),
    so the result parses to the same value. C0 controls are escaped by the
    encoder already.
    """
    if text.isascii():
        return text.replace("\x7f", "\\u007f")
    return _NOT_PLAIN.sub(_json_visible, text)


def _json_visible(m: re.Match[str]) -> str:
    ch = m.group()
    return _json_escape(ch) if ch in INVISIBLE else ch


def json_ascii(error: UnicodeError) -> tuple[str, int]:
    """A ``codecs`` error handler: characters the output encoding lacks as JSON \\u escapes."""
    if not isinstance(error, UnicodeEncodeError):
        raise error
    part = error.object[error.start : error.end]
    return "".join(_json_escape(ch) for ch in part), error.end


# --- CSV ---------------------------------------------------------------------------------------

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?"  # compiled on first use (re caches it)


def csv_cell(v: Any, *, raw: bool = False) -> str:
    """A value as the text of a CSV cell; a text cell that starts like a formula gets a leading '.

    Numbers (and text that is only a number, such as "-5") are never changed.
    With *raw*, formula-like text is written as it is.
    """
    text = cell_text(v)
    if raw or not isinstance(v, str):
        return text
    # Spaces and line breaks before the formula character count too: a spreadsheet that
    # trims cells on import (LibreOffice's "Trim spaces") reads " =1+1" as =1+1.
    start = text.lstrip(" \n\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000")
    if not start.startswith(_FORMULA_START) or re.fullmatch(_NUMBER, start.rstrip()):
        return text
    return "'" + text


def cell_text(v: Any) -> str:
    """A value as the text of a CSV or Markdown cell."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    return safe(str(v))


# --- Markdown ----------------------------------------------------------------------------------

# Backslash-escaped: Markdown's own syntax (emphasis, code, links and images, headings,
# table pipes, strikethrough, mentions, the backslash itself). Written as entities: HTML's <, > and &, so a raw
# tag or entity in a value is shown, not interpreted.
_MARKDOWN = {c: "\\" + c for c in "\\`*[]()!#|~@"}
_MARKDOWN |= {"<": "&lt;", ">": "&gt;", "&": "&amp;", "\n": "<br>"}
_MARKDOWN_TABLE = str.maketrans(_MARKDOWN)


# An underscore between two letters or digits never starts emphasis ("announced_precision"
# stays as it is); any other is escaped. GitHub's Markdown also links bare addresses
# ("https://...", "www.example.com"): a backslash breaks them up.
_UNDERSCORE_OR_LINK = r"(?<![^\W_])_|_(?![^\W_])|://|(?i:\bwww)\."  # compiled on first use


def markdown_cell(v: Any) -> str:
    """A value as the text of a Markdown table cell: inert when rendered (no HTML, links, images)."""
    text = cell_text(v).translate(_MARKDOWN_TABLE)
    return re.sub(_UNDERSCORE_OR_LINK, lambda m: m.group()[:-1] + "\\" + m.group()[-1], text)  # "\_", "https:/\/", "www\."

