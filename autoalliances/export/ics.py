"""Dated plans and events as an iCalendar file (RFC 5545), for calendar apps.

One all-day ``VEVENT`` per dated event of ``query.plans.calendar``: a day
is that day; a month, quarter, half, season, part of a year or year spans
it (``DTEND`` is the day after, exclusive, as RFC 5545 wants for dates); a
deadline ("by 2026") is its last day. The ``UID`` is derived from the record
id, the event and its date, so importing the file again updates events
instead of duplicating them. Nothing depends on the clock: ``DTSTAMP`` is
the newest publication date among the event's sources, and a plan's state
(which changes with the day) is left to the calendar, which shows past dates
as past. Backslashes, semicolons, commas and newlines in text are escaped,
lines are folded at 75 octets without splitting a character, and every line
ends with CRLF.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import date, timedelta
from pathlib import Path

from ..model.plans import newest
from ..model.records import Source
from ..query.landscape import Event, Timeline
from ..render.landscape import describe
from ..render.text import reported_words, safe
from ..version import __version__
from .target import write_file

PRODID = f"-//autoalliances//autoalliances {__version__}//EN"
_NO_DATE = "19700101T000000Z"  # DTSTAMP when no source of an event (nor of the calendar) is dated


def escape(text: str) -> str:
    """A TEXT value: backslash, semicolon, comma and newline escaped; control characters made visible."""
    text = safe(text.replace("\r\n", "\n").replace("\r", "\n"))
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> str:
    """One content line folded at 75 octets (continuations start with a space), CRLF-terminated."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line + "\r\n"
    parts: list[str] = []
    limit = 75
    while data:
        cut = min(limit, len(data))
        while cut < len(data) and (data[cut] & 0xC0) == 0x80:  # never split a UTF-8 sequence
            cut -= 1
        parts.append(data[:cut].decode("utf-8"))
        data = data[cut:]
        limit = 74  # the leading space of a continuation counts
    return "\r\n ".join(parts) + "\r\n"


def _day(d: date) -> str:
    return d.strftime("%Y%m%d")


def span(e: Event) -> tuple[date, date]:
    """The first day and the exclusive end of an event's calendar entry."""
    d = e.date
    assert d.start is not None and d.end is not None, "undated events have no calendar entry"
    if d.by:
        return d.end, d.end + timedelta(days=1)
    return d.start, d.end + timedelta(days=1)


def uid(e: Event) -> str:
    """Stable across runs and positions: the record id plus a digest of the record, event and date."""
    key = "\x1f".join((e.record, e.kind, e.event, e.date.text))
    return f"{e.record}-{hashlib.sha256(key.encode('utf-8')).hexdigest()[:16]}@autoalliances"


def _stamp(sources: Iterable[Source], fallback: str) -> str:
    s = newest(sources)
    return f"{_day(s.published.end)}T000000Z" if s and s.published.end else fallback


def summary(e: Event, names: dict[str, str]) -> str:
    what = describe(e, names)
    if e.date.by:
        what = f"Deadline {e.date.label}: {what}"
    if e.kind == "deal":
        return f"{what} ({e.record_status})"
    return f"{what} (planned)" if e.status == "planned" else what


def description(e: Event, sources: dict[str, Source]) -> str:
    lines = []
    if e.plan is not None:
        words = reported_words(e.plan)
        lines.append(f"{words[0].upper()}{words[1:]}: a plan as the article reported it then, not a thing that happened.")
    elif e.kind == "deal":
        lines.append(f"Deal announced; its status as reported: {e.record_status}.")
    else:
        lines.append("Reported as having happened.")
    lines.append(f"Date as reported: {e.date.label} ({e.date.precision}).")
    lines.append(f"Record: {e.record} ({e.record_type}); more: autoalliances show {e.record}")
    lines.append("Sources:")
    for sid in e.sources:
        s = sources.get(sid)
        if s is None:
            lines.append(f"- {sid}")
            continue
        when = f"published {s.published.label}" if s.published.known else "publication date not stated"
        title = f", “{' '.join(s.title.split())}”" if s.title else ""
        lines.append(f"- {s.outlet or 'outlet not named'}, {when}{title} ({s.id})")
    if e.conflicts:
        lines.append("The articles disagree on this record: " + ", ".join(e.conflicts))
    return "\n".join(lines)


def ics_text(tl: Timeline, *, name: str = "autoalliances") -> str:
    """The calendar of *tl*'s dated events as iCalendar text."""
    fallback = _stamp(tl.sources.values(), _NO_DATE)
    out = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape(name)}",
        "X-WR-CALDESC:" + escape("Deals, launches and plans as the articles reported them; plans are not things that happened."),
    ]
    seen: dict[str, int] = {}
    for e in tl.events:
        if not e.date.known:
            continue
        first, end = span(e)
        u = uid(e)
        seen[u] = seen.get(u, 0) + 1
        if seen[u] > 1:  # the same event twice on one record: keep both, each with its own UID
            u = u.replace("@", f"-{seen[u]}@", 1)
        planned = e.status == "planned"
        out += [
            "BEGIN:VEVENT",
            f"UID:{u}",
            f"DTSTAMP:{_stamp((tl.sources[s] for s in e.sources if s in tl.sources), fallback)}",
            f"DTSTART;VALUE=DATE:{_day(first)}",
            f"DTEND;VALUE=DATE:{_day(end)}",
            f"SUMMARY:{escape(summary(e, tl.names))}",
            f"DESCRIPTION:{escape(description(e, tl.sources))}",
            f"CATEGORIES:{escape(e.kind)},{escape('planned' if planned else 'reported')}",
            f"STATUS:{'TENTATIVE' if planned else 'CONFIRMED'}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    out.append("END:VCALENDAR")
    return "".join(fold(line) for line in out)


def write_ics(tl: Timeline, path: Path, *, force: bool = False, name: str = "autoalliances") -> int:
    """Write the calendar to *path* atomically; returns the number of events."""
    text = ics_text(tl, name=name)
    write_file(path, force, lambda tmp: tmp.write_bytes(text.encode("utf-8")))
    return sum(e.date.known for e in tl.events)
