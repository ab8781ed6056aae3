"""The pre-commit hook, run the way pre-commit runs it: entry + args (+ file names if it took them)."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import yaml
from conftest import REPO, write

HOOKS = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
SOURCE = """sources:
  - id: team-source
    title: A team's article
    url: https://example.com/team/article
    published: "2025-05-01"
    language: en
"""
DEAL = """deals:
  - id: team-bmw-deal
    title: BMW and Huawei agreed on something
    company: bmw
    partners: [huawei]
    kind: partnership
    domains: [connectivity]
    announced: "2025-05"
    status: announced
    sources: [team-source]
"""


def run_hook(repo: Path, changed: list[str]) -> subprocess.CompletedProcess[str]:
    (hook,) = [h for h in HOOKS if h["id"] == "autoalliances-validate"]
    cmd = [*shlex.split(hook["entry"]), *hook.get("args", [])]
    if hook.get("pass_filenames", True):  # pre-commit's default
        cmd += changed
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    return subprocess.run(cmd, cwd=repo, capture_output=True, text=True, timeout=120, env=env)


def test_the_hook_is_declared_for_a_fact_repository() -> None:
    (hook,) = HOOKS
    assert hook["language"] == "python" and hook["entry"].startswith("autoalliances validate")
    assert hook["pass_filenames"] is False and hook["always_run"] is True


def test_good_facts_pass(tmp_path: Path) -> None:
    write(tmp_path / "facts" / "sources" / "team-source.yaml", SOURCE)
    write(tmp_path / "facts" / "deals" / "team-bmw-deal.yaml", DEAL)
    r = run_hook(tmp_path, ["facts/deals/team-bmw-deal.yaml"])
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("OK: ")


def test_a_bad_file_fails_and_is_named(tmp_path: Path) -> None:
    write(tmp_path / "facts" / "sources" / "team-source.yaml", SOURCE)
    write(tmp_path / "facts" / "deals" / "team-bmw-deal.yaml", DEAL.replace("company: bmw", "company: BMW"))
    r = run_hook(tmp_path, ["facts/deals/team-bmw-deal.yaml"])
    assert r.returncode == 3
    assert "facts/deals/team-bmw-deal.yaml:4: deals[0].company: 'BMW' is not a valid id" in r.stderr
    assert "(did you mean 'bmw'?)" in r.stderr


def test_deleting_a_cited_source_fails(tmp_path: Path) -> None:
    write(tmp_path / "facts" / "deals" / "team-bmw-deal.yaml", DEAL)  # its source file was deleted
    r = run_hook(tmp_path, [])
    assert r.returncode == 3 and "no source with id 'team-source'" in r.stderr


def test_the_readme_snippet_uses_this_hook() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    snippet = re.search(r"```yaml\n(# \.pre-commit-config\.yaml\n.*?)```", readme, re.S)
    assert snippet, "README has no .pre-commit-config.yaml snippet"
    config = yaml.safe_load(snippet.group(1))
    hooks = [h for repo in config["repos"] for h in repo["hooks"]]
    assert {h["id"] for h in hooks} == {"autoalliances-validate"}
