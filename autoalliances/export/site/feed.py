"""The Atom feed of the timeline's events, newest first, and the calendar file when the tool can write one.

Entry ids are UUIDs derived from what the event is (record, kind, event,
date), so they stay the same from one export to the next and a feed reader
shows only what is new. ``updated`` is the event's date (its first day, for a
date like "spring 2026"); the feed's own ``updated`` is the publication date
of the newest article, so the same facts give the same bytes.
"""

from __future__ import annotations

import importlib
import uuid
import xml.etree.ElementTree as ET
from datetime import date
from typing import Any

from ...query.landscape import Event, Timeline
from ...render.landscape import describe
from ...version import __version__
from .context import Site, record_path
from .marks import day_label

ATOM = "http://www.w3.org/2005/Atom"


def _stamp(d: date) -> str:
    return f"{d.isoformat()}T00:00:00Z"


def entry_id(e: Event) -> str:
    return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"autoalliances:event:{e.record}:{e.kind}:{e.event}:{e.date.text}"))


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    node = ET.SubElement(parent, tag, attrs)
    if text is not None:
        node.text = text
    return node


def atom_feed(site: Site, tl: Timeline) -> bytes:
    """The dated events, newest first, as an Atom 1.0 document (links relative to the site's top folder)."""
    events = sorted(tl.dated, key=Event.sort_key, reverse=True)
    published = [s.published.end for s in site.sources.values() if s.published.end is not None]
    feed = ET.Element("feed", xmlns=ATOM)  # plain names under the default namespace
    _sub(feed, "id", "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, "autoalliances:feed:events")))
    _sub(feed, "title", "autoalliances: events of the alliances between automakers and Chinese technology companies")
    subtitle = "Deals announced, launches and debuts done or planned, and figure periods, newest first. Plans are plans as reported then."
    _sub(feed, "subtitle", subtitle)
    _sub(feed, "updated", _stamp(max(published) if published else site.today))
    _sub(feed, "link", rel="alternate", type="text/html", href="timeline.html")
    _sub(feed, "link", rel="self", type="application/atom+xml", href="events.atom")
    author = _sub(feed, "author")
    _sub(author, "name", "autoalliances fact base")
    _sub(feed, "generator", "autoalliances", version=__version__)
    for e in events:
        assert e.date.start is not None  # dated events only
        planned = e.status == "planned"
        entry = _sub(feed, "entry")
        _sub(entry, "id", entry_id(e))
        _sub(entry, "title", ("Planned: " if planned else "") + describe(e, tl.names))
        _sub(entry, "updated", _stamp(e.date.start))
        _sub(entry, "link", rel="alternate", type="text/html", href=record_path(e.record_type, e.record))
        _sub(entry, "category", term=e.kind)
        _sub(entry, "category", term=e.status)
        _sub(entry, "summary", _summary(site, e))
    ET.indent(feed)
    data: bytes = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    return data + b"\n"


def _summary(site: Site, e: Event) -> str:
    when = e.date.label
    if e.status == "planned":
        state = f"Planned for {when}, as reported then." if not when.startswith("by ") else f"Planned {when}, as reported then."
    else:
        state = f"Reported: {when}."
    cited = []
    for sid in e.sources:
        s = site.sources.get(sid)
        if s is not None:
            date_text = f"published {s.published.label}" if s.published.known else "publication date not stated"
            cited.append(f"{s.outlet or 'outlet not named'} ({date_text})")
    return f"{state} Sources: {'; '.join(cited) or 'none'}. As of {day_label(site.today)}."


def calendar_text(reg: Any, today: date) -> str | None:
    """The iCalendar file of the events (what ``export ics`` writes), or None when the tool has no writer."""
    try:
        ics = importlib.import_module("autoalliances.export.ics")
        plans = importlib.import_module("autoalliances.query.plans")
    except ImportError:
        return None
    text = ics.ics_text(plans.calendar(reg))
    return text if isinstance(text, str) else None
