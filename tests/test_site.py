"""`export site`: the static website, checked page by page with a real HTML parser.

Validity (html5lib in strict mode), links, escaping of hostile facts, the
Content-Security-Policy, headings, tables, the marks every fact carries, the
network drawing, the Atom feed, and what the rest of the tool does not import.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import re
import shutil
import subprocess
import sys
import types
import xml.etree.ElementTree as ET
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import sitecheck
from conftest import REPO
from hypothesis import given, settings
from hypothesis import strategies as st

from autoalliances import open_registry
from autoalliances.export.site import graph as site_graph
from autoalliances.export.site import markup
from autoalliances.export.site.build import build_site
from autoalliances.export.site.layout import asset
from autoalliances.query.landscape import graph

TODAY = date(2026, 12, 1)


@pytest.fixture(scope="module")
def bundled_site() -> dict[str, bytes]:
    with pytest.MonkeyPatch.context() as mp:
        for var in ("AUTOALLIANCES_FACTS", "AUTOALLIANCES_BUNDLED"):
            mp.delenv(var, raising=False)
        mp.setenv("AUTOALLIANCES_TODAY", TODAY.isoformat())  # module scope: the autouse day is not set yet
        return build_site(open_registry(use_cache=False), today=TODAY)


@pytest.fixture
def hostile(tmp_path: Path, fixture_only: Path) -> Path:
    path = tmp_path / "hostile.yaml"
    path.write_text(sitecheck.HOSTILE, encoding="utf-8")
    return path


@pytest.fixture
def hostile_reg(hostile: Path):
    return open_registry(hostile, use_cache=False)


@pytest.fixture(params=["graphviz", "builtin"])
def hostile_site(request, hostile_reg) -> dict[str, bytes]:
    use = request.param == "graphviz"
    if use and shutil.which("dot") is None:
        use = False  # the built-in drawing then, checked under both ids
    return build_site(hostile_reg, today=TODAY, use_graphviz=use)


def _html(files: dict[str, bytes]) -> dict[str, ET.Element]:
    return sitecheck.pages(files)


# --- structure -----------------------------------------------------------------------------------


def test_a_page_for_every_company_deal_model_and_system(bundled_site) -> None:
    reg = open_registry(use_cache=False)
    expected = {f"companies/{c.id}.html" for c in reg.companies()}
    expected |= {f"deals/{d.id}.html" for d in reg.deals()}
    expected |= {f"models/{m.id}.html" for m in reg.models()}
    expected |= {f"systems/{s.id}.html" for s in reg.systems()}
    expected |= {f"{n}.html" for n in ("index", "companies", "deals", "models", "systems", "figures", "timeline", "network", "conflicts", "sources")}
    expected |= {"events.atom", "calendar.ics"}
    assert set(bundled_site) == expected
    trees = _html(bundled_site)
    # Figures, sources and conflicts are anchors on the page that lists them.
    assert {f.id for f in reg.figures()} <= set(sitecheck.ids(trees["figures.html"]))
    assert {s.id for s in reg.sources()} <= set(sitecheck.ids(trees["sources.html"]))
    assert {c.id for c in reg.conflicts()} <= set(sitecheck.ids(trees["conflicts.html"]))


def test_every_page_is_valid_html_and_every_link_resolves(bundled_site, hostile_site) -> None:
    for files in (bundled_site, hostile_site):
        trees = _html(files)  # strict: a parse error fails here
        assert len(trees) == sum(1 for n in files if n.endswith(".html"))
        assert sitecheck.broken_links(files) == []
        for name, tree in trees.items():
            found = sitecheck.ids(tree)
            assert len(found) == len(set(found)), f"{name}: duplicate ids"


def test_the_link_check_can_fail(bundled_site) -> None:
    broken = dict(bundled_site)
    broken["index.html"] = broken["index.html"].replace(b'href="deals.html"', b'href="deal.html"', 1)
    broken["deals.html"] = broken["deals.html"].replace(b'href="deals/', b'href="deals/x', 1)
    del broken["companies/bmw.html"]
    bad = sitecheck.broken_links(broken)
    assert any("deal.html" in b for b in bad) and any("bmw.html" in b for b in bad) and any("deals/x" in b for b in bad)
    with pytest.raises(Exception, match=r"(?i)end tag|unexpected"):
        sitecheck.parse(bundled_site["index.html"].replace(b"</main>", b"</div></main>", 1))


def test_headings_in_order_tables_with_captions_and_header_scopes(bundled_site) -> None:
    for name, tree in _html(bundled_site).items():
        levels = [int(e.tag[1]) for e in tree.iter() if isinstance(e.tag, str) and re.fullmatch(r"h[1-6]", e.tag)]
        assert levels[0] == 1 and levels.count(1) == 1, name
        for a, b in itertools.pairwise(levels):
            assert b <= a + 1, f"{name}: h{a} then h{b}"
        for table in tree.iter("table"):
            children = [c for c in table if isinstance(c.tag, str)]
            assert children and children[0].tag == "caption" and sitecheck.text_of(children[0]).strip(), name
            assert table.find("thead") is not None, name
            for th in table.iter("th"):
                assert th.get("scope") in ("col", "row"), f"{name}: th without scope: {sitecheck.text_of(th)!r}"
        assert tree.find("body").find("main").get("id") == "_main"  # type: ignore[union-attr]
        assert tree.get("lang") == "en"


def test_no_external_asset_and_only_the_pages_own_script(bundled_site, hostile_site) -> None:
    js, css = asset("site.js"), asset("site.css")
    assert "url(" not in css and "@import" not in css and "@font-face" not in css
    assert not re.search(r"fetch\(|XMLHttpRequest|import\(|eval\(|innerHTML", js)

    def digest(text: str) -> str:
        return "sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()

    for files in (bundled_site, hostile_site):
        for name, tree in _html(files).items():
            head = tree.find("head")
            assert head is not None
            csp = [m.get("content") for m in head.iter("meta") if m.get("http-equiv") == "Content-Security-Policy"]
            assert len(csp) == 1, name
            policy = dict(part.strip().split(" ", 1) for part in (csp[0] or "").split(";"))
            assert policy["default-src"] == "'none'"
            assert policy["script-src"] == f"'{digest(js)}'" and policy["style-src"] == f"'{digest(css)}'"
            scripts = list(tree.iter("script"))
            assert [s.text for s in scripts] == [js], name  # exactly one script: the site's own
            assert [s.text for s in tree.iter("style")] == [css], name
            for e in tree.iter():
                for attr in e.attrib:
                    assert not str(attr).lower().startswith("on"), f"{name}: {e.tag} has {attr}"
                    assert str(attr).lower() != "style", f"{name}: style attribute on {e.tag}"
                assert sitecheck.local(e.tag) not in ("iframe", "object", "embed", "img", "foreignObject", "link") or (
                    e.tag == "link" and e.get("rel") == "alternate"
                ), f"{name}: {e.tag}"
            # The only web addresses are the articles' own (a source's url, validated as http or
            # https), as plain links marked rel="external": never an asset the page loads.
            articles = {e.get("href") for e in tree.iter() if sitecheck.local(e.tag) == "a" and e.get("rel") == "external"}
            assert all(str(a).startswith(("http://", "https://")) for a in articles), name
            for href in sitecheck.links(tree):
                if href in articles:
                    continue
                assert not href.lower().startswith(("javascript:", "data:", "http:", "https:", "//")), f"{name}: {href}"


def test_hostile_facts_show_as_text(hostile_site) -> None:
    trees = _html(hostile_site)
    everything = "\n".join(sitecheck.text_of(t) for t in trees.values())
    for text in sitecheck.HOSTILE_TEXTS:
        assert text in everything, text
    company = sitecheck.text_of(trees["companies/evil-corp.html"])
    assert "A </td></tr></table><script>alert(3)</script> company & <b>bold</b>; ]]> <!-- x --> \\x1b[31mred" in company
    assert "javascript:alert(1)" in company and "(a search aid the editors added)" in company  # the second alias has no source
    deal = sitecheck.text_of(trees["deals/evil-deal.html"])
    assert "(inferred: <script>alert('why')</script>)" in deal
    assert "{{7*7}} ${x} <style>body{display:none}</style>" in deal
    # The network drawing escapes too, whoever drew it.
    network = trees["network.html"]
    svg_text = " ".join(sitecheck.text_of(e) for e in network.iter() if sitecheck.local(e.tag) == "svg")
    assert "<script>alert('name')</script>" in svg_text
    # Every markup file (HTML, SVG, Atom) holds no live element; the calendar is plain text, which must
    # still parse and carry no raw control character a calendar app could act on.
    raw = b"".join(data for name, data in hostile_site.items() if not name.endswith(".ics"))
    assert b"<script>alert" not in raw and b"<img" not in raw and b"<iframe" not in raw and b"<svg onload" not in raw
    ics = hostile_site["calendar.ics"].decode("utf-8")
    assert not [c for c in ics if (ord(c) < 32 and c not in "\r\n") or 0x7F <= ord(c) < 0xA0]


# --- the marks every fact carries ---------------------------------------------------------------------


def test_footnotes_say_which_article_and_when(fixture_only) -> None:
    files = build_site(open_registry(use_cache=False), today=TODAY)
    trees = _html(files)
    page = trees["deals/a-b-cockpit.html"]
    notes = [sitecheck.text_of(li) for li in page.iter("li") if (li.get("id") or "").startswith("_src-")]
    assert notes == ["[1] The Daily · published 1 March 2025 (1 year and 9 months old on 1 December 2026); retrieved 2 March 2025 · Jane Doe · “Carmaker A teams up with Tech B” · online · daily-2025-03-01"]
    cites = [sitecheck.text_of(s) for s in page.iter("sup")]
    assert cites and all(c == "[1]" for c in cites)
    origin = [sitecheck.text_of(p) for p in page.iter("p") if p.get("class") == "origin"]
    assert len(origin) == 1 and re.fullmatch(r"From your own fact files: \S+\.yaml:\d+", origin[0])  # the fixture is user facts
    sources = sitecheck.text_of(trees["sources.html"])
    assert "publication date not stated" in sources and "machine translation" in sources


def _site_on(day: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    monkeypatch.setenv("AUTOALLIANCES_TODAY", day)
    return _html(build_site(open_registry(use_cache=False)))


def test_plans_whose_date_has_passed_say_so(fixture_only, monkeypatch: pytest.MonkeyPatch) -> None:
    late = _site_on("2026-12-01", monkeypatch)
    early = _site_on("2025-06-01", monkeypatch)
    # The fixture's spring 2026 launch comes from an undated article, as the terminal says too.
    passed = "planned for spring 2026, reported in an undated article; that date has passed (as of 1 December 2026) and no later source reports it"
    assert passed in sitecheck.text_of(late["models/a-sedan.html"])
    assert passed in sitecheck.text_of(late["timeline.html"])
    for page in ("models/a-sedan.html", "timeline.html", "systems/b-os.html"):
        text = sitecheck.text_of(early[page])
        assert "planned for spring 2026, reported in an undated article" in text, page
        assert "spring 2026, reported in an undated article; that date has passed" not in text, page
    during = _site_on("2026-04-15", monkeypatch)
    now = "planned for spring 2026, reported in an undated article; that time is now (as of 15 April 2026), no report yet"
    assert now in sitecheck.text_of(during["models/a-sedan.html"])


def test_a_site_for_another_day_than_the_registrys_is_refused(fixture_only) -> None:
    with pytest.raises(ValueError, match="reads plans on"):
        build_site(open_registry(use_cache=False), today=date(2025, 6, 1))


def test_inferred_values_and_alias_provenance_are_marked(bundled_site) -> None:
    reg = open_registry(use_cache=False)
    deal = reg.get("bmw-huawei-harmonyos")
    page = sitecheck.text_of(_html(bundled_site)["deals/bmw-huawei-harmonyos.html"])
    for path in ("domains[0]", "milestones[1].date", "milestones[2].date"):
        assert f"(inferred: {deal.inferred[path]})" in page, path
    assert "(partly inferred)" in sitecheck.text_of(_html(bundled_site)["deals.html"])
    alibaba = reg.get("alibaba")
    text = sitecheck.text_of(_html(bundled_site)["companies/alibaba.html"])
    for alias in alibaba.aliases:
        marker = "(a search aid the editors added)"
        after = text.split(alias, 1)[1][:40]
        assert (marker in after) == (alias not in alibaba.alias_sources), alias


def test_conflicts_are_marked_in_words_with_their_nature(fixture_only, bundled_site) -> None:
    trees = _html(build_site(open_registry(use_cache=False), today=TODAY))
    row = next(tr for tr in trees["figures.html"].iter("tr") if tr.get("id") == "a-sales-2024-daily")
    mark = next(e for e in row.iter("span") if e.get("class") == "conflict")
    assert sitecheck.text_of(mark) == "⚠ the articles disagree: precision"
    link = next(mark.iter("a"))
    assert link.get("href") == "conflicts.html#a-sales-2024-precision"
    assert link.get("aria-label") == "conflict: Carmaker A's 2024 sales in China (precision)"
    anomalies = sum("nature: anomaly" in p.read_text(encoding="utf-8") for p in (REPO / "facts" / "conflicts").glob("*.yaml"))
    assert anomalies, "the bundled facts have an anomaly to show"
    text = sitecheck.text_of(_html(bundled_site)["conflicts.html"])
    assert text.count("One article is inconsistent with itself") == anomalies and "The articles disagree" in text


def test_bundled_records_say_nothing_of_their_origin(bundled_site) -> None:
    assert not any(b'class="origin"' in body for body in bundled_site.values())


def test_index_says_what_version_and_how_fresh(bundled_site) -> None:
    text = sitecheck.text_of(_html(bundled_site)["index.html"])
    assert "fact base 1.0.0" in text or re.search(r"fact base \d", text)
    assert "The newest article was published 14 April 2025 (1 year and 7 months old on 1 December 2026)" in text
    assert "2 of 5 articles do not state when they were published" in text
    assert "have a date that has passed" in text
    matrix = next(t for t in _html(bundled_site)["index.html"].iter("table") if t.get("class") == "matrix")
    bmw = next(tr for tr in matrix.iter("tr") if tr.find("th") is not None and sitecheck.text_of(tr.find("th")).startswith("BMW"))  # type: ignore[arg-type]
    assert [a.get("href") for a in bmw.iter("a") if (a.get("href") or "").startswith("deals/")] == [
        "deals/bmw-alibaba-ai-cockpit.html", "deals/bmw-alibaba-since-2015.html", "deals/bmw-catl-eve-batteries.html",
        "deals/bmw-catl-eve-batteries.html", "deals/bmw-huawei-harmonyos.html",
    ]


def test_tables_are_filterable_where_the_issue_asks(bundled_site) -> None:
    trees = _html(bundled_site)
    for page, kind in (("deals.html", "deals"), ("figures.html", "figures"), ("timeline.html", "events")):
        tables = [t for t in trees[page].iter("table") if t.get("data-filter")]
        assert [t.get("data-filter") for t in tables] == [kind], page
        # Sortable by a value, not only by text: dates and amounts carry data-sort.
        assert any(td.get("data-sort") for td in tables[0].iter("td")), page
    # Without JavaScript no control is shown that would do nothing.
    assert not list(trees["deals.html"].iter("input")) and not list(trees["deals.html"].iter("button"))


# --- the network drawing -----------------------------------------------------------------------------------


def _svg(files: dict[str, bytes]) -> ET.Element:
    return next(e for e in _html(files)["network.html"].iter() if sitecheck.local(e.tag) == "svg")


def test_network_nodes_link_to_company_pages_either_way(fixture_only, monkeypatch) -> None:
    reg = open_registry(use_cache=False)
    g = graph(reg)
    companies = {f"companies/{n.id}.html" for n in g.nodes if n.kind != "unnamed"}
    drawers = ["builtin"] + (["graphviz"] if shutil.which("dot") else [])
    for drawer in drawers:
        files = build_site(reg, today=TODAY, use_graphviz=drawer == "graphviz")
        svg = _svg(files)
        hrefs = {a.get("href") for a in svg.iter() if sitecheck.local(a.tag) == "a"}
        assert companies <= hrefs, drawer
        assert "deals/jv-unnamed-adas.html" in hrefs  # the partner no article names links to its deal
        names = " ".join(sitecheck.text_of(e) for e in svg.iter() if sitecheck.local(e.tag) == "text")
        for n in g.nodes:
            assert all(word in names for word in n.name.split()[:2]), (drawer, n.name)
        caption = sitecheck.text_of(_html(files)["network.html"].find(".//figcaption"))  # type: ignore[arg-type]
        assert ("Graphviz." in caption) == (drawer == "graphviz")


def test_graphviz_is_used_when_required(fixture_only) -> None:
    import os

    if not os.environ.get("AUTOALLIANCES_REQUIRE_GRAPHVIZ") and shutil.which("dot") is None:
        assert site_graph.graphviz_svg(graph(open_registry(use_cache=False))) is None  # falls back: never blank
        return
    drawn = site_graph.graphviz_svg(graph(open_registry(use_cache=False)))
    assert drawn is not None and drawn.startswith("<svg")


def test_an_empty_graph_is_never_blank() -> None:
    from autoalliances.export.site.svg import builtin_svg
    from autoalliances.query.landscape import Graph

    svg = builtin_svg(Graph([], [], {}), lambda n: None)
    assert "No deals to draw." in svg and svg.startswith("<svg")


def test_svg_cleaning_keeps_drawing_and_drops_everything_else() -> None:
    dirty = b"""<?xml version="1.0"?>
<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10pt" height="10pt" viewBox="0 0 10 10" onload="alert(1)">
<script>alert(2)</script><style>*{}</style>
<g id="node1" class="node" style="fill:red"><title>c_x</title>
<a xlink:href="javascript:alert(3)"><text x="1" y="2">&lt;b&gt;</text></a>
<a xlink:href="companies/x.html"><ellipse cx="1" cy="1" rx="1" ry="1" fill="#fff"/></a>
<foreignObject><div>x</div></foreignObject>
</g></svg>"""
    clean = site_graph.clean_svg(dirty)
    assert clean is not None
    assert "script" not in clean and "style" not in clean and "onload" not in clean and "javascript" not in clean
    assert "foreignObject" not in clean and "<title>" not in clean and 'id="node1"' not in clean
    assert '<a href="companies/x.html"><ellipse cx="1" cy="1" rx="1" ry="1" fill="#fff"></ellipse></a>' in clean
    assert "<text x=\"1\" y=\"2\">&lt;b&gt;</text>" in clean
    assert site_graph.clean_svg(b"<html/>") is None and site_graph.clean_svg(b"not xml") is None


def test_builtin_layout_puts_partners_right_of_their_automakers(fixture_only) -> None:
    from autoalliances.export.site.svg import ranks

    g = graph(open_registry(use_cache=False))
    rank = ranks(g)
    for e in g.edges:
        assert rank[e.target] > rank[e.source], e


# --- the feeds ------------------------------------------------------------------------------------------------


def test_atom_feed_newest_first(bundled_site) -> None:
    ns = {"a": "http://www.w3.org/2005/Atom"}
    feed = ET.fromstring(bundled_site["events.atom"])
    assert feed.tag == "{http://www.w3.org/2005/Atom}feed"
    for tag in ("id", "title", "updated", "author/a:name"):
        assert feed.find(f"a:{tag}", ns) is not None, tag
    entries = feed.findall("a:entry", ns)
    from autoalliances.query.landscape import timeline

    assert len(entries) == len(timeline(open_registry(use_cache=False)).dated)
    stamps = [e.findtext("a:updated", namespaces=ns) for e in entries]
    assert stamps == sorted(stamps, reverse=True)  # newest first
    ids = [e.findtext("a:id", namespaces=ns) for e in entries]
    assert len(set(ids)) == len(ids) and all(re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", i or "") for i in ids)
    for e in entries:
        href = e.find("a:link", ns).get("href")  # type: ignore[union-attr]
        assert href and href.split("#")[0] in bundled_site, href
        for tag in ("title", "updated", "summary"):
            assert e.findtext(f"a:{tag}", namespaces=ns), tag
    planned = [e for e in entries if any(c.get("term") == "planned" for c in e.findall("a:category", ns))]
    assert planned and all((e.findtext("a:title", namespaces=ns) or "").startswith("Planned: ") for e in planned)


def test_the_calendar_file_is_what_export_ics_writes_and_is_linked(fixture_only) -> None:
    import icalendar

    from autoalliances.export.ics import ics_text
    from autoalliances.query.plans import calendar

    reg = open_registry(use_cache=False)
    files = build_site(reg, today=TODAY)
    assert files["calendar.ics"] == ics_text(calendar(reg)).encode("utf-8")
    events = [c for c in icalendar.Calendar.from_ical(files["calendar.ics"]).walk() if c.name == "VEVENT"]
    assert events and all(str(e["UID"]) for e in events)
    assert b'href="calendar.ics"' in files["index.html"] and sitecheck.broken_links(files) == []


# --- the builder refuses what a page must never hold -------------------------------------------------


def test_markup_refuses_event_handlers_and_script_links() -> None:
    with pytest.raises(ValueError, match="event handlers"):
        markup.el("a", "x", onclick="alert(1)")
    with pytest.raises(ValueError, match="event handlers"):
        markup.attr_element("svg", {"onLoad": "x"})
    for url in ("javascript:alert(1)", " JavaScript:alert(1)", "java\tscript:x", "data:text/html,x", "vbscript:x"):
        with pytest.raises(ValueError, match="refused link"):
            markup.el("a", "x", href=url)
    assert markup.el("a", "x", href="https://example.org/a?b=1&c=2") == '<a href="https://example.org/a?b=1&amp;c=2">x</a>'
    for bad in ("scr ipt", "a><b", ""):
        with pytest.raises(ValueError):
            markup.el(bad)
    with pytest.raises(ValueError):
        markup.el("script", "x")
    with pytest.raises(ValueError):
        markup.raw_element("script", "a</SCRIPT>b")


@settings(max_examples=300, deadline=None)
@given(st.text(), st.text())
def test_any_text_stays_text(body: str, attr: str) -> None:
    page = markup.join(
        markup.Html("<!DOCTYPE html><html lang=en><head><meta charset=utf-8><title>t</title></head><body>"),
        markup.el("p", body, title=attr, id="_x"),
        markup.Html("</body></html>"),
    )
    tree = sitecheck.parse(page.encode("utf-8"))
    (p,) = list(tree.iter("p"))
    assert list(p) == []  # no element came out of the text
    expected = markup.visible(body).replace("\r\n", "\n").replace("\r", "\n")
    assert sitecheck.text_of(p) == expected
    assert p.get("title") == markup.visible(attr).replace("\r\n", "\n").replace("\r", "\n")


# --- packaging and start-up ------------------------------------------------------------------------------------------


def test_wheel_ships_the_site_assets(tmp_path: Path) -> None:
    r = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(REPO), "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp_path)],
        capture_output=True, text=True, timeout=300,
    )
    assert r.returncode == 0, r.stderr
    (wheel,) = tmp_path.glob("autoalliances-*.whl")
    with zipfile.ZipFile(wheel) as z:
        for name in ("site.js", "site.css"):
            data = z.read(f"autoalliances/export/site/assets/{name}").decode("utf-8")
            assert data == asset(name)


PROBE = """
import sys
sys.argv = ["autoalliances", *sys.argv[1:]]
from autoalliances.cli import main
try:
    main()
except SystemExit:
    pass
sys.stdout.flush()
print("\\nMODULES", *sorted(m for m in sys.modules if m.startswith("autoalliances.export")), file=sys.stderr)
"""


@pytest.mark.parametrize(
    "args, allowed",
    [
        (["deals", "--year", "2025", "--format", "json"], set()),
        (["company", "carmaker-a"], set()),
        (["--help"], set()),
        (["export", "json", "-"], {"autoalliances.export", "autoalliances.export.document", "autoalliances.export.target"}),
    ],
)
def test_other_commands_import_nothing_of_the_site(fixture_only, args: list[str], allowed: set[str]) -> None:
    r = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, timeout=120)
    mods = set(r.stderr.rsplit("MODULES", 1)[1].split())
    assert mods <= allowed, mods - allowed
    assert r.stdout  # the command did run


def test_export_site_does_import_the_site(fixture_only, tmp_path: Path) -> None:
    """The probe above can fail."""
    r = subprocess.run([sys.executable, "-c", PROBE, "export", "site", str(tmp_path / "s")], capture_output=True, text=True, timeout=120)
    assert "autoalliances.export.site.build" in r.stderr.rsplit("MODULES", 1)[1].split()
    assert (tmp_path / "s" / "index.html").is_file()


def test_readme_shows_the_site_screenshots() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for name in ("site-deals-filtered.png", "site-company-toyota.png"):
        assert f"](docs/{name})" in readme, name
        assert (REPO / "docs" / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", name
    assert "datasette facts.db -m metadata.json" in readme


def test_marks_take_richer_answers_when_records_carry_them() -> None:
    """The wiring points (marks.py) read newer attributes when present and do without them today."""
    from autoalliances.export.site import marks
    from autoalliances.model.dates import FuzzyDate

    spring = FuzzyDate.parse("2026-spring")
    plan = types.SimpleNamespace(status="planned", date=spring)
    assert marks.plan_state(plan, date(2026, 12, 1)) == "passed"
    done = types.SimpleNamespace(state="done", word="planned", reported_by=None, done=None)
    assert marks.plan_state(types.SimpleNamespace(status="planned", date=spring), date(2026, 12, 1), done) == "done"
    assert marks.plan_state(types.SimpleNamespace(status="planned", date=spring, plan=done), date(2026, 12, 1)) == "done"
    assert marks.plan_state(types.SimpleNamespace(status="reported", date=spring), date(2026, 12, 1)) is None
    assert marks.plan_state(types.SimpleNamespace(status="planned", date=FuzzyDate.parse("unknown")), TODAY) == "undated"
    assert "planned</strong>, date not stated, as reported then" in marks.plan_note(types.SimpleNamespace(status="plan", period=FuzzyDate.parse("unknown")), TODAY)
    assert marks.plan_note(types.SimpleNamespace(status="reported", date=spring), TODAY) == '<span class="status">reported</span>'
    assert marks.origin_note(None) is None
    assert marks.origin_note({"kind": "bundled", "root": None, "file": "deals/x.yaml", "line": 3}) is None
    mine = {"kind": "user", "root": "/home/me/my-facts", "file": "deals.yaml", "line": 7}
    assert marks.origin_note(mine) == '<p class="origin">From your own fact files: <code>deals.yaml:7</code></p>'
    source = types.SimpleNamespace(published=FuzzyDate.parse("2025-03-18"), retrieved=FuzzyDate.parse("2025-04-01"))
    assert marks.source_freshness(source, TODAY) == "published 18 March 2025 (1 year and 8 months old on 1 December 2026); retrieved 1 April 2025"  # type: ignore[arg-type]
    assert marks.source_freshness(types.SimpleNamespace(published=FuzzyDate.parse("2027")), TODAY).endswith("(after this export's date on 1 December 2026)")  # type: ignore[arg-type]


def test_markup_joins_numbers_and_refuses_other_objects() -> None:
    assert markup.join("a<", 1, 2.5, None, False, ["b", [markup.Html("<br>")]]) == "a&lt;12.5b<br>"
    with pytest.raises(TypeError, match="cannot put a object"):
        markup.join(object())
    with pytest.raises(ValueError):
        markup.el("br", "content")
    assert markup.el("input", type="search", hidden=True, disabled=False) == '<input type="search" hidden>'
