"""Property-based tests: a mutated fact file is valid, or refused with located errors; never a crash.

Each example starts from the valid fixture set and mutates one file the way
people and attackers break YAML: values of the wrong type, keys dropped or
duplicated, control and bidi characters, numbers too big for anything (or
just too big for SQLite, which ``export sqlite`` must then never meet), deep
nesting, truncation, and YAML features fact files do not allow (anchors,
aliases, tags, several documents, bad bytes). Whatever comes out, ``validate``
and a query answer with exit 0 and a result, or exit 3 and errors that name
the file (and the line where there is one): never a traceback, never exit 1.

Hypothesis is derandomized (the same examples on every run, no example
database), with a modest number of examples so the suite stays quick.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml
from conftest import FIXTURE_FACTS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from autoalliances.cli import app

FILES = sorted(p.name for p in FIXTURE_FACTS.glob("*.yaml"))
DOCS = {name: yaml.safe_load((FIXTURE_FACTS / name).read_text(encoding="utf-8")) for name in FILES}

SETTINGS = settings(
    max_examples=200,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)

HOSTILE = ["\x1b[2J", "\x1b]52;c;aGk=\x07", "\x9b", "\u202e", "\u2066", "\u200b", "\ufeff", "\u2028", "\x00", "\x7f", "\U000e0041", "\ud800"]
hostile_text = st.lists(st.one_of(st.sampled_from(HOSTILE), st.text(max_size=5)), max_size=4).map("".join)

# Values that cannot be written as plain YAML data are placeholders, replaced in the text.
HUGE = [20, 64, 400, 4300, 4301, 5000, 20000]  # digits
DEEP = [10, 63, 64, 65, 200, 2000]  # levels of nested lists

odd_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**80), max_value=2**80),
    st.sampled_from([2**63 - 1, 2**63, -(2**63), -(2**63) - 1, 2**64, 10**18]),  # SQLite's edges
    st.floats(allow_nan=True, allow_infinity=True),
    hostile_text,
    st.sampled_from(["", " ", "yes", "no", "~", "null", "2025-02-30", "2025-13", "spring 2026", "0x1F", "1e999", "-.inf", ".nan", "trillion"]),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    st.sampled_from(HUGE).map(lambda n: f"__HUGE_{n}__"),
    st.sampled_from(HUGE).map(lambda n: f"__NEG_{n}__"),
    st.sampled_from(DEEP).map(lambda n: f"__DEEP_{n}__"),
)

ODD_YAML = [
    "&anchor x: 1",
    "y: *anchor",
    "z: !!python/object/apply:os.system ['touch PWNED']",
    "w: !custom tag",
    "%YAML 1.1\n---",
    "---\nsecond: document",
    "\tindented: with a tab",
    "? [complex, key]\n: value",
    "<<: {merged: 1}",
    "- a list where a mapping was",
    "key: 'unterminated",
    "{flow: [mapping, ",
    "...",
]


def _nodes(obj: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [path]
    if isinstance(obj, dict):
        for k, v in obj.items():
            out += _nodes(v, (*path, k))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            out += _nodes(v, (*path, i))
    return out


def _get(obj: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        obj = obj[step]
    return obj


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, bytes]:
    """(file name, new bytes) for one fixture file after a few structure-aware mutations."""
    name = draw(st.sampled_from(FILES))
    doc = json.loads(json.dumps(DOCS[name]))  # a deep copy
    for _ in range(draw(st.integers(1, 3))):
        paths = _nodes(doc)
        path = draw(st.sampled_from(paths))
        kind = draw(st.sampled_from(["replace", "drop", "hostile", "wrap", "rename"]))
        if not path:
            if kind == "replace":
                doc = draw(odd_values)
            continue
        parent, last = _get(doc, path[:-1]), path[-1]
        if kind == "replace":
            parent[last] = draw(odd_values)
        elif kind == "drop":
            del parent[last]
        elif kind == "hostile":
            value = parent[last]
            parent[last] = (value if isinstance(value, str) else str(value)) + draw(hostile_text)
        elif kind == "wrap":
            parent[last] = {"nested": [parent[last]]} if draw(st.booleans()) else [parent[last]]
        elif isinstance(parent, dict):
            parent[draw(st.sampled_from(["id", "name", "sources", "kind", "x" + draw(hostile_text)]))] = parent.pop(last)
    try:
        text = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=10**6)
    except yaml.YAMLError:  # a lone surrogate cannot be written
        text = yaml.safe_dump(doc, allow_unicode=False, sort_keys=False, width=10**6)
    for n in HUGE:
        text = re.sub(rf"'?__HUGE_{n}__'?", "9" * n, text).replace(f"__NEG_{n}__", "-" + "9" * n)
    for n in DEEP:
        text = re.sub(rf"'?__DEEP_{n}__'?", "[" * n + "]" * n, text)
    lines = text.split("\n")
    for _ in range(draw(st.integers(0, 2))):
        at = draw(st.integers(0, len(lines)))
        action = draw(st.sampled_from(["duplicate", "odd", "truncate"]))
        if action == "duplicate" and lines:
            lines.insert(at, lines[min(at, len(lines) - 1)])
        elif action == "odd":
            lines.insert(at, draw(st.sampled_from(ODD_YAML)))
        else:
            lines = lines[:at]
    data = "\n".join(lines).encode("utf-8", "surrogatepass")
    prefix = draw(st.sampled_from([b"", b"", b"", b"\xef\xbb\xbf", b"\xff", b"\x00"]))
    return name, prefix + data


def _fact_dir(root: Path, name: str, data: bytes) -> Path:
    facts = root / "facts"
    shutil.copytree(FIXTURE_FACTS, facts)
    (facts / name).write_bytes(data)
    return facts


_LOCATED = re.compile(r"(?P<file>[^:]+?)(?::(?P<line>\d+))?: \S.*")


def _check_errors(lines: list[str], facts: Path) -> None:
    assert lines[-1].startswith("Error: ") and lines[-1].endswith(" in fact files"), lines[-1]
    for line in lines[:-1]:
        m = _LOCATED.fullmatch(line)
        assert m and m["file"].startswith(str(facts)), f"an error that names no fact file: {line!r}"


def _runner() -> CliRunner:
    try:
        return CliRunner(mix_stderr=False)  # type: ignore[call-arg]
    except TypeError:
        return CliRunner()


@SETTINGS
@given(mutated())
def test_a_mutated_fact_file_is_valid_or_refused_with_located_errors(case: tuple[str, bytes]) -> None:
    name, data = case
    runner = _runner()
    with tempfile.TemporaryDirectory() as tmp:
        facts = _fact_dir(Path(tmp), name, data)
        env = {"AUTOALLIANCES_BUNDLED": "0", "AUTOALLIANCES_FACTS": None}
        r = runner.invoke(app, ["validate", "--no-bundled", str(facts), "--json"], env=env)
        assert r.exit_code in (0, 3), (r.exit_code, r.stderr, r.exception)
        report = json.loads(r.stdout)
        assert report["valid"] == (r.exit_code == 0)
        for e in report["errors"]:
            assert e["file"].startswith(str(facts)) and e["message"]
            assert e["line"] is None or (isinstance(e["line"], int) and e["line"] >= 1)
        db = Path(tmp) / "out.db"
        queries = (["deals", "--json"], ["show", "a-b-cockpit"], ["companies", "--format", "csv", "--no-cache"], ["export", "sqlite", str(db)])
        for args in queries:
            q = runner.invoke(app, [*args, "--facts", str(facts)], env=env)
            assert q.exit_code in (0, 2, 3), (args, q.exit_code, q.stderr, q.exception)
            assert "Traceback" not in q.stderr and "internal error" not in q.stderr, q.stderr
            if q.exit_code == 3:
                assert not report["valid"]
                _check_errors(q.stderr.splitlines(), facts)
            elif q.exit_code == 2:  # the mutation removed what the query asks for
                assert q.stderr.startswith("Error: unknown "), q.stderr
            elif args[0] == "deals":
                assert isinstance(json.loads(q.stdout), list)
            elif args[0] == "export":  # every number the validation let through fits the database
                with sqlite3.connect(db) as conn:
                    assert conn.execute("SELECT count(*) FROM figures").fetchone()[0] >= 0


@settings(SETTINGS, max_examples=8)
@given(mutated())
def test_a_mutated_fact_file_through_the_real_program(case: tuple[str, bytes]) -> None:
    name, data = case
    with tempfile.TemporaryDirectory() as tmp:
        facts = _fact_dir(Path(tmp), name, data)
        env = {k: v for k, v in os.environ.items() if not k.startswith("AUTOALLIANCES_")}
        env |= {"AUTOALLIANCES_BUNDLED": "0", "AUTOALLIANCES_CACHE_DIR": str(Path(tmp) / "cache")}
        for args in (["validate", "--no-bundled", str(facts)], ["deals", "--json", "--facts", str(facts)]):
            r = subprocess.run([sys.executable, "-m", "autoalliances", *args], capture_output=True, text=True, env=env, timeout=60)
            assert r.returncode in (0, 3), (args, r.returncode, r.stderr)
            assert "Traceback" not in r.stderr and "internal error" not in r.stderr, r.stderr
            if args[0] == "deals" and r.returncode == 3:
                _check_errors(r.stderr.splitlines(), facts)


def test_a_number_too_long_for_python_is_a_located_error(runner, tmp_path: Path) -> None:
    """Found by the property test above: 4301 digits was an internal error (Python's int limit)."""
    bad = tmp_path / "huge.yaml"
    bad.write_text("figures:\n  - id: huge\n    value:\n      amount: " + "9" * 5000 + "\n", encoding="utf-8")
    r = runner.invoke(app, ["deals", "--facts", str(bad)])
    assert (r.exit_code, r.stderr) == (3, f"{bad}:4: invalid YAML: number too long to read (5000 digits)\nError: 1 error in fact files\n")


def test_a_character_yaml_refuses_is_one_located_line(runner, tmp_path: Path) -> None:
    """Found by the property test above: PyYAML's message for a NUL byte spanned two lines and named no line."""
    bad = tmp_path / "nul.yaml"
    bad.write_bytes(b"companies:\n  - id: x\x00\n")
    r = runner.invoke(app, ["deals", "--facts", str(bad)])
    assert (r.exit_code, r.stderr) == (
        3, f"{bad}:2: invalid YAML: unacceptable character U+0000: control characters are not allowed\nError: 1 error in fact files\n",
    )


def _number_paths(obj: Any) -> list[tuple[Any, ...]]:
    return [p for p in _nodes(obj) if p and isinstance(_get(obj, p), (int, float)) and not isinstance(_get(obj, p), bool)]


NUMBER_FILES = [name for name in FILES if _number_paths(DOCS[name])]
edge_numbers = st.one_of(
    st.sampled_from([2**63 - 1, 2**63, -(2**63), -(2**63) - 1, 2**64, 10**30, 0.0, -0.0]),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
)


@settings(SETTINGS, max_examples=40)
@given(st.sampled_from(NUMBER_FILES), st.data())
def test_any_number_in_a_number_field_is_exported_or_refused_with_a_located_error(name: str, data: st.DataObject) -> None:
    """Only the numbers change, so most files stay valid and reach ``export sqlite``, which once crashed on 2**63."""
    doc = json.loads(json.dumps(DOCS[name]))
    for path in data.draw(st.lists(st.sampled_from(_number_paths(doc)), min_size=1, max_size=2)):
        _get(doc, path[:-1])[path[-1]] = data.draw(edge_numbers)
    runner = _runner()
    with tempfile.TemporaryDirectory() as tmp:
        facts = _fact_dir(Path(tmp), name, yaml.safe_dump(doc, allow_unicode=True, sort_keys=False).encode())
        db = Path(tmp) / "out.db"
        env = {"AUTOALLIANCES_BUNDLED": "0", "AUTOALLIANCES_FACTS": None}
        r = runner.invoke(app, ["export", "sqlite", str(db), "--facts", str(facts)], env=env)
        assert r.exit_code in (0, 3), (r.exit_code, r.stderr, r.exception)
        if r.exit_code == 3:
            _check_errors(r.stderr.splitlines(), facts)
            assert not db.exists()
        else:
            with sqlite3.connect(db) as conn:
                assert conn.execute("SELECT count(*) FROM figures").fetchone()[0] == 2
