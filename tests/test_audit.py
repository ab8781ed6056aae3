"""Findings of a hostile-user audit, each pinned by a test that failed before its fix."""

from __future__ import annotations

import json

import pytest

from autoalliances.cli import app


@pytest.mark.parametrize(
    "args",
    [
        ["deals", "--company", ""],
        ["deals", "--partner", ""],
        ["models", "--company", ""],
        ["systems", "--company", ""],
        ["figures", "--company", ""],
        ["timeline", "--company", ""],
        ["matrix", "--company", ""],
        ["plans", "--company", ""],
        ["conflicts", "--record", ""],
        ["export", "ics", "-", "--company", ""],
    ],
)
def test_an_empty_name_filter_is_an_error_not_no_filter(runner, fixture_only, args: list[str]) -> None:
    # `--company ''` (an unset shell variable) used to drop the filter and list everything.
    result = runner.invoke(app, args if args[0] == "export" else [*args, "--json"])
    assert result.exit_code == 2, result.stdout
    assert result.stdout == ""
    assert "unknown company ''" in result.stderr or "unknown record ''" in result.stderr


_SOURCE = "yicai-2025-03-18-bmw-huawei"


@pytest.mark.parametrize("alias", ["huawei ", " Huawei", "ＨＵＡＷＥＩ", "Huawei\u3000Technologies", "Huawei  Technologies"])
def test_a_user_alias_that_only_pads_or_widens_a_bundled_name_is_a_collision(runner, tmp_path, alias: str) -> None:
    # "huawei " (a trailing space) and the full-width "ＨＵＡＷＥＩ" used to pass validate and
    # become a second record that prints like Huawei, taking `company ＨＵＡＷＥＩ` with it.
    path = tmp_path / "co.yaml"
    path.write_text(
        f'companies:\n- id: look-alike\n  name: Look Alike\n  kind: technology\n  aliases: ["{alias}"]\n'
        f"  sources: [{_SOURCE}]\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 3, result.stdout + result.stderr
    assert f"{path}:2: aliases[0]: alias " in result.stderr
    assert " is already the " in result.stderr
    assert "'huawei'" in result.stderr


def test_full_width_and_padded_names_find_the_bundled_record(runner) -> None:
    for name in ("ＢＭＷ", "Ｂｍｗ", "BMW\u3000Group", "  bmw  group "):
        result = runner.invoke(app, ["company", name, "--json"])
        assert result.exit_code == 0, (name, result.stderr)
        assert json.loads(result.stdout)["company"]["id"] == "bmw"


@pytest.mark.parametrize("span", ["1d", "1w", "1m", "1y"])
def test_within_past_the_year_9999_says_so_in_days_and_weeks_too(runner, monkeypatch, span: str) -> None:
    # `plans --within 1d` on 9999-12-31 used to print Python's "year 10000 is out of range".
    monkeypatch.setenv("AUTOALLIANCES_TODAY", "9999-12-31")
    result = runner.invoke(app, ["plans", "--within", span, "--json"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert f"Error: --within: '{span}' reaches beyond the year 9999" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["export", "site", "", "--force"], "export site: the folder to write is empty (''): give one, e.g. site/"),
        (["export", "csv", "", "--force"], "export csv: the folder to write is empty (''): give one, e.g. release/"),
        (["export", "json", "", "--force"], "export json: the file to write is empty (''): give one, e.g. facts.json or -"),
        (["export", "ics", "", "--force"], "export ics: the file to write is empty (''): give one, e.g. plans.ics or -"),
        (["export", "sqlite", "", "--force"], "export sqlite: the file to write is empty (''): give one, e.g. facts.db"),
        (["export", "sqlite", "x.db", "--metadata", ""], "export sqlite: the --metadata file to write is empty (''): give one, e.g. metadata.json"),
    ],
)
def test_an_empty_export_path_is_a_usage_error_not_the_current_folder(
    runner, fixture_only, tmp_path, monkeypatch, args: list[str], message: str
) -> None:
    # Path("") is ".": `export site "$OUT" --force` with OUT unset wrote the site into the
    # current folder (and `export json ''` said "cannot write .: it is a folder", exit 4).
    monkeypatch.chdir(tmp_path)
    (tmp_path / "index.html").write_text("mine", encoding="utf-8")
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.stderr
    assert f"Error: {message}" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "cache") == ["index.html"]
    assert (tmp_path / "index.html").read_text(encoding="utf-8") == "mine"


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["models", "--region", ""], "--region"),
        (["figures", "--region", " "], "--region"),
        (["companies", "--country", ""], "--country"),
    ],
)
def test_an_empty_text_filter_is_an_error(runner, fixture_only, args: list[str], option: str) -> None:
    # `models --region ''` listed the models with no market; `figures --region ''` and
    # `companies --country ''` listed everything.
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 2, result.stdout
    assert result.stdout == ""
    assert f"Error: {option}: the value is empty" in result.stderr


@pytest.mark.parametrize(
    ("value", "cell"),
    [(" =1+1", "' =1+1"), ("\n=HYPERLINK(x)", "'\n=HYPERLINK(x)"), ("\u3000@SUM(A1)", "'\u3000@SUM(A1)"), ("  +1+1", "'  +1+1"),
     (" -5", " -5"), ("a =b", "a =b"), (" x", " x")],
)
def test_csv_neutralises_a_formula_after_leading_spaces(value: str, cell: str) -> None:
    # " =1+1" was written as it is; a spreadsheet that trims cells on import runs it.
    from autoalliances.render.escape import csv_cell

    assert csv_cell(value) == cell


def test_csv_output_neutralises_a_space_led_formula_from_a_fact_file(runner, tmp_path) -> None:
    path = tmp_path / "co.yaml"
    path.write_text(
        "companies:\n- id: spaced\n  name: Spaced\n  kind: technology\n"
        '  description: " =HYPERLINK(\\"http://x\\")"\n'
        f"  sources: [{_SOURCE}]\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["companies", "--facts", str(path), "--format", "csv", "--fields", "id,description"])
    assert result.exit_code == 0, result.stderr
    assert "spaced,\"' =HYPERLINK(\"\"http://x\"\")\"" in result.stdout


@pytest.mark.parametrize(
    ("published", "footer"),
    [
        ("by 2025", "newest source: by 2025, at least 11 months before today"),
        ("2025", "newest source: 2025, at least 11 months before today"),
        ("2025-Q1", "newest source: Q1 2025, at least 20 months before today"),
        ("2025-03-01", "newest source: 1 March 2025, 21 months before today"),
    ],
)
def test_the_age_of_a_source_dated_by_a_span_is_a_lower_bound(runner, tmp_path, published: str, footer: str) -> None:
    # "by 2025" (any day up to 31 December 2025) was "11 months before today": the age of its
    # last day, stated as if it were the article's.
    path = tmp_path / "s.yaml"
    path.write_text(
        f'sources:\n- id: spanned\n  title: Spanned\n  published: "{published}"\n  language: en\n'
        "companies:\n- id: spanned-co\n  name: Spanned Co\n  kind: technology\n  sources: [spanned]\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["company", "spanned-co", "--facts", str(path)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.rstrip().endswith(footer)


def test_the_site_says_at_least_for_a_source_dated_by_a_span() -> None:
    from datetime import date

    from autoalliances.export.site.marks import source_freshness
    from autoalliances.model.dates import FuzzyDate
    from autoalliances.model.records import Source

    src = Source(id="s", title="t", published=FuzzyDate.parse("by 2025"), language="en")
    assert source_freshness(src, date(2026, 12, 1)) == "published by 2025 (at least 11 months old on 1 December 2026)"
    day = Source(id="d", title="t", published=FuzzyDate.parse("2025-03-18"), language="en")
    assert source_freshness(day, date(2026, 12, 1)) == "published 18 March 2025 (1 year and 8 months old on 1 December 2026)"


def test_a_span_of_five_digits_is_too_long_not_malformed(runner) -> None:
    # `plans --within 99999y` said "'99999y' is not a span", which it is.
    result = runner.invoke(app, ["plans", "--within", "99999y"])
    assert result.exit_code == 2
    assert "Error: --within: '99999y' is too long a span: use at most four digits" in result.stderr


@pytest.mark.parametrize(
    ("args", "what"),
    [
        (["deals", "--json", "--facts", ""], "--facts"),
        (["company", "bmw", "--facts", " "], "--facts"),
        (["validate", ""], "validate"),
        (["diff", "", "bundled"], "diff"),
    ],
)
def test_an_empty_fact_path_is_a_usage_error_not_the_current_folder(runner, tmp_path, monkeypatch, args: list[str], what: str) -> None:
    # Path('') is '.': with an unset shell variable the tool read every fact file below the working folder
    stray = tmp_path / "stray" / "facts.yaml"
    stray.parent.mkdir()
    stray.write_text("deals: [\n", encoding="utf-8")  # would be an exit 3 if it were read
    monkeypatch.chdir(tmp_path)
    r = runner.invoke(app, args)
    assert r.exit_code == 2 and r.stdout == ""
    assert what in r.stderr and "empty" in r.stderr and "stray" not in r.stderr


@pytest.mark.parametrize("args", [["graph", "--company", ""], ["graph", "--format", "json", "--company", ""]])
def test_graph_of_an_empty_company_is_an_unknown_name_not_the_whole_network(runner, args: list[str]) -> None:
    r = runner.invoke(app, args)
    assert r.exit_code == 2 and r.stdout == "" and "unknown company ''" in r.stderr


@pytest.mark.parametrize("fmt", ["csv", "markdown"])
def test_validate_as_csv_or_markdown_writes_the_errors_as_rows(runner, tmp_path, fmt: str) -> None:
    # `validate --format csv` used to write nothing on stdout: the errors went to stderr as text,
    # so a script asking for CSV got an empty file whatever was wrong.
    import csv
    import io

    bad = tmp_path / "bad.yaml"
    bad.write_text("deals:\n- id: x\n  title: X\n", encoding="utf-8")
    result = runner.invoke(app, ["validate", "--no-bundled", str(bad), "--format", fmt])
    assert result.exit_code == 3
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(result.stdout)))
    else:
        lines = result.stdout.splitlines()
        assert lines[0] == "| file | line | field | message |"
        rows = [dict(zip(["file", "line", "field", "message"], (c.strip() for c in ln.strip("|").split(" | ")), strict=True)) for ln in lines[2:]]
    fields = {r["field"].replace("\\", "") for r in rows}
    assert {"deals[0].company", "deals[0].kind", "deals[0].announced", "deals[0].sources"} <= fields
    assert {r["file"] for r in rows} == {str(bad)} and {r["line"] for r in rows} == {"2"}
    assert f"{len(rows)} errors in 1 file" in result.stderr
    ok = runner.invoke(app, ["validate", "--format", fmt])
    assert ok.exit_code == 0
    assert ok.stdout.splitlines()[0] in ("file,line,field,message", "| file | line | field | message |")
    assert len(ok.stdout.splitlines()) == (1 if fmt == "csv" else 2)  # the header only: no errors
    assert ok.stderr.startswith("OK: ")


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv", "markdown"])
def test_a_field_named_twice_is_one_column_in_every_format(runner, fmt: str) -> None:
    # `--fields id,id` used to give two id columns in CSV and Markdown but one key in JSON.
    twice = runner.invoke(app, ["deals", "--year", "2025", "--fields", "id,title,id", "--format", fmt])
    once = runner.invoke(app, ["deals", "--year", "2025", "--fields", "id,title", "--format", fmt])
    assert twice.exit_code == once.exit_code == 0
    assert twice.stdout == once.stdout
    assert "title" in once.stdout


@pytest.mark.parametrize(("text", "hint"), [("*", True), ("-", True), ("zzqqxx", False)])
def test_a_search_that_finds_nothing_says_so_in_plain_words(runner, text: str, hint: bool) -> None:
    # `search '*'` used to say "no results for '*' match".
    result = runner.invoke(app, ["search", text])
    assert result.exit_code == 0 and result.stdout == ""
    assert result.stderr.startswith(f"no record matches {text!r}")
    assert ("no letters or digits" in result.stderr) is hint
