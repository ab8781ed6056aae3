"""Search that ranks: SQLite FTS5 over names, aliases, descriptions and notes, and its fallback."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest
from conftest import write
from hypothesis import given, settings
from hypothesis import strategies as st

from autoalliances import open_registry
from autoalliances.cli import app
from autoalliances.errors import UsageError
from autoalliances.store import search as fulltext


def hits(runner, *words: str, facts: Path | None = None) -> list[dict]:
    args = ["search", *words, "--json", *(["--facts", str(facts)] if facts else [])]
    r = runner.invoke(app, args)
    assert r.exit_code == 0, r.stderr
    return json.loads(r.stdout)


def test_words_match_whole_not_inside_other_words(runner) -> None:
    for word in ("EV", "AI"):
        found = hits(runner, word)
        assert found
        for rec in found:
            m = rec["match"]
            assert m["field"] in ("name", "aliases", "description", "notes")
            for start, end in m["spans"]:
                assert m["text"][start:end].casefold() == word.casefold()
                assert not m["text"][start - 1 : start].isalnum() and not m["text"][end : end + 1].isalnum()
    assert len(hits(runner, "EV")) < 20 and len(hits(runner, "AI")) < 60  # the substring scan found 44 and 84


def test_ranked_best_first_names_and_aliases_before_descriptions(runner) -> None:
    found = hits(runner, "HarmonyOS")
    assert found[0]["id"] == "harmonyos"
    fields = [r["match"]["field"] for r in found]
    first_other = next(i for i, f in enumerate(fields) if f in ("description", "notes"))
    assert all(f in ("name", "aliases") for f in fields[:first_other])
    assert hits(runner, "Hongmeng")[0]["id"] == "harmonyos"  # an alias


def test_prefix_phrase_and_operators(runner) -> None:
    assert {r["id"] for r in hits(runner, "harm*")} >= {"harmonyos", "harmonyos-5", "harmonyos-next"}
    phrase = hits(runner, '"digital key"')
    assert phrase[0]["id"] == "bmw-digital-key"
    assert all("digital key" in r["match"]["text"].casefold() for r in phrase)
    both = {r["id"] for r in hits(runner, "huawei", "AND", "toyota")}
    assert "toyota-huawei-harmonyos" in both and "bmw-huawei-harmonyos" not in both
    assert {r["id"] for r in hits(runner, "kirin", "OR", "qualcomm")} >= {"kirin-chip", "qualcomm-8295"}
    assert "kirin-chip" not in {r["id"] for r in hits(runner, "chip", "NOT", "kirin")}
    assert "harmonyos-5" in {r["id"] for r in hits(runner, "HarmonyOS", "5.0")}


def test_case_and_diacritics_do_not_count(runner, tmp_path: Path) -> None:
    facts = write(tmp_path / "skoda.yaml", "companies:\n  - id: skoda\n    name: Škoda Auto\n    kind: automaker\n"
                  "    description: Tschechischer Hersteller, Teil des Volkswagen-Konzerns.\n    sources: [yicai-2025-03-18-bmw-huawei]\n")
    assert hits(runner, "skoda", facts=facts)[0]["id"] == "skoda"
    assert hits(runner, "ŠKODA", facts=facts)[0]["id"] == "skoda"
    assert hits(runner, "tschechischer", facts=facts)[0]["match"]["field"] == "description"
    assert [r["id"] for r in hits(runner, "HARMONYOS")] == [r["id"] for r in hits(runner, "harmonyos")]


def test_only_names_aliases_descriptions_and_notes_are_searched(runner) -> None:
    assert hits(runner, "bba-chinese-tech-2025-03-26") == []  # an id is not text of a record
    assert hits(runner, "mistranslation") == []  # a conflict kind
    assert hits(runner, "unnamed_partner") == []  # a field name


def test_table_highlights_the_match_and_csv_carries_it(runner) -> None:
    r = runner.invoke(app, ["search", "Hongmeng"], env={"COLUMNS": "120", "NO_COLOR": "", "FORCE_COLOR": "1", "TERM": "xterm"})
    assert r.exit_code == 0
    assert "\x1b[1;7mHongmeng\x1b[0m" in r.stdout or re.search(r"\x1b\[[0-9;]*7[0-9;]*mHongmeng", r.stdout)
    plain = runner.invoke(app, ["search", "Hongmeng"], env={"COLUMNS": "120"}).stdout
    assert "aliases: Hongmeng" in plain and "harmonyos" in plain.split()
    r = runner.invoke(app, ["search", "Hongmeng", "--format", "csv"])
    assert r.stdout.splitlines()[0].endswith(",match") and "Hongmeng" in r.stdout.splitlines()[1]


@pytest.mark.parametrize("query", ["AND", '"digital key', "NOT", "huawei AND", "(huawei", "NEAR("])
def test_bad_search_syntax_is_a_usage_error(runner, query: str) -> None:
    r = runner.invoke(app, ["search", query])
    assert r.exit_code == 2 and r.stdout == ""
    assert r.stderr.startswith("Error: search: ") and "Traceback" not in r.stderr and "sqlite3" not in r.stderr


_REG = []


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([*'ab "*()-.:^+é5', " AND ", " OR ", " NOT ", "NEAR", "\x00", "\ue000"]), min_size=1, max_size=12).map("".join))
def test_any_text_is_a_result_or_a_usage_error(text: str) -> None:
    if not _REG:
        _REG.append(open_registry(use_cache=False))
    try:
        _REG[0].search(text)
    except UsageError as e:
        assert str(e).startswith("search: ")


def test_the_index_is_part_of_the_cache(runner, tmp_path: Path) -> None:
    assert runner.invoke(app, ["search", "harmonyos", "--json"]).exit_code == 0
    (db,) = (Path(p) for p in (tmp_path / "cache").glob("facts-*.sqlite"))
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT value FROM meta WHERE key = 'search'").fetchone() == ("fts5",)
    n_records = conn.execute("SELECT count(*) FROM record_rows").fetchone()[0]
    assert conn.execute("SELECT count(*) FROM search").fetchone()[0] == n_records


def test_without_fts5_search_falls_back_to_a_substring_scan(runner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fulltext, "fts5_available", lambda conn: False)
    r = runner.invoke(app, ["search", "Hongmeng", "--json", "--no-cache"])
    assert r.exit_code == 0
    found = json.loads(r.stdout)
    assert "harmonyos" in [x["id"] for x in found]
    m = next(x["match"] for x in found if x["id"] == "harmonyos")
    assert m["field"] == "aliases" and [m["text"][a:b] for a, b in m["spans"]] == ["Hongmeng"]
    assert "full-text search is not available" in r.stderr


def test_fts_query_keeps_operators_and_quotes_the_rest() -> None:
    q = fulltext.fts_query
    assert q("harm*") == "harm*"
    assert q('"digital key"') == '"digital key"'
    assert q("HarmonyOS 5.0") == 'HarmonyOS "5.0"'
    assert q("bmw-huawei") == '"bmw-huawei"'
    assert q("name:bmw") == '"name:bmw"'
    assert q("a AND (b OR c)") == "a AND ( b OR c )"
    with pytest.raises(UsageError, match="unbalanced double quote"):
        q('"open')
