"""The CLI through Typer's CliRunner on the fixture set, with exact expected output.

Expected outputs live in tests/data/. After an intended change of output, run
``UPDATE_GOLDEN=1 pytest tests/test_cli.py`` and read the diff before committing.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from conftest import golden, write

from autoalliances.cli import app

COMMANDS = {
    "company": ["company", "Carmaker A"],
    "companies": ["companies"],
    "deals": ["deals"],
    "deals-year": ["deals", "--year", "2025"],
    "models": ["models"],
    "systems": ["systems"],
    "figures": ["figures", "--company", "cma"],
    "sources": ["sources"],
    "conflicts": ["conflicts"],
    "search": ["search", "literally"],
    "show": ["show", "a-b-cockpit"],
}
FORMATS = ["table", "json", "jsonl", "csv", "markdown"]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", list(COMMANDS))
def test_every_command_in_every_format(runner, fixture_only, name: str, fmt: str) -> None:
    result = runner.invoke(app, [*COMMANDS[name], "--format", fmt])
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    golden(f"{name}.{fmt}.txt", result.stdout)
    if fmt == "json":
        json.loads(result.stdout)
    if fmt == "jsonl":
        for line in result.stdout.splitlines():
            json.loads(line)


def test_json_shorthand_and_shape(runner, fixture_only) -> None:
    long = runner.invoke(app, ["deals", "--format", "json"]).stdout
    short = runner.invoke(app, ["deals", "--json"]).stdout
    assert long == short
    deals = json.loads(short)
    assert isinstance(deals, list)
    d = deals[-1]
    assert d["id"] == "a-b-cockpit" and d["type"] == "deal"
    assert d["announced"] == {
        "text": "2025-03-01", "precision": "day", "start": "2025-03-01", "end": "2025-03-01", "by": False, "label": "1 March 2025",
    }
    assert d["value"]["absolute"] == 1500000000 and isinstance(d["value"]["amount"], float)
    assert d["sources"][0]["outlet"] == "The Daily" and d["sources"][0]["published"]["text"] == "2025-03-01"
    assert list(d)[-3:] == ["sources", "conflicts", "as_of"] and d["as_of"] == "2025-03-01"
    company = json.loads(runner.invoke(app, ["company", "cma", "--json"]).stdout)
    assert isinstance(company, dict) and company["company"]["id"] == "carmaker-a"
    assert [s["id"] for s in company["sources"]] == ["daily-2025-03-01", "weekly-undated"]


def test_empty_result(runner, fixture_only) -> None:
    r = runner.invoke(app, ["deals", "--year", "1999", "--json"])
    assert (r.exit_code, r.stdout, r.stderr) == (0, "[]\n", "")
    r = runner.invoke(app, ["deals", "--year", "1999"])
    assert (r.exit_code, r.stdout, r.stderr) == (0, "", "no deal match\n")
    r = runner.invoke(app, ["deals", "--year", "1999", "--format", "csv"])
    assert r.exit_code == 0 and r.stdout.startswith("type,id,title,") and r.stdout.count("\n") == 1


def test_unknown_name_exits_2_with_suggestion(runner, fixture_only) -> None:
    r = runner.invoke(app, ["company", "carmakr-a"])
    assert r.exit_code == 2
    assert r.stdout == ""
    assert r.stderr == "Error: unknown company 'carmakr-a'; did you mean 'carmaker-a'?\n"
    r = runner.invoke(app, ["deals", "--partner", "tech-c", "--json"])
    assert r.exit_code == 2 and r.stdout == "" and "did you mean 'tech-b'?" in r.stderr
    r = runner.invoke(app, ["show", "nothing-like-it"])
    assert r.exit_code == 2 and r.stderr.startswith("Error: unknown record 'nothing-like-it'")


def test_bad_usage_exits_2(runner, fixture_only) -> None:
    assert runner.invoke(app, ["deals", "--domain", "cockpit"]).exit_code == 2
    assert runner.invoke(app, ["deals", "--format", "xml"]).exit_code == 2
    r = runner.invoke(app, ["deals", "--since", "soon"])
    assert r.exit_code == 2 and r.stderr.startswith("Error: --since: 'soon' is not a date")


def test_sales_is_figures(runner, fixture_only) -> None:
    a = runner.invoke(app, ["sales", "--json"]).stdout
    b = runner.invoke(app, ["figures", "--json"]).stdout
    assert a == b and json.loads(a)


def test_filters_on_the_cli(runner, fixture_only) -> None:
    ids = lambda args: [d["id"] for d in json.loads(runner.invoke(app, [*args, "--json"]).stdout)]  # noqa: E731
    assert ids(["deals", "--company", "A Motors"]) == ["jv-unnamed-adas", "a-b-cockpit"]
    assert ids(["deals", "--partner", "tb", "--domain", "cockpit-os"]) == ["a-b-cockpit"]
    assert ids(["deals", "--since", "2025-01", "--until", "2025-12"]) == ["a-b-cockpit"]
    assert ids(["models", "--powertrain", "bev", "--region", "china"]) == ["a-sedan"]
    assert ids(["systems", "--kind", "operating-system"]) == ["b-os"]
    assert ids(["companies", "--kind", "joint-venture"]) == ["a-b-jv"]
    assert ids(["companies", "--country", "china"]) == ["a-b-jv", "tech-b"]
    assert ids(["figures", "--metric", "sales", "--year", "2024", "--status", "reported"]) == ["a-sales-2024-daily", "a-sales-2024-weekly"]
    assert ids(["conflicts", "--record", "a-sales-2024-weekly"]) == ["a-sales-2024-precision"]


def test_fields_selects_and_orders(runner, fixture_only) -> None:
    r = runner.invoke(app, ["deals", "--format", "csv", "--fields", "title,id"])
    assert r.stdout.splitlines()[0] == "title,id"
    r = runner.invoke(app, ["deals", "--json", "--fields", "id,status"])
    assert json.loads(r.stdout) == [{"id": "jv-unnamed-adas", "status": "planned"}, {"id": "a-b-cockpit", "status": "announced"}]
    r = runner.invoke(app, ["deals", "--json", "--fields", "id,colour"])
    assert r.exit_code == 2 and "unknown field 'colour'; valid fields: type, id, title" in r.stderr


def test_markup_and_escapes_print_literally(runner, fixture_only, tmp_path: Path) -> None:
    nasty = tmp_path / "nasty.yaml"
    write(nasty, 'systems:\n  - id: nasty\n    name: "[bold red]Red[/] \\e[31mESC\\e[0m \\x9b2J"\n    kind: app\n    sources: [daily-2025-03-01]\n')
    for fmt in FORMATS:
        r = runner.invoke(app, ["systems", "--facts", str(nasty), "--format", fmt])
        assert r.exit_code == 0
        assert "\x1b" not in r.stdout and "\x9b" not in r.stdout
        assert ("\\[bold red\\]Red\\[/\\]" if fmt == "markdown" else "[bold red]Red[/]") in r.stdout
    r = runner.invoke(app, ["show", "nasty", "--json", "--facts", str(nasty)])
    assert json.loads(r.stdout)["name"] == "[bold red]Red[/] \x1b[31mESC\x1b[0m \x9b2J"


def test_user_facts_on_top_of_bundled(runner, fixture_only, tmp_path: Path, monkeypatch) -> None:
    extra = write(tmp_path / "mine.yaml", "companies:\n  - id: newco\n    name: NewCo\n    kind: technology\n    sources: [daily-2025-03-01]\n")
    r = runner.invoke(app, ["companies", "--json", "--facts", str(extra)])
    assert "newco" in [c["id"] for c in json.loads(r.stdout)]
    monkeypatch.setenv("AUTOALLIANCES_FACTS", os.pathsep.join([os.environ["AUTOALLIANCES_FACTS"], str(extra)]))
    assert "newco" in [c["id"] for c in json.loads(runner.invoke(app, ["companies", "--json"]).stdout)]


def test_reusing_an_id_is_an_error_not_an_override(runner, fixture_only, tmp_path: Path) -> None:
    clash = write(tmp_path / "clash.yaml", "companies:\n  - id: tech-b\n    name: Other\n    kind: technology\n    sources: [daily-2025-03-01]\n")
    r = runner.invoke(app, ["companies", "--facts", str(clash)])
    assert r.exit_code == 3 and r.stdout == ""
    assert f"{clash}:2: id: duplicate id 'tech-b': already used by the company at " in r.stderr
    assert r.stderr.endswith("Error: 1 error in fact files\n")


def test_validate(runner, fixture_only, tmp_path: Path) -> None:
    r = runner.invoke(app, ["validate"])
    assert (r.exit_code, r.stdout) == (0, "OK: 13 records in 7 files\n")
    bad = write(tmp_path / "bad.yaml", "deals:\n  - id: x\n    title: y\n")
    r = runner.invoke(app, ["validate", str(bad)])
    assert r.exit_code == 3
    assert f"{bad}:2: deals[0].company: is required" in r.stderr
    assert "errors in 8 files" in r.stderr
    r = runner.invoke(app, ["validate", str(bad), "--json"])
    report = json.loads(r.stdout)
    assert r.exit_code == 3 and report["valid"] is False and report["files"] == 8
    assert {"file": str(bad), "line": 2, "field": "deals[0].company", "message": "is required"} in report["errors"]
    r = runner.invoke(app, ["validate", "--no-bundled"])
    assert r.exit_code == 2


def test_broken_fact_file_fails_every_command_with_exit_3(runner, fixture_only, tmp_path: Path) -> None:
    bad = write(tmp_path / "bad.yaml", "deals: [\n")
    r = runner.invoke(app, ["deals", "--json", "--facts", str(bad)])
    assert r.exit_code == 3 and r.stdout == ""
    assert r.stderr.startswith(f"{bad}:2: invalid YAML:")
    assert "Traceback" not in r.stderr


def test_version_and_help(runner, fixture_only) -> None:
    from autoalliances import __version__

    assert runner.invoke(app, ["--version"]).stdout.splitlines()[0] == f"autoalliances {__version__}"
    out = runner.invoke(app, ["--help"]).stdout
    for cmd in COMMANDS:
        if "-" not in cmd:
            assert cmd in out


def test_every_command_documents_an_example() -> None:
    import typer.main

    group = typer.main.get_command(app)
    for name, cmd in group.commands.items():  # type: ignore[attr-defined]
        assert cmd.help and "Example: autoalliances" in cmd.help, name
