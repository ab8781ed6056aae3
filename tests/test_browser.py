"""The exported site in a real browser: Debian's headless Chromium, driven by Playwright, from file://, offline.

Skipped, saying why, only when no Chromium is installed (``apt-get install
chromium``); ``.ci/run`` installs it and sets ``AUTOALLIANCES_REQUIRE_BROWSER=1``,
so a missing browser fails in CI. Playwright's own browser download is never
used: it launches the system's ``chromium``. ``UPDATE_SCREENSHOTS=1`` copies
the screenshots to ``docs/`` for the README.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import REPO
from playwright.sync_api import sync_playwright

CHROMIUM = next((p for p in (shutil.which("chromium"), shutil.which("chromium-browser"), "/usr/bin/chromium") if p and Path(p).exists()), None)
# The flags of the machine notes: no background network, no first-run work. Playwright starts
# headless and gives every launch a fresh, empty profile of its own (it refuses --user-data-dir).
FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]

pytestmark = pytest.mark.skipif(
    CHROMIUM is None and not os.environ.get("AUTOALLIANCES_REQUIRE_BROWSER"),
    reason="no Chromium installed (apt-get install chromium); CI installs it and requires this test",
)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled facts exported by the installed program, zipped, and unzipped where a colleague would."""
    work = tmp_path_factory.mktemp("browser")
    env = {k: v for k, v in os.environ.items() if not k.startswith("AUTOALLIANCES_") or k == "AUTOALLIANCES_CACHE_DIR"}
    env["AUTOALLIANCES_CACHE_DIR"] = str(work / "cache")
    exe = Path(sys.executable).parent / "autoalliances"
    r = subprocess.run([str(exe), "export", "site", "site"], cwd=work, capture_output=True, text=True, timeout=120, env=env)
    assert r.returncode == 0, r.stderr
    with zipfile.ZipFile(work / "site.zip", "w") as z:
        for p in sorted((work / "site").rglob("*")):
            z.write(p, p.relative_to(work).as_posix())
    with zipfile.ZipFile(work / "site.zip") as z:
        z.extractall(work / "unzipped")
    return work / "unzipped" / "site"


@pytest.fixture(scope="module")
def browser():
    assert CHROMIUM is not None, "AUTOALLIANCES_REQUIRE_BROWSER is set but no Chromium is installed"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True, timeout=60_000)
        yield b
        b.close()


def _watch(page) -> list[str]:
    """Console errors and requests that leave the folder: there must be none."""
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("request", lambda r: problems.append(f"request {r.url}") if not r.url.startswith("file://") else None)
    return problems


def _visible_rows(page) -> list[str]:
    return page.locator("table[data-filter] tbody tr:visible").all_inner_texts()


def test_filter_the_deals_then_open_a_company(browser, site: Path, tmp_path: Path) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    problems = _watch(page)
    page.goto((site / "index.html").as_uri())
    assert page.title().startswith("Automakers and Chinese technology companies")
    page.get_by_role("navigation", name="Sections").get_by_role("link", name="Deals").click()
    page.wait_for_url("**/deals.html")
    everything = _visible_rows(page)
    assert len(everything) == 15
    box = page.get_by_label("Filter deals")
    box.fill("Toyota")
    narrowed = _visible_rows(page)
    assert 0 < len(narrowed) < len(everything)
    assert all("Toyota" in row for row in narrowed)
    assert len(narrowed) == sum("Toyota" in row for row in everything)
    assert page.get_by_role("status").first.inner_text().strip() == f"{len(narrowed)} of {len(everything)} deals shown"
    page.screenshot(path=str(tmp_path / "site-deals-filtered.png"), full_page=False)
    first = page.locator("table[data-filter] tbody tr:visible").first
    first.get_by_role("link", name="Toyota", exact=True).click()
    page.wait_for_url("**/companies/toyota.html")
    assert page.locator("h1").inner_text() == "Toyota"
    assert page.get_by_role("heading", name="Deals").is_visible()
    page.screenshot(path=str(tmp_path / "site-company-toyota.png"), full_page=False)
    assert problems == []
    for name in ("site-deals-filtered.png", "site-company-toyota.png"):
        shot = tmp_path / name
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000
        if os.environ.get("UPDATE_SCREENSHOTS"):
            shutil.copyfile(shot, REPO / "docs" / name)


def test_sort_by_a_column(browser, site: Path) -> None:
    page = browser.new_page()
    problems = _watch(page)
    page.goto((site / "deals.html").as_uri())
    header = page.locator("table[data-filter] thead th").first
    original = [r.split("\t")[0] for r in _visible_rows(page)]
    header.get_by_role("button").click()
    assert header.get_attribute("aria-sort") == "ascending"
    ascending = page.locator("table[data-filter] tbody tr td:first-child").evaluate_all("cells => cells.map(c => c.dataset.sort)")
    known = [d for d in ascending if d]
    assert len(known) >= 3 and ascending == sorted(known) + [""] * (len(ascending) - len(known))  # unknown dates last
    header.get_by_role("button").click()
    assert header.get_attribute("aria-sort") == "descending"
    descending = page.locator("table[data-filter] tbody tr td:first-child").evaluate_all("cells => cells.map(c => c.dataset.sort)")
    assert [d for d in descending if d] == sorted(known, reverse=True)
    header.get_by_role("button").click()
    assert header.get_attribute("aria-sort") is None
    assert [r.split("\t")[0] for r in _visible_rows(page)] == original  # the third click restores the documented order
    assert problems == []


def test_without_javascript_everything_is_there(browser, site: Path) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto((site / "deals.html").as_uri())
    assert page.locator("table tbody tr").count() == 15
    assert page.locator("input").count() == 0 and page.locator("button").count() == 0
    assert page.locator(".js-tip").is_hidden()
    context.close()


def test_the_network_links_open_company_pages(browser, site: Path) -> None:
    page = browser.new_page()
    problems = _watch(page)
    page.goto((site / "network.html").as_uri())
    svg = page.locator("figure.graph svg")
    assert svg.is_visible() and svg.bounding_box()["width"] > 200  # never blank
    page.locator('figure.graph svg a[href="companies/huawei.html"]').first.click()
    page.wait_for_url("**/companies/huawei.html")
    assert page.locator("h1").inner_text() == "Huawei"
    assert problems == []


def test_printing_hides_the_controls(browser, site: Path) -> None:
    page = browser.new_page()
    page.goto((site / "deals.html").as_uri())
    assert page.locator(".filter").is_visible()
    page.emulate_media(media="print")
    assert page.locator(".filter").is_hidden() and page.locator("nav").is_hidden()
    assert page.locator("table[data-filter] tbody tr").first.is_visible()
