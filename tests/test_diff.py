"""``diff OLD NEW``: what changed between two fact trees, in every format."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURE_FACTS, write

from autoalliances.cli import app


@pytest.fixture
def trees(tmp_path: Path) -> tuple[Path, Path]:
    old, new = tmp_path / "old", tmp_path / "new"
    shutil.copytree(FIXTURE_FACTS, old)
    shutil.copytree(FIXTURE_FACTS, new)
    write(old / "VERSION", "1.0\n")
    write(new / "VERSION", "1.1\n")
    deals = (new / "deals.yaml").read_text(encoding="utf-8")
    deals = deals.replace('announced: "2024-late"', 'announced: "2024-Q4"').replace("status: planned", "status: announced")
    (new / "deals.yaml").write_text(deals, encoding="utf-8")
    conflicts = old / "conflicts.yaml"  # the first conflict is new in NEW; the anomaly after it is in both
    text = conflicts.read_text(encoding="utf-8")
    conflicts.write_text("conflicts:\n  - id: b-os-version-label" + text.split("  - id: b-os-version-label", 1)[1], encoding="utf-8")
    figures = (new / "figures.yaml").read_text(encoding="utf-8")
    (new / "figures.yaml").write_text(figures.split("  - id: a-sales-2024-weekly")[0], encoding="utf-8")  # removed in NEW
    (new / "conflicts.yaml").write_text(
        (FIXTURE_FACTS / "conflicts.yaml").read_text(encoding="utf-8").replace("a-sales-2024-weekly", "a-sales-2024-daily"), encoding="utf-8"
    )
    return old, new


def test_json_lists_added_removed_and_changed_fields(runner, trees) -> None:
    old, new = trees
    r = runner.invoke(app, ["diff", str(old), str(new), "--json"])
    assert r.exit_code == 0, r.stderr
    d = json.loads(r.stdout)
    assert d["old"] == {"path": str(old), "version": "1.0", "records": 12}
    assert d["new"] == {"path": str(new), "version": "1.1", "records": 12}
    assert d["added"] == [{"type": "conflict", "id": "a-sales-2024-precision", "name": "Carmaker A's 2024 sales in China"}]
    assert d["removed"] == [{"type": "figure", "id": "a-sales-2024-weekly", "name": "a-sales-2024-weekly"}]
    assert d["changed"] == [{
        "type": "deal", "id": "jv-unnamed-adas", "name": "A-B Motors works on driver assistance with a partner it does not name",
        "fields": [{"field": "announced", "old": "2024-late", "new": "2024-Q4"}, {"field": "status", "old": "planned", "new": "announced"}],
    }]


def test_flat_formats_have_one_row_per_change(runner, trees) -> None:
    old, new = trees
    r = runner.invoke(app, ["diff", str(old), str(new), "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert [(x["change"], x["id"], x["field"], x["old"], x["new"]) for x in rows] == [
        ("added", "a-sales-2024-precision", "", "", ""),
        ("removed", "a-sales-2024-weekly", "", "", ""),
        ("changed", "jv-unnamed-adas", "announced", "2024-late", "2024-Q4"),
        ("changed", "jv-unnamed-adas", "status", "planned", "announced"),
    ]
    lines = runner.invoke(app, ["diff", str(old), str(new), "--format", "jsonl"]).stdout.splitlines()
    assert [json.loads(x)["change"] for x in lines] == ["added", "removed", "changed", "changed"]
    md = runner.invoke(app, ["diff", str(old), str(new), "--format", "markdown"]).stdout
    assert md.splitlines()[0] == "| change | type | id | name | field | old | new |"
    assert "| changed | deal | jv-unnamed-adas |" in md and md.count("\n") == 6


def test_table_for_people(runner, trees, monkeypatch) -> None:
    old, new = trees
    monkeypatch.setenv("COLUMNS", "300")  # the temporary paths are long
    out = runner.invoke(app, ["diff", str(old), str(new)]).stdout
    assert out.splitlines()[:2] == [f"{old} 1.0 (12 records) → {new} 1.1 (12 records)", "1 added, 1 removed, 1 changed"]
    assert "+ conflict a-sales-2024-precision" in out and "- figure a-sales-2024-weekly" in out
    assert "    announced: 2024-late → 2024-Q4" in out


def test_a_list_valued_field_is_json_text_in_csv(runner, trees) -> None:
    old, new = trees
    deals = (new / "deals.yaml").read_text(encoding="utf-8").replace("domains: [cockpit-os, ai-assistant]", "domains: [cockpit-os]")
    deals = deals.replace("""    inferred:\n      domains[1]: "the article speaks of 'smart features'; ai-assistant is the closest domain"\n""", "")
    (new / "deals.yaml").write_text(deals, encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(runner.invoke(app, ["diff", str(old), str(new), "--format", "csv"]).stdout)))
    (row,) = [x for x in rows if x["field"] == "domains"]
    assert (row["old"], row["new"]) == ('["cockpit-os", "ai-assistant"]', '["cockpit-os"]')


def test_the_same_tree_has_no_changes(runner) -> None:
    r = runner.invoke(app, ["diff", "bundled", "bundled", "--json"])
    d = json.loads(r.stdout)
    assert (d["added"], d["removed"], d["changed"]) == ([], [], [])
    assert d["old"]["version"] == d["new"]["version"] and d["old"]["records"] > 100
    assert runner.invoke(app, ["diff", "bundled", "bundled", "--format", "csv"]).stdout == "change,type,id,name,field,old,new\n"


def test_invalid_facts_are_the_validation_errors_exit_3(runner, trees) -> None:
    old, new = trees
    write(new / "bad.yaml", "deals:\n  - id: x\n")
    r = runner.invoke(app, ["diff", str(old), str(new)])
    assert (r.exit_code, r.stdout) == (3, "")
    assert f"{new}/bad.yaml:2: deals[0].title: is required" in r.stderr and "Error: " in r.stderr


def test_a_missing_tree_is_a_usage_error(runner, tmp_path: Path) -> None:
    r = runner.invoke(app, ["diff", str(tmp_path / "nope"), "bundled"])
    assert r.exit_code == 2 and "does not exist" in r.stderr


def test_with_bundled_for_facts_that_cite_bundled_records(runner, tmp_path: Path) -> None:
    deal = """deals:
  - id: my-bmw-deal
    title: A deal of my own
    company: bmw
    partners: [huawei]
    kind: partnership
    domains: [cockpit-os]
    announced: "2025"
    status: reported
    sources: [yicai-2025-03-18-bmw-huawei]
"""
    old = write(tmp_path / "old" / "d.yaml", deal).parent
    new = write(tmp_path / "new" / "d.yaml", deal.replace('"2025"', '"2025-03"')).parent
    assert runner.invoke(app, ["diff", str(old), str(new)]).exit_code == 3  # alone, the citations name nothing
    d = json.loads(runner.invoke(app, ["diff", str(old), str(new), "--with-bundled", "--json"]).stdout)
    assert [c["id"] for c in d["changed"]] == ["my-bmw-deal"] and d["added"] == d["removed"] == []
