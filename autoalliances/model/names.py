"""How names are compared and how close matches are suggested.

One place for both, so a lookup, a validation message and a "did you mean"
treat names alike. ``difflib`` is imported only when a suggestion is needed.
"""

from __future__ import annotations

from collections.abc import Iterable


def name_key(name: str) -> str:
    """The form in which names are compared and stored for lookups: Unicode NFC, case folded.

    "Škoda" typed with a combining caron and "ŠKODA" find the same record, and
    "Straße" equals "STRASSE". ASCII text needs neither step beyond lower case.
    """
    if name.isascii():
        return name.lower()
    import unicodedata

    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", name).casefold())  # folding can undo NFC


def close_matches(word: str, candidates: Iterable[str], n: int = 3, cutoff: float = 0.6) -> list[str]:
    """Up to *n* candidates that look like *word*, best first."""
    import difflib

    return difflib.get_close_matches(word, list(candidates), n=n, cutoff=cutoff)
