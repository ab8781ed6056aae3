"""Every command at 40,000 deals, with SQLite allowing 999 bound variables per statement.

Some SQLite builds cap a statement at 999 variables (the default before
3.32), so a set of ids must never become one ``?`` per id: the store passes
sets as one JSON parameter read with ``json_each``. Every connection the
program opens gets that cap here (``sqlite3.connect`` is wrapped in-process,
the commands run through ``CliRunner``), and every listing, landscape and
export command runs over a generated set of 40,000 deals on top of the
bundled facts (``bench/generate.py``): each must succeed and count what it
should. The set and its cache are built once for the module. No timing here;
the tables of ``timeline`` and the DOT graph are left to the smaller tests (the
same queries run here as JSON and Mermaid), to keep the module's time down.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import REPO
from typer.testing import CliRunner

from autoalliances.cli import app

sys.path.insert(0, str(REPO / "bench"))
import generate

sys.path.pop(0)

DEALS = 40_000
COMPANY = generate.QUERY_COMPANY
TECH = "syn-tech-0003"
LIMIT = 999


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    root = tmp_path_factory.mktemp("large")
    counts = generate.write_set(DEALS, root / "set")
    return {"facts": root / "set", "cache": root / "cache", "counts": counts, "out": root}


@pytest.fixture
def capped(monkeypatch: pytest.MonkeyPatch, big: dict[str, object]) -> Iterator[list[int]]:
    """Every ``sqlite3.connect`` of this run capped at 999 variables (the caps, as set, in the list
    yielded); the module's one cache folder."""
    real = sqlite3.connect
    opened: list[int] = []

    def connect(*args: object, **kwargs: object) -> sqlite3.Connection:
        conn = real(*args, **kwargs)  # type: ignore[call-overload]
        conn.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, LIMIT)
        opened.append(conn.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER))
        return conn

    monkeypatch.setattr(sqlite3, "connect", connect)
    monkeypatch.setenv("AUTOALLIANCES_CACHE_DIR", str(big["cache"]))
    yield opened


def run(big: dict[str, object], *args: str) -> str:
    r = CliRunner().invoke(app, [*args, "--facts", str(big["facts"])], env={"COLUMNS": "120"})
    assert r.exit_code == 0, (args, r.stderr[-2000:], r.exception)
    return r.stdout


def _json(text: str) -> object:
    return json.loads(text)


def test_the_cap_is_applied(capped: list[int], big: dict[str, object]) -> None:
    run(big, "deals", "--company", COMPANY, "--json")
    assert capped, "no connection was opened through sqlite3.connect"
    assert set(capped) == {LIMIT}
    probe = sqlite3.connect(":memory:")
    with pytest.raises(sqlite3.OperationalError, match="too many SQL variables"):
        probe.execute(f"SELECT 1 WHERE 1 IN ({','.join('?' * (LIMIT + 1))})", list(range(LIMIT + 1)))
    probe.close()


LISTS = {  # command -> how many generated records it lists at least, unfiltered
    "deals": DEALS,
    "companies": DEALS // 25 + DEALS // 50,
    "models": DEALS // 10,
    "systems": DEALS // 25,
    "figures": DEALS // 5,
    "sources": max(5, DEALS // 1000),
}


@pytest.mark.parametrize("command", sorted(LISTS))
def test_listings(capped: list[int], big: dict[str, object], command: str) -> None:
    records = _json(run(big, command, "--json"))
    assert isinstance(records, list)
    generated = [r for r in records if r["id"].startswith("syn-")]
    assert len(generated) >= LISTS[command], command
    assert len({r["id"] for r in records}) == len(records)


@pytest.mark.parametrize("command", ["deals", "models", "systems", "figures", "timeline", "matrix", "graph"])
def test_company_filter(capped: list[int], big: dict[str, object], command: str) -> None:
    company = TECH if command == "systems" else COMPANY  # systems are the technology companies'
    doc = _json(run(big, command, "--company", company, "--json"))
    if command == "matrix":
        assert isinstance(doc, dict)
        assert doc["rows"][0]["id"] == COMPANY and doc["cells"]
    elif command == "graph":
        assert isinstance(doc, dict)
        assert doc["focus"] == COMPANY and len(doc["edges"]) >= 3
    else:
        assert isinstance(doc, list) and doc, command
        for r in doc:
            assert company in json.dumps(r), (command, r.get("id"))


def test_conflicts(capped: list[int], big: dict[str, object]) -> None:
    every = _json(run(big, "conflicts", "--json"))
    assert isinstance(every, list) and every
    one = every[0]["records"][0]
    theirs = _json(run(big, "conflicts", "--record", one, "--json"))
    assert isinstance(theirs, list) and theirs and all(one in c["records"] for c in theirs)


def test_matrix_in_every_format(capped: list[int], big: dict[str, object]) -> None:
    doc = _json(run(big, "matrix", "--format", "json"))
    assert isinstance(doc, dict)
    assert len(doc["rows"]) >= DEALS // 25 and len(doc["columns"]) >= DEALS // 50
    deals = {d for c in doc["cells"] for d in c["deals"]}
    assert len([d for d in deals if d.startswith("syn-")]) == DEALS
    cells = [json.loads(line) for line in run(big, "matrix", "--format", "jsonl").splitlines()]
    assert len(cells) == len(doc["cells"])
    grid = list(csv.DictReader(io.StringIO(run(big, "matrix", "--format", "csv"))))
    assert len(grid) == len(doc["rows"])
    markdown = run(big, "matrix", "--format", "markdown").splitlines()
    assert len([line for line in markdown if line.startswith("| ")]) == len(doc["rows"]) + 1
    table = run(big, "matrix")
    assert table.startswith("Automakers and their partners:") and COMPANY.replace("syn-auto-", "") in table


def test_timeline_and_graph(capped: list[int], big: dict[str, object]) -> None:
    events = _json(run(big, "timeline", "--json"))
    assert isinstance(events, list)
    assert len([e for e in events if e["kind"] == "deal" and e["record"].startswith("syn-")]) >= DEALS * 9 // 10
    g = _json(run(big, "graph", "--format", "json"))
    assert isinstance(g, dict) and len(g["nodes"]) >= DEALS // 25 + DEALS // 50
    text = run(big, "graph", "--format", "mermaid")  # DOT shares the graph and the edge loop
    assert text.count("-->") + text.count("-.->") == len(g["edges"])


def test_exports(capped: list[int], big: dict[str, object]) -> None:
    out = Path(str(big["out"]))
    run(big, "export", "json", str(out / "all.json"))
    doc = json.loads((out / "all.json").read_text(encoding="utf-8"))
    assert len([d for d in doc["deals"] if d["id"].startswith("syn-")]) == DEALS
    run(big, "export", "sqlite", str(out / "all.sqlite"))
    with sqlite3.connect(out / "all.sqlite") as conn:
        (n,) = conn.execute("SELECT count(*) FROM deals WHERE id LIKE 'syn-%'").fetchone()
    assert n == DEALS
    run(big, "export", "csv", str(out / "release"))
    with (out / "release" / "deals.csv").open(encoding="utf-8", newline="") as f:
        assert len([r for r in csv.DictReader(f) if r["id"].startswith("syn-")]) == DEALS
