"""How names are compared and how close matches are suggested.

One place for both, so a lookup, a validation message and a "did you mean"
treat names alike. ``difflib`` is imported only when a suggestion is needed.

``name_key`` is the form names are stored and compared in; ``loose_key``
builds on it and also drops spaces, hyphens and underscores, so that
"Mercedes Benz", "mercedes-benz" and "MercedesBenz" are one name.
``ranked_matches`` is the one ranking behind every "did you mean" for a
record: by how much a word looks like an id, a name or an alias, whole or
any of its words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

_WORDS = r"[\s\-_./,;:()'\"]+"  # what separates the words of a name, for suggestions


def name_key(name: str) -> str:
    """The form in which names are compared and stored for lookups: Unicode NFKC, case folded,
    white space trimmed and runs of it made one space.

    "Škoda" typed with a combining caron and "ŠKODA" find the same record, and
    "Straße" equals "STRASSE". Compatibility forms count as their plain letters
    (full-width "ＢＭＷ", typed with a Chinese or Japanese input method, is
    "bmw"), and white space at the ends or doubled does not count, so a user
    alias "huawei " or "ＨＵＡＷＥＩ" is the bundled name "huawei" (a collision
    the overlay rule refuses), never a second record that prints like it.
    ASCII text needs no Unicode step.
    """
    if name.isascii():
        key = name.lower()
    else:
        import unicodedata

        key = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name).casefold())  # folding can undo NFKC
    return key if key.isprintable() and key == key.strip() and "  " not in key else " ".join(key.split())


def loose_key(name: str) -> str:
    """``name_key`` without spaces, hyphens and underscores: 'Mercedes Benz' -> 'mercedesbenz'."""
    return "".join(name_key(name).split()).replace("-", "").replace("_", "")


def close_matches(word: str, candidates: Iterable[str], n: int = 3, cutoff: float = 0.6) -> list[str]:
    """Up to *n* candidates that look like *word*, best first."""
    import difflib

    return difflib.get_close_matches(word, list(candidates), n=n, cutoff=cutoff)


def similarity(word: str, candidate: str) -> float:
    """How much *candidate* (an id, name or alias) looks like *word*, from 0 to 1.

    The best of: the two as wholes, without separators; *word* as one of the
    candidate's words (``bz7`` in ``toyota-bz7``; a short candidate, or the word
    first, ranks higher) or the start of one; *word* against each word of the
    candidate. Case and separators do not count.
    """
    import difflib

    w, c = loose_key(word), loose_key(candidate)
    if not w or not c:
        return 0.0
    if w == c:
        return 1.0
    best = difflib.SequenceMatcher(None, w, c).ratio()
    parts = [p for p in re.split(_WORDS, name_key(candidate)) if p]
    for i, part in enumerate(parts):
        if part == w:
            score = 1.0
        elif part.startswith(w) and len(w) >= 3:
            score = 0.85 + 0.1 * len(w) / len(part)
        else:
            score = 0.9 * difflib.SequenceMatcher(None, w, part).ratio()
        # One word of several: the fewer words, and the earlier, the better.
        best = max(best, score * (0.93 + 0.05 / len(parts) + (0.02 if i == 0 else 0.0)))
    if len(w) >= 4 and w in c:
        best = max(best, 0.8)
    return best


def ranked_matches(word: str, candidates: Mapping[str, str], n: int = 3, cutoff: float = 0.6) -> list[str]:
    """Up to *n* ids whose names look most like *word*, best first.

    *candidates* maps each spelling a person may type (id, name, alias) to the
    id it stands for; an id is ranked by its best spelling, ties by id.
    """
    best: dict[str, float] = {}
    for spelling, id_ in candidates.items():
        score = similarity(word, spelling)
        if score >= cutoff and score > best.get(id_, 0.0):
            best[id_] = score
    return [i for i, _ in sorted(best.items(), key=lambda kv: (-kv[1], kv[0]))][:n]
