"""Filter values as the command line and the registry take them: date ranges and closed-list choices.

A bad value is a ``UsageError`` (or ``UnknownNameError`` with close matches)
naming what was wrong, before any record is read.
"""

from __future__ import annotations

from datetime import date

from ..errors import UnknownNameError, UsageError
from ..model.dates import parse_bound
from ..model.names import close_matches
from ..model.vocab import choices

DateLike = date | str | None


def date_range(since: DateLike, until: DateLike) -> tuple[date | None, date | None]:
    """--since and --until as the first and last day they can mean; a bad value is a usage error
    naming its flag, and so is a --since after the --until (a range that can hold nothing)."""
    lo, hi = _bound(since, end=False, flag="--since"), _bound(until, end=True, flag="--until")
    if lo is not None and hi is not None and lo > hi:
        raise UsageError(f"--since {since} is after --until {until}: no date can be in that range")
    return lo, hi


def _bound(value: DateLike, *, end: bool, flag: str) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return parse_bound(value, end=end)
    except ValueError as e:
        raise UsageError(f"{flag}: {e}") from None


def check_choice(value: str | None, literal: object, what: str) -> str | None:
    """*value* if it is one of the closed list *literal*; else an unknown-name error with close matches."""
    if value is None:
        return None
    allowed = choices(literal)
    if value not in allowed:
        raise UnknownNameError(what, value, close_matches(value, allowed, n=3) or list(allowed))
    return value
