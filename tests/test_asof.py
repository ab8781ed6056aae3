"""The fact base as of a day: which records remain, what they keep, and that nothing is rebuilt."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from conftest import FIXTURE_FACTS, write

from autoalliances import open_registry
from autoalliances.errors import UsageError
from autoalliances.model.dates import FuzzyDate
from autoalliances.model.records import Conflict, Deal, Milestone, Model, Note, Reading
from autoalliances.query.asof import counts
from autoalliances.store.cache import cache_dir

SET = """
sources:
  - {id: early, published: "2025-03-01", language: en, file: e.txt}
  - {id: late, published: "2025-05-01", language: en, file: l.txt}
  - {id: monthly, published: "2025-04", language: en, file: m.txt}
  - {id: undated, published: unknown, language: en, file: u.txt}
companies:
  - {id: maker, name: Maker, kind: automaker, sources: [early]}
  - {id: techco, name: TechCo, kind: technology, sources: [early, late], aliases: [TC, Tco], alias_sources: {TC: [late], Tco: [early]}}
  - {id: newco, name: NewCo, kind: technology, sources: [late]}
systems:
  - {id: os-one, name: OS One, kind: operating-system, vendor: newco, sources: [early]}
  - {id: os-late-sys, name: OS Late, kind: operating-system, sources: [late]}
models:
  - id: car
    name: Car
    maker: maker
    systems: [os-one, os-late-sys]
    sources: [early, late]
    milestones:
      - {date: "2025-06", event: launch, status: planned, sources: [late]}
      - {date: "2025-09", event: debut, status: planned, sources: [early]}
    notes:
      - {text: A later note., sources: [late]}
      - {text: An early note., sources: [early, late]}
    inferred:
      "milestones[1].date": "guessed from the season"
      "milestones[0].event": "worded by the editors"
      "systems[1]": "named in the later article only"
  - {id: later-car, name: Later Car, maker: newco, sources: [early]}
  - {id: os-late-car, name: OS Late Car, maker: maker, sources: [monthly]}
deals:
  - {id: with-new, title: With NewCo, company: maker, partners: [newco], kind: partnership, domains: [r-and-d], announced: "2025-03-01", status: announced, sources: [early]}
  - {id: with-both, title: With both, company: maker, partners: [newco, techco], kind: partnership, domains: [r-and-d], announced: "2025-03-01", status: announced, sources: [early]}
conflicts:
  - id: clash
    topic: When the car launches
    kind: timing
    records: [car]
    readings:
      - {source: early, text: June, record: car}
      - {source: late, text: July, record: car}
"""


@pytest.fixture
def facts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("AUTOALLIANCES_BUNDLED", "0")
    return write(tmp_path / "set.yaml", SET)


def reg_on(facts: Path, day: str | None):
    return open_registry(facts, as_of=day)


def test_which_sources_count() -> None:
    from autoalliances.model.records import Source

    def src(published: str) -> Source:
        return Source(id="s", file="s.txt", language="en", published=FuzzyDate.parse(published))

    assert counts(src("2025-03-20"), date(2025, 3, 20)) and not counts(src("2025-03-21"), date(2025, 3, 20))
    assert not counts(src("2025-03"), date(2025, 3, 20))  # a month counts from its last day on
    assert counts(src("2025-03"), date(2025, 3, 31))
    assert not counts(src("unknown"), date(2099, 1, 1))


def test_a_record_keeps_only_what_the_sources_of_then_state(facts: Path) -> None:
    reg = reg_on(facts, "2025-04-01")
    car = reg.get("car")
    assert isinstance(car, Model)
    assert car.sources == ["early"]
    assert car.milestones == [Milestone(date=FuzzyDate.parse("2025-09"), event="debut", status="planned", sources=["early"])]
    assert car.notes == [Note(text="An early note.", sources=["early"])]
    assert car.systems == ["os-one"]  # os-late-sys does not remain, so the car no longer names it
    # inferred follows the parts that remain: milestones[1] is now milestones[0]; the removed ones go
    assert car.inferred == {"milestones[0].date": "guessed from the season"}
    techco = reg.get("techco")
    assert techco.aliases == ["Tco"] and techco.alias_sources == {"Tco": ["early"]}  # type: ignore[union-attr]
    os_one = reg.get("os-one")
    assert os_one.vendor is None  # type: ignore[union-attr]  # NewCo is not in the fact base yet
    # the whole record as of a day after every source is the record as written
    assert reg_on(facts, "2025-06-01").get("car") == open_registry(facts).get("car")


def test_what_a_record_cannot_be_stated_without(facts: Path) -> None:
    reg = reg_on(facts, "2025-04-01")
    # a model whose maker is not yet there, a deal whose only partner is not yet there, are not either
    with pytest.raises(UsageError, match="not in the fact base as of 1 April 2025"):
        reg.get("later-car")
    assert [d.id for d in reg.deals()] == ["with-both"]
    with_both = reg.deals()[0]
    assert isinstance(with_both, Deal) and with_both.partners == ["techco"]
    assert [m.id for m in reg.models()] == ["car"]  # os-late-car: its April article counts from 30 April
    assert [m.id for m in reg_on(facts, "2025-04-30").models()] == ["car", "os-late-car"]


def test_a_conflict_needs_its_readings(facts: Path) -> None:
    assert reg_on(facts, "2025-04-01").conflicts() == []
    later = reg_on(facts, "2025-05-01").conflicts()
    assert [c.id for c in later] == ["clash"]
    assert isinstance(later[0], Conflict) and later[0].readings[1] == Reading(source="late", text="July", record="car")


def test_counts_filters_and_names_as_of_a_day(facts: Path) -> None:
    reg = reg_on(facts, "2025-04-01")
    assert reg.counts() == {"source": 1, "company": 2, "system": 1, "model": 1, "deal": 1}
    assert reg.undated_left_out == 1 and reg.sources_left and reg.today == date(2025, 4, 1)
    assert [d.id for d in reg.deals(partner="newco")] == ["with-both"]  # a filter by a later company still works
    assert reg.search("NewCo") == [] and [r.id for r in reg.search("both")] == ["with-both"]  # NewCo is not there yet
    assert reg.names(["newco"]) == {"newco": "NewCo"}  # names for display come from the whole fact base
    empty = reg_on(facts, "2020-01-01")
    assert empty.counts() == {} and not empty.sources_left and empty.deals() == []


def test_open_registry_takes_a_day_as_text(facts: Path) -> None:
    assert open_registry(facts, as_of="2025-04-01").as_of == date(2025, 4, 1)
    with pytest.raises(UsageError, match=r"^as_of: '2025-13' is not a day"):
        open_registry(facts, as_of="2025-13")


def test_plans_are_read_against_the_as_of_day(facts: Path) -> None:
    reg = reg_on(facts, "2025-04-01")
    lk = reg.lookups([reg.get("car")])
    plan = lk.plan("car", 0)
    assert plan is not None and (plan.state, plan.reported_on) == ("upcoming", date(2025, 3, 1))
    reg = reg_on(facts, "2025-12-01")
    assert reg.lookups([reg.get("car")]).plan("car", 1).state == "passed"  # type: ignore[union-attr]


# --- no rebuild: the cache serves every day --------------------------------------------------------


PROBE = """
import sys
sys.argv = ["autoalliances", *sys.argv[1:]]
from autoalliances.cli import main
try:
    main()
except SystemExit as e:
    code = e.code
else:
    code = 0
sys.stdout.flush()
print("\\nMODULES", code, *[m for m in ("yaml", "rich") if m in sys.modules], file=sys.stderr)
"""


def test_a_warm_as_of_query_reads_the_cache_and_imports_no_yaml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    facts = tmp_path / "facts"
    shutil.copytree(FIXTURE_FACTS, facts)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env |= {"AUTOALLIANCES_BUNDLED": "0", "AUTOALLIANCES_FACTS": str(facts)}

    def run(*args: str) -> tuple[str, str, list[str]]:
        r = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, env=env, timeout=120)
        rest, marker = r.stderr.rsplit("MODULES ", 1)
        code, *mods = marker.split()
        assert code in ("0", "None"), r.stderr
        return r.stdout, rest.strip(), mods

    run("deals", "--json")  # builds the cache
    built = sorted(cache_dir().iterdir())
    stamp = [p.stat().st_mtime_ns for p in built]
    for day in ("2025-03-01", "2020-01-01", "2030-01-01"):
        out, notes, mods = run("deals", "--json", "--as-of", day)
        assert "yaml" not in mods and "rich" not in mods, day
        assert "1 undated source left out" in notes
    assert sorted(cache_dir().iterdir()) == built and [p.stat().st_mtime_ns for p in built] == stamp  # nothing rebuilt
    out, _, _ = run("deals", "--json", "--as-of", "2025-03-01")
    assert '"id":"a-b-cockpit"' in out and "jv-unnamed-adas" not in out
    assert run("deals", "--json", "--as-of", "2025-03-01", "--no-cache")[0] == out
