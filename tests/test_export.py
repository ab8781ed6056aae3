"""`export sqlite` and `export json`: the whole fact base in one file, through the CLI."""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURE_FACTS, REPO

from autoalliances import open_registry
from autoalliances.cli import app
from autoalliances.errors import EXIT_OUTPUT, EXIT_USAGE, OutputExistsError
from autoalliances.export import document, rows, sqlite, target
from autoalliances.model.records import PLURAL, Note
from autoalliances.model.refs import cited_sources

RECORD_TABLES = ["sources", "companies", "systems", "models", "deals", "figures", "conflicts"]


@pytest.fixture
def fixture_reg(fixture_only):
    """The registry the CLI sees under ``fixture_only``."""
    return open_registry(use_cache=False)


@pytest.fixture
def bundled_reg():
    return open_registry(use_cache=False)


def _export(runner, kind: str, path: Path, *args: str):
    return runner.invoke(app, ["export", kind, str(path), *args])


def _db(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def _sound(conn: sqlite3.Connection) -> None:
    assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []


def _counts_match(conn: sqlite3.Connection, reg) -> None:
    counts = reg.counts()
    for type_, n in counts.items():
        assert conn.execute(f"SELECT count(*) FROM {PLURAL[type_]}").fetchone()[0] == n, type_
    assert conn.execute("SELECT count(*) FROM records").fetchone()[0] == sum(counts.values())
    assert dict(conn.execute("SELECT type, count(*) FROM records GROUP BY type").fetchall()) == counts


def _sources_match(conn: sqlite3.Connection, reg) -> None:
    """record_sources (citations at every depth) gives back exactly what each record cites."""
    got: dict[str, set[str]] = {}
    for rid, sid in conn.execute("SELECT record_id, source_id FROM record_sources"):
        got.setdefault(rid, set()).add(sid)
    for recs in document.all_records(reg).values():
        for rec in recs:
            assert got.get(rec.id, set()) == set(cited_sources(rec)), rec.id


# --- SQLite -------------------------------------------------------------------------------


def test_sqlite_fixture_facts(runner, fixture_only, fixture_reg, tmp_path: Path) -> None:
    out = tmp_path / "facts.db"
    r = _export(runner, "sqlite", out)
    assert r.exit_code == 0, r.stderr
    n = sum(fixture_reg.counts().values())
    assert (r.stdout, r.stderr) == ("", f"Wrote {n} records to {out}\n")
    conn = _db(out)
    _sound(conn)
    _counts_match(conn, fixture_reg)
    _sources_match(conn, fixture_reg)
    # Dates keep their text and precision, and get ISO bounds SQL can sort and filter on.
    assert conn.execute(
        "SELECT announced, announced_precision, announced_start, announced_end, announced_by FROM deals WHERE id = 'jv-unnamed-adas'"
    ).fetchone() == ("2024-late", "part", "2024-09-01", "2024-12-31", 0)
    assert conn.execute("SELECT published, published_precision, published_start FROM sources WHERE id = 'weekly-undated'").fetchone() == (
        "unknown", "unknown", None,
    )
    # Amounts keep what was printed plus the absolute number.
    assert conn.execute(
        "SELECT value_amount, value_scale, value_unit, value_qualifier, value_absolute FROM deals WHERE id = 'a-b-cockpit'"
    ).fetchone() == (1.5, "billion", "EUR", "about", 1500000000)
    assert conn.execute("SELECT change_amount, change_unit, change_basis FROM figures WHERE id = 'a-sales-2024-daily'").fetchone() == (
        -13.4, "percent", "year-on-year",
    )
    # Both sides of a deal, with their side, and the unnamed partner kept as text.
    assert conn.execute("SELECT side, position, company_id FROM deal_parties WHERE deal_id = 'a-b-cockpit' ORDER BY side, position").fetchall() == [
        ("company", 1, "carmaker-a"), ("partner", 1, "tech-b"),
    ]
    assert conn.execute("SELECT unnamed_partner FROM deals WHERE id = 'jv-unnamed-adas'").fetchone() == ("an unnamed local supplier",)
    # Lists keep their order; parts keep their own citations.
    assert conn.execute("SELECT alias FROM aliases WHERE record_id = 'carmaker-a' ORDER BY position").fetchall() == [("CMA",), ("A Motors",)]
    assert conn.execute(
        "SELECT p.name, p.role, s.source_id FROM people p JOIN person_sources s ON s.person_id = p.id WHERE p.company_id = 'carmaker-a'"
    ).fetchall() == [("Ann Boss", "Chief executive", "daily-2025-03-01")]
    assert conn.execute(
        "SELECT m.record_type, m.date, m.date_precision, m.date_start, m.event, m.status FROM milestones m WHERE record_id = 'a-sedan'"
    ).fetchall() == [("model", "2026-spring", "season", "2026-03-01", "launch", "planned")]
    assert conn.execute(
        "SELECT position, source_id, text, record_id FROM readings WHERE conflict_id = 'a-sales-2024-precision' ORDER BY position"
    ).fetchall() == [
        (1, "daily-2025-03-01", "714,500 vehicles", "a-sales-2024-daily"),
        (2, "weekly-undated", "about 714.5 thousand", "a-sales-2024-weekly"),
    ]
    assert conn.execute("SELECT record_id FROM conflict_records WHERE conflict_id = 'a-sales-2024-precision' ORDER BY position").fetchall() == [
        ("a-sales-2024-daily",), ("a-sales-2024-weekly",),
    ]
    assert dict(conn.execute("SELECT id, nature FROM conflicts")) == {"a-sales-2024-precision": "disagreement", "b-os-version-label": "anomaly"}
    assert conn.execute("SELECT field, reason FROM inferred WHERE record_id = 'a-b-cockpit'").fetchall() == [
        ("domains[1]", "the article speaks of 'smart features'; ai-assistant is the closest domain"),
    ]
    meta = dict(conn.execute("SELECT key, value FROM meta"))
    assert meta["tool"] == "autoalliances" and meta["version"]
    assert json.loads(meta["sources"]) == ["daily-2025-03-01", "weekly-undated"]
    assert not any(re.search(r"\d{4}-\d\d-\d\dT", v) for v in meta.values())  # no export timestamp


def test_sqlite_bundled_facts(runner, bundled_reg, tmp_path: Path) -> None:
    out = tmp_path / "facts.db"
    r = _export(runner, "sqlite", out)
    assert r.exit_code == 0, r.stderr
    conn = _db(out)
    _sound(conn)
    _counts_match(conn, bundled_reg)
    _sources_match(conn, bundled_reg)
    # BMW's partners through the join table.
    partners = conn.execute(
        """SELECT DISTINCT c.name FROM deals d
           JOIN deal_parties p ON p.deal_id = d.id AND p.side = 'partner'
           JOIN companies c ON c.id = p.company_id
           WHERE d.company = 'bmw' ORDER BY c.name"""
    ).fetchall()
    assert [p for (p,) in partners] == ["Alibaba", "CATL", "EVE Energy Co., Ltd.", "Huawei"]
    # The view agrees with the registry's order and names.
    overview = conn.execute("SELECT id, company, partners FROM deal_overview").fetchall()
    assert [i for i, _, _ in overview] == [d.id for d in bundled_reg.deals()]
    assert ("bmw-alibaba-ai-cockpit", "BMW", "Alibaba") in overview
    readings = conn.execute("SELECT count(*) FROM conflict_readings").fetchone()[0]
    assert readings == sum(len(c.readings) for c in bundled_reg.conflicts())
    # Equivalent amounts as child rows.
    assert conn.execute(
        "SELECT amount, scale, unit, absolute FROM equivalents WHERE record_id = 'bmw-revenue-2024-yicai' AND amount_of = 'value'"
    ).fetchall() == [(155.4, "billion", "USD", 155400000000)]


def test_every_foreign_key_column_is_indexed(fixture_only, fixture_reg, tmp_path: Path) -> None:
    out = tmp_path / "facts.db"
    sqlite.write_sqlite(fixture_reg, out)
    conn = _db(out)
    tables = [t for (t,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    for t in tables:
        leading = set()
        for (idx,) in conn.execute(f"SELECT name FROM pragma_index_list('{t}')"):
            first = conn.execute(f"SELECT name FROM pragma_index_info('{idx}') WHERE seqno = 0").fetchone()
            leading.add(first[0])
        pk = [c for c in conn.execute(f"PRAGMA table_info({t})") if c[5] == 1]
        if pk:
            leading.add(pk[0][1])
        for fk in conn.execute(f"PRAGMA foreign_key_list({t})"):
            assert fk[3] in leading, f"{t}.{fk[3]} -> {fk[2]} has no index"


def test_schema_is_documented(fixture_reg, tmp_path: Path) -> None:
    """The README lists every table and view of the export."""
    out = tmp_path / "facts.db"
    sqlite.write_sqlite(fixture_reg, out)
    names = [n for (n,) in _db(out).execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")]
    names = [n for n in names if not n.startswith("records_fts_")]  # FTS5's own tables behind records_fts
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### Export") :]
    for n in names:
        assert f"`{n}`" in section, n


def test_same_facts_same_bytes(fixture_reg, tmp_path: Path) -> None:
    a, b = tmp_path / "a.db", tmp_path / "b.db"
    sqlite.write_sqlite(fixture_reg, a)
    sqlite.write_sqlite(fixture_reg, b)
    assert a.read_bytes() == b.read_bytes()


def test_refuses_to_overwrite_without_force(runner, fixture_only, tmp_path: Path) -> None:
    for kind in ("sqlite", "json"):
        out = tmp_path / f"existing.{kind}"
        out.write_text("keep me\n", encoding="utf-8")
        r = _export(runner, kind, out)
        assert r.exit_code == EXIT_USAGE == 2
        assert r.stdout == ""
        assert r.stderr == f"Error: {out} already exists; use --force to overwrite it\n"
        assert out.read_text(encoding="utf-8") == "keep me\n"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "cache") == ["existing.json", "existing.sqlite"]


def test_force_overwrites(runner, fixture_only, fixture_reg, tmp_path: Path) -> None:
    out = tmp_path / "facts.db"
    out.write_text("old\n", encoding="utf-8")
    r = _export(runner, "sqlite", out, "--force")
    assert r.exit_code == 0, r.stderr
    _counts_match(_db(out), fixture_reg)
    js = tmp_path / "facts.json"
    js.write_text("old\n", encoding="utf-8")
    r = _export(runner, "json", js, "--force")
    assert r.exit_code == 0, r.stderr
    assert json.loads(js.read_text(encoding="utf-8"))["tool"] == "autoalliances"


def test_missing_folder_and_folder_as_path(runner, fixture_only, tmp_path: Path) -> None:
    for kind in ("sqlite", "json"):
        out = tmp_path / "no-such-dir" / "facts.out"
        r = _export(runner, kind, out)
        assert r.exit_code == EXIT_OUTPUT
        assert r.stderr == f"Error: cannot write {out}: folder {out.parent} does not exist\n"
        assert not out.parent.exists()
        r = _export(runner, kind, tmp_path, "--force")
        assert (r.exit_code, r.stderr) == (EXIT_OUTPUT, f"Error: cannot write {tmp_path}: it is a folder\n")


def test_failed_write_leaves_nothing(runner, fixture_only, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(conn, reg):
        conn.execute("CREATE TABLE half (x)")
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(sqlite, "fill_sqlite", boom)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    r = _export(runner, "sqlite", out_dir / "facts.db")
    assert r.exit_code == 1 and "disk on fire" in r.stderr
    assert list(out_dir.iterdir()) == []


def test_never_clobbers_a_file_that_appears_during_the_write(fixture_reg, tmp_path: Path) -> None:
    out = tmp_path / "facts.json"

    def fill(tmp: Path) -> None:
        tmp.write_text("new\n", encoding="utf-8")
        out.write_text("someone else's\n", encoding="utf-8")

    with pytest.raises(OutputExistsError):
        target.write_file(out, False, fill)
    assert out.read_text(encoding="utf-8") == "someone else's\n"
    assert [p.name for p in tmp_path.iterdir() if p.name != "cache"] == ["facts.json"]


def test_a_field_without_a_column_fails_loudly() -> None:
    f = rows.Fields(Note(text="x", sources=["s"]))
    f("text")
    with pytest.raises(RuntimeError, match=r"Note\.sources"):
        f.done()


def test_facts_and_no_cache_are_honoured(runner, bundled_reg, tmp_path: Path) -> None:
    out = tmp_path / "facts.db"
    r = _export(runner, "sqlite", out, "--facts", str(FIXTURE_FACTS), "--no-cache")
    assert r.exit_code == 0, r.stderr
    conn = _db(out)
    _sound(conn)
    extra = open_registry(FIXTURE_FACTS, bundled=False, use_cache=False)
    n = sum(bundled_reg.counts().values()) + sum(extra.counts().values())
    assert conn.execute("SELECT count(*) FROM records").fetchone()[0] == n
    assert conn.execute("SELECT name FROM companies WHERE id = 'carmaker-a'").fetchone() == ("Carmaker A",)
    assert not (tmp_path / "cache").exists()  # --no-cache: nothing written to the cache


# --- JSON -----------------------------------------------------------------------------------


def _strip_show(obj: dict) -> dict:
    """`show --json` is the record object plus conflict details and referrers."""
    return {k: v for k, v in obj.items() if k not in ("conflict_details", "referenced_by")}


@pytest.mark.parametrize("facts", ["fixture", "bundled"])
def test_json_document(runner, request, tmp_path: Path, facts: str) -> None:
    if facts == "fixture":
        request.getfixturevalue("fixture_only")
        reg, samples = request.getfixturevalue("fixture_reg"), ["a-b-cockpit", "a-sales-2024-precision", "weekly-undated"]
    else:
        reg, samples = request.getfixturevalue("bundled_reg"), ["bmw-alibaba-ai-cockpit", "toyota-bz7", "bmw-revenue-2024-yicai"]
    out = tmp_path / "facts.json"
    r = _export(runner, "json", out)
    assert r.exit_code == 0, r.stderr
    n = sum(reg.counts().values())
    assert (r.stdout, r.stderr) == ("", f"Wrote {n} records to {out}\n")
    raw = out.read_bytes()
    assert raw.endswith(b"}\n")
    doc = json.loads(raw.decode("utf-8"))
    assert list(doc) == ["tool", "version", "today", "as_of", *RECORD_TABLES]
    assert doc["tool"] == "autoalliances"
    assert (doc["today"], doc["as_of"]) == ("2026-12-01", None)  # the day plan states were read on (conftest pins it)
    # Every record exactly once, under its type.
    ids = [o["id"] for key in RECORD_TABLES for o in doc[key]]
    assert len(ids) == len(set(ids)) == n
    for key in RECORD_TABLES:
        assert {o["type"] for o in doc[key]} <= {t for t, k in PLURAL.items() if k == key}
        assert len(doc[key]) == reg.counts().get(next(t for t, k in PLURAL.items() if k == key), 0)
    # The same record shape as show --json and the list commands.
    by_id = {o["id"]: o for key in RECORD_TABLES for o in doc[key]}
    for sample in samples:
        shown = json.loads(runner.invoke(app, ["show", sample, "--json"]).stdout)
        assert by_id[sample] == _strip_show(shown)
    assert doc["deals"] == json.loads(runner.invoke(app, ["deals", "--json"]).stdout)


def test_json_to_stdout_and_deterministic(runner, fixture_only, tmp_path: Path) -> None:
    r = runner.invoke(app, ["export", "json", "-"])
    assert (r.exit_code, r.stderr) == (0, "")
    out = tmp_path / "facts.json"
    assert _export(runner, "json", out).exit_code == 0
    assert r.stdout == out.read_text(encoding="utf-8")
    assert runner.invoke(app, ["export", "json", "-", "--force"]).stdout == r.stdout


def test_json_keeps_utf8_readable(runner, tmp_path: Path) -> None:
    out = tmp_path / "facts.json"
    assert _export(runner, "json", out).exit_code == 0
    text = out.read_bytes().decode("utf-8")
    assert "¥200 billion" in text and "\\u00a5" not in text


# --- the installed program --------------------------------------------------------------------


def test_installed_entry_point_exports_sqlite(bundled_reg, tmp_path: Path) -> None:
    exe = Path(sys.executable).parent / "autoalliances"
    assert exe.exists(), "the autoalliances script is not installed"
    r = subprocess.run([str(exe), "export", "sqlite", "facts.db"], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    n = sum(bundled_reg.counts().values())
    assert (r.returncode, r.stdout, r.stderr) == (0, "", f"Wrote {n} records to facts.db\n")
    conn = _db(tmp_path / "facts.db")
    _sound(conn)
    _counts_match(conn, bundled_reg)
    r = subprocess.run([str(exe), "export", "sqlite", "facts.db"], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert (r.returncode, r.stderr) == (2, "Error: facts.db already exists; use --force to overwrite it\n")


def test_sqlite_checks_the_closed_lists_once_for_the_whole_file(fixture_only, fixture_reg, monkeypatch) -> None:
    """The CHECK (col IN (...)) lists are not run per row during the export, but a value outside
    one still fails the export (quick_check before COMMIT), and the file keeps every CHECK."""
    conn = sqlite3.connect(":memory:")
    n = sqlite.fill_sqlite(conn, fixture_reg)
    assert n == sum(fixture_reg.counts().values())
    assert conn.execute("PRAGMA ignore_check_constraints").fetchone() == (0,)
    with pytest.raises(sqlite3.IntegrityError, match="CHECK constraint failed"):
        conn.execute("UPDATE deals SET kind = 'bogus' WHERE rowid = (SELECT min(rowid) FROM deals)")
    real = rows.Rows.add_record

    def corrupt(self, rec):
        real(self, rec)
        for row in self.tables.get("deals", []):
            row["kind"] = "bogus"

    monkeypatch.setattr(rows.Rows, "add_record", corrupt)
    bad = sqlite3.connect(":memory:")
    with pytest.raises(sqlite3.IntegrityError, match="CHECK constraint failed in deals"):
        sqlite.fill_sqlite(bad, fixture_reg)
    assert bad.execute("SELECT count(*) FROM sqlite_master").fetchone() == (0,)  # rolled back
