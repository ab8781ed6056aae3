"""Full-text search: the ``search`` table of the store, one row per record, and its queries.

The table holds four texts of a record, and nothing else: its name, its
aliases, its description and its notes (``search_row``). With SQLite's FTS5
(in Python's ``sqlite3`` on every supported platform, checked at run time)
it is an FTS5 table tokenized by ``unicode61 remove_diacritics 2``: words
match at word boundaries, case and diacritics do not count ("Škoda" finds
"skoda"), ``harm*`` is a prefix query and ``"digital key"`` a phrase; hits
are ranked by bm25 with a name match weighted above an alias match, both far
above a description or a note. Without FTS5 the same table is a plain one
and a search is a case-insensitive substring scan over the same four texts,
in load order (``mode`` says which; the store records it in ``meta``).

``create`` and ``search_row`` are what a build calls: one small function
over one record at a time, rows in, rows out.
"""

from __future__ import annotations

import re
import sqlite3

from ..errors import UsageError
from ..model.names import loose_key
from ..model.records import Conflict, Deal, Figure, Record, Source

COLUMNS = ("name", "aliases", "description", "notes")  # what a hit's ``field`` can be
WEIGHTS = (10.0, 8.0, 2.0, 1.0)  # bm25 weight of each column: names first, then aliases
_FTS_DDL = (
    "CREATE VIRTUAL TABLE search USING fts5(name, aliases, description, notes, id UNINDEXED, type UNINDEXED, "
    "tokenize = 'unicode61 remove_diacritics 2')"
)
_PLAIN_DDL = "CREATE TABLE search (name TEXT, aliases TEXT, description TEXT, notes TEXT, id TEXT, type TEXT)"
INSERT = "INSERT INTO search (name, aliases, description, notes, id, type) VALUES (?, ?, ?, ?, ?, ?)"
FTS5 = "fts5"
SUBSTRING = "substring"

# Snippet markers: private-use characters, removed from the indexed text so they only ever mark a hit.
_OPEN, _CLOSE = "\ue000", "\ue001"
_NO_MARKERS = {ord(_OPEN): " ", ord(_CLOSE): " "}


class Match:
    """Where a record matched: the column, a snippet of its text, the highlighted spans in it.

    A plain class, like every type the start-up path imports (a NamedTuple is compiled
    with ``exec`` when its module is imported).
    """

    __slots__ = ("field", "spans", "text")

    def __init__(self, field: str, text: str, spans: tuple[tuple[int, int], ...]) -> None:
        self.field = field
        self.text = text
        self.spans = spans

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Match) and (self.field, self.text, self.spans) == (other.field, other.text, other.spans)

    def __hash__(self) -> int:
        return hash((self.field, self.text, self.spans))

    def __repr__(self) -> str:
        return f"Match({self.field!r}, {self.text!r}, {self.spans!r})"


class Hit:
    """One record a search found, and where."""

    __slots__ = ("id", "match", "type")

    def __init__(self, id_: str, type_: str, match: Match) -> None:
        self.id = id_
        self.type = type_
        self.match = match


def fts5_available(conn: sqlite3.Connection) -> bool:
    """Whether this SQLite has FTS5 (a build without it gets the substring search)."""
    try:
        conn.execute("CREATE VIRTUAL TABLE temp._fts5_probe USING fts5(x)")
        conn.execute("DROP TABLE temp._fts5_probe")
        return True
    except sqlite3.Error:
        return False


def create(conn: sqlite3.Connection) -> str:
    """Create the search table in an empty store; returns the mode, for ``meta``."""
    if fts5_available(conn):
        conn.execute(_FTS_DDL)
        return FTS5
    conn.execute(_PLAIN_DDL)
    return SUBSTRING


def _clean(text: str | None) -> str:
    return text.translate(_NO_MARKERS) if text else ""


def search_row(rec: Record) -> tuple[str, str, str, str, str, str]:
    """The row of one record: (name, aliases, description, notes, id, type).

    A deal's name is its title, a figure's its description, a conflict's its
    topic (its note and readings are its notes), a source's its title (its
    notes are its notes); aliases are one per line.
    """
    description: str | None = getattr(rec, "description", None)
    notes: list[str]
    if isinstance(rec, Source):
        name, notes = rec.title or "", [rec.notes or ""]
    elif isinstance(rec, Conflict):
        name, notes = rec.topic, [rec.note or "", *(r.text for r in rec.readings)]
    elif isinstance(rec, Figure):
        name, description, notes = rec.description or "", None, [n.text for n in rec.notes]
    elif isinstance(rec, Deal):
        name, notes = rec.title, [n.text for n in rec.notes]
    else:
        name, notes = rec.name, [n.text for n in rec.notes]
    aliases = "\n".join(getattr(rec, "aliases", ()))
    text = "\n".join(n for n in notes if n)
    return _clean(name), _clean(aliases), _clean(description), _clean(text), rec.id, rec.TYPE


# --- the user's query -------------------------------------------------------------------------

_OPERATORS = {"AND", "OR", "NOT"}
_TOKEN = r'"[^"]*"\*?|\(|\)|[^\s"()]+'  # a phrase (maybe a prefix), a parenthesis, a word
HELP = 'use words, "a phrase", a prefix* and AND, OR, NOT, NEAR(...)'


def fts_query(text: str) -> str:
    """The user's search text as an FTS5 query.

    Words, ``"phrases"``, ``prefix*``, parentheses and the operators ``AND``,
    ``OR``, ``NOT`` and ``NEAR`` keep their FTS5 meaning; a word with other
    characters ("5.0", "bmw-huawei", "name:x") is searched as the phrase of
    its words, so it never turns into FTS5 syntax by accident. An unbalanced
    quote is a usage error.
    """
    if text.count('"') % 2:
        raise UsageError(f"search: unbalanced double quote in {text!r}; {HELP}")
    out: list[str] = []
    for token in re.findall(_TOKEN, text):
        if token.startswith('"') or token in ("(", ")") or token in _OPERATORS or token == "NEAR":
            out.append(token)
            continue
        star = token.endswith("*") and len(token) > 1
        word = token[:-1] if star else token
        if word and all(c.isalnum() or c == "_" or not c.isascii() for c in word):  # an FTS5 bareword
            out.append(token)
        else:
            out.append('"' + word.replace('"', "") + '"' + ("*" if star else ""))
    return " ".join(out)


def _spans(marked: str) -> Match | None:
    """A snippet with markers as plain text plus the spans the markers enclosed."""
    if _OPEN not in marked:
        return None
    text, spans, start = [], [], 0
    pos = 0
    for ch in marked:
        if ch == _OPEN:
            start = pos
        elif ch == _CLOSE:
            spans.append((start, pos))
        else:
            text.append(ch)
            pos += 1
    return Match("", " ".join("".join(text).split("\n")), tuple(spans))


def search(conn: sqlite3.Connection, mode: str | None, text: str) -> list[Hit]:
    """The records matching *text*, best first (FTS5) or in load order (substring)."""
    if mode != FTS5:
        return _substring(conn, text)
    snippets = ", ".join(f"snippet(search, {i}, '{_OPEN}', '{_CLOSE}', '…', 12)" for i in range(len(COLUMNS)))
    weights = ", ".join(map(str, WEIGHTS))
    q = f"SELECT id, type, name, aliases, {snippets} FROM search WHERE search MATCH ? ORDER BY bm25(search, {weights}), id"
    try:
        rows = conn.execute(q, (fts_query(text),)).fetchall()
    except sqlite3.OperationalError as e:
        if "no such module" in str(e):  # a cache built by an SQLite with FTS5, read by one without
            return []
        raise UsageError(f"search: {text!r} is not a valid search ({e}); {HELP}") from None
    whole = loose_key(text.strip('"* '))
    hits: list[Hit] = []
    exact: list[Hit] = []
    for id_, type_, name, aliases, *marked in rows:
        found = next(((c, m) for c, s in zip(COLUMNS, marked, strict=True) if (m := _spans(s)) is not None), None)
        match = Match(found[0], found[1].text, found[1].spans) if found else Match(COLUMNS[0], "", ())
        is_name = whole in {loose_key(n) for n in [name, *aliases.split("\n")] if n}
        (exact if is_name else hits).append(Hit(id_, type_, match))
    return exact + hits  # a record that the whole query names comes first


def _substring(conn: sqlite3.Connection, text: str) -> list[Hit]:
    """Without FTS5: *text* as a case-insensitive substring of any of the four texts."""
    needle = text.strip().casefold()
    hits = []
    for *texts, id_, type_ in conn.execute("SELECT name, aliases, description, notes, id, type FROM search ORDER BY rowid"):
        for column, value in zip(COLUMNS, texts, strict=True):
            at = (value or "").casefold().find(needle)
            if at >= 0:
                hits.append(Hit(id_, type_, _window(column, value, at, len(needle))))
                break
    return hits


def _window(column: str, value: str, at: int, n: int, around: int = 60) -> Match:
    """About *around* characters either side of a hit, at word boundaries."""
    lo, hi = max(0, at - around), min(len(value), at + n + around)
    while lo > 0 and not value[lo - 1].isspace():
        lo -= 1
    while hi < len(value) and not value[hi].isspace():
        hi += 1
    head, tail = ("…" if lo > 0 else ""), ("…" if hi < len(value) else "")
    piece = " ".join(value[lo:hi].split("\n"))
    return Match(column, head + piece + tail, ((len(head) + at - lo, len(head) + at - lo + n),))
