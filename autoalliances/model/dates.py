"""Dates that keep their precision: "2025-03-26", "2025-04", "2026-spring", "by 2026".

A plan reported as "spring 2026" must stay "spring 2026": it is never turned
into a fake day. Each date knows its precision, the first and last day it can
mean (for sorting and range filters) and how to print itself.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

PRECISIONS = ("day", "month", "quarter", "half", "season", "part", "year", "unknown")

_SEASONS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "winter": (12, 14)}
_PARTS = {"early": (1, 4), "mid": (5, 8), "late": (9, 12)}
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]

_RE = re.compile(
    r"^(?P<by>by )?(?P<year>\d{4})"
    r"(?:-(?:(?P<month>\d{2})(?:-(?P<day>\d{2}))?"
    r"|Q(?P<quarter>[1-4])|H(?P<half>[12])"
    r"|(?P<season>spring|summer|autumn|winter)|(?P<part>early|mid|late)))?$"
)

# The same grammar as an ECMAScript regular expression, for the JSON Schema
# (``model/jsonschema.py``); a test checks that the two agree. It cannot tell
# that 2025-02-30 is not a day: the validator does.
PATTERN = (
    r"^(unknown|(by )?[1-9][0-9]{3}"
    r"(-((0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?|Q[1-4]|H[12]"
    r"|spring|summer|autumn|winter|early|mid|late))?)$"
)


# Parsed dates and their JSON objects by text. A fact base of any size names few distinct dates
# (days, months, seasons), and a warm query reads thousands of records that repeat them: each
# text is parsed, and its JSON object built, once per run. Bounded, so no input can grow them
# without limit (past the bound they start again).
_MEMO_SIZE = 1 << 14
_parsed: dict[str, FuzzyDate] = {}
_json: dict[str, dict[str, object]] = {}


class FuzzyDate:
    """A date with a precision, parsed from the fact-file grammar (immutable once made).

    >>> FuzzyDate.parse("2026-spring").label
    'spring 2026'
    """

    __slots__ = ("by", "end", "precision", "start", "text")

    def __init__(self, text: str, precision: str, start: date | None, end: date | None, by: bool) -> None:
        self.text = text
        self.precision = precision
        self.start = start
        self.end = end
        self.by = by

    @classmethod
    def parse(cls, text: str) -> FuzzyDate:
        """Parse *text*; raise ``ValueError`` with a readable reason (the same object for the same text)."""
        got = _parsed.get(text)
        if got is None:
            got = cls._parse(text)
            if len(_parsed) >= _MEMO_SIZE:
                _parsed.clear()
            _parsed[text] = got
        return got

    @classmethod
    def _parse(cls, text: str) -> FuzzyDate:
        if text == "unknown":
            return cls(text, "unknown", None, None, False)
        m = _RE.match(text)
        if not m:
            raise ValueError(
                f"{text!r} is not a date: use YYYY-MM-DD, YYYY-MM, YYYY-Qn, YYYY-Hn, "
                "YYYY-spring, YYYY-early/mid/late, YYYY or 'unknown', optionally after 'by '"
            )
        g = m.groupdict()
        year = int(g["year"])
        if year < 1000:
            raise ValueError(f"{text!r}: year out of range")
        if g["day"]:
            month, day = int(g["month"]), int(g["day"])
            try:
                start = end = date(year, month, day)
            except ValueError:
                raise ValueError(f"{text!r} is not a real day") from None
            precision = "day"
        elif g["month"]:
            month = int(g["month"])
            if not 1 <= month <= 12:
                raise ValueError(f"{text!r}: month must be 01 to 12")
            start, end = _span(year, month, month)
            precision = "month"
        elif g["quarter"]:
            q = int(g["quarter"])
            start, end = _span(year, 3 * q - 2, 3 * q)
            precision = "quarter"
        elif g["half"]:
            h = int(g["half"])
            start, end = _span(year, 6 * h - 5, 6 * h)
            precision = "half"
        elif g["season"]:
            first, last = _SEASONS[g["season"]]
            start, end = _span(year, first, last)
            precision = "season"
        elif g["part"]:
            first, last = _PARTS[g["part"]]
            start, end = _span(year, first, last)
            precision = "part"
        else:
            start, end = date(year, 1, 1), date(year, 12, 31)
            precision = "year"
        return cls(text, precision, start, end, bool(g["by"]))

    @property
    def year(self) -> int | None:
        return self.start.year if self.start else None

    @property
    def known(self) -> bool:
        return self.start is not None

    @property
    def label(self) -> str:
        """How a person reads it: '26 March 2025', 'spring 2026', 'by 2026'."""
        if self.start is None:
            return "date unknown"
        t = self.text[3:] if self.by else self.text
        y = t[:4]
        p = self.precision
        if p == "day":
            s = f"{self.start.day} {_MONTHS[self.start.month - 1]} {y}"
        elif p == "month":
            s = f"{_MONTHS[self.start.month - 1]} {y}"
        elif p in ("quarter", "half", "season", "part"):
            s = f"{t[5:]} {y}"
        else:
            s = y
        return f"by {s}" if self.by else s

    def sort_key(self) -> tuple[date, date, str]:
        """Chronological: by first possible day, finer precision first; unknown last."""
        if self.start is None or self.end is None:
            return (date.max, date.max, "")
        return (self.start, self.end, self.text)

    def overlaps(self, since: date | None, until: date | None) -> bool:
        """True when the span this date can mean touches [since, until]."""
        if self.start is None or self.end is None:
            return False
        if since is not None and self.end < since:
            return False
        return not (until is not None and self.start > until)

    def to_json(self) -> dict[str, object]:
        """The output object (``text``, ``precision``, ``start``, ``end``, ``by``, ``label``): a new dict each call."""
        got = _json.get(self.text)
        if got is None:
            if len(_json) >= _MEMO_SIZE:
                _json.clear()
            got = _json[self.text] = self._json()
        return dict(got)

    def _json(self) -> dict[str, object]:
        return {
            "text": self.text,
            "precision": self.precision,
            "start": self.start.isoformat() if self.start else None,
            "end": self.end.isoformat() if self.end else None,
            "by": self.by,
            "label": self.label,
        }

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return f"FuzzyDate({self.text!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FuzzyDate) and other.text == self.text

    def __hash__(self) -> int:
        return hash(self.text)


def _span(year: int, first_month: int, last_month: int) -> tuple[date, date]:
    """First and last day of a run of months; month 14 is February of next year."""
    ly, lm = (year + 1, last_month - 12) if last_month > 12 else (year, last_month)
    return date(year, first_month, 1), date(ly, lm, calendar.monthrange(ly, lm)[1])


def parse_bound(text: str, *, end: bool) -> date:
    """Parse a --since/--until value (any FuzzyDate form) to its first or last day."""
    try:
        d = FuzzyDate.parse(text.strip())
    except ValueError as e:
        raise ValueError(str(e)) from None
    if d.start is None or d.end is None:
        raise ValueError("'unknown' cannot bound a range")
    return d.end if end else d.start
