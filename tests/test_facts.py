"""The bundled fact base: valid, sourced, and faithful to the articles on key facts."""

from __future__ import annotations

import re

import pytest
import yaml
from conftest import SHARED_SOURCES

from autoalliances import open_registry
from autoalliances.load.discover import bundled_facts_dir, discover
from autoalliances.load.loader import load_files
from autoalliances.model.records import RECORD_TYPES, TYPE_NAMES


@pytest.fixture(scope="module")
def reg():
    return open_registry(use_cache=False)


def test_bundled_facts_validate() -> None:
    files, _ = discover([bundled_facts_dir()])
    result = load_files(files)
    assert [str(e) for e in result.errors] == []
    assert len(files) > 100


def test_one_record_per_file_named_after_its_id() -> None:
    for path in discover([bundled_facts_dir()])[0]:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert list(data) == [path.parent.name], path
        assert path.parent.name in RECORD_TYPES
        (record,) = data[path.parent.name]
        assert record["id"] == path.stem, path


def test_every_record_cites_a_source(reg) -> None:
    from autoalliances.model.refs import cited_sources

    sources = {s.id for s in reg.sources()}
    assert len(sources) == 5
    for type_ in ("company", "deal", "model", "system", "figure", "conflict"):
        for rec in reg.store.all(TYPE_NAMES[type_]):
            cited = cited_sources(rec)
            assert cited and set(cited) <= sources, rec.id


def test_sources_match_the_article_files(reg) -> None:
    files = sorted(s.file for s in reg.sources())
    assert files == [
        "000_4f9232e7b095ec40.txt", "001_c45cb24de3678bbd.txt", "002_b78066a803281916.txt",
        "003_9a8dcb9d82110bcc.txt", "004_59c077573117ca09.txt",
    ]
    yicai = reg.get("yicai-2025-03-18-bmw-huawei")
    assert (yicai.outlet, yicai.published.text) == ("Yicai", "2025-03-18")
    fang = reg.get("fang-2025-04-14-bmw-alibaba-huawei")
    assert (fang.author, fang.published.text, fang.outlet) == ("Fang Wensan", "2025-04-14", None)
    assert reg.get("toyota-china-rd-2-0").published.precision == "unknown"
    assert reg.get("japanese-automakers-chinese-tech").outlet is None
    if SHARED_SOURCES.is_dir():
        assert files == sorted(p.name for p in SHARED_SOURCES.glob("*.txt"))


def test_bmw_china_sales_2024(reg) -> None:
    f = reg.get("bmw-china-sales-2024")
    assert (f.company, f.metric, f.region, f.period.text) == ("bmw", "sales", "China", "2024")
    assert f.value.amount == 714500 and f.value.unit == "vehicles"
    assert f.change.amount == -13.4 and f.change.unit == "percent"
    assert f.sources == ["yicai-2025-03-18-bmw-huawei"]


def test_bmw_revenue_keeps_both_readings(reg) -> None:
    a, b = reg.get("bmw-revenue-2024-yicai"), reg.get("bmw-revenue-2024-fang")
    assert (a.value.amount, a.value.scale, a.value.unit) == (142.4, "billion", "EUR")
    assert (b.value.amount, b.value.scale, b.value.unit) == (142.38, "billion", "EUR")
    c = reg.get("bmw-revenue-2024-precision")
    assert c.kind == "precision" and {r.source for r in c.readings} == {a.sources[0], b.sources[0]}
    np_y, np_f = reg.get("bmw-net-profit-2024-yicai"), reg.get("bmw-net-profit-2024-fang")
    assert (np_y.value.amount, np_y.change.amount) == (7.7, -37)
    assert (np_f.value.amount, np_f.change.amount) == (7.678, -36.9)


def test_announcement_dates(reg) -> None:
    assert reg.get("bmw-alibaba-ai-cockpit").announced.text == "2025-03-26"
    assert reg.get("bmw-huawei-harmonyos").announced.text == "2025-03-17"
    assert [d.id for d in reg.deals(company="bmw", year=2025)] == ["bmw-huawei-harmonyos", "bmw-alibaba-ai-cockpit"]


def test_company_dossiers_see_both_sides(reg) -> None:
    bmw = {p for d in reg.dossier("BMW").deals for p in d.partners}
    assert {"alibaba", "huawei"} <= bmw
    huawei_makers = {d.company for d in reg.dossier("Huawei").deals}
    assert {"bmw", "toyota"} <= huawei_makers
    assert huawei_makers & {"audi", "faw-audi", "saic-audi"}
    assert [d.id for d in reg.deals(company="honda")] and "deepseek" in {p for d in reg.deals(company="honda") for p in d.partners}
    assert {d.company for d in reg.deals(partner="momenta")} == {"toyota", "mercedes-benz"}


def test_plans_stay_plans(reg) -> None:
    bz7 = reg.get("toyota-bz7")
    spring = [m for m in bz7.milestones if m.date.text == "2026-spring"]
    assert spring and all(m.status == "planned" for m in spring)
    # "within a year" (an undated article) cannot be set against spring 2026, so the two plans
    # are kept side by side in a note: a conflict whose readings may agree is not a conflict.
    assert any("within a year" in n.text and "japanese-automakers-chinese-tech" in n.sources for n in bz7.notes)
    assert "toyota-bz7-launch-timing" not in {c.id for c in reg.conflicts()}
    # Nothing dated after an article's publication is reported as having happened.
    latest = max(s.published.end for s in reg.sources() if s.published.known)
    for type_ in ("deal", "model", "system"):
        for rec in reg.store.all(TYPE_NAMES[type_]):
            for m in rec.milestones:
                if m.date.known and m.date.start > latest:
                    assert m.status == "planned", (rec.id, m)


def test_aliases_resolve(reg) -> None:
    assert reg.company("Ali").id == "alibaba"
    assert reg.get("Hongmeng").id == "harmonyos"
    assert reg.get("Gaode").id == "autonavi"
    assert reg.get("Tongyi Qianwen").id == "tongyi"
    assert reg.company("FAW-Volkswagen Audi").id == "faw-audi"


def _sentences(text: str) -> list[list[str]]:
    return [re.findall(r"[a-z0-9]+", s.lower()) for s in re.split(r"[.!?\n]", text)]


@pytest.mark.skipif(not SHARED_SOURCES.is_dir(), reason="needs ../shared/sources beside the checkout")
def test_no_article_sentence_is_copied() -> None:
    """No run of 10 words from an article appears in the facts (names and titles are shorter)."""
    n = 10
    grams: set[tuple[str, ...]] = set()
    for p in SHARED_SOURCES.glob("*.txt"):
        for words in _sentences(p.read_text(encoding="utf-8")):
            grams |= {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}
    copied = []
    for path in discover([bundled_facts_dir()])[0]:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        rec = next(iter(data.values()))[0]
        texts: list[str] = []

        def walk(v: object, key: str = "") -> None:
            if isinstance(v, str) and key not in ("title", "as_printed", "role", "name"):
                texts.append(v)
            elif isinstance(v, dict):
                for k, x in v.items():
                    walk(x, k)
            elif isinstance(v, list):
                for x in v:
                    walk(x, key)

        walk(rec)
        for words in _sentences(" ".join(texts)):
            hits = [w for w in (tuple(words[i : i + n]) for i in range(len(words) - n + 1)) if w in grams]
            if hits:
                copied.append((path.name, " ".join(hits[0])))
    assert copied == []


def test_validate_command_over_the_bundled_facts(runner) -> None:
    from autoalliances.cli import app

    r = runner.invoke(app, ["validate"])
    n = len(discover([bundled_facts_dir()])[0])
    assert (r.exit_code, r.stdout, r.stderr) == (0, f"OK: {n} records in {n} files\n", "")
