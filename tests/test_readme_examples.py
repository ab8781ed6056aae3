"""The README's command examples with output (a block that opens with ``$ autoalliances ...``) are real.

Each runs on the bundled facts at 100 columns on the suite's pinned day; what it
prints on stdout, then stderr, must be the rest of the block.
"""

from __future__ import annotations

import os
import re
import shlex

import pytest
from conftest import REPO, REWRITTEN

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
    same = [line.rstrip() for line in printed.splitlines()] == [line.rstrip() for line in shown.splitlines()]
    if not same and os.environ.get("UPDATE_GOLDEN"):  # as for the golden files: rewrite, then fail this run
        readme = REPO / "README.md"
        text = readme.read_text(encoding="utf-8")
        fresh = "\n".join(line.rstrip() for line in printed.splitlines()) + "\n"
        readme.write_text(text.replace(f"```\n{block}```", f"```\n{command}\n{fresh}```", 1), encoding="utf-8")
        REWRITTEN.append(readme)
        pytest.fail(f"README example rewritten: {command}", pytrace=False)
    assert same
