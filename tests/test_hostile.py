"""Hostile text in every field of every record type: every output stays inert.

Terminal: no control, bidi or invisible character reaches the screen raw, in
any command's table. JSON: the same characters as \\u escapes, the value
intact. CSV: formulas neutralised. Markdown: no live HTML, link or image.
Mermaid: no directive. DOT: still a valid graph. Completion: no unsafe word.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from conftest import write
from hostile import PAYLOAD, RAW, facts_yaml, found_fields, plain_fields, q, text_fields

from autoalliances import open_registry
from autoalliances.cli import app
from autoalliances.model.records import RECORD_TYPES
from autoalliances.query.landscape import Matrix, Party
from autoalliances.render.landscape import matrix_grid
from autoalliances.store.codec import to_plain

VISIBLE = "\\u202e"  # what U+202E looks like once made visible


@pytest.fixture
def hostile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("AUTOALLIANCES_BUNDLED", "0")
    path = write(tmp_path / "hostile" / "facts.yaml", facts_yaml())
    monkeypatch.setenv("AUTOALLIANCES_FACTS", str(path.parent))
    monkeypatch.setenv("COLUMNS", "1000")  # nothing folded: the escapes stay whole
    return path


def _no_raw(text: str, what: object) -> None:
    bad = sorted({f"U+{ord(c):04X}" for c in text if c in RAW or (unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") and c not in "\n")})
    assert not bad, f"{what}: raw {bad} in the output"


def test_the_hostile_set_is_valid_and_fills_every_text_field(hostile: Path) -> None:
    reg = open_registry(use_cache=False)
    records = [r for cls in RECORD_TYPES.values() for r in reg.store.all(cls)]
    for cls in RECORD_TYPES.values():
        found: set[str] = set()
        for r in records:
            if isinstance(r, cls):
                found |= plain_fields(to_plain(r), "")
        expected = {"." + p for p in text_fields(cls)}
        assert expected <= found, f"{cls.TYPE}: the hostile set leaves {sorted(expected - found)} without the payload"


def _table_runs() -> list[list[str]]:
    runs = [["companies"], ["deals"], ["models"], ["systems"], ["figures"], ["sources"], ["conflicts"], ["search", "evil"]]
    runs += [["company", c] for c in ("c-maker", "c-tech", "c-jv")]
    runs += [["show", i] for i in ("s-one", "c-maker", "x-system", "x-model", "x-deal", "x-deal-unnamed", "x-figure", "x-conflict")]
    runs += [["matrix"], ["timeline", "--undated"], ["validate"]]
    return runs


@pytest.mark.parametrize("args", _table_runs(), ids=" ".join)
def test_every_table_shows_hostile_text_escaped(runner, hostile: Path, args: list[str]) -> None:
    r = runner.invoke(app, args)
    if args == ["validate"]:
        # validate also checks that each source's file exists: the hostile names do not,
        # and the errors that say so must be as inert as everything else.
        lines = r.stderr.splitlines()
        assert r.exit_code == 3 and all("does not exist" in x for x in lines[:-1]), r.stderr
    else:
        assert r.exit_code == 0, r.stderr
    _no_raw(r.stdout, args)
    _no_raw(r.stderr, args)
    if args[0] != "validate":
        assert VISIBLE in r.stdout, "the hostile text was printed, made visible"
        assert "[bold red]markup[/]" in r.stdout  # rich markup is never interpreted


def test_validation_errors_are_escaped_too(runner, tmp_path: Path) -> None:
    bad = write(tmp_path / "bad.yaml", f"companies:\n  - id: x\n    name: n\n    kind: {q(PAYLOAD)}\n    sources: [s]\n")
    for args in (["validate", str(bad), "--no-bundled"], ["companies", "--facts", str(bad)]):
        r = runner.invoke(app, args)
        assert r.exit_code == 3
        _no_raw(r.stderr, args)
        assert VISIBLE in r.stderr


LIST_COMMANDS = [["companies"], ["deals"], ["models"], ["systems"], ["figures"], ["sources"], ["conflicts"], ["search", "evil"], ["show", "x-deal"]]


@pytest.mark.parametrize("args", LIST_COMMANDS, ids=" ".join)
def test_json_escapes_invisible_characters_and_keeps_the_value(runner, hostile: Path, args: list[str]) -> None:
    for fmt in ("json", "jsonl"):
        r = runner.invoke(app, [*args, "--format", fmt])
        assert r.exit_code == 0, r.stderr
        _no_raw(r.stdout, (args, fmt))
        docs = [json.loads(r.stdout)] if fmt == "json" else [json.loads(line) for line in r.stdout.splitlines()]
        assert found_fields(docs), "the parsed JSON holds the exact hostile text"


@pytest.mark.parametrize("args", [*LIST_COMMANDS, ["matrix"], ["timeline", "--undated"]], ids=" ".join)
def test_csv_neutralises_formulas_and_markdown_stays_text(runner, hostile: Path, args: list[str]) -> None:
    r = runner.invoke(app, [*args, "--format", "csv"])
    assert r.exit_code == 0, r.stderr
    _no_raw(r.stdout, args)
    cells = [c for row in csv.reader(io.StringIO(r.stdout)) for c in row]
    assert any("HYPERLINK" in c for c in cells)
    assert not [c for c in cells if c[:1] in ("=", "+", "@", "\t", "\r") or (c[:1] == "-" and not _number(c))], "a cell a spreadsheet would run"
    # A text cell that starts with the payload is neutralised; a JSON cell ({...}, [...]) is text to a spreadsheet.
    assert all(c.startswith("'=HYPERLINK") for c in cells if (c.startswith("'=") or "HYPERLINK" in c[:12]) and c[:1] not in "{[")
    r = runner.invoke(app, [*args, "--format", "markdown"])
    assert r.exit_code == 0, r.stderr
    _no_raw(r.stdout, args)
    assert "&lt;img src=x onerror=alert\\(1\\)&gt;" in r.stdout
    for live in ("<img", "](http", "![", "[a]", "http://evil"):
        assert live not in r.stdout, live


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def test_csv_numbers_stay_numbers_and_raw_cells_opts_out(runner, hostile: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(runner.invoke(app, ["figures", "--format", "csv"]).stdout)))
    fig = next(r for r in rows if r["id"] == "x-figure")
    assert fig["change_amount"] == "-3" and fig["value_absolute"] == "5000000000"  # a negative number is a number
    assert fig["value_as_printed"].startswith("'=HYPERLINK(")
    assert fig["region"].startswith("'=HYPERLINK(")
    raw = list(csv.DictReader(io.StringIO(runner.invoke(app, ["figures", "--format", "csv", "--raw-cells"]).stdout)))
    assert next(r for r in raw if r["id"] == "x-figure")["region"].startswith("=HYPERLINK(")
    r = runner.invoke(app, ["figures", "--raw-cells"])
    assert r.exit_code == 2 and "--raw-cells applies to --format csv only" in r.stderr


@pytest.mark.parametrize(
    ("value", "cell"),
    [("=1+1", "'=1+1"), ("+1+1", "'+1+1"), ("-1+1", "'-1+1"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("\rx", "\\x0dx"),  # CR is made visible first: no longer a formula
     ("-5", "-5"), ("+1.5e3", "+1.5e3"), (-5, "-5"), (2.5, "2.5"), ("BMW", "BMW"), ("a=b", "a=b")],
)
def test_csv_cell(value: object, cell: str) -> None:
    from autoalliances.render.escape import csv_cell

    assert csv_cell(value) == cell


def test_markdown_cell_is_inert() -> None:
    from autoalliances.render.escape import markdown_cell

    assert markdown_cell("<b>x</b> & [l](u) ![i](j) *e* _u_ `c` # | \\") == (
        "&lt;b&gt;x&lt;/b&gt; &amp; \\[l\\]\\(u\\) \\!\\[i\\]\\(j\\) \\*e\\* \\_u\\_ \\`c\\` \\# \\| \\\\"
    )
    assert markdown_cell("see https://evil.example or www.evil.example") == "see https:/\\/evil.example or www\\.evil.example"
    assert markdown_cell("snake_case stays") == "snake_case stays"


def test_mermaid_has_no_directive_and_dot_stays_valid(runner, hostile: Path) -> None:
    r = runner.invoke(app, ["graph"])
    assert r.exit_code == 0, r.stderr
    _no_raw(r.stdout, "mermaid")
    assert "%%{" not in r.stdout and "}%%" not in r.stdout
    for line in r.stdout.splitlines():
        if '"' in line:  # a label: nothing in it but entity codes (#34;) may end or break it
            label = re.sub(r"#\d+;", "", line.split('"', 1)[1].rsplit('"', 1)[0])
            assert not set(label) & set('"{}%<>|;`'), line
    r = runner.invoke(app, ["graph", "--format", "dot"])
    assert r.exit_code == 0, r.stderr
    _no_raw(r.stdout, "dot")
    if shutil.which("dot"):
        svg = subprocess.run(["dot", "-Tsvg"], input=r.stdout, capture_output=True, text=True, timeout=60)
        assert svg.returncode == 0, svg.stderr
        assert svg.stdout.count('class="node"') == r.stdout.count("[label=") - r.stdout.count("->")


def test_safe_covers_every_invisible_character_of_this_python() -> None:
    from autoalliances.render.escape import safe

    for c in range(0x110000):
        ch = chr(c)
        cat = unicodedata.category(ch)
        if cat == "Cs":
            continue
        if cat in ("Cc", "Cf", "Zl", "Zp") and ch not in "\t\n":
            assert safe(ch) != ch and safe(ch).isascii(), f"U+{c:04X} ({cat}) passes raw"
    for ok in ("BMW", "Škoda", "比亚迪", "Straße", "tab\there", "two\nlines", "emoji 🚗"):
        assert safe(ok) == ok


def test_matrix_csv_tells_rows_with_the_same_name_apart() -> None:
    rows = [Party("a-one", "Same", "automaker"), Party("a-two", "Same", "automaker"), Party("b", "Other", "automaker")]
    cols = [Party("p-one", "Partner", "technology"), Party("p-two", "Partner", "technology"), Party("sources", "sources", "technology")]
    columns, grid = matrix_grid(Matrix(rows, cols, [], {}))
    assert [r["automaker"] for r in grid] == ["Same (a-one)", "Same (a-two)", "Other"]
    assert columns == ["automaker", "Partner (p-one)", "Partner (p-two)", "sources (sources)", "sources", "published", "inferred"]
    assert len(set(columns)) == len(columns)


# --- completion --------------------------------------------------------------------------------


def _complete(words: str, env: dict[str, str]) -> list[str]:
    full = {**os.environ, **env, "_AUTOALLIANCES_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": str(len(words.split()) - (0 if words.endswith(" ") else 1))}
    r = subprocess.run([sys.executable, "-m", "autoalliances"], capture_output=True, text=True, env=full, timeout=60)
    assert r.returncode == 0 and r.stderr == "", r.stderr
    return [w for w in r.stdout.splitlines() if w]


def test_completion_never_offers_shell_syntax(tmp_path: Path) -> None:
    facts = write(
        tmp_path / "x.yaml",
        "sources:\n  - {id: s, file: s.txt, language: en, published: '2025'}\n"
        "companies:\n  - id: xco\n    name: xco-name\n    kind: technology\n    sources: [s]\n"
        "    aliases: ['x$(touch${IFS}PWNED)', 'x`id`', \"x'q\", 'x;ls', 'x|y', 'x&y', 'x*', 'x~', 'x\u202ey', '-xflag', 'xOK.1:2/3@4+5,6']\n",
    )
    env = {"AUTOALLIANCES_BUNDLED": "0", "AUTOALLIANCES_FACTS": str(facts), "AUTOALLIANCES_CACHE_DIR": str(tmp_path / "cache")}
    offered = _complete("autoalliances company x", env)
    assert offered == ["xco-name"]  # the name is a safe word; no alias is offered raw
    assert _complete("autoalliances company xO", env) == ["xOK.1:2/3@4+5,6"]
    assert _complete("autoalliances company x$", env) == []


def test_completion_descriptions_are_one_safe_line(tmp_path: Path) -> None:
    facts = write(tmp_path / "x.yaml", "sources:\n  - {id: s, file: s.txt, language: en, published: '2025'}\ncompanies:\n"
                  f"  - id: evil\n    name: {q(PAYLOAD)}\n    kind: technology\n    sources: [s]\n")
    env = {"AUTOALLIANCES_BUNDLED": "0", "AUTOALLIANCES_FACTS": str(facts), "AUTOALLIANCES_CACHE_DIR": str(tmp_path / "cache")}
    full = {**os.environ, **env, "_AUTOALLIANCES_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": "autoalliances company e"}
    r = subprocess.run([sys.executable, "-m", "autoalliances"], capture_output=True, text=True, env=full, timeout=60)
    assert r.returncode == 0 and '"evil":"' in r.stdout
    _no_raw(r.stdout.replace("\n", " "), "zsh completion")
