"""Plan states as pure functions: every boundary, deadlines, undated articles, later reports, --within."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from autoalliances.model.dates import FuzzyDate
from autoalliances.model.plans import (
    PLAN_STATES,
    figure_plan,
    milestone_plans,
    milestone_report,
    newest,
    plan_state,
    window,
    within_end,
)
from autoalliances.model.records import Figure, Milestone, Source

D = FuzzyDate.parse


@pytest.mark.parametrize(
    ("when", "today", "state"),
    [
        # spring 2026: 1 March to 31 May 2026
        ("2026-spring", date(2026, 2, 28), "upcoming"),
        ("2026-spring", date(2026, 3, 1), "due"),
        ("2026-spring", date(2026, 5, 31), "due"),
        ("2026-spring", date(2026, 6, 1), "passed"),
        # early 2025: January to April 2025
        ("2025-early", date(2024, 12, 31), "upcoming"),
        ("2025-early", date(2025, 1, 1), "due"),
        ("2025-early", date(2025, 4, 30), "due"),
        ("2025-early", date(2025, 5, 1), "passed"),
        # a day is due on that day only
        ("2025-04-23", date(2025, 4, 22), "upcoming"),
        ("2025-04-23", date(2025, 4, 23), "due"),
        ("2025-04-23", date(2025, 4, 24), "passed"),
        # a year
        ("2026", date(2026, 12, 1), "due"),
        ("2026", date(2027, 1, 1), "passed"),
        ("unknown", date(2026, 12, 1), "undated"),
    ],
)
def test_state_at_each_boundary(when: str, today: date, state: str) -> None:
    assert plan_state(D(when), today, reported_on=date(2025, 3, 18)) == state


@pytest.mark.parametrize(
    ("today", "state"),
    [
        (date(2025, 4, 13), "upcoming"),  # before the article that reports the deadline
        (date(2025, 4, 14), "due"),  # the deadline runs from the day it was reported...
        (date(2026, 12, 31), "due"),  # ...to its last day
        (date(2027, 1, 1), "passed"),
    ],
)
def test_a_deadline_runs_from_its_report_to_its_last_day(today: date, state: str) -> None:
    assert window(D("by 2026"), date(2025, 4, 14)) == (date(2025, 4, 14), date(2026, 12, 31))
    assert plan_state(D("by 2026"), today, reported_on=date(2025, 4, 14)) == state


def test_a_deadline_from_an_undated_article_has_no_first_day() -> None:
    assert window(D("by 2026"), None) == (None, date(2026, 12, 31))
    assert plan_state(D("by 2026"), date(1999, 1, 1), reported_on=None) == "due"
    assert plan_state(D("by 2026"), date(2026, 12, 31), reported_on=None) == "due"
    assert plan_state(D("by 2026"), date(2027, 1, 1), reported_on=None) == "passed"


def test_an_undated_article_does_not_move_a_dated_plan() -> None:
    # spring 2026 from an undated article: the same boundaries as from a dated one
    assert plan_state(D("2026-spring"), date(2026, 5, 31), reported_on=None) == "due"
    assert plan_state(D("2026-spring"), date(2026, 6, 1), reported_on=None) == "passed"


def test_done_wins_over_every_date() -> None:
    for when in ("2026-spring", "unknown", "by 2030"):
        assert plan_state(D(when), date(2026, 12, 1), done=True) == "done"


_WHEN = st.sampled_from(["2025-03-26", "2025-04", "2025-Q3", "2025-H2", "2026-spring", "2025-winter", "2025-late", "2026", "by 2026", "by 2027-06"])
_DAYS = st.dates(min_value=date(2020, 1, 1), max_value=date(2032, 12, 31))


@given(when=_WHEN, a=_DAYS, b=_DAYS, reported=st.one_of(st.none(), _DAYS))
def test_a_state_never_goes_back_in_time(when: str, a: date, b: date, reported: date | None) -> None:
    order = {"upcoming": 0, "due": 1, "passed": 2}
    early, late = sorted((a, b))
    s1, s2 = plan_state(D(when), early, reported), plan_state(D(when), late, reported)
    assert s1 in PLAN_STATES and order[s1] <= order[s2]


@given(when=_WHEN, day=_DAYS)
def test_due_exactly_inside_the_window(when: str, day: date) -> None:
    start, end = window(D(when), date(2025, 1, 10))
    assert end is not None
    inside = (start is None or start <= day) and day <= end
    assert (plan_state(D(when), day, date(2025, 1, 10)) == "due") == inside


# --- who reported it, and a later report -------------------------------------------------------


def source(id_: str, published: str) -> Source:
    return Source(id=id_, file=f"{id_}.txt", language="en", published=D(published))


SOURCES = {
    s.id: s
    for s in (
        source("march", "2025-03-18"),
        source("april", "2025-04-14"),
        source("may", "2025-05-02"),
        source("undated", "unknown"),
        source("month", "2025-06"),
    )
}


def test_newest_is_by_the_last_possible_day_and_skips_undated() -> None:
    assert newest([SOURCES["march"], SOURCES["undated"], SOURCES["april"]]) is SOURCES["april"]
    assert newest([SOURCES["may"], SOURCES["month"]]) is SOURCES["month"]
    assert newest([SOURCES["undated"]]) is None
    assert newest([]) is None


def ms(event: str, when: str, status: str, *sources: str) -> Milestone:
    return Milestone(date=D(when), event=event, status=status, sources=list(sources))  # type: ignore[arg-type]


def test_a_plan_is_reported_on_the_newest_of_its_dated_articles() -> None:
    plans = milestone_plans([ms("debut", "2025-04", "planned", "march", "april", "undated")], SOURCES, date(2026, 12, 1), "x")
    p = plans[0]
    assert (p.state, p.reported_by, p.reported_on, p.word, p.done) == ("passed", SOURCES["april"], date(2025, 4, 14), "planned", None)
    only_undated = milestone_plans([ms("debut", "2025-04", "planned", "undated")], SOURCES, date(2026, 12, 1), "x")[0]
    assert only_undated.reported_by is None and only_undated.reported_on is None


def test_reported_milestones_are_no_plans() -> None:
    assert milestone_plans([ms("debut", "2025-04", "reported", "march")], SOURCES, date(2026, 12, 1), "x") == {}


def test_a_later_report_of_the_same_event_makes_a_plan_done() -> None:
    planned = ms("Debut at the  Shanghai show", "2025-04", "planned", "march")
    done = ms("debut at the shanghai show", "2025-04-23", "reported", "may")
    plans = milestone_plans([planned, done], SOURCES, date(2026, 12, 1), "bmw-ix3")
    p = plans[0]
    assert p.state == "done" and p.done is not None
    assert (p.done.source.id, p.done.record) == ("may", "bmw-ix3")
    assert list(plans) == [0]  # the report itself is no plan


@pytest.mark.parametrize(
    ("report_sources", "plan_sources", "done"),
    [
        (["march"], ["april"], False),  # an earlier article cannot report it done
        (["april"], ["april"], False),  # nor the same day's
        (["undated"], ["march"], False),  # nor an undated one: it cannot be placed after the plan
        (["may"], ["undated"], True),  # a plan from an undated article: any dated report counts
        (["march", "may"], ["april"], True),  # the newest of the report's articles counts
    ],
)
def test_only_a_later_dated_article_reports_done(report_sources: list[str], plan_sources: list[str], done: bool) -> None:
    planned = ms("launch", "2025", "planned", *plan_sources)
    report = ms("launch", "2025-06-01", "reported", *report_sources)
    assert (milestone_report(planned, [planned, report], SOURCES, "r") is not None) == done


def test_a_different_event_is_no_report() -> None:
    planned = ms("launch", "2025", "planned", "march")
    other = ms("unveiling", "2025-06-01", "reported", "may")
    assert milestone_report(planned, [planned, other], SOURCES, "r") is None


def fig(id_: str, status: str, *sources: str, period: str = "2025", region: str = "China", company: str | None = "faw-audi") -> Figure:
    from autoalliances.model.records import Amount

    return Figure(
        id=id_, metric="model-count", region=region, period=D(period), status=status,  # type: ignore[arg-type]
        sources=list(sources), company=company, value=Amount(amount=5, unit="count"),
    )


def test_figure_plans_and_targets() -> None:
    plan = fig("plan", "plan", "march")
    target = fig("target", "target", "march")
    assert figure_plan(fig("measured", "reported", "march"), SOURCES, date(2026, 12, 1)) is None
    p = figure_plan(plan, SOURCES, date(2026, 12, 1))
    assert p is not None and (p.state, p.word, p.reported_on) == ("passed", "planned", date(2025, 3, 18))
    t = figure_plan(target, SOURCES, date(2025, 6, 1))
    assert t is not None and (t.state, t.word) == ("due", "target")


def test_a_later_measured_figure_reports_a_plan_done() -> None:
    plan = fig("plan", "plan", "march")
    candidates = [
        fig("other-period", "reported", "may", period="2024"),
        fig("other-region", "reported", "may", region="global"),
        fig("other-company", "reported", "may", company="audi"),
        fig("earlier", "reported", "march"),
        fig("still-a-plan", "plan", "may"),
    ]
    assert figure_plan(plan, SOURCES, date(2026, 12, 1), candidates).state == "passed"  # type: ignore[union-attr]
    measured = fig("measured", "reported", "may", region="china")  # regions compare case-insensitively
    p = figure_plan(plan, SOURCES, date(2026, 12, 1), [*candidates, measured])
    assert p is not None and p.state == "done" and p.done is not None
    assert (p.done.record, p.done.source.id) == ("measured", "may")


# --- --within --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "today", "end"),
    [
        ("90d", date(2026, 12, 1), date(2027, 3, 1)),
        ("0d", date(2026, 12, 1), date(2026, 12, 1)),
        ("6w", date(2026, 12, 1), date(2027, 1, 12)),
        ("3m", date(2026, 12, 1), date(2027, 3, 1)),
        ("1m", date(2026, 1, 31), date(2026, 2, 28)),  # the month's last day when the day does not exist
        ("1y", date(2024, 2, 29), date(2025, 2, 28)),
        (" 2Y ", date(2026, 12, 1), date(2028, 12, 1)),
    ],
)
def test_within(text: str, today: date, end: date) -> None:
    assert within_end(text, today) == end


@pytest.mark.parametrize("text", ["", "90", "d", "-5d", "3 months", "1.5y", "90days", "99999d"])
def test_within_rejects_what_is_no_span(text: str) -> None:
    with pytest.raises(ValueError):
        within_end(text, date(2026, 12, 1))


def test_within_beyond_the_calendar() -> None:
    with pytest.raises(ValueError):
        within_end("9999y", date(2026, 12, 1))
    assert within_end("9000d", date(2026, 12, 1)) == date(2026, 12, 1) + timedelta(days=9000)
