"""The installed program as a real process, run from a directory unrelated to the checkout."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

from conftest import REPO

BIN = Path(sys.executable).parent


def run(args: list[str], cwd: Path, **kw) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=60, **kw)


def test_entry_point_answers_from_any_directory(tmp_path: Path) -> None:
    exe = BIN / "autoalliances"
    assert exe.exists(), "the autoalliances script is not installed"
    r = run([str(exe), "company", "BMW", "--json"], cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    dossier = json.loads(r.stdout)
    assert dossier["company"]["id"] == "bmw"
    assert {"alibaba", "huawei"} <= {p for d in dossier["deals"] for p in d["partners"]}
    assert r.stderr == ""


def test_python_dash_m(tmp_path: Path) -> None:
    r = run([sys.executable, "-m", "autoalliances", "deals", "--year", "2025", "--format", "csv"], cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("type,id,title,company,kind,domains,announced,announced_precision,announced_start,")
    assert "deal,bmw-alibaba-ai-cockpit,BMW and Alibaba agreed to co-develop an AI cockpit on the Tongyi model,bmw," in r.stdout


def test_table_in_a_pipe_has_no_escape_codes(tmp_path: Path) -> None:
    r = run([str(BIN / "autoalliances"), "company", "huawei"], cwd=tmp_path)
    assert r.returncode == 0 and "\x1b" not in r.stdout
    assert "Huawei" in r.stdout and "published 18 March 2025" in r.stdout


def test_head_closes_the_pipe_quietly(tmp_path: Path) -> None:
    cmd = f"'{BIN / 'autoalliances'}' deals --json | head -c 2; exit ${{PIPESTATUS[0]}}"  # compact JSON: one long line
    r = run(["bash", "-c", cmd], cwd=tmp_path)
    assert (r.returncode, r.stdout, r.stderr) == (0, "[{", "")


def test_errors_are_one_line_no_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(b"deals:\n  - id: \xff\n")
    r = run([str(BIN / "autoalliances"), "deals", "--facts", str(bad)], cwd=tmp_path)
    assert r.returncode == 3 and r.stdout == ""
    assert r.stderr == f"{bad}:2: not UTF-8 text: byte 0xff cannot be decoded\nError: 1 error in fact files\n"
    r = run([str(BIN / "autoalliances"), "company", "BMV"], cwd=tmp_path)
    assert (r.returncode, r.stderr) == (2, "Error: unknown company 'BMV'; did you mean 'bmw'?\n")


def test_wheel_ships_the_facts(tmp_path: Path) -> None:
    r = run([sys.executable, "-m", "pip", "wheel", str(REPO), "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp_path)], cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    (wheel,) = tmp_path.glob("autoalliances-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {n for n in names if n.startswith("autoalliances/facts/") and n.endswith(".yaml")}
    in_repo = {"autoalliances/facts/" + p.relative_to(REPO / "facts").as_posix() for p in (REPO / "facts").rglob("*.yaml")}
    assert shipped == in_repo and len(shipped) > 100
