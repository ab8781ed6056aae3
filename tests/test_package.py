"""`export csv`: the data release, validated by the frictionless library; and the SQLite export's search and Datasette metadata."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from frictionless import Package

from autoalliances import open_registry
from autoalliances.cli import app
from autoalliances.errors import EXIT_USAGE
from autoalliances.export import describe, package, sqlite
from autoalliances.export.document import all_records


@pytest.fixture
def fixture_reg(fixture_only):
    return open_registry(use_cache=False)


def _release(runner, out: Path, *args: str) -> dict:
    r = runner.invoke(app, ["export", "csv", str(out), *args])
    assert r.exit_code == 0, r.stderr
    return json.loads((out / "datapackage.json").read_text(encoding="utf-8"))


def _db(reg, path: Path) -> sqlite3.Connection:
    sqlite.write_sqlite(reg, path)
    return sqlite3.connect(path)


def _tables(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY rowid").fetchall()
    return [n for n, sql in rows if not sql.startswith("CREATE VIRTUAL") and not n.startswith(describe.SEARCH_TABLE + "_")]


@pytest.mark.parametrize("facts", ["fixture", "bundled"])
def test_the_release_is_a_valid_data_package(runner, request, tmp_path: Path, facts: str) -> None:
    if facts == "fixture":
        request.getfixturevalue("fixture_only")
    out = tmp_path / "release"
    descriptor = _release(runner, out)
    report = Package(str(out / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:5]
    reg = open_registry(use_cache=False)
    assert descriptor["version"] == describe.fact_base_version(reg)
    assert descriptor["licenses"] == [describe.LICENSE]
    assert [s["title"].rsplit("(", 1)[1].rstrip(")") for s in descriptor["sources"]] == [s.id for s in reg.sources()]
    assert all(r["description"] for r in descriptor["resources"])


def test_validation_catches_a_broken_release(runner, fixture_only, tmp_path: Path) -> None:
    """The check above can fail: a dangling foreign key and an edited file are reported."""
    out = tmp_path / "release"
    _release(runner, out)
    parties = out / "deal_parties.csv"
    parties.write_bytes(parties.read_bytes().replace(b",tech-b", b",no-such-company", 1))
    report = Package(str(out / "datapackage.json")).validate()
    kinds = {e.type for task in report.tasks for e in task.errors}
    assert not report.valid and {"foreign-key", "hash-count"} <= kinds


def test_same_tables_columns_and_rows_as_the_sqlite_export(fixture_reg, tmp_path: Path) -> None:
    files = package.data_package(fixture_reg)
    conn = _db(fixture_reg, tmp_path / "facts.db")
    tables = _tables(conn)
    assert sorted(files) == sorted([f"{t}.csv" for t in tables] + ["datapackage.json"])
    descriptor = json.loads(files["datapackage.json"])
    assert [r["name"] for r in descriptor["resources"]] == tables
    for t in tables:
        text = files[f"{t}.csv"].decode("utf-8")
        assert not text.startswith("\ufeff") and text.endswith("\r\n")
        rows = list(csv.reader(io.StringIO(text, newline="")))
        cur = conn.execute(f"SELECT * FROM {t} ORDER BY rowid")
        assert rows[0] == [d[0] for d in cur.description], t
        db_rows = [["" if v is None else repr(v) if isinstance(v, float) else str(v) for v in row] for row in cur]
        assert rows[1:] == db_rows, t


def test_fields_are_typed_and_keyed(fixture_reg) -> None:
    descriptor = json.loads(package.data_package(fixture_reg)["datapackage.json"])
    res = {r["name"]: r for r in descriptor["resources"]}
    deals = {f["name"]: f for f in res["deals"]["schema"]["fields"]}
    assert deals["announced_start"]["type"] == "date" and deals["announced"]["type"] == "string"
    assert deals["value_absolute"]["type"] == "number" and deals["announced_by"]["type"] == "integer"
    assert deals["announced_by"]["constraints"]["enum"] == [0, 1]
    assert deals["kind"]["constraints"] == {"required": True, "enum": ["partnership", "co-development", "investment", "supply", "joint-venture"]}
    assert res["deals"]["schema"]["primaryKey"] == ["id"]
    assert {"fields": ["company"], "reference": {"resource": "companies", "fields": ["id"]}} in res["deals"]["schema"]["foreignKeys"]
    systems = res["systems"]["schema"]["foreignKeys"]
    assert {"fields": ["family"], "reference": {"resource": "", "fields": ["id"]}} in systems  # a self-reference
    assert res["deal_parties"]["schema"]["primaryKey"] == ["deal_id", "side", "position"]
    assert deals["announced_precision"]["description"].startswith("precision of announced")


def test_rows_load_with_their_declared_types(runner, fixture_only, tmp_path: Path) -> None:
    out = tmp_path / "release"
    _release(runner, out)
    pkg = Package(str(out / "datapackage.json"))
    rows = {r["id"]: r for r in pkg.get_resource("deals").read_rows()}
    cockpit = rows["a-b-cockpit"]
    assert cockpit["announced_start"] == date(2025, 3, 1)
    assert cockpit["value_absolute"] == 1500000000 and cockpit["value_amount"] == 1.5
    assert cockpit["unnamed_partner"] is None
    assert rows["jv-unnamed-adas"]["unnamed_partner"] == "an unnamed local supplier"


def test_every_table_and_view_is_described(fixture_reg, tmp_path: Path) -> None:
    conn = _db(fixture_reg, tmp_path / "facts.db")
    names = [n for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")]
    names = [n for n in names if not n.startswith(describe.SEARCH_TABLE)]
    assert sorted(describe.TABLES) == sorted(names)


def test_the_release_is_deterministic(runner, fixture_only, tmp_path: Path) -> None:
    _release(runner, tmp_path / "a")
    _release(runner, tmp_path / "b")
    for p in (tmp_path / "a").iterdir():
        assert p.read_bytes() == (tmp_path / "b" / p.name).read_bytes(), p.name


# --- SQLite: full-text search and Datasette's metadata ---------------------------------------------------


def test_full_text_search_over_names_aliases_descriptions_notes(tmp_path: Path) -> None:
    reg = open_registry(use_cache=False)
    conn = _db(reg, tmp_path / "facts.db")

    def hits(query: str) -> set[str]:
        sql = f"SELECT id FROM records WHERE rowid IN (SELECT rowid FROM {describe.SEARCH_TABLE} WHERE {describe.SEARCH_TABLE} MATCH ?)"
        return {i for (i,) in conn.execute(sql, [query])}

    assert "harmonyos" in hits("hongmeng")  # an alias
    assert "alibaba" in hits("ali")  # a short alias
    assert "bmw-huawei-harmonyos" in hits("weibo")  # a note
    assert "bmw" in hits("munich")  # a description
    assert hits("deepseek") >= {"deepseek", "honda-deepseek-ai"}
    records = {r.id: r for recs in all_records(reg).values() for r in recs}
    for word in ("huawei", "battery", "sales", "tongyi"):
        found = hits(word)
        assert found, word
        assert found <= {r.id for r in reg.search(word)}, word  # what the export's index finds, `search` finds too
    assert conn.execute(f"SELECT count(*) FROM {describe.SEARCH_TABLE}").fetchone()[0] == len(records)


def test_without_fts5_the_database_has_no_index_and_says_so(runner, fixture_only, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(sqlite, "fts5_available", lambda: False)
    out = tmp_path / "facts.db"
    r = runner.invoke(app, ["export", "sqlite", str(out)])
    assert r.exit_code == 0, r.stderr
    assert r.stderr.startswith("Note: this Python's SQLite has no FTS5; the database has no full-text index\n")
    conn = sqlite3.connect(out)
    assert describe.SEARCH_TABLE not in {n for (n,) in conn.execute("SELECT name FROM sqlite_master")}


def test_fts5_check_is_real() -> None:
    conn = sqlite3.connect(":memory:")
    try:
        conn.execute("CREATE VIRTUAL TABLE t USING fts5(x)")
        present = True
    except sqlite3.OperationalError:
        present = False
    assert sqlite.fts5_available() is present


def test_datasette_metadata(runner, fixture_only, tmp_path: Path) -> None:
    db, meta = tmp_path / "facts.db", tmp_path / "metadata.json"
    r = runner.invoke(app, ["export", "sqlite", str(db), "--metadata", str(meta)])
    assert r.exit_code == 0, r.stderr
    assert r.stderr.endswith(f"Wrote Datasette metadata to {meta}\n")
    doc = json.loads(meta.read_text(encoding="utf-8"))
    assert doc["title"] == describe.TITLE and doc["license"] == "MIT" and doc["license_url"].startswith("https://")
    assert doc["source"] and doc["description"]
    tables = doc["databases"]["facts"]["tables"]  # Datasette names a database after its file
    conn = sqlite3.connect(db)
    names = {n for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')") if not n.startswith(describe.SEARCH_TABLE)}
    assert names <= set(tables) and all(tables[n]["description"] for n in names)
    assert tables["records"]["fts_table"] == describe.SEARCH_TABLE and tables[describe.SEARCH_TABLE] == {"hidden": True}
    # Both files exist now: without --force neither is touched, and nothing is written.
    before = db.read_bytes()
    r = runner.invoke(app, ["export", "sqlite", str(db), "--metadata", str(meta)])
    assert r.exit_code == EXIT_USAGE and db.read_bytes() == before
    db.unlink()
    r = runner.invoke(app, ["export", "sqlite", str(db), "--metadata", str(meta)])
    assert (r.exit_code, r.stderr) == (EXIT_USAGE, f"Error: {meta} already exists; use --force to overwrite it\n")
    assert not db.exists()
