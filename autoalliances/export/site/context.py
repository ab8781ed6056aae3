"""What every page needs: the whole fact base once (``Site``), and per page its links and source notes (``Page``).

Every record has one address in the site (``record_path``): companies,
deals, models and systems a page of their own; figures, sources and
conflicts an anchor (the record's id) on the page that lists them. Links
are relative, so the folder works from ``file://``, from a zip file and from
any static host, at any path.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from ...model.records import Conflict, Record, Source
from ...query.views import Lookups
from .markup import Html, el, esc, join

RECORD_DIRS = {"company": "companies", "deal": "deals", "model": "models", "system": "systems"}
LIST_PAGES = {"figure": "figures.html", "source": "sources.html", "conflict": "conflicts.html"}


def record_path(type_: str, id_: str) -> str:
    """The address of a record inside the site: 'companies/bmw.html', 'figures.html#bmw-sales-2024'."""
    if type_ in RECORD_DIRS:
        return f"{RECORD_DIRS[type_]}/{id_}.html"
    return f"{LIST_PAGES[type_]}#{id_}"


class Site:
    """The fact base as the site shows it, read once from the registry."""

    def __init__(
        self,
        records: dict[str, list[Record]],
        lookups: Lookups,
        today: date,
        version: str,
        *,
        calendar: bool = False,
    ) -> None:
        self.records = records  # by fact-file key ("deals"), each in its list command's order
        self.by_id: dict[str, Record] = {r.id: r for recs in records.values() for r in recs}
        self.lookups = lookups
        self.sources: dict[str, Source] = {s.id: s for s in records["sources"] if isinstance(s, Source)}
        self.conflicts: dict[str, Conflict] = {c.id: c for c in records["conflicts"] if isinstance(c, Conflict)}
        self.today = today
        self.version = version
        self.calendar = calendar  # calendar.ics is part of the site

    def name(self, id_: str | None) -> str:
        if id_ is None:
            return ""
        rec = self.by_id.get(id_)
        return rec.name if rec is not None else self.lookups.name(id_)

    def conflicts_of(self, id_: str) -> list[Conflict]:
        return [self.conflicts[c] for c in self.lookups.conflicts.get(id_, []) if c in self.conflicts]


class Page:
    """One page being written: where it sits (for relative links) and its numbered source notes."""

    def __init__(self, site: Site, path: str) -> None:
        self.site = site
        self.path = path
        self.order: list[str] = []  # source ids in order of first citation: note 1, 2, ...

    @property
    def root(self) -> str:
        """The way back to the site's top folder from this page: '' or '../'."""
        return "../" * self.path.count("/")

    def url(self, target: str) -> str:
        """*target* (a path inside the site) relative to this page."""
        return self.root + target

    def link(self, target: str, text: object, **attrs: object) -> Html:
        return el("a", text, href=self.url(target), **attrs)

    def record(self, id_: str | None, text: object = None) -> Html:
        """A link to a record's page or anchor, by its name; plain text for an id the site does not hold."""
        if id_ is None:
            return esc("")
        rec = self.site.by_id.get(id_)
        label = self.site.name(id_) if text is None else text
        if rec is None:
            return esc(label)
        return self.link(record_path(rec.TYPE, rec.id), label)

    def records(self, ids: Iterable[str], sep: str = ", ") -> Html:
        return join(*(join(sep if i else None, self.record(x)) for i, x in enumerate(ids)))

    def number(self, source_id: str) -> int:
        if source_id not in self.order:
            self.order.append(source_id)
        return self.order.index(source_id) + 1

    def cite(self, source_ids: Sequence[str]) -> Html:
        """'[1,3]': footnote numbers linking to the notes at the end of the page."""
        ids = list(dict.fromkeys(source_ids))
        if not ids:
            return esc("")
        links = [join("," if i else None, el("a", str(self.number(s)), href=f"#_src-{self.number(s)}")) for i, s in enumerate(ids)]
        return el("sup", "[", *links, "]", class_="cite")
