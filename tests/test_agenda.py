"""The ``plans`` agenda and the ``export ics`` calendar, on the fixture set and the bundled facts.

Golden outputs of ``plans`` are in tests/data/plans*.txt (``UPDATE_GOLDEN=1``).
The calendar is read back with the ``icalendar`` package, a real RFC 5545 parser.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import icalendar
import pytest
from conftest import golden, write

from autoalliances.cli import app

FORMATS = ["table", "json", "jsonl", "csv", "markdown"]


@pytest.fixture(autouse=True)
def _wide(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "120")


def invoke(runner, *args: str):
    return runner.invoke(app, list(args))


# --- plans -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(("name", "args"), [("plans", []), ("plans-passed", ["--state", "passed", "--company", "carmaker-a"])])
def test_plans_in_every_format(runner, fixture_only, fmt: str, name: str, args: list[str]) -> None:
    r = invoke(runner, "plans", *args, "--format", fmt)
    assert r.exit_code == 0 and r.stderr == "", r.stderr
    golden(f"{name}.{fmt}.txt", r.stdout)
    if fmt == "json":
        events = json.loads(r.stdout)
        assert events and all(e["plan_state"] == "passed" for e in events)
    if fmt == "jsonl":
        assert all(json.loads(line)["status"] == "planned" for line in r.stdout.splitlines())


def records(runner, *args: str) -> list[tuple[str, str, str | None]]:
    r = invoke(runner, "plans", "--json", *args)
    assert r.exit_code == 0, r.stderr
    return [(e["record"], e["date"]["text"], e["plan_state"]) for e in json.loads(r.stdout)]


def test_the_agenda_of_the_bundled_facts(runner) -> None:
    every = records(runner)
    assert len(every) == 35
    dated = [d for _, d, _ in every if d != "unknown"]
    assert every[-1][1] == "unknown" and "unknown" not in dated[:1]
    starts = [e["date"]["start"] for e in json.loads(invoke(runner, "plans", "--json").stdout) if e["date"]["start"]]
    assert starts == sorted(starts)  # by date, undated last
    states = [s for _, _, s in every]
    assert (states.count("passed"), states.count("due"), states.count("undated")) == (13, 12, 10)
    assert ("toyota-bz7", "2026-spring", "passed") in every
    assert ("bmw-bev-share-target-2030", "by 2030", "due") in every  # a target
    assert ("honda-deepseek-ai", "unknown", "undated") in every  # a planned deal


def test_plans_filters(runner) -> None:
    passed = records(runner, "--state", "passed")
    assert passed and {s for _, _, s in passed} == {"passed"}
    both = records(runner, "--state", "passed", "--state", "undated")
    assert {s for _, _, s in both} == {"passed", "undated"} and len(both) == 23
    toyota = records(runner, "--company", "toyota", "--state", "passed")
    assert toyota == [("toyota-bz7", "2026-spring", "passed"), ("toyota-huawei-harmonyos", "2026-spring", "passed"),
                      ("toyota-momenta-driver-assistance", "2026-spring", "passed")]
    # --within counts from today (2026-12-01): what can still fall in the next 90 days, dated plans only
    within = records(runner, "--within", "90d")
    assert within and all(d != "unknown" for _, d, _ in within) and {s for _, _, s in within} == {"due"}
    assert ("bmw-ix3", "2026", "due") in within and ("bmw-bev-share-target-2030", "by 2030", "due") in within
    april = records(runner, "--since", "2025-04", "--until", "2025-04")  # what can fall in April 2025
    # deadlines reported by then can be met in April 2025 too; spring 2026 cannot
    assert {d for _, d, _ in april} == {"2025-04", "2025", "by 2026", "by 2027", "by 2030"}
    assert [x for x in records(runner) if x[1] == "2025-04"] == [x for x in april if x[1] == "2025-04"]
    assert records(runner, "--state", "upcoming") == []
    r = invoke(runner, "plans", "--state", "upcoming")
    assert (r.exit_code, r.stdout, r.stderr) == (0, "", "no plan match\n")


def test_plans_on_another_day(runner, monkeypatch) -> None:
    monkeypatch.setenv("AUTOALLIANCES_TODAY", "2025-06-01")
    upcoming = records(runner, "--state", "upcoming")
    assert ("toyota-bz7", "2026-spring", "upcoming") in upcoming
    assert ("bmw-ix3", "2025-04", "passed") in records(runner, "--state", "passed")
    # --as-of also reads the plans against its day, and leaves out what later articles added
    then = records(runner, "--as-of", "2025-03-20")
    assert ("bmw-ix3", "2025-04", "upcoming") in then
    assert all(r != "bmw-alibaba-ai-cockpit" for r, _, _ in then)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--within", "soon"], "Error: --within: 'soon' is not a span"),
        (["--since", "2025-13"], "Error: --since: "),
        (["--as-of", "2025-13"], "Error: --as-of: '2025-13' is not a day"),
    ],
)
def test_plans_bad_input(runner, args: list[str], message: str) -> None:
    r = invoke(runner, "plans", *args)
    assert r.exit_code == 2 and r.stdout == "" and r.stderr.startswith(message), r.stderr


def test_plans_state_is_a_choice(runner) -> None:
    r = invoke(runner, "plans", "--state", "late")
    assert r.exit_code == 2 and "late" in r.stderr and r.stdout == ""


def test_plans_fields(runner, fixture_only) -> None:
    r = invoke(runner, "plans", "--fields", "record,plan_state,reported_on")
    assert json.loads(r.stdout) == [
        {"record": "jv-unnamed-adas", "plan_state": "passed", "reported_on": None},
        {"record": "a-sedan", "plan_state": "passed", "reported_on": None},
        {"record": "b-os", "plan_state": "passed", "reported_on": None},
    ]
    r = invoke(runner, "plans", "--format", "csv", "--fields", "record,plan_state")
    assert r.stdout.splitlines() == ["record,plan_state", "jv-unnamed-adas,passed", "a-sedan,passed", "b-os,passed"]


# --- export ics ------------------------------------------------------------------------------------


def calendar(text: str) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(text)


def events(cal: icalendar.Calendar) -> dict[str, icalendar.Event]:
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def test_ics_of_the_bundled_facts_is_valid_rfc_5545(runner, tmp_path: Path) -> None:
    path = tmp_path / "plans.ics"
    r = invoke(runner, "export", "ics", str(path))
    assert r.exit_code == 0 and r.stdout == ""
    n = len(calendar(path.read_bytes().decode()).walk("VEVENT"))
    undated = [
        e for e in json.loads(invoke(runner, "timeline", "--undated", "--json").stdout)
        if e["date"]["precision"] == "unknown" and (e["kind"] != "figure" or e["plan_state"] is not None)
    ]
    assert r.stderr.splitlines() == [f"Wrote {n} events to {path}", f"{len(undated)} undated events left out (a calendar cannot place them)"]
    raw = path.read_bytes()
    assert raw.startswith(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//autoalliances//autoalliances ")
    lines = raw.split(b"\r\n")
    assert lines[-1] == b"" and all(b"\n" not in line for line in lines)  # CRLF only
    assert all(len(line) <= 75 for line in lines)  # folded at 75 octets
    cal = calendar(raw.decode("utf-8"))
    evs = events(cal)
    assert len(evs) == n and n > 30  # every UID is distinct
    # a season spans its days; DTEND is exclusive
    bz7 = next(e for e in evs.values() if str(e["SUMMARY"]) == "Toyota bZ7: market release (planned)")
    assert (bz7["DTSTART"].dt, bz7["DTEND"].dt) == (date(2026, 3, 1), date(2026, 6, 1))
    assert str(bz7["STATUS"]) == "TENTATIVE"
    description = str(bz7["DESCRIPTION"])
    assert "Planned as reported in an undated article" in description
    assert "Record: toyota-bz7 (model)" in description and "(toyota-china-rd-2-0)" in description
    # a day is an all-day event of that day
    announced = next(e for e in evs.values() if str(e["SUMMARY"]).startswith("BMW × Huawei: BMW and Huawei agreed"))
    assert (announced["DTSTART"].dt, announced["DTEND"].dt) == (date(2025, 3, 17), date(2025, 3, 18))
    assert str(announced["STATUS"]) == "CONFIRMED" and str(announced["SUMMARY"]).endswith("(announced)")
    # a deadline is its last day
    deadline = next(e for e in evs.values() if str(e["SUMMARY"]).startswith("Deadline by 2030:"))
    assert (deadline["DTSTART"].dt, deadline["DTEND"].dt) == (date(2030, 12, 31), date(2031, 1, 1))
    # a reported figure's period is no event; a target is
    assert not any("· sales · China: 714,500" in str(e["SUMMARY"]) for e in evs.values())


def test_ics_uids_are_stable(runner, tmp_path: Path) -> None:
    first = invoke(runner, "export", "ics", "-").stdout_bytes.decode("utf-8")
    again = invoke(runner, "export", "ics", "-").stdout_bytes.decode("utf-8")
    assert first == again
    # another fact file, another day, another position: the same events keep their UIDs
    extra = write(
        tmp_path / "mine.yaml",
        "sources:\n  - {id: my-article, published: \"2025-01-05\", language: en, file: m.txt}\n"
        "deals:\n  - id: aaa-first-deal\n    title: An early deal\n    company: bmw\n    partners: [huawei]\n    kind: partnership\n"
        "    domains: [connectivity]\n    announced: \"2025-01-02\"\n    status: announced\n    sources: [my-article]\n",
    )
    later = invoke(runner, "export", "ics", "-", "--facts", str(extra)).stdout
    old, new = events(calendar(first)), events(calendar(later))
    assert set(old) < set(new) and len(new) == len(old) + 1
    for uid, e in old.items():
        assert str(new[uid]["SUMMARY"]) == str(e["SUMMARY"])


def test_ics_escapes_text(runner, fixture_only, tmp_path: Path) -> None:
    tricky = 'launch; with commas, a back\\\\slash and\\na new line, 华为 and \\"quotes\\"'
    mine = write(
        tmp_path / "tricky.yaml",
        "models:\n  - id: tricky\n    name: Tricky, Car; Model\n    maker: carmaker-a\n    sources: [daily-2025-03-01]\n"
        f"    milestones:\n      - {{date: \"2025-Q3\", event: \"{tricky}\", status: planned, sources: [daily-2025-03-01]}}\n",
    )
    text = invoke(runner, "export", "ics", "-", "--facts", str(mine)).stdout_bytes.decode("utf-8")
    assert "SUMMARY:Tricky\\, Car\\; Model: launch\\; with commas\\, a back\\\\slash and a new line" in text.replace("\r\n ", "")
    ev = next(e for e in calendar(text).walk("VEVENT") if str(e["UID"]).startswith("tricky-"))
    assert str(ev["SUMMARY"]) == 'Tricky, Car; Model: launch; with commas, a back\\slash and a new line, 华为 and "quotes" (planned)'
    assert (ev["DTSTART"].dt, ev["DTEND"].dt) == (date(2025, 7, 1), date(2025, 10, 1))
    assert "Planned as reported on 1 March 2025" in str(ev["DESCRIPTION"])


def test_ics_company_and_as_of(runner, tmp_path: Path) -> None:
    toyota = events(calendar(invoke(runner, "export", "ics", "-", "--company", "toyota").stdout))
    assert toyota and all("toyota" in uid for uid in toyota)
    assert "X-WR-CALNAME:autoalliances: Toyota" in invoke(runner, "export", "ics", "-", "--company", "toyota").stdout
    then = invoke(runner, "export", "ics", "-", "--as-of", "2025-03-20").stdout
    assert "fang-2025-04-14" not in then and "yicai-2025-03-18-bmw-huawei" in then.replace("\r\n ", "")
    r = invoke(runner, "export", "ics", "-", "--company", "nobody")
    assert r.exit_code == 2 and "unknown company 'nobody'" in r.stderr


def test_ics_target_rules(runner, fixture_only, tmp_path: Path) -> None:
    path = write(tmp_path / "old.ics", "keep me")
    r = invoke(runner, "export", "ics", str(path))
    assert r.exit_code == 2 and path.read_text() == "keep me" and "already exists" in r.stderr
    r = invoke(runner, "export", "ics", str(path), "--force")
    assert r.exit_code == 0 and path.read_text().startswith("BEGIN:VCALENDAR")
    r = invoke(runner, "export", "ics", str(tmp_path / "missing" / "x.ics"))
    assert r.exit_code == 4 and "does not exist" in r.stderr
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "cache") == ["old.ics"]  # no temporary file left behind


def test_ics_with_nothing_dated(runner, fixture_only) -> None:
    r = invoke(runner, "export", "ics", "-", "--as-of", "2020-01-01")
    assert r.exit_code == 0
    cal = calendar(r.stdout)
    assert cal.walk("VEVENT") == [] and str(cal["VERSION"]) == "2.0"
