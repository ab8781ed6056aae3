"""What day it is: the one place that reads the clock.

Every answer that depends on the date (is a plan's date past? how old is the
newest source?) asks ``today``. It is the system date, unless
``AUTOALLIANCES_TODAY=YYYY-MM-DD`` pins it (tests, the README's pictures), and
``--as-of DATE`` (the fact base as it stood on that day) overrides both.
``tests/test_today.py`` checks that no other module reads the clock.
"""

from __future__ import annotations

import os
import re
from datetime import date

from ..errors import UsageError

TODAY_ENV = "AUTOALLIANCES_TODAY"
_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def parse_day(text: str, what: str) -> date:
    """A full ISO day (``2025-03-20``); anything else is a usage error naming *what* (an option or variable)."""
    m = _DAY.match(text.strip())
    if not m:
        raise UsageError(f"{what}: {text!r} is not a day: use YYYY-MM-DD, e.g. 2025-03-20")
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        raise UsageError(f"{what}: {text!r} is not a real day") from None


def today(as_of: date | None = None) -> date:
    """The day answers are given for: *as_of* if given, else ``AUTOALLIANCES_TODAY``, else the system date."""
    if as_of is not None:
        return as_of
    pinned = os.environ.get(TODAY_ENV)
    if pinned:
        return parse_day(pinned, TODAY_ENV)
    return date.today()


_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]


def day_label(d: date) -> str:
    """'14 April 2025'."""
    return f"{d.day} {_MONTHS[d.month - 1]} {d.year}"


def age(then: date, now: date) -> str:
    """How far *then* lies from *now*, in words: '20 months before', '3 days after', 'the same day as'.

    Days up to two weeks, weeks up to eight, months (rounded) up to two years, then years.
    """
    days = (now - then).days
    if days == 0:
        return "the same day as"
    side = "before" if days > 0 else "after"
    n = abs(days)
    if n < 14:
        amount, unit = n, "day"
    elif n < 56:
        amount, unit = round(n / 7), "week"
    elif n < 730:
        amount, unit = round(n / 30.436875), "month"
    else:
        amount, unit = round(n / 365.2425), "year"
    return f"{amount} {unit}{'s' if amount != 1 else ''} {side}"
