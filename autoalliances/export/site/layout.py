"""The frame of every page: head with its Content-Security-Policy, navigation, footer, the embedded script.

The stylesheet and the script are the package's own files (``assets/``),
embedded in each page, and the Content-Security-Policy allows exactly those
two by their SHA-256 hash and nothing else: no other script, no inline event
handler, no style attribute, no request to anywhere (``default-src 'none'``).
Hashes rather than ``'self'``: a page opened from ``file://`` has no origin
that ``'self'`` could match in every browser, and a hash matches everywhere.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Sequence
from functools import cache
from importlib import resources

from .context import Page, record_path
from .marks import day_label, source_freshness
from .markup import Html, el, esc, join, raw_element

NAV = (
    ("index.html", "Overview"),
    ("companies.html", "Companies"),
    ("deals.html", "Deals"),
    ("models.html", "Models"),
    ("systems.html", "Systems"),
    ("figures.html", "Figures"),
    ("timeline.html", "Timeline"),
    ("network.html", "Network"),
    ("conflicts.html", "Conflicts"),
    ("sources.html", "Sources"),
)
TITLE = "autoalliances"


@cache
def asset(name: str) -> str:
    """One of the site's own files, as text (``site.js``, ``site.css``)."""
    return resources.files("autoalliances.export.site").joinpath("assets").joinpath(name).read_text(encoding="utf-8")


def digest(text: str) -> str:
    """The CSP hash source of a script or style body: 'sha256-...'."""
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


def content_security_policy() -> str:
    return (
        "default-src 'none'; "
        f"script-src '{digest(asset('site.js'))}'; "
        f"style-src '{digest(asset('site.css'))}'; "
        "base-uri 'none'; form-action 'none'"
    )


def document(page: Page, title: str, main: Html, *, section: str | None = None, lead: str | None = None) -> bytes:
    """A whole page: *main* between the site's header and footer, then the page's source notes."""
    site = page.site
    current = section or page.path
    nav = el(
        "nav",
        el(
            "ul",
            *(el("li", page.link(href, label, aria_current="page" if href == current else None)) for href, label in NAV),
        ),
        aria_label="Sections",
    )
    feeds = [page.link("events.atom", "Atom feed of events")]
    if site.calendar:
        feeds.append(page.link("calendar.ics", "calendar (iCalendar)"))
    footer = el(
        "footer",
        el(
            "p",
            f"Fact base version {site.version} · exported with {TITLE} · states relative to today as of ",
            el("time", day_label(site.today), datetime=site.today.isoformat()),
            " · ",
            join(*(join(" · " if i else None, f) for i, f in enumerate(feeds))),
        ),
        el("p", "Every fact cites the articles it comes from; plans are plans as reported then, not things that happened."),
    )
    head = join(
        Html('<meta charset="utf-8">'),
        el("meta", name="viewport", content="width=device-width, initial-scale=1"),
        el("meta", http_equiv="Content-Security-Policy", content=content_security_policy()),
        el("meta", name="referrer", content="no-referrer"),
        el("title", f"{title} · {TITLE}"),
        el("link", rel="alternate", type="application/atom+xml", title="Events", href=page.url("events.atom")),
        raw_element("style", asset("site.css")),
    )
    body = join(
        el("a", "Skip to the content", href="#_main", class_="skip"),
        el("header", el("p", page.link("index.html", TITLE), class_="brand"), nav),
        el(
            "main",
            el("h1", title),
            el("p", lead, class_="lead") if lead else None,
            main,
            footnotes(page),
            id="_main",
        ),
        footer,
        raw_element("script", asset("site.js")),
    )
    text = join(Html("<!DOCTYPE html>\n"), Html('<html lang="en">'), el("head", head), el("body", body), Html("</html>\n"))
    return text.encode("utf-8")


def footnotes(page: Page) -> Html:
    """The numbered sources this page cites, as the terminal prints them at the end of a screen."""
    if not page.order:
        return esc("")
    items = []
    for n, sid in enumerate(page.order, 1):
        s = page.site.sources.get(sid)
        if s is None:
            items.append(el("li", f"[{n}] {sid} (no such source)", id=f"_src-{n}"))
            continue
        items.append(
            el(
                "li",
                el("span", f"[{n}] ", class_="label"),
                page.link(record_path("source", s.id), s.outlet or "outlet not named"),
                " · ",
                source_freshness(s, page.site.today),
                (" · " + s.author) if s.author else None,
                join(" · “", s.title, "”") if s.title else None,
                join(" · ", el("a", "online", href=s.url, rel="external")) if getattr(s, "url", None) else None,
                " · ",
                el("code", s.id),
                id=f"_src-{n}",
            )
        )
    return el(
        "section",
        el("h2", "Sources cited on this page", id="_sources"),
        el("ol", *items, class_="footnotes"),
        aria_labelledby="_sources",
    )


def table(
    caption: object, head: Sequence[object], rows: Sequence[Html], *, filter_as: str | None = None, class_: str | None = None
) -> Html:
    """A table with a caption and column headers (``scope="col"``); *filter_as* ('deals') makes it filterable."""
    return el(
        "table",
        el("caption", caption),
        el("thead", el("tr", *(h if isinstance(h, Html) and h.startswith("<th") else el("th", h, scope="col") for h in head))),
        el("tbody", *rows),
        data_filter=filter_as,
        class_=class_,
    )


def empty(text: str) -> Html:
    return el("p", text, class_="empty")


__all__ = ["NAV", "Html", "asset", "content_security_policy", "document", "empty", "esc", "table"]
