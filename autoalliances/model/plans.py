"""Plans against a day: is a reported plan still ahead, due now, past, or reported done?

Pure functions; nothing here is stored in a fact file. A *plan* is a
milestone with status ``planned`` (of a deal, model or system), a figure
whose status is ``plan`` or ``target``, or a deal whose status is ``planned``
(its date is the ``announced`` date). Its state on a given day:

- ``upcoming``: the first day its date can mean is after that day;
- ``due``: that day falls inside its date ("spring 2026" on 10 April 2026);
- ``passed``: the last day its date can mean is before that day, and no later
  source in the fact base reports it done;
- ``undated``: its date is unknown;
- ``done``: a later source reports it done (see ``milestone_report`` and
  ``figure_report`` for how a report is matched).

A deadline ("by 2026") runs from the day the plan was reported (the
publication of the newest article that reports it) to the last day of 2026;
when the plan comes only from undated articles it has no first day, so it is
``due`` until its last day has passed.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date

from .dates import FuzzyDate
from .records import Deal, Figure, Milestone, Source

PLAN_STATES = ("upcoming", "due", "passed", "undated", "done")


def window(when: FuzzyDate, reported_on: date | None) -> tuple[date | None, date | None]:
    """The first and last day a plan's date can mean (a deadline starts when it was reported)."""
    if not when.known:
        return None, None
    return (reported_on if when.by else when.start), when.end


def plan_state(when: FuzzyDate, today: date, reported_on: date | None = None, *, done: bool = False) -> str:
    """The state of a plan dated *when* on *today*; *reported_on* is when it was reported (for deadlines)."""
    if done:
        return "done"
    start, end = window(when, reported_on)
    if end is None:
        return "undated"
    if end < today:
        return "passed"
    if start is not None and start > today:
        return "upcoming"
    return "due"


def newest(sources: Iterable[Source]) -> Source | None:
    """The most recently published of *sources* (by the last day its date can mean); None if none is dated."""
    best: Source | None = None
    for s in sources:
        if s.published.end is not None and (best is None or s.published.end > best.published.end):  # type: ignore[operator]
            best = s
    return best


class Report:
    """A later source that reports a plan done: the source, and the record that holds the report."""

    __slots__ = ("record", "source")

    def __init__(self, source: Source, record: str) -> None:
        self.source = source
        self.record = record


class Plan:
    """One plan's standing on a day: its date, who reported it and when, its state, a later report."""

    __slots__ = ("date", "done", "reported_by", "state", "word")

    def __init__(self, date: FuzzyDate, word: str, reported_by: Source | None, state: str, done: Report | None = None) -> None:
        self.date = date
        self.word = word  # "planned" (milestones, deals, figures with status plan) or "target"
        self.reported_by = reported_by  # the newest dated article reporting the plan; None: only undated articles
        self.state = state
        self.done = done

    @property
    def reported_on(self) -> date | None:
        return self.reported_by.published.end if self.reported_by else None


def _sources(ids: Iterable[str], sources: Mapping[str, Source]) -> list[Source]:
    return [sources[i] for i in ids if i in sources]


def _later(report_ids: Iterable[str], sources: Mapping[str, Source], after: date | None) -> Source | None:
    """The newest dated source among *report_ids* published after *after* (any dated one when *after* is None)."""
    found = newest(_sources(report_ids, sources))
    if found is None or found.published.end is None:
        return None
    if after is not None and found.published.end <= after:
        return None
    return found


def _plan(when: FuzzyDate, word: str, cited: Sequence[str], sources: Mapping[str, Source], today: date, done: Report | None) -> Plan:
    by = newest(_sources(cited, sources))
    on = by.published.end if by else None
    return Plan(when, word, by, plan_state(when, today, on, done=done is not None), done)


def event_key(text: str) -> str:
    """How milestone events are compared: case and spacing do not count."""
    return " ".join(text.casefold().split())


def milestone_report(planned: Milestone, milestones: Sequence[Milestone], sources: Mapping[str, Source], record: str) -> Report | None:
    """A ``reported`` milestone of the same record with the same event, from a source published later than the plan's."""
    by = newest(_sources(planned.sources, sources))
    after = by.published.end if by else None
    key = event_key(planned.event)
    for m in milestones:
        if m.status == "reported" and event_key(m.event) == key:
            later = _later(m.sources, sources, after)
            if later is not None:
                return Report(later, record)
    return None


def milestone_plans(milestones: Sequence[Milestone], sources: Mapping[str, Source], today: date, record: str) -> dict[int, Plan]:
    """The plan of every planned milestone of one record, by its position in *milestones*."""
    out: dict[int, Plan] = {}
    for i, m in enumerate(milestones):
        if m.status == "planned":
            done = milestone_report(m, milestones, sources, record)
            out[i] = _plan(m.date, "planned", m.sources, sources, today, done)
    return out


def same_figure(plan: Figure, other: Figure) -> bool:
    """A figure that measures what *plan* targets: same company (or scope), metric, region and period."""
    return (
        other.id != plan.id
        and other.status == "reported"
        and (other.company, other.scope, other.metric, other.period.text) == (plan.company, plan.scope, plan.metric, plan.period.text)
        and other.region.casefold() == plan.region.casefold()
    )


def figure_report(plan: Figure, candidates: Iterable[Figure], sources: Mapping[str, Source]) -> Report | None:
    """A reported figure for the same thing (``same_figure``) from a source published later than the plan's."""
    by = newest(_sources(plan.sources, sources))
    after = by.published.end if by else None
    best: Report | None = None
    for f in candidates:
        if same_figure(plan, f):
            later = _later(f.sources, sources, after)
            if later is not None and (best is None or later.published.end > best.source.published.end):  # type: ignore[operator]
                best = Report(later, f.id)
    return best


def figure_plan(f: Figure, sources: Mapping[str, Source], today: date, candidates: Iterable[Figure] = ()) -> Plan | None:
    """The plan of a figure whose status is ``plan`` or ``target``; None for a reported figure."""
    if f.status == "reported":
        return None
    word = "target" if f.status == "target" else "planned"
    return _plan(f.period, word, f.sources, sources, today, figure_report(f, candidates, sources))


def deal_plan(d: Deal, sources: Mapping[str, Source], today: date) -> Plan | None:
    """The plan of a deal whose status is ``planned`` (dated by ``announced``); None otherwise.

    No rule matches a later report of a planned deal: an article that reports
    it done is recorded by the editors as the deal's new status.
    """
    if d.status != "planned":
        return None
    return _plan(d.announced, "planned", d.sources, sources, today, None)


# --- --within ------------------------------------------------------------------------------

_WITHIN = re.compile(r"^(\d{1,4})\s*([dwmy])$")


def within_end(text: str, today: date) -> date:
    """The last day of ``--within`` (``90d``, ``6w``, ``3m``, ``1y``) counted from *today*; ValueError if malformed."""
    m = _WITHIN.match(text.strip().lower())
    if not m:
        if re.match(r"^\d{5,}\s*[dwmy]$", text.strip().lower()):  # a span, but not "not a span"
            raise ValueError(f"{text!r} is too long a span: use at most four digits (9999d, 9999y)")
        raise ValueError(f"{text!r} is not a span: use a number and d, w, m or y (90d, 6w, 3m, 1y)")
    n, unit = int(m[1]), m[2]
    if unit in "dw":
        last = today.toordinal() + (n if unit == "d" else 7 * n)
        if last > date.max.toordinal():  # not date's own "year 10000 is out of range"
            raise ValueError(f"{text!r} reaches beyond the year 9999")
        return date.fromordinal(last)
    months = n if unit == "m" else 12 * n
    y, mo = divmod(today.month - 1 + months, 12)
    year, month = today.year + y, mo + 1
    if year > 9999:
        raise ValueError(f"{text!r} reaches beyond the year 9999")
    return date(year, month, min(today.day, calendar.monthrange(year, month)[1]))
