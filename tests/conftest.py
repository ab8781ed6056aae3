"""Shared test set-up: a small fixture fact set, an isolated cache, a pinned terminal."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

HERE = Path(__file__).parent
FIXTURE_FACTS = HERE / "fixtures" / "facts"
DATA = HERE / "data"
REPO = HERE.parent
SHARED_SOURCES = REPO.parent / "shared" / "sources"


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test gets its own cache folder and a plain, fixed-width terminal."""
    monkeypatch.setenv("AUTOALLIANCES_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("AUTOALLIANCES_FACTS", raising=False)
    monkeypatch.delenv("AUTOALLIANCES_BUNDLED", raising=False)
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("TERM", "dumb")
    for var in ("FORCE_COLOR", "CLICOLOR_FORCE"):
        monkeypatch.delenv(var, raising=False)


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


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def env_without_overrides() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("AUTOALLIANCES_") or k == "AUTOALLIANCES_CACHE_DIR"}
