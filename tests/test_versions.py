"""Data versions: the fact base's own version in --version, and the VERSION file is no fact file."""

from __future__ import annotations

import zipfile
from pathlib import Path

from conftest import FIXTURE_FACTS, REPO, write

from autoalliances.cli import app
from autoalliances.load.discover import bundled_facts_dir, discover


def test_version_prints_the_fact_base_version_counts_and_newest_source(runner) -> None:
    from autoalliances import __version__

    r = runner.invoke(app, ["--version"])
    assert r.exit_code == 0
    version = (REPO / "facts" / "VERSION").read_text(encoding="utf-8").strip()
    files = len(discover([bundled_facts_dir()])[0])
    assert r.stdout.splitlines() == [
        f"autoalliances {__version__}",
        f"fact base {version} (bundled): {files} records (5 sources, 23 companies, 32 systems, 11 models, 15 deals, 26 figures,"
        " 18 conflicts); newest source published 14 April 2025",
    ]


def test_version_names_each_extra_root_and_its_version(runner, tmp_path: Path, monkeypatch) -> None:
    mine = tmp_path / "mine"
    write(mine / "VERSION", "0.3\n")
    write(mine / "s.yaml", 'sources:\n  - id: s\n    language: en\n    published: "2026-01-05"\n')
    monkeypatch.setenv("AUTOALLIANCES_FACTS", f"{mine}:{FIXTURE_FACTS}")
    line = runner.invoke(app, ["--version"]).stdout.splitlines()[1]
    assert line.startswith(f"fact base 2026.12 (bundled) + 0.3 ({mine}) + no VERSION file ({FIXTURE_FACTS}): ")
    assert line.endswith("newest source published 5 January 2026")


def test_version_with_broken_facts_says_so(runner, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("AUTOALLIANCES_FACTS", str(write(tmp_path / "bad.yaml", "deals: [\n")))
    r = runner.invoke(app, ["--version"])
    assert r.exit_code == 3 and r.stdout.startswith("autoalliances ")
    assert "bad.yaml" in r.stderr and "Error: 1 error in fact files" in r.stderr


def test_the_version_file_is_not_a_fact_file_and_ships_in_the_wheel(tmp_path: Path) -> None:
    files = discover([bundled_facts_dir()])[0]
    assert (bundled_facts_dir() / "VERSION").is_file()
    assert all(p.suffix == ".yaml" for p in files)
    import subprocess
    import sys

    r = subprocess.run([sys.executable, "-m", "pip", "wheel", str(REPO), "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp_path)],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    (wheel,) = tmp_path.glob("autoalliances-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {"autoalliances/facts/VERSION", "autoalliances/schema/facts.schema.json"} <= names
