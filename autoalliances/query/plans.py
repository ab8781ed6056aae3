"""The agenda of plans (``plans``) and the dated events of a calendar (``export ics``).

Both are made of the timeline's events (``landscape.timeline``), so a plan
reads the same everywhere: a planned milestone of a deal, model or system, a
figure whose status is ``plan`` or ``target``, a deal whose status is
``planned``; each with its standing on the registry's day (``Event.plan``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from ..errors import UsageError
from ..model.plans import PLAN_STATES, window, within_end
from ..model.records import Source
from .landscape import Event, Timeline, timeline
from .registry import Registry, date_range


def _states(states: Sequence[str] | None) -> list[str]:
    if not states:
        return list(PLAN_STATES)
    bad = [s for s in states if s not in PLAN_STATES]
    if bad:
        raise UsageError(f"--state: unknown plan state {bad[0]!r}; valid states: {', '.join(PLAN_STATES)}")
    return list(dict.fromkeys(states))


def agenda(
    reg: Registry,
    *,
    company: str | None = None,
    states: Sequence[str] | None = None,
    within: str | None = None,
    since: date | str | None = None,
    until: date | str | None = None,
) -> Timeline:
    """Every plan, ordered by date (undated ones last), with its state on ``reg.today``.

    *states* keeps plans in any of those states; *within* (``90d``, ``6w``,
    ``3m``, ``1y``) keeps plans whose date can fall between today and that
    many days, weeks, months or years on; *since*/*until* keep plans whose date
    can fall in that range. A deadline ("by 2026") can fall on any day from
    the one it was reported on to its last. A date range cannot place an
    undated plan, so *within*, *since* and *until* leave undated plans out.
    """
    wanted = _states(states)
    lo, hi = date_range(since, until)
    if within is not None:
        try:
            end = within_end(within, reg.today)
        except ValueError as e:
            raise UsageError(f"--within: {e}") from None
        lo = max(lo, reg.today) if lo else reg.today
        hi = min(hi, end) if hi else end
    ranged = lo is not None or hi is not None
    tl = timeline(reg, company=company, undated=True)

    def keep(e: Event) -> bool:
        if e.plan is None or e.plan.state not in wanted:
            return False
        if not ranged:
            return True
        start, end = window(e.date, e.plan.reported_on)  # a deadline can be met from the day it was reported
        return end is not None and (lo is None or end >= lo) and (hi is None or start is None or start <= hi)

    events = [e for e in tl.events if keep(e)]
    return Timeline(events, 0, _sources_of(tl, events), tl.names)


def calendar(reg: Registry, *, company: str | None = None) -> Timeline:
    """The dated events worth a calendar entry: deals announced, milestones done or planned, and plans and
    targets among the figures (a reported figure's period is when it was measured, not an event)."""
    tl = timeline(reg, company=company, undated=True)
    worth = [e for e in tl.events if e.kind != "figure" or e.plan is not None]
    dated = [e for e in worth if e.date.known]
    return Timeline(dated, len(worth) - len(dated), _sources_of(tl, dated), tl.names)


def _sources_of(tl: Timeline, events: Sequence[Event]) -> dict[str, Source]:
    used = {s for e in events for s in e.sources}
    return {k: v for k, v in tl.sources.items() if k in used}
