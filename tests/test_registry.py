"""The registry as a plain library on the fixture set: no typer, no rich."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import FIXTURE_FACTS

from autoalliances import open_registry
from autoalliances.errors import UnknownNameError, UsageError


@pytest.fixture
def reg():
    return open_registry(FIXTURE_FACTS, bundled=False, use_cache=False)


def test_names_resolve_case_insensitively(reg) -> None:
    for name in ("carmaker-a", "Carmaker A", "CARMAKER A", "cma", "a motors"):
        assert reg.company(name).id == "carmaker-a"


def test_unknown_name_suggests(reg) -> None:
    with pytest.raises(UnknownNameError) as e:
        reg.company("carmaker")
    assert e.value.suggestions == ["carmaker-a"]
    assert str(e.value) == "unknown company 'carmaker'; did you mean 'carmaker-a'?"


def test_deals_either_side_and_units(reg) -> None:
    # Carmaker A's joint venture's deal counts for Carmaker A.
    assert [d.id for d in reg.deals(company="carmaker a")] == ["jv-unnamed-adas", "a-b-cockpit"]
    assert [d.id for d in reg.deals(company="tech b")] == ["a-b-cockpit"]
    assert [d.id for d in reg.deals(partner="tech b")] == ["a-b-cockpit"]
    assert [d.id for d in reg.deals(partner="carmaker-a")] == []


def test_deal_filters(reg) -> None:
    assert [d.id for d in reg.deals(year=2025)] == ["a-b-cockpit"]
    assert [d.id for d in reg.deals(year=2024)] == ["jv-unnamed-adas"]
    assert [d.id for d in reg.deals(since="2025")] == ["a-b-cockpit"]
    assert [d.id for d in reg.deals(until="2024-12")] == ["jv-unnamed-adas"]
    assert [d.id for d in reg.deals(domain="driver-assistance")] == ["jv-unnamed-adas"]
    assert [d.id for d in reg.deals(status="planned")] == ["jv-unnamed-adas"]
    assert reg.deals(year=1999) == []
    with pytest.raises(UnknownNameError):
        reg.deals(domain="cockpit")
    with pytest.raises(UsageError):
        reg.deals(since="soon")


def test_models_systems_figures(reg) -> None:
    assert [m.id for m in reg.models(year=2026)] == ["a-sedan"]
    assert [m.id for m in reg.models(since="2026-06")] == []
    assert [s.id for s in reg.systems(company="tb")] == ["b-os"]
    assert [f.id for f in reg.figures(company="carmaker-a", metric="sales", region="china")] == [
        "a-sales-2024-daily",
        "a-sales-2024-weekly",
    ]
    assert reg.figures(year=2025) == []


def test_dossier(reg) -> None:
    d = reg.dossier("CMA")
    assert d.company.id == "carmaker-a"
    assert [c.id for c in d.children] == ["a-b-jv"]
    assert [x.id for x in d.deals] == ["jv-unnamed-adas", "a-b-cockpit"]
    assert [x.id for x in d.models] == ["a-sedan"]
    assert [x.id for x in d.figures] == ["a-sales-2024-daily", "a-sales-2024-weekly"]
    assert [x.id for x in d.conflicts] == ["a-sales-2024-precision"]
    tech = reg.dossier("tech-b")
    assert [x.id for x in tech.deals] == ["a-b-cockpit"] and [x.id for x in tech.systems] == ["b-os"]


def test_search_conflicts_and_sources(reg) -> None:
    assert [r.id for r in reg.search("LITERALLY")] == ["b-os"]
    assert [r.id for r in reg.search("precisions")] == ["a-sales-2024-precision"]  # its note
    assert reg.conflicts_of(["a-sales-2024-weekly", "b-os"]) == {"a-sales-2024-weekly": ["a-sales-2024-precision"], "b-os": ["b-os-version-label"]}
    assert [s.id for s in reg.sources()] == ["daily-2025-03-01", "weekly-undated"]
    assert set(reg.sources_of([reg.get("a-sedan")])) == {"weekly-undated"}
    with pytest.raises(UsageError):
        reg.search("  ")


def test_amount_absolute(reg) -> None:
    deal = reg.get("a-b-cockpit")
    assert deal.value.absolute == 1_500_000_000
    assert reg.get("a-sales-2024-weekly").value.absolute == 714_500


def test_library_imports_neither_typer_nor_rich() -> None:
    code = (
        "import sys, autoalliances; r = autoalliances.open_registry(use_cache=False); r.deals(company='bmw');"
        "bad = [m for m in ('typer', 'rich', 'click') if m in sys.modules]; print(bad)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
