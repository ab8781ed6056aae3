"""The command line on a day: plan states in tables and JSON, --as-of, freshness, bad days.

The suite's today is pinned to 2026-12-01 (conftest); tests that need another
day set AUTOALLIANCES_TODAY or --as-of themselves. These run on the bundled
facts unless they say otherwise.
"""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any

import pytest
from conftest import write

from autoalliances.cli import app
from autoalliances.cli.table import COMMANDS

PASSED = "⚑ date passed, no later report"


@pytest.fixture(autouse=True)
def _wide(monkeypatch: pytest.MonkeyPatch) -> None:
    """A wide terminal, so that a table cell's phrase is on one line."""
    monkeypatch.setenv("COLUMNS", "240")


def run(runner, *args: str, ok: bool = True) -> Any:
    r = runner.invoke(app, list(args))
    if ok:
        assert r.exit_code == 0, r.stderr
    return r


def flat(text: str) -> str:
    """Table text with its wrapping undone, so phrases can be looked for across line breaks."""
    return " ".join(text.split())


def milestone(doc: dict[str, Any], event: str) -> dict[str, Any]:
    return next(m for m in doc["milestones"] if m["event"] == event)


def by_id(records: list[dict[str, Any]], id_: str) -> dict[str, Any]:
    return next(r for r in records if r["id"] == id_)


# --- the examples on 2026-12-01 ----------------------------------------------------------


def test_company_toyota_in_december_2026(runner) -> None:
    table = flat(run(runner, "company", "toyota").stdout)
    assert f"market release: spring 2026 · planned as reported in an undated article · {PASSED}" in table
    assert "(planned)" not in table
    bz7 = by_id(json.loads(run(runner, "company", "toyota", "--json").stdout)["models"], "toyota-bz7")
    release = milestone(bz7, "market release")
    assert (release["plan_state"], release["reported_on"], release["reported_done"]) == ("passed", None, None)
    assert not bz7["description"].lower().startswith("coming")


def test_models_bmw_in_december_2026(runner) -> None:
    table = flat(run(runner, "models", "--company", "bmw").stdout)
    # "April 2025" is the editors' reading of "next month" (a dagger with its footnote number).
    assert re.search(r"debut at the Shanghai Auto Show: April 2025(†\d*)? · planned as reported on 18 March 2025 · " + re.escape(PASSED), table)
    ix3 = by_id(json.loads(run(runner, "models", "--company", "bmw", "--json").stdout), "bmw-ix3")
    debut = milestone(ix3, "debut at the Shanghai Auto Show")
    assert (debut["plan_state"], debut["reported_on"]) == ("passed", "2025-03-18")
    rows = csv.DictReader(io.StringIO(run(runner, "models", "--company", "bmw", "--format", "csv").stdout))
    cell = json.loads(next(r for r in rows if r["id"] == "bmw-ix3")["milestones"])  # the JSON objects, dates as text
    debut = next(m for m in cell if m["event"] == "debut at the Shanghai Auto Show")
    assert (debut["date"], debut["status"], debut["plan_state"], debut["reported_on"]) == ("2025-04", "planned", "passed", "2025-03-18")


def test_show_huawei_hicar_over_the_turn_of_2026(runner, monkeypatch) -> None:
    # "2026" is a year: on 1 December 2026 it is still running (due), from 1 January 2027 on it has passed.
    table = flat(run(runner, "show", "huawei-hicar").stdout)
    assert "debut of the deeply integrated HiCar in BMW models: 2026 · planned as reported on 18 March 2025 · due now, no report yet" in table
    assert "newest source: 14 April 2025, 20 months before today" in table
    monkeypatch.setenv("AUTOALLIANCES_TODAY", "2027-01-01")
    table = flat(run(runner, "show", "huawei-hicar").stdout)
    assert f"2026 · planned as reported on 18 March 2025 · {PASSED}" in table
    doc = json.loads(run(runner, "show", "huawei-hicar", "--json").stdout)
    assert doc["milestones"][0]["plan_state"] == "passed" and doc["as_of"] == "2025-04-14"


def test_timeline_first_half_of_2026(runner) -> None:
    events = json.loads(run(runner, "timeline", "--since", "2026-01", "--until", "2026-06", "--json").stdout)
    assert len(events) == 13 and all(e["status"] == "planned" for e in events)
    states = {(e["date"]["text"], e["plan_state"]) for e in events}
    # spring 2026 is over with no later report; the year 2026 and the deadline "by 2026" are still running
    assert states == {("2026-spring", "passed"), ("2026", "due"), ("by 2026", "due")}
    table = run(runner, "timeline", "--since", "2026-01", "--until", "2026-06").stdout
    assert "⚑ 3 of them past their date with no later report in the fact base" in flat(table)
    spring = [line for line in table.splitlines() if line.startswith("spring 2026")]
    assert len(spring) == 3
    assert flat(table).count(PASSED) == 3


def test_timeline_deal_rows_show_the_deals_own_status(runner) -> None:
    table = run(runner, "timeline", "--kind", "deal").stdout
    rows = [line for line in table.splitlines() if "  deal  " in line]
    assert rows and all("reported" not in row.split("  deal  ")[1][-25:] for row in rows)
    assert any("announced" in row for row in rows) and any("ongoing" in row for row in rows)


def test_the_same_plans_are_upcoming_in_june_2025(runner, monkeypatch) -> None:
    monkeypatch.setenv("AUTOALLIANCES_TODAY", "2025-06-01")
    bz7 = json.loads(run(runner, "show", "toyota-bz7", "--json").stdout)
    assert milestone(bz7, "market release")["plan_state"] == "upcoming"
    hicar = json.loads(run(runner, "show", "huawei-hicar", "--json").stdout)
    assert hicar["milestones"][0]["plan_state"] == "upcoming"
    events = json.loads(run(runner, "timeline", "--since", "2026-01", "--until", "2026-06", "--json").stdout)
    # "by 2026" runs from the day it was reported (14 April 2025), so it is due already
    assert {(e["date"]["text"], e["plan_state"]) for e in events} == {("2026-spring", "upcoming"), ("2026", "upcoming"), ("by 2026", "due")}
    assert "market release: spring 2026 · planned as reported in an undated article · upcoming" in flat(run(runner, "company", "toyota").stdout)
    assert PASSED not in flat(run(runner, "timeline", "--since", "2026-01", "--until", "2026-06").stdout)
    # April 2025 is over by June 2025; on 20 March 2025 it was still ahead.
    ix3 = json.loads(run(runner, "show", "bmw-ix3", "--json").stdout)
    assert milestone(ix3, "debut at the Shanghai Auto Show")["plan_state"] == "passed"
    monkeypatch.setenv("AUTOALLIANCES_TODAY", "2025-03-20")
    ix3 = json.loads(run(runner, "show", "bmw-ix3", "--json").stdout)
    assert milestone(ix3, "debut at the Shanghai Auto Show")["plan_state"] == "upcoming"


def test_figures_plans_and_targets_carry_their_state(runner) -> None:
    figures = json.loads(run(runner, "figures", "--company", "bmw", "--json").stdout)
    by_2027 = by_id(figures, "bmw-new-models-by-2027")
    assert (by_2027["plan_state"], by_2027["reported_on"], by_2027["reported_done"]) == ("due", "2025-03-18", None)
    measured = by_id(figures, "bmw-china-sales-2024")
    assert (measured["plan_state"], measured["reported_on"]) == (None, "2025-03-18")
    rows = csv.DictReader(io.StringIO(run(runner, "figures", "--company", "faw-audi", "--format", "csv").stdout))
    row = next(r for r in rows if r["id"] == "faw-audi-new-models-2025")
    assert (row["status"], row["plan_state"], row["reported_on"], row["reported_done"]) == ("plan", "passed", "2025-04-14", "")
    table = flat(run(runner, "figures", "--company", "faw-audi").stdout)
    assert f"planned as reported on 14 April 2025 · {PASSED}" in table


def test_every_record_object_says_how_fresh_it_is(runner) -> None:
    for args in (["deals"], ["models"], ["systems"], ["figures"], ["companies"], ["conflicts"], ["sources"]):
        objs = json.loads(run(runner, *args, "--json").stdout)
        assert objs and all("as_of" in o for o in objs), args
    deals = json.loads(run(runner, "deals", "--json").stdout)
    assert by_id(deals, "bmw-huawei-harmonyos")["as_of"] == "2025-04-14"
    assert by_id(deals, "toyota-xiaomi-ai-ecosystem")["as_of"] is None  # only an undated article
    assert by_id(json.loads(run(runner, "sources", "--json").stdout), "yicai-2025-03-18-bmw-huawei")["as_of"] == "2025-03-18"
    assert json.loads(run(runner, "company", "bmw", "--json").stdout)["as_of"] == "2025-04-14"


def test_dossier_footer_says_how_old_the_newest_source_is(runner) -> None:
    assert run(runner, "company", "bmw").stdout.rstrip().endswith("newest source: 14 April 2025, 20 months before today")
    assert run(runner, "company", "toyota").stdout.rstrip().endswith("newest source: none of the sources is dated")
    out = run(runner, "company", "bmw", "--as-of", "2025-03-20").stdout
    assert out.rstrip().endswith("newest source: 18 March 2025, 2 days before 20 March 2025 (--as-of)")


def test_a_later_source_moves_the_freshness(runner, tmp_path) -> None:
    mine = write(
        tmp_path / "later.yaml",
        "sources:\n  - id: my-later-article\n    published: \"2026-11-03\"\n    language: en\n    file: later.txt\n"
        "figures:\n  - id: my-bmw-sales-2025\n    company: bmw\n    metric: sales\n    region: China\n    period: \"2025\"\n"
        "    status: reported\n    value: {amount: 1, unit: vehicles}\n    sources: [my-later-article]\n",
    )
    out = run(runner, "company", "bmw", "--facts", str(mine)).stdout
    assert out.rstrip().endswith("newest source: 3 November 2026, 4 weeks before today")
    assert json.loads(run(runner, "company", "bmw", "--json", "--facts", str(mine)).stdout)["as_of"] == "2026-11-03"


# --- --as-of -------------------------------------------------------------------------------------


def ids(runner, *args: str) -> list[str]:
    return [d["id"] for d in json.loads(run(runner, *args, "--json").stdout)]


def test_deals_as_of_20_march_2025(runner) -> None:
    r = run(runner, "deals", "--as-of", "2025-03-20", "--json")
    got = [d["id"] for d in json.loads(r.stdout)]
    assert "bmw-huawei-harmonyos" in got and "bmw-alibaba-ai-cockpit" not in got
    assert r.stderr == "2 undated sources left out (--as-of counts only sources published on or before it)\n"
    assert "bmw-alibaba-ai-cockpit" in ids(runner, "deals", "--as-of", "2025-03-26")
    table = run(runner, "deals", "--as-of", "2025-03-20").stdout
    assert "BMW × Huawei" in table and "BMW × Alibaba" not in table


def test_as_of_keeps_only_what_the_sources_of_then_state(runner) -> None:
    deal = json.loads(run(runner, "show", "bmw-huawei-harmonyos", "--json", "--as-of", "2025-03-20").stdout)
    assert [s["id"] for s in deal["sources"]] == ["yicai-2025-03-18-bmw-huawei"]
    assert deal["as_of"] == "2025-03-18"
    for m in deal["milestones"]:
        assert m["sources"] == ["yicai-2025-03-18-bmw-huawei"]
    assert [n for n in deal["notes"] if "fang-2025-04-14-bmw-alibaba-huawei" in n["sources"]] == []
    assert [s["id"] for s in json.loads(run(runner, "sources", "--json", "--as-of", "2025-03-20").stdout)] == ["yicai-2025-03-18-bmw-huawei"]
    # A plan is read against the as-of day: April 2025 was still ahead on 20 March 2025.
    ix3 = json.loads(run(runner, "show", "bmw-ix3", "--json", "--as-of", "2025-03-20").stdout)
    assert milestone(ix3, "debut at the Shanghai Auto Show")["plan_state"] == "upcoming"


def test_as_of_before_every_source_is_empty_with_a_note(runner) -> None:
    r = run(runner, "deals", "--as-of", "2020-01-01", "--json")
    assert r.stdout == "[]\n"
    assert r.stderr.splitlines() == [
        "no source in the fact base was published on or before 1 January 2020: the answer is empty",
        "2 undated sources left out (--as-of counts only sources published on or before it)",
    ]
    r = run(runner, "deals", "--as-of", "2020-01-01", "--company", "bmw")
    assert r.stdout == "" and r.stderr.endswith("no deal match\n")
    r = run(runner, "timeline", "--as-of", "2020-01-01", "--json")
    assert r.stdout == "[]\n"


def test_a_record_not_yet_in_the_fact_base(runner) -> None:
    r = run(runner, "company", "alibaba", "--as-of", "2025-03-20", ok=False)
    assert r.exit_code == 2 and r.stdout == ""
    assert "Error: company 'alibaba' is not in the fact base as of 20 March 2025" in r.stderr
    r = run(runner, "show", "bmw-alibaba-ai-cockpit", "--as-of", "2025-03-20", ok=False)
    assert r.exit_code == 2 and "not in the fact base as of 20 March 2025" in r.stderr
    # As a filter, a company that is not yet there matches nothing.
    assert ids(runner, "deals", "--partner", "alibaba", "--as-of", "2025-03-20") == []


@pytest.mark.parametrize("value", ["2025-13", "2025-02-30", "2025-03", "March 2025", "yesterday"])
def test_bad_as_of_is_a_usage_error_naming_the_option(runner, value: str) -> None:
    r = run(runner, "deals", "--as-of", value, ok=False)
    assert r.exit_code == 2 and r.stdout == ""
    assert r.stderr.startswith(f"Error: --as-of: {value!r} is not a")


@pytest.mark.parametrize("value", ["2025-13", "2025-02-30", "tomorrow"])
def test_bad_today_is_a_usage_error_naming_the_variable(runner, monkeypatch, value: str) -> None:
    monkeypatch.setenv("AUTOALLIANCES_TODAY", value)
    r = run(runner, "deals", "--json", ok=False)
    assert r.exit_code == 2 and r.stdout == ""
    assert r.stderr.startswith(f"Error: AUTOALLIANCES_TODAY: {value!r} is not a")


def test_every_command_that_reads_facts_takes_as_of(runner) -> None:
    # validate and diff read the files they are given; new writes one; schema reads none.
    not_a_query = ("validate", "export", "new", "schema", "diff")
    names = [n for n in COMMANDS if n not in not_a_query]
    names += ["export sqlite", "export json", "export ics", "export csv", "export site"]
    for name in names:
        out = run(runner, *name.split(), "--help").stdout
        assert "--as-of" in out, name
    assert "--as-of" not in run(runner, "validate", "--help").stdout  # validation reads files, not a day


@pytest.mark.parametrize(
    "args",
    [
        ["companies"], ["models"], ["systems"], ["figures"], ["sources"], ["conflicts"], ["search", "BMW"], ["company", "BMW"],
        ["show", "bmw-huawei-harmonyos"], ["matrix"], ["timeline"], ["plans"], ["graph", "--format", "json"],
    ],
)
def test_as_of_on_every_fact_command_leaves_later_articles_out(runner, args: list[str]) -> None:
    args = args if args[0] == "graph" else [*args, "--format", "json"]
    every = run(runner, *args).stdout
    then = run(runner, *args, "--as-of", "2025-03-20").stdout
    assert "fang-2025-04-14-bmw-alibaba-huawei" in every
    assert "fang-2025-04-14-bmw-alibaba-huawei" not in then and "bba-chinese-tech-2025-03-26" not in then


def test_as_of_with_your_own_facts(runner, tmp_path) -> None:
    mine = write(
        tmp_path / "mine.yaml",
        "sources:\n  - id: my-may-article\n    published: \"2025-05-02\"\n    language: en\n    file: may.txt\n"
        "deals:\n  - id: my-bmw-deal\n    title: A deal from my own article\n    company: bmw\n    partners: [huawei]\n"
        "    kind: partnership\n    domains: [connectivity]\n    announced: \"2025-05-01\"\n    status: announced\n"
        "    sources: [my-may-article]\n",
    )
    assert "my-bmw-deal" not in ids(runner, "deals", "--facts", str(mine), "--as-of", "2025-05-01")
    assert "my-bmw-deal" in ids(runner, "deals", "--facts", str(mine), "--as-of", "2025-05-02")
    assert "my-bmw-deal" in ids(runner, "deals", "--facts", str(mine), "--no-cache", "--as-of", "2025-05-02")


def test_a_later_report_in_your_own_facts_marks_a_plan_done(runner, monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("AUTOALLIANCES_BUNDLED", "0")
    mine = write(
        tmp_path / "set.yaml",
        "sources:\n"
        "  - {id: plan-article, published: \"2025-03-18\", language: en, file: a.txt}\n"
        "  - {id: report-article, published: \"2025-04-30\", language: en, file: b.txt}\n"
        "companies:\n  - {id: maker, name: Maker, kind: automaker, sources: [plan-article]}\n"
        "models:\n  - id: car\n    name: Car\n    maker: maker\n    sources: [plan-article, report-article]\n    milestones:\n"
        "      - {date: \"2025-04\", event: debut at the show, status: planned, sources: [plan-article]}\n"
        "      - {date: \"2025-04-23\", event: Debut at the show, status: reported, sources: [report-article]}\n",
    )
    car = json.loads(run(runner, "show", "car", "--json", "--facts", str(mine)).stdout)
    plan = car["milestones"][0]
    assert plan["plan_state"] == "done"
    assert plan["reported_done"] == {"source": "report-article", "published": "2025-04-30", "record": "car"}
    assert "debut at the show: April 2025 · planned as reported on 18 March 2025 · reported done on 30 April 2025" in flat(
        run(runner, "show", "car", "--facts", str(mine)).stdout
    )
    # As of the day before the report, the plan had passed with no later report.
    # As of the day before the report, April 2025 was running and the report was not yet there.
    car = json.loads(run(runner, "show", "car", "--json", "--facts", str(mine), "--as-of", "2025-04-29").stdout)
    assert [(m["status"], m["plan_state"]) for m in car["milestones"]] == [("planned", "due")]
    car = json.loads(run(runner, "show", "car", "--json", "--facts", str(mine), "--as-of", "2025-04-30").stdout)
    assert car["milestones"][0]["plan_state"] == "done"
    # Without the report the plan would have passed with no later report.
    monkeypatch.setenv("AUTOALLIANCES_TODAY", "2025-05-01")
    no_report = write(tmp_path / "set.yaml", (tmp_path / "set.yaml").read_text().replace(
        "      - {date: \"2025-04-23\", event: Debut at the show, status: reported, sources: [report-article]}\n", ""
    ))
    assert json.loads(run(runner, "show", "car", "--json", "--facts", str(no_report)).stdout)["milestones"][0]["plan_state"] == "passed"


def test_the_version_names_the_newest_source(runner, monkeypatch, tmp_path) -> None:
    from autoalliances import __version__

    lines = run(runner, "--version").stdout.splitlines()
    assert lines[0] == f"autoalliances {__version__}" and lines[1].endswith("; newest source published 14 April 2025")
    later = write(tmp_path / "later.yaml", "sources:\n  - {id: my-later, published: \"2026-02\", language: en}\n")
    monkeypatch.setenv("AUTOALLIANCES_FACTS", str(later))
    assert run(runner, "--version").stdout.splitlines()[1].endswith("; newest source published February 2026")
