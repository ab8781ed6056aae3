"""The README's command examples with output (a block that opens with ``$ autoalliances ...``) are real.

Each runs on the bundled facts at 100 columns on the suite's pinned day; what it
prints on stdout, then stderr, must be the rest of the block.
"""

from __future__ import annotations

import re
import shlex

import pytest
from conftest import REPO

from autoalliances.cli import app

BLOCKS: list[str] = re.findall(r"```\n(\$ autoalliances [^\n]*\n.*?)```", (REPO / "README.md").read_text(encoding="utf-8"), re.S)


def test_the_readme_has_such_examples() -> None:
    assert len(BLOCKS) >= 5


@pytest.mark.parametrize("block", BLOCKS, ids=[b.split("\n", 1)[0][2:] for b in BLOCKS])
def test_readme_example_prints_what_it_shows(runner, block: str) -> None:
    command, shown = block.split("\n", 1)
    args = shlex.split(command[2:])[1:]
    r = runner.invoke(app, args)
    assert r.exit_code == 0, r.stderr
    printed = r.stdout + r.stderr
    assert [line.rstrip() for line in printed.splitlines()] == [line.rstrip() for line in shown.splitlines()]
