"""Long output and ordering: --limit, --sort and --reverse on the list commands; --version's fact base."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from autoalliances import __version__
from autoalliances.cli import app
from autoalliances.render.flat import columns
from autoalliances.render.shapes import json_fields

LISTS = {"companies": "company", "deals": "deal", "models": "model", "systems": "system", "figures": "figure",
         "sources": "source", "conflicts": "conflict"}


def ids(runner, *args: str) -> list[str]:
    r = runner.invoke(app, [*args, "--json"])
    assert r.exit_code == 0, r.stderr
    return [x["id"] for x in json.loads(r.stdout)]


def test_sort_by_a_date_is_by_time_with_unknown_last(runner) -> None:
    deals = json.loads(runner.invoke(app, ["deals", "--sort", "announced", "--json"]).stdout)
    starts = [d["announced"]["start"] for d in deals]
    known = [s for s in starts if s]
    assert known == sorted(known) and starts[len(known):] == [None] * (len(starts) - len(known))
    back = json.loads(runner.invoke(app, ["deals", "--sort", "announced", "--reverse", "--json"]).stdout)
    assert [d["announced"]["start"] for d in back if d["announced"]["start"]] == sorted(known, reverse=True)
    assert back[-1]["announced"]["start"] is None  # no value stays last, reversed or not


def test_sort_by_an_amount_by_value_and_by_a_csv_column(runner) -> None:
    figures = json.loads(runner.invoke(app, ["figures", "--sort", "value", "--reverse", "--json"]).stdout)
    values = [f["value"]["absolute"] for f in figures if f["value"]]
    assert values == sorted(values, reverse=True)
    assert ids(runner, "figures", "--sort", "value_absolute", "--reverse") == [f["id"] for f in figures]
    names = [c["name"] for c in json.loads(runner.invoke(app, ["companies", "--sort", "name", "--reverse", "--json"]).stdout)]
    assert names == sorted(names, key=str.casefold, reverse=True)


@pytest.mark.parametrize("command", list(LISTS))
def test_every_json_and_csv_field_sorts(runner, command: str) -> None:
    kind = LISTS[command]
    for field in dict.fromkeys([*json_fields(kind), *columns(kind)]):
        r = runner.invoke(app, [command, "--sort", field, "--format", "csv"])
        assert r.exit_code == 0, (field, r.stderr)
        assert sorted(r.stdout.splitlines()[1:]) == sorted(runner.invoke(app, [command, "--format", "csv"]).stdout.splitlines()[1:])


def test_unknown_sort_field_lists_the_valid_ones(runner) -> None:
    r = runner.invoke(app, ["deals", "--sort", "colour"])
    assert r.exit_code == 2 and r.stdout == ""
    assert r.stderr.startswith("Error: --sort: deals have no field 'colour'; valid fields: type, id, title,")
    assert "announced_start" in r.stderr and "value_absolute" in r.stderr


def test_reverse_alone_reverses_the_default_order(runner) -> None:
    assert ids(runner, "deals", "--reverse") == ids(runner, "deals")[::-1]


def test_limit_cuts_and_says_so(runner) -> None:
    every = ids(runner, "deals")
    r = runner.invoke(app, ["deals", "--limit", "3", "--json"])
    assert [d["id"] for d in json.loads(r.stdout)] == every[:3]
    assert r.stderr == f"showing the first 3 of {len(every)} (--limit 3)\n"
    table = runner.invoke(app, ["deals", "-n", "3"])
    assert table.stdout.startswith(f"3 of {len(every)} deals")
    assert runner.invoke(app, ["deals", "--limit", "100", "--json"]).stderr == ""
    assert runner.invoke(app, ["deals", "--limit", "0"]).exit_code == 2
    r = runner.invoke(app, ["search", "huawei", "--limit", "2", "--sort", "name", "--json"])
    names = [x["name"] if "name" in x else x.get("title") for x in json.loads(r.stdout)]
    assert len(names) == 2 and r.stderr.startswith("showing the first 2 of ")


def test_version_as_a_process_and_with_broken_facts(tmp_path) -> None:
    r = subprocess.run([sys.executable, "-m", "autoalliances", "--version"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and r.stdout.splitlines()[0] == f"autoalliances {__version__}"
    bad = tmp_path / "bad.yaml"
    bad.write_text("deals: [\n", encoding="utf-8")
    import os

    env = {**os.environ, "AUTOALLIANCES_FACTS": str(bad), "AUTOALLIANCES_CACHE_DIR": str(tmp_path / "c")}
    r = subprocess.run([sys.executable, "-m", "autoalliances", "--version"], capture_output=True, text=True, env=env, timeout=60)
    assert r.returncode == 3 and r.stdout == f"autoalliances {__version__}\n"
    assert "bad.yaml" in r.stderr and "Error: 1 error in fact files" in r.stderr
