"""One function owns "today": nothing else reads the clock; its overrides and bad values."""

from __future__ import annotations

import ast
from datetime import date

import pytest
from conftest import REPO, TODAY

from autoalliances.errors import UsageError
from autoalliances.model import today as today_module
from autoalliances.model.today import TODAY_ENV, age, day_label, parse_day, today

PACKAGE = REPO / "autoalliances"
OWNER = PACKAGE / "model" / "today.py"
# Calls that read the clock: date.today(), datetime.now(), datetime.today(), datetime.utcnow(),
# time.time(), time.localtime()... whatever the module is imported as.
CLOCK_CALLS = {"today", "now", "utcnow", "localtime", "gmtime", "time", "time_ns", "ctime"}
CLOCK_OWNERS = {"date", "datetime", "time", "dt"}


def clock_reads(path, root=REPO) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in CLOCK_CALLS:
            owner = node.func.value
            name = owner.id if isinstance(owner, ast.Name) else owner.attr if isinstance(owner, ast.Attribute) else ""
            if name in CLOCK_OWNERS:
                found.append(f"{path.relative_to(root)}:{node.lineno}: {name}.{node.func.attr}()")
        if isinstance(node, ast.ImportFrom) and node.module in ("datetime", "time"):
            for alias in node.names:
                if alias.name in CLOCK_CALLS:
                    found.append(f"{path.relative_to(root)}:{node.lineno}: from {node.module} import {alias.name}")
    return found


def test_no_module_but_model_today_reads_the_clock() -> None:
    reads = [r for p in sorted(PACKAGE.rglob("*.py")) if p != OWNER for r in clock_reads(p)]
    assert reads == [], "read the day through autoalliances.model.today.today(): " + "; ".join(reads)


def test_the_check_sees_a_clock_read(tmp_path) -> None:
    # The check above can fail: it finds the one read in model/today.py, and the usual spellings.
    assert [r.split(": ", 1)[1] for r in clock_reads(OWNER)] == ["date.today()"]
    sample = tmp_path / "sample.py"
    sample.write_text("import datetime as dt\nfrom time import time\nx = dt.datetime.now()\ny = datetime.utcnow()\nz = d.today\n")
    assert [r.split(": ", 1)[1] for r in clock_reads(sample, tmp_path)] == [
        "from time import time", "datetime.now()", "datetime.utcnow()",
    ]


def test_the_suite_runs_on_a_pinned_day() -> None:
    assert today() == date.fromisoformat(TODAY)


def test_as_of_overrides_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(TODAY_ENV, "2025-06-01")
    assert today() == date(2025, 6, 1)
    assert today(date(2025, 3, 20)) == date(2025, 3, 20)
    monkeypatch.setenv(TODAY_ENV, "not a day")
    assert today(date(2025, 3, 20)) == date(2025, 3, 20)  # --as-of given: the variable is not read


def test_without_the_variable_it_is_the_system_date(monkeypatch: pytest.MonkeyPatch) -> None:
    class Clock(date):
        @classmethod
        def today(cls) -> Clock:
            return cls(2031, 7, 4)

    monkeypatch.delenv(TODAY_ENV)
    monkeypatch.setattr(today_module, "date", Clock)
    assert today() == date(2031, 7, 4)
    monkeypatch.setenv(TODAY_ENV, "")  # empty: not set
    assert today() == date(2031, 7, 4)


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("2025-13", "is not a day"),  # a month that does not exist, and not a whole day
        ("2025-13-01", "is not a real day"),
        ("2025-02-30", "is not a real day"),
        ("2025-03", "is not a day"),  # partial
        ("2025", "is not a day"),
        ("20250320", "is not a day"),
        ("soon", "is not a day"),
        ("", "is not a day"),
        ("2025-3-20", "is not a day"),
    ],
)
def test_bad_days_are_usage_errors_naming_the_variable(monkeypatch: pytest.MonkeyPatch, text: str, why: str) -> None:
    monkeypatch.setenv(TODAY_ENV, text or " ")
    with pytest.raises(UsageError, match=f"^{TODAY_ENV}: .* {why}"):
        today()
    with pytest.raises(UsageError, match=f"^--as-of: .* {why}"):
        parse_day(text, "--as-of")


def test_good_days() -> None:
    assert parse_day(" 2024-02-29 ", "--as-of") == date(2024, 2, 29)
    assert day_label(date(2025, 4, 14)) == "14 April 2025"


@pytest.mark.parametrize(
    ("then", "now", "words"),
    [
        (date(2025, 4, 14), date(2026, 12, 1), "20 months before"),  # the example
        (date(2025, 3, 18), date(2025, 3, 20), "2 days before"),
        (date(2025, 3, 19), date(2025, 3, 20), "1 day before"),
        (date(2025, 3, 20), date(2025, 3, 20), "the same day as"),
        (date(2025, 3, 1), date(2025, 3, 29), "4 weeks before"),
        (date(2022, 1, 1), date(2026, 12, 1), "5 years before"),
        (date(2026, 1, 1), date(2025, 6, 1), "7 months after"),
    ],
)
def test_age_in_words(then: date, now: date, words: str) -> None:
    assert age(then, now) == words
