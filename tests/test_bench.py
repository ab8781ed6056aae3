"""The benchmark's synthetic fact sets are valid, complete and deterministic (no timing here)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO

sys.path.insert(0, str(REPO / "bench"))
import generate

sys.path.pop(0)

EXE = [sys.executable, "-m", "autoalliances"]


@pytest.fixture(scope="module")
def small_set(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    out = tmp_path_factory.mktemp("bench") / "set"
    counts = generate.write_set(50, out, per_file=30)
    return out, counts


def validate(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*EXE, "validate", *args, "--json"], capture_output=True, text=True, timeout=120)


def test_counts(small_set: tuple[Path, dict[str, int]]) -> None:
    _, counts = small_set
    assert counts == {
        "sources": 5,
        "companies": 20 + 20 + 2,  # automakers, technology companies, joint ventures (every 10th automaker)
        "systems": 40,
        "models": 20,
        "deals": 50,
        "figures": 20,
    }


def test_valid_alone(small_set: tuple[Path, dict[str, int]]) -> None:
    out, counts = small_set
    r = validate("--no-bundled", str(out))
    assert r.returncode == 0, r.stdout
    report = json.loads(r.stdout)
    assert report["valid"] and report["errors"] == []
    assert report["records"] == sum(counts.values())
    files = sorted(out.rglob("*.yaml"))
    assert report["files"] == len(files)
    assert len(files) == sum(-(-n // 30) for n in counts.values())  # at most 30 records per file


def test_valid_with_the_bundled_facts(small_set: tuple[Path, dict[str, int]]) -> None:
    """No id or name clashes with the bundled facts: the benchmark queries both together."""
    out, counts = small_set
    r = validate(str(out))
    assert r.returncode == 0, r.stdout
    bundled = json.loads(validate().stdout)["records"]
    assert json.loads(r.stdout)["records"] == bundled + sum(counts.values())


def test_deterministic(small_set: tuple[Path, dict[str, int]], tmp_path: Path) -> None:
    out, _ = small_set
    again = tmp_path / "again"
    generate.write_set(50, again, per_file=30)
    first = {p.relative_to(out): p.read_bytes() for p in out.rglob("*.yaml")}
    second = {p.relative_to(again): p.read_bytes() for p in again.rglob("*.yaml")}
    assert first == second


def test_the_benchmark_query_finds_deals(small_set: tuple[Path, dict[str, int]]) -> None:
    out, _ = small_set
    args = ["deals", "--company", generate.QUERY_COMPANY, "--year", str(generate.QUERY_YEAR), "--format", "json"]
    r = subprocess.run([*EXE, *args, "--facts", str(out), "--no-cache"], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    deals = json.loads(r.stdout)
    assert len(deals) >= 3
    assert all(d["company"] == generate.QUERY_COMPANY and d["announced"]["text"].startswith(str(generate.QUERY_YEAR)) for d in deals)


def test_written_a_file_at_a_time(tmp_path: Path) -> None:
    """The generator reports each file as it is written; set_size() counts what it wrote."""
    seen: list[tuple[str, int]] = []
    counts = generate.write_set(50, tmp_path / "set", per_file=30, progress=lambda key, n: seen.append((key, n)))
    assert seen == [(k, min(i * 30, n)) for k, n in counts.items() for i in range(1, -(-n // 30) + 1)]
    files, size = generate.set_size(tmp_path / "set")
    assert files == len(seen)
    assert size == sum(p.stat().st_size for p in (tmp_path / "set").rglob("*.yaml"))
