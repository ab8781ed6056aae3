"""Findings of a hostile-user audit, each pinned by a test that failed before its fix."""

from __future__ import annotations

import pytest

from autoalliances.cli import app


@pytest.mark.parametrize(
    "args",
    [
        ["deals", "--company", ""],
        ["deals", "--partner", ""],
        ["models", "--company", ""],
        ["systems", "--company", ""],
        ["figures", "--company", ""],
        ["timeline", "--company", ""],
        ["matrix", "--company", ""],
        ["plans", "--company", ""],
        ["conflicts", "--record", ""],
    ],
)
def test_an_empty_name_filter_is_an_error_not_no_filter(runner, fixture_only, args: list[str]) -> None:
    # `--company ''` (an unset shell variable) used to drop the filter and list everything.
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 2, result.stdout
    assert result.stdout == ""
    assert "unknown company ''" in result.stderr or "unknown record ''" in result.stderr
