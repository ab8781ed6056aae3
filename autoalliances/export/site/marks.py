"""The marks a fact carries on the site: plan states, inference, conflicts, freshness, origin, alias provenance.

Each mark is one small function, the only place the site decides how it
looks and what it says, so that a richer answer from the query layer (plan
states relative to today, freshness thresholds, record origins) is wired in
here and nowhere else. Each reads what the records hold today and degrades
quietly when an attribute is absent (``getattr`` with a default). Every mark
carries words, never only a colour or a symbol.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from ...model.dates import FuzzyDate
from ...model.records import Conflict, Record, Source
from .context import Page, record_path
from .markup import Html, el, esc, join

_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
PLANNED = ("planned", "target", "plan")  # statuses that are plans as reported then (milestones, events, figures)


def day_label(d: date) -> str:
    """'1 December 2026'."""
    return f"{d.day} {_MONTHS[d.month - 1]} {d.year}"


# --- plans -------------------------------------------------------------------------------


def plan_state(item: Any, today: date, plan: Any = None) -> str | None:
    """A plan's state as of *today*: 'upcoming', 'due' (today falls in its span), 'passed', 'undated',
    'done' (a later source reports it); None: not a plan.

    *plan* is the query layer's answer (``model.plans.Plan``, from
    ``Lookups.plan`` or a timeline event's ``plan``), and is taken at its
    word; without one, *item* (a milestone, an event or a figure: anything
    with a ``status`` and a ``date`` or ``period``) is read against *today*.
    """
    plan = plan if plan is not None else getattr(item, "plan", None)
    own = getattr(plan, "state", None)
    if isinstance(own, str):
        return own
    status = getattr(item, "status", None)
    if status not in PLANNED:
        return None
    when: FuzzyDate | None = getattr(item, "date", None) or getattr(item, "period", None)
    if when is None or when.start is None or when.end is None:
        return "undated"
    if when.end < today:
        return "passed"
    if when.start <= today:
        return "due"
    return "upcoming"


def plan_note(item: Any, today: date, plan: Any = None) -> Html:
    """What a plan's status says on the site, as the terminal says it: 'planned for spring 2026, as reported
    on 26 March 2025; that date has passed (as of 1 December 2026) and no later source reports it'."""
    plan = plan if plan is not None else getattr(item, "plan", None)
    state = plan_state(item, today, plan)
    if state is None:
        return el("span", getattr(item, "status", ""), class_="status")
    when: FuzzyDate | None = getattr(item, "date", None) or getattr(item, "period", None)
    label = when.label if when is not None and when.known else "no date stated"
    prep = "" if label.startswith("by ") or not (when and when.known) else "for "
    head = el("strong", getattr(plan, "word", None) or "planned")
    reported_by = getattr(plan, "reported_by", None)
    if plan is None:
        reported = "as reported then"
    elif reported_by is None:
        reported = "reported in an undated article"
    else:
        reported = f"as reported on {reported_by.published.label}"
    text = f" {prep}{label}, {reported}" if state != "undated" else f", date not stated, {reported}"
    done = getattr(plan, "done", None)
    done_source = getattr(done, "source", None)
    tail = {
        "passed": f"; that date has passed (as of {day_label(today)}) and no later source reports it",
        "due": f"; that time is now (as of {day_label(today)}), no report yet",
        "done": "; a later source reports it done" + (f" ({done_source.published.label})" if done_source is not None else ""),
    }.get(state, "")
    return el("span", head, text, tail, class_=f"plan plan-{state}")


# --- inference ---------------------------------------------------------------------------


def inferred_reason(record: Record, path: str) -> str | None:
    """Why the editors inferred *path* ('kind', 'milestones[1].date') of *record*, or None when an article states it."""
    inferred = getattr(record, "inferred", None) or {}
    reason = inferred.get(path)
    return reason if isinstance(reason, str) else None


def inferred_mark(record: Record, path: str, *, brief: bool = False) -> Html | None:
    """'(inferred: reason)' after a value the editors inferred; *brief*: '(inferred)' only, for tables."""
    reason = inferred_reason(record, path)
    if reason is None:
        return None
    body = "(inferred)" if brief else join("(inferred: ", reason, ")")
    return el("span", body, class_="inferred")


def spaced(mark: Html | None) -> Html | None:
    """A mark after a value, with the space before it; nothing at all when there is no mark."""
    return join(" ", mark) if mark else None


def inferred_any(record: Record, prefix: str) -> bool:
    """True when any path under *prefix* ('domains', 'milestones[0]') is inferred."""
    inferred = getattr(record, "inferred", None) or {}
    return any(p == prefix or p.startswith((prefix + "[", prefix + ".")) for p in inferred)


# --- conflicts ---------------------------------------------------------------------------


def conflict_nature(conflict: Conflict) -> str:
    """The conflict's nature in words."""
    nature = getattr(conflict, "nature", "disagreement")
    return "one article is inconsistent with itself" if nature == "anomaly" else "the articles disagree"


def conflict_mark(page: Page, record_id: str) -> Html | None:
    """'⚠ the articles disagree' linking to each conflict that names the record."""
    return conflict_links(page, [c.id for c in page.site.conflicts_of(record_id)])


def conflict_links(page: Page, conflict_ids: list[str]) -> Html | None:
    """'⚠ the articles disagree: naming, timing' — the nature in words once, then a link per conflict by its kind.

    Each link's accessible name is the conflict's topic, so a screen reader
    says what the disagreement is about.
    """
    found = [page.site.conflicts[c] for c in dict.fromkeys(conflict_ids) if c in page.site.conflicts]
    if not found:
        return None
    groups: dict[str, list[Conflict]] = {}
    for c in found:
        groups.setdefault(conflict_nature(c), []).append(c)
    parts = []
    for i, (nature, conflicts) in enumerate(groups.items()):
        links = [
            join(", " if n else None, page.link(record_path("conflict", c.id), c.kind, aria_label=f"conflict: {c.topic} ({c.kind})"))
            for n, c in enumerate(conflicts)
        ]
        parts.append(join("; " if i else None, nature, ": ", *links))
    return el("span", "⚠ ", *parts, class_="conflict")


# --- sources -----------------------------------------------------------------------------


def _age(then: date, today: date) -> str:
    months = (today.year - then.year) * 12 + today.month - then.month - (today.day < then.day)
    if months < 0:
        return "after this export's date"
    years, months = divmod(months, 12)
    parts = [f"{years} year{'s' if years != 1 else ''}"] if years else []
    if months or not years:
        parts.append(f"{months} month{'s' if months != 1 else ''}")
    return " and ".join(parts) + " old"


def source_freshness(source: Source, today: date) -> str:
    """When an article was published and how old that is as of *today*: 'published 18 March 2025 (1 year and 8 months old)'."""
    if not source.published.known or source.published.end is None:
        text = "publication date not stated"
    else:
        start, end = source.published.start, source.published.end
        old = _age(end, today)
        if start != end and end <= today:  # a month, a year, "by 2025": at least as old as its last day
            old = f"at least {old}"
        text = f"published {source.published.label} ({old} on {day_label(today)})"
    retrieved = getattr(source, "retrieved", None)
    if retrieved is not None:
        text += f"; retrieved {getattr(retrieved, 'label', retrieved)}"
    return text


def origin_note(origin: Mapping[str, object] | None) -> Html | None:
    """For a record from the user's own fact files, which file and line (``load.overlay.Origin``);
    nothing for a bundled one. The folder it was read from stays out: a site is published."""
    if not origin or origin.get("kind") == "bundled":
        return None
    where = f"{origin.get('file')}" + (f":{origin['line']}" if origin.get("line") else "")
    return el("p", "From your own fact files: ", el("code", where), class_="origin")


def alias_note(page: Page, record: Record, alias: str) -> Html:
    """An alias with the articles that print it, or the note that the editors added it as a search aid."""
    sources = (getattr(record, "alias_sources", None) or {}).get(alias)
    if sources:
        return join(esc(alias), " ", page.cite(sources))
    return join(esc(alias), " ", el("span", "(a search aid the editors added)", class_="aid"))
