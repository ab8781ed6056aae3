"""Every screen a reader can trust and act on (issue 12): one test group per numbered defect.

Most tests run on the bundled facts, where the defects were found; a few add a
small fact file of their own to reach a case the bundled facts do not have.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, write
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from autoalliances import open_registry
from autoalliances.cli import app
from autoalliances.model.records import RECORD_TYPES
from autoalliances.model.refs import references
from autoalliances.render.flat import columns
from autoalliances.render.shapes import json_fields

FORMATS = ["table", "json", "jsonl", "csv", "markdown"]
LISTS = ["companies", "deals", "models", "systems", "figures", "sources", "conflicts"]
KIND = {"companies": "company", "deals": "deal", "models": "model", "systems": "system", "figures": "figure",
        "sources": "source", "conflicts": "conflict"}


@pytest.fixture(scope="module")
def bundled():
    return open_registry(use_cache=False)


def _all_ids() -> list[str]:
    reg = open_registry(use_cache=False)
    return [r.id for cls in RECORD_TYPES.values() for r in reg.store.all(cls)]


def run(runner, *args: str, columns: int = 100) -> tuple[int, str, str]:
    r = runner.invoke(app, list(args), env={"COLUMNS": str(columns)})
    return r.exit_code, r.stdout, r.stderr


# --- 1. show works on every bundled record, in every format -------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_show_every_bundled_record_in_every_format(runner, fmt: str) -> None:
    ids = _all_ids()
    assert len(ids) > 100
    for id_ in ids:
        code, out, err = run(runner, "show", id_, "--format", fmt)
        assert (code, err) == (0, ""), (id_, err)
        assert id_ in out, id_
        if fmt == "json":
            assert json.loads(out)["id"] == id_
        elif fmt == "jsonl":
            assert [json.loads(line)["id"] for line in out.splitlines()] == [id_]
        elif fmt == "csv":
            rows = list(csv.DictReader(io.StringIO(out)))
            assert [r["id"] for r in rows] == [id_]


def test_show_of_a_source_prints_its_notes_and_what_cites_it(runner) -> None:
    code, out, err = run(runner, "show", "yicai-2025-03-18-bmw-huawei")
    assert (code, err) == (0, "")
    assert "Futura Costaglione" in " ".join(out.split())  # its notes, a text, in full
    flat = " ".join(out.split())
    assert re.search(r"cited by \d+ records: companies: .*bmw.* deals: [^:]*bmw-huawei-harmonyos", flat), flat


# --- 2. tables show the ids they tell the reader to use ----------------------------------------


@pytest.mark.parametrize("command", ["deals", "figures", "models", "systems", "companies", "conflicts"])
def test_every_table_row_shows_its_id(runner, command: str, bundled) -> None:
    ids = [r["id"] for r in json.loads(run(runner, command, "--json")[1])]
    for width in (200, 120, 80, 60):
        out = run(runner, command, columns=width)[1]
        words = set(out.split())
        missing = [i for i in ids if i not in words]
        assert not missing, (width, missing)


@pytest.mark.parametrize("name", ["BMW", "Huawei", "FAW-Audi", "Toyota"])
def test_the_dossier_shows_the_id_of_every_record_in_it(runner, name: str) -> None:
    d = json.loads(run(runner, "company", name, "--json")[1])
    ids = [d["company"]["id"]] + [r["id"] for key in ("deals", "models", "systems", "figures", "conflicts") for r in d[key]]
    for width in (120, 80):
        words = set(re.sub(r"[()]", " ", run(runner, "company", name, columns=width)[1]).split())
        assert [i for i in ids if i not in words] == [], width


# --- 3. no word or id is split; narrow terminals stack instead of dropping columns --------------


def _name_words(rec: dict) -> list[str]:
    return (rec.get("name") or rec.get("title") or rec.get("topic") or "").split()


@pytest.mark.parametrize("command", LISTS)
@pytest.mark.parametrize("width", [50, 60, 70, 79, 80, 100, 120])
def test_no_word_or_id_is_split_and_nothing_is_dropped(runner, command: str, width: int) -> None:
    recs = json.loads(run(runner, command, "--json")[1])
    code, out, err = run(runner, command, columns=width)
    assert (code, err) == (0, "")
    tokens = set(out.split())
    for rec in recs:
        assert rec["id"] in tokens, (width, rec["id"])
        if len(rec["id"]) < width:
            assert any(line.strip().startswith(rec["id"]) or f" {rec['id']} " in f" {line} " for line in out.splitlines())
        for word in _name_words(rec):
            if len(word) < width - 10:
                assert word in tokens or any(word in t for t in tokens), (width, rec["id"], word)
    # A footnote reference is never cut in two: "[1,2,3]" stays whole on its line.
    assert not re.search(r"\[[\d,]*\s*$", out, re.M), out
    assert all(len(line.rstrip()) <= width for line in out.splitlines() if not re.search(rf"\S{{{width - 4},}}", line))


def test_below_80_columns_a_list_is_stacked_with_every_column(runner) -> None:
    out = run(runner, "deals", columns=70)[1]
    assert "━" not in out  # no grid
    assert "Announced 17 March 2025" in out and "Status announced" in out
    # cockpit-os carries its inference mark (†n, the reason in the footnotes)
    assert re.search(r"Domains cockpit-os†\d*, digital-services, connectivity", " ".join(out.split()))
    assert "bmw-huawei-harmonyos" in out.split()


def test_the_old_splits_are_gone(runner) -> None:
    companies = run(runner, "companies", columns=80)[1]
    assert "china-passenger-car-association" in companies.split()
    search = run(runner, "search", "voice", "assistant", columns=80)[1]
    assert "tencent-voice-assistant" in search.split()


def test_long_alias_lists_are_shortened_with_a_count(runner, bundled) -> None:
    bmw = bundled.company("bmw")
    assert len(bmw.aliases) == 4
    for width in (70, 120):
        out = run(runner, "companies", columns=width)[1]
        assert re.search(r"\+\d more", out) and "BMW Greater China" not in out, width
    found = re.search(r"Also known as (BMW Group.*?) \+(\d) more", " ".join(run(runner, "companies", columns=70)[1].split()))
    assert found is not None
    shown = re.sub(r" \[[\d,]+\]", "", found[1]).split(", ")  # each printed alias with its footnotes
    assert shown == bmw.aliases[: len(shown)] and len(shown) + int(found[2]) == 4
    assert "BMW Greater China" in run(runner, "company", "bmw")[1]  # the dossier keeps them all


# --- 4. every reference on a screen is to the screen's own footnotes ---------------------------


@pytest.mark.parametrize("args", [["deals"], ["figures"], ["models"], ["systems"], ["company", "BMW"], ["company", "Toyota"],
                                  ["company", "Huawei"], ["search", "harmonyos"], ["show", "toyota-bz7"], ["conflicts"]])
def test_footnote_lists_are_sorted(runner, args: list[str]) -> None:
    for width in (80, 120):
        out = run(runner, *args, columns=width)[1]
        lists = re.findall(r"(?<![\w\]])\[(\d+(?:,\d+)+)\]", out)
        for nums in lists:
            n = [int(x) for x in nums.split(",")]
            assert n == sorted(n), (args, nums)
        shown = {int(n) for n in re.findall(r"^\[(\d+)\] ", out, re.M)}
        cited = {int(x) for nums in re.findall(r"(?<![\w\]])\[(\d+(?:,\d+)*)\]", out) for x in nums.split(",")}
        assert cited <= shown, (args, cited - shown)  # every number cited has its footnote


def test_no_bundled_text_refers_to_a_source_by_file_number() -> None:
    texts = "\n".join(p.read_text(encoding="utf-8") for p in (REPO / "facts").rglob("*.yaml"))
    body = "\n".join(line for line in texts.splitlines() if not line.lstrip().startswith(("#", "file:")))
    assert not re.search(r"\b(?:article|file|source)s?\s+\d{3}\b", body, re.I)


def test_a_text_naming_an_article_by_file_number_shows_its_footnote(runner, tmp_path: Path) -> None:
    facts = write(tmp_path / "mine.yaml", """\
sources:
  - id: my-article
    file: 009_mine.txt
    language: en
    published: "2025-06-01"
    outlet: My Outlet
systems:
  - id: my-system
    name: My System
    kind: app
    sources: [yicai-2025-03-18-bmw-huawei]
    notes:
      - text: As listed in article 009, the system ships in 2026.
        sources: [yicai-2025-03-18-bmw-huawei]
""")
    out = run(runner, "show", "my-system", "--facts", str(facts))[1]
    flat = " ".join(out.split())
    assert "article 009" not in flat
    number = re.search(r"As listed in article \[(\d+)\]", flat)
    assert number, flat
    assert re.search(rf"^\[{number.group(1)}\] My Outlet", out, re.M)  # the footnote it points at is on the screen
    raw = json.loads(run(runner, "show", "my-system", "--json", "--facts", str(facts))[1])
    assert raw["notes"][0]["text"].startswith("As listed in article 009")  # scripts get the text as written


# --- 6. validate: one error per line, never wrapped, by file and line ---------------------------


def _bad_files(tmp_path: Path) -> list[Path]:
    a = write(tmp_path / "a.yaml", """\
deals:
  - id: a-deal
    title: A deal
    company: no-such-company-with-a-really-long-identifier-that-makes-the-message-wider-than-eighty
    kind: partnership
    domains: [battery]
    announced: "2025"
    status: announced
    sources: [yicai-2025-03-18-bmw-huawei]
  - id: b-deal
    title: B deal
    company: bmw
    kind: no-such-kind
    domains: [battery]
    announced: "2025"
    status: announced
    sources: [yicai-2025-03-18-bmw-huawei]
""")
    b = write(tmp_path / "b.yaml", "systems:\n  - id: b-sys\n    name: B\n    kind: app\n    colour: red\n    sources: [nope]\n")
    return [a, b]


def _error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if re.match(r"^/.*\.yaml:\d+: ", line)]


def _sorted_by_file_and_line(lines: list[str]) -> bool:
    keys = [(m.group(1), int(m.group(2))) for m in (re.match(r"^(.*?\.yaml):(\d+): ", line) for line in lines) if m]
    return keys == sorted(keys) and len(keys) == len(lines)


def test_validate_prints_one_unwrapped_line_per_error_in_file_order(tmp_path: Path) -> None:
    files = _bad_files(tmp_path)
    env = {**os.environ, "COLUMNS": "80"}
    env.pop("AUTOALLIANCES_FACTS", None)
    r = subprocess.run([sys.executable, "-m", "autoalliances", "validate", *map(str, files)], capture_output=True, text=True, env=env, timeout=120)
    assert r.returncode == 3
    lines = _error_lines(r.stderr)
    assert len(lines) == len(r.stderr.splitlines()) - 1  # every line but the count is an error
    assert len(lines) >= 4 and any(len(line) > 80 for line in lines)
    assert _sorted_by_file_and_line(lines), lines
    assert any("no-such-company-with-a-really-long-identifier" in line and line.startswith(f"{files[0]}:4: ") for line in lines)
    q = subprocess.run([sys.executable, "-m", "autoalliances", "deals", "--json", *(f"--facts={f}" for f in files)],
                       capture_output=True, text=True, env=env, timeout=120)
    assert q.returncode == 3 and q.stdout == ""
    assert _error_lines(q.stderr) == lines  # the same lines, in the same order, from a query


# --- 7. CSV carries every field JSON carries ---------------------------------------------------


@pytest.mark.parametrize("command", LISTS)
def test_every_json_field_is_reachable_in_csv(runner, command: str) -> None:
    objs = json.loads(run(runner, command, "--json")[1])
    header = run(runner, command, "--format", "csv")[1].splitlines()[0].split(",")
    keys = {k for o in objs for k in o} | set(json_fields(KIND[command]))
    for key in keys:
        assert key in header or any(c.startswith(key + "_") for c in header), (command, key)
    assert header == columns(KIND[command])


@pytest.mark.parametrize("command", LISTS)
@pytest.mark.parametrize("fmt", FORMATS)
def test_fields_lists_exactly_what_the_format_accepts(runner, command: str, fmt: str) -> None:
    code, listed, _ = run(runner, command, "--format", fmt, "--fields")
    assert code == 0
    listed_fields = listed.split()
    if fmt in ("csv", "markdown"):
        out = run(runner, command, "--format", fmt)[1]
        first = out.splitlines()[0]
        assert [c.strip() for c in first.strip("|").split("|" if fmt == "markdown" else ",")] == listed_fields
    else:
        objs = json.loads(run(runner, command, "--json")[1])
        assert set(listed_fields) >= {k for o in objs for k in o}
    every = ",".join(listed_fields)
    assert run(runner, command, "--format", fmt, "--fields", every)[0] == 0  # each one listed is accepted


def test_deals_csv_has_descriptions_and_dates_a_spreadsheet_can_sort(runner) -> None:
    code, out, err = run(runner, "deals", "--format", "csv", "--fields", "id,description,announced,announced_start,announced_end")
    assert (code, err) == (0, "")
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(out))}
    audi = rows["audi-huawei-driver-assistance"]
    assert audi["description"].startswith("Audi works with Huawei")
    assert (audi["announced"], audi["announced_start"], audi["announced_end"]) == ("2025-early", "2025-01-01", "2025-04-30")


def test_figures_csv_keeps_the_previous_value_of_a_change(runner) -> None:
    out = run(runner, "figures", "--company", "bmw", "--metric", "profit-margin", "--format", "csv")[1]
    (row,) = csv.DictReader(io.StringIO(out))
    assert (row["value_amount"], row["change_previous_amount"], row["change_previous_unit"], row["change_basis"]) == (
        "7.7", "11", "percent", "year-on-year")
    assert json.loads(row["notes"])[0]["sources"] == ["yicai-2025-03-18-bmw-huawei"]


# --- 8. a dossier has every record that names the company -------------------------------------


def test_faw_audi_has_its_deals(runner) -> None:
    expected = ["faw-audi-joint-venture", "audi-huawei-driver-assistance"]
    assert [d["id"] for d in json.loads(run(runner, "company", "FAW-Audi", "--json")[1])["deals"]] == expected
    assert [d["id"] for d in json.loads(run(runner, "deals", "--company", "faw-audi", "--json")[1])] == expected
    assert "Deals (2)" in run(runner, "company", "FAW-Audi")[1]


def test_huawei_has_the_models_that_carry_its_systems(runner) -> None:
    d = json.loads(run(runner, "company", "Huawei", "--json")[1])
    assert {"toyota-bz7", "audi-a5l"} <= {m["id"] for m in d["models"]}
    assert "Models (" in run(runner, "company", "Huawei")[1]


def test_every_record_that_names_a_company_is_in_its_dossier(bundled) -> None:
    for company in bundled.companies():
        d = bundled.dossier(company.id)
        units = {company.id, *(c.id for c in d.children)}
        made = {s.id for s in bundled.systems() if s.vendor in units}
        shown = {r.id for r in d.records()}
        for rec in [*bundled.deals(), *bundled.models(), *bundled.figures()]:
            if set(references(rec)) & (units | made):
                assert rec.id in shown, (company.id, rec.id)


# --- 9. names: separators and case alike, other types named, suggestions ranked ---------------


@pytest.mark.parametrize("spelling", ["Mercedes Benz", "mercedes benz", "MERCEDES_BENZ", "MercedesBenz", "Mercedes - Benz"])
def test_spaces_hyphens_and_case_are_alike(runner, spelling: str) -> None:
    code, out, err = run(runner, "company", spelling, "--json")
    assert (code, err) == (0, "")
    assert json.loads(out)["company"]["id"] == "mercedes-benz"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_spelling_of_a_name_resolves(bundled, data) -> None:
    rec = data.draw(st.sampled_from([*bundled.companies(), *bundled.systems(), *bundled.models()]))
    name = data.draw(st.sampled_from([rec.id, rec.name, *rec.aliases]))
    seps = data.draw(st.lists(st.sampled_from([" ", "-", "_", "  "]), min_size=len(name), max_size=len(name)))
    spelled = "".join(seps[i] if ch in " -_" else (ch.upper() if data.draw(st.booleans()) else ch.lower()) for i, ch in enumerate(name))
    hits = {i for i, _ in bundled.store.lookup_name(spelled, loose=True)}
    assert rec.id in hits
    if len(hits) == 1:
        assert bundled.get(spelled).id == rec.id


def test_a_name_of_another_type_says_what_it_names(runner) -> None:
    code, out, err = run(runner, "company", "Hongmeng")
    assert (code, out) == (2, "")
    assert err == "Error: 'Hongmeng' is a system, not a company: autoalliances show harmonyos\n"
    code, _, err = run(runner, "deals", "--partner", "toyota bz7")
    assert code == 2 and "'toyota bz7' is a model, not a company: autoalliances show toyota-bz7" in err


def _suggestions(err: str) -> list[str]:
    return re.findall(r"'([^']+)'", err.split("did you mean", 1)[1])


def test_suggestions_rank_by_similarity_to_ids_names_and_aliases(runner) -> None:
    assert _suggestions(run(runner, "show", "bz7")[2])[0] == "toyota-bz7"
    yicai = _suggestions(run(runner, "show", "Yicai")[2])
    assert yicai[0] == "yicai-2025-03-18-bmw-huawei" and "huawei-hicar" not in yicai
    assert _suggestions(run(runner, "show", "harmony")[2])[0] == "harmonyos"
    assert _suggestions(run(runner, "company", "Hauwei")[2])[0] == "huawei"


# --- 10. no silent mismatch -------------------------------------------------------------------


def test_json_with_another_format_is_refused(runner) -> None:
    code, out, err = run(runner, "company", "BMW", "--json", "--format", "csv")
    assert (code, out) == (2, "")
    assert "--json and --format csv contradict each other" in err
    assert run(runner, "deals", "--json", "--format", "json")[0] == 0
    assert run(runner, "graph", "--json", "--format", "dot")[0] == 2
    assert json.loads(run(runner, "graph", "--json")[1])["nodes"]


def test_since_after_until_is_a_usage_error(runner) -> None:
    for command in ("deals", "models", "figures", "timeline", "matrix"):
        code, out, err = run(runner, command, "--since", "2026", "--until", "2025")
        assert (code, out) == (2, ""), command
        assert "--since 2026 is after --until 2025" in err


def test_graph_comment_keeps_the_filters(runner) -> None:
    out = run(runner, "graph", "--year", "2025", "--domain", "cockpit-os")[1]
    assert "regenerate with: autoalliances graph --domain cockpit-os --year 2025\n" in out
    dot = run(runner, "graph", "--company", "bmw", "--year", "2025", "--format", "dot")[1]
    assert dot.startswith("// Partnership network from autoalliances; regenerate with: autoalliances graph --company bmw --year 2025 --format dot\n")


def test_country_filter_says_which_companies_have_no_country(runner, bundled) -> None:
    code, out, err = run(runner, "companies", "--country", "Germany", "--json")
    assert code == 0 and "mercedes-benz" not in [c["id"] for c in json.loads(out)]
    unstated = [c.name for c in bundled.companies() if not c.country]
    assert err == f"{len(unstated)} companies have no country stated in the articles and cannot match --country: {', '.join(unstated)}\n"
    assert run(runner, "companies", "--json")[2] == ""  # no filter, no note


def test_overlap_matching_of_dates_is_documented(runner) -> None:
    for command in ("deals", "models", "figures", "timeline"):
        text = " ".join(run(runner, command, "--help")[1].replace("│", " ").split())
        assert "Dates match by overlap" in text, command
    assert "match by overlap" in (REPO / "README.md").read_text(encoding="utf-8")
    early = [d["id"] for d in json.loads(run(runner, "deals", "--since", "2025-04", "--json")[1])]
    assert "audi-huawei-driver-assistance" in early  # "early 2025" reaches into April


@pytest.mark.parametrize("command", ["figures", "deals", "models", "systems", "companies", "conflicts", "timeline", "matrix", "graph"])
def test_help_lists_each_choice_once(runner, command: str) -> None:
    text = run(runner, command, "--help", columns=300)[1]
    for line in text.splitlines():
        if "One of:" not in line:
            continue
        before, after = line.split("One of:", 1)
        values = [v.strip(" .│") for v in after.split("[")[0].split(",")]
        twice = [v for v in values if v and re.search(rf"(?<![\w-]){re.escape(v)}(?![\w-])", before)]
        assert len(twice) < 2, (command, line)


def test_file_mentions_find_a_number_after_the_word_only() -> None:
    from autoalliances.model.refs import file_mentions

    text = "As listed in article 009, Articles  004; file 0012 and prearticle 005 are not; Source 003."
    assert [(text[a:b], n) for a, b, n in file_mentions(text)] == [("009", "009"), ("004", "004"), ("003", "003")]
    assert file_mentions("the article of 26 March 2025") == []
