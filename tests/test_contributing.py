"""CONTRIBUTING.md is a path a newcomer can follow: every command in it runs, in order, and validates."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from conftest import REPO, env_without_overrides

GUIDE = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"```sh\n(.*?)```", GUIDE, re.S)


def test_every_command_of_the_guide_runs_in_order(tmp_path: Path) -> None:
    steps = [b for b in BLOCKS if "pip install" not in b]  # the install step is this test's own environment
    assert len(steps) >= 8
    env = {**env_without_overrides(), "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    env["AUTOALLIANCES_CACHE_DIR"] = str(tmp_path / "cache")
    script = "set -euo pipefail\n" + "\n".join(f"echo '=== step {i}'\n{b}" for i, b in enumerate(steps))
    r = subprocess.run(["bash", "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=300, env=env)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    bundled = len(list((REPO / "facts").rglob("*.yaml")))
    assert f"OK: {bundled + 2} records in {bundled + 2} files" in r.stdout  # the source and the deal of part 2
    folder = tmp_path / "my-facts"
    assert len(list(folder.glob("*.yaml"))) == 11  # one file per `new` of the guide
    assert "bmw-and-huawei-agreed-to-work-together-on-in-car-maps" in r.stdout  # shown by `company BMW`
    assert "https://example.com/news/bmw-huawei-maps" in r.stdout


def test_the_guide_names_every_record_type() -> None:
    for type_ in ("source", "company", "system", "model", "figure", "deal", "conflict"):
        assert f"autoalliances new {type_} " in GUIDE, type_
