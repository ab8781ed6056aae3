"""Checks of an exported site shared by the site, folder and browser tests: parse, links, ids."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping
from posixpath import dirname, join, normpath
from typing import Any
from urllib.parse import unquote, urlsplit

import html5lib

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = """\
companies:
  - id: evil-corp
    name: "<script>alert('name')</script>"
    kind: technology
    country: "\\"><img src=x onerror=alert(1)>"
    aliases: ["javascript:alert(1)", "</title><script>alert(2)</script>"]
    alias_sources: {"javascript:alert(1)": [daily-2025-03-01]}
    description: "A </td></tr></table><script>alert(3)</script> company & <b>bold</b>; ]]> <!-- x --> \\u001b[31mred"
    notes:
      - {text: "<iframe src=//evil.example>", sources: [daily-2025-03-01]}
    sources: [daily-2025-03-01]
deals:
  - id: evil-deal
    title: "<svg onload=alert(4)>"
    company: carmaker-a
    partners: [evil-corp]
    kind: partnership
    domains: [connectivity]
    announced: "2025-03"
    status: planned
    description: "{{7*7}} ${x} <style>body{display:none}</style>"
    milestones:
      - {date: "2025-Q4", event: "<a href=javascript:alert(5)>go</a>", status: planned, sources: [daily-2025-03-01]}
    inferred: {kind: "<script>alert('why')</script>"}
    sources: [daily-2025-03-01]
conflicts:
  - id: evil-conflict
    topic: "<script>alert('topic')</script>"
    kind: naming
    records: [evil-corp]
    readings:
      - {source: daily-2025-03-01, text: "<b onmouseover=alert(6)>x</b>", record: evil-corp}
      - {source: weekly-undated, text: "plain", record: evil-corp}
"""
# What the hostile facts must show as text, somewhere in the site.
HOSTILE_TEXTS = [
    "<script>alert('name')</script>",
    "\"><img src=x onerror=alert(1)>",
    "</title><script>alert(2)</script>",
    "<svg onload=alert(4)>",
    "<a href=javascript:alert(5)>go</a>",
    "<b onmouseover=alert(6)>x</b>",
    "<iframe src=//evil.example>",
    "\\x1b[31mred",
]


def parse(data: bytes) -> ET.Element:
    """A page through html5lib in strict mode: any parse error fails."""
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    return parser.parse(data)  # type: ignore[no-any-return]


def local(tag: object) -> str:
    return str(tag).removeprefix(SVG)


def text_of(node: ET.Element) -> str:
    """The text a reader sees in *node* (a whole page: its body, without the script)."""
    if node.tag == "html":
        body = node.find("body")
        assert body is not None
        return "".join("".join(child.itertext()) for child in body if child.tag != "script")
    return "".join(node.itertext())


def pages(files: Mapping[str, bytes]) -> dict[str, ET.Element]:
    return {name: parse(data) for name, data in files.items() if name.endswith(".html")}


def ids(tree: ET.Element) -> list[str]:
    return [e.get("id") or "" for e in tree.iter() if e.get("id") is not None]


def links(tree: ET.Element) -> list[str]:
    """Every href and src of a page, SVG links included."""
    out = []
    for e in tree.iter():
        for attr in ("href", "src", "{http://www.w3.org/1999/xlink}href"):
            v = e.get(attr)
            if v is not None:
                out.append(v)
    return out


def article_links(tree: Any) -> set[str]:
    """The web addresses of the articles themselves: plain links marked rel="external"."""
    return {e.get("href") for e in tree.iter() if local(e.tag) == "a" and e.get("rel") == "external" and e.get("href")}


def broken_links(files: Mapping[str, bytes]) -> list[str]:
    """Links that do not resolve inside the site: a missing file or a missing anchor; and any link to
    outside except an article's own address (rel="external", http or https)."""
    trees = pages(files)
    anchors = {name: set(ids(t)) for name, t in trees.items()}
    bad = []
    for name, tree in trees.items():
        articles = article_links(tree)
        for href in links(tree):
            parts = urlsplit(href)
            if parts.scheme or parts.netloc:
                if href not in articles or parts.scheme not in ("http", "https"):
                    bad.append(f"{name}: external {href}")
                continue
            target = normpath(join(dirname(name), unquote(parts.path))) if parts.path else name
            if target.startswith("../") or target not in files:
                bad.append(f"{name}: {href} (no file {target})")
            elif parts.fragment and parts.fragment not in anchors.get(target, set()):
                bad.append(f"{name}: {href} (no id {parts.fragment} in {target})")
    return bad
