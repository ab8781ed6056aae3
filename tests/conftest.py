"""Shared test set-up: a small fixture fact set, an isolated cache, a pinned terminal."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

HERE = Path(__file__).parent
FIXTURE_FACTS = HERE / "fixtures" / "facts"
DATA = HERE / "data"
REPO = HERE.parent
SHARED_SOURCES = REPO.parent / "shared" / "sources"
# The day every test reads plans against (goldens stay stable); tests that need another day set
# AUTOALLIANCES_TODAY or --as-of themselves.
TODAY = "2026-12-01"
# Also for the whole session: module-scoped fixtures (registries opened once per file) run
# outside the per-test fixture below and must read plans against the same day, not the clock.
os.environ["AUTOALLIANCES_TODAY"] = TODAY


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test gets its own cache folder, a plain, fixed-width terminal, and a fixed today."""
    monkeypatch.setenv("AUTOALLIANCES_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("AUTOALLIANCES_TODAY", TODAY)
    monkeypatch.delenv("AUTOALLIANCES_FACTS", raising=False)
    monkeypatch.delenv("AUTOALLIANCES_BUNDLED", raising=False)
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("TERM", "dumb")
    for var in ("FORCE_COLOR", "CLICOLOR_FORCE"):
        monkeypatch.delenv(var, raising=False)


@pytest.fixture
def facts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A writable copy of the fixture facts, used alone (no bundled facts): for tests that edit them."""
    dst = tmp_path / "facts"
    shutil.copytree(FIXTURE_FACTS, dst)
    monkeypatch.setenv("AUTOALLIANCES_BUNDLED", "0")
    monkeypatch.setenv("AUTOALLIANCES_FACTS", str(dst))
    return dst


@pytest.fixture
def cache_dir() -> Path:
    return Path(os.environ["AUTOALLIANCES_CACHE_DIR"])


@pytest.fixture
def fixture_only(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Use the small fixture fact set instead of the bundled facts."""
    monkeypatch.setenv("AUTOALLIANCES_BUNDLED", "0")
    monkeypatch.setenv("AUTOALLIANCES_FACTS", str(FIXTURE_FACTS))
    return FIXTURE_FACTS


@pytest.fixture
def runner() -> CliRunner:
    try:
        return CliRunner(mix_stderr=False)  # type: ignore[call-arg]
    except TypeError:  # newer click always keeps stderr apart
        return CliRunner()


# --- golden files ------------------------------------------------------------------------------

REWRITTEN: list[Path] = []


def _comparable(text: str) -> str:
    """Text as a golden comparison sees it: trailing spaces (rich's padding) do not count."""
    return "\n".join(line.rstrip() for line in text.split("\n"))


def golden(name: str, text: str) -> None:
    """Compare *text* with tests/data/*name*.

    With ``UPDATE_GOLDEN=1`` a file that differs is rewritten, and the run
    fails, saying how many were rewritten: read the diff, then run again.
    The fixtures' folder (a record's ``origin.root``) is written as ``$FIXTURES``,
    so the files do not depend on where the checkout is.
    """
    text = text.replace(str(HERE / "fixtures"), "$FIXTURES")
    path = DATA / name
    old = path.read_text(encoding="utf-8") if path.exists() else None
    if old is not None and _comparable(old) == _comparable(text):
        return
    if os.environ.get("UPDATE_GOLDEN"):
        write(path, text)
        REWRITTEN.append(path)
        pytest.fail(f"golden file rewritten: {path.relative_to(HERE.parent)}", pytrace=False)
    assert old is not None, f"no golden file {path}: run with UPDATE_GOLDEN=1 to create it"
    assert _comparable(text) == _comparable(old)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if REWRITTEN:
        terminalreporter.write_line(
            f"{len(REWRITTEN)} golden file{'s' if len(REWRITTEN) != 1 else ''} rewritten: read the diff, then run the tests again",
            red=True,
            bold=True,
        )


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def env_without_overrides() -> dict[str, str]:
    """The environment without fact-file overrides (the cache folder and today stay pinned)."""
    keep = ("AUTOALLIANCES_CACHE_DIR", "AUTOALLIANCES_TODAY")
    return {k: v for k, v in os.environ.items() if not k.startswith("AUTOALLIANCES_") or k in keep}
