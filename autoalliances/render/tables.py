"""Rich tables for people: the list commands, and the pieces every screen shares.

Imported only for the table format. Every value goes in as a ``Text`` object,
never as markup, so a fact that contains "[bold red]" prints those
characters; control characters are made visible by ``text.safe`` first. Each
screen ends with numbered source notes (``Notes``): which article, which
outlet, when it was published.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from rich import box
from rich.cells import cell_len
from rich.console import Console, Group
from rich.text import Text

from ..model.records import PLURAL, Record, Source
from ..model.refs import cited_sources, file_mentions, file_number
from ..query.views import Listing, Lookups
from .shapes import summary_row
from .text import amount, change, deal_label, milestone, one_line, safe

if TYPE_CHECKING:  # rich.table is imported where a table is drawn: the dossier draws none
    from rich.table import Table

_STATUS_STYLE = {
    "planned": "yellow",
    "plan": "yellow",
    "target": "yellow",
    "announced": "green",
    "reported": "green",
    "in-production": "green",
    "ongoing": "green",
}


def console() -> Console:
    return Console(highlight=False, emoji=False, markup=False)


_WRAP_CONSOLE = Console(highlight=False, emoji=False, markup=False, width=1000)  # only measures text for Text.wrap


def t(value: Any, style: str = "") -> Text:
    """A literal, safe cell."""
    if value is None:
        return Text("—", style="dim")
    return Text(safe(str(value)), style=style)


class Notes:
    """Numbers sources in order of first use and prints them as footnotes.

    Every reference on a screen is to these numbers: a record's own list is
    sorted (``[1,3,4]``), and a text that names an article by its file number
    ("article 004") is shown with that article's footnote instead (``words``).
    """

    def __init__(self, ctx: Lookups) -> None:
        self.ctx = ctx
        self.order: list[str] = []
        self.conflicted = False
        self._by_file: dict[str, str] | None = None

    def number(self, source_id: str) -> int:
        if source_id not in self.order:
            self.order.append(source_id)
        return self.order.index(source_id) + 1

    def numbers(self, ids: Sequence[str]) -> str:
        """'1,3,4': the footnote numbers of *ids*, sorted."""
        return ",".join(str(n) for n in sorted({self.number(s) for s in ids}))

    def ref(self, rec: Record) -> Text:
        nums = self.numbers(cited_sources(rec) if not isinstance(rec, Source) else [])
        out = Text()
        out.append(f"[{nums}]" if nums else "", style="cyan")
        if self.ctx.conflicts.get(rec.id):
            self.conflicted = True
            out.append(" ⚠", style="bold yellow")
        return out

    def words(self, text: str | None) -> str:
        """*text* on one line, made safe, with "article 004" (a source's file number) as "article [3]"."""
        line = one_line(text or "")
        found = file_mentions(line)
        if not found:
            return line
        if self._by_file is None:
            self._by_file = {n: sid for sid, s in self.ctx.sources.items() if (n := file_number(s.file))}
        out, at = [], 0
        for start, end, num in found:
            sid = self._by_file.get(num)
            if sid:
                out += [line[at:start], f"[{self.number(sid)}]"]
                at = end
        return "".join([*out, line[at:]])

    def render(self) -> Group:
        lines = []
        for i, sid in enumerate(self.order, 1):
            s = self.ctx.sources.get(sid)
            if s is None:
                continue
            lines.append(source_line(s, f"[{i}]"))
        if self.conflicted:
            lines.append(Text("⚠ the articles disagree on this record: see `autoalliances show ID`", style="yellow"))
        return Group(*lines)


def source_line(s: Source, label: str) -> Text:
    line = Text()
    line.append(label + " ", style="cyan")
    line.append(safe(s.outlet or "outlet not named"), style="bold")
    line.append(" · ")
    line.append("published " + s.published.label if s.published.known else "publication date not stated")
    if s.author:
        line.append(" · " + safe(s.author))
    if s.title:
        line.append(" · “" + one_line(s.title) + "”", style="italic")
    line.append(f" · {s.id}", style="dim")
    return line


_NO_WRAP = {"Src", "Domains", "Announced", "Period", "Status", "Kind", "Published", "Lang", "Metric", "Version", "Type", "Date"}


_MIN_WIDTH = {"Deal": 16, "Value": 14, "What": 14, "Model": 14, "Timing": 20, "Readings": 24, "Title": 20, "Summary": 20, "Match": 24}
NARROW = 80  # below this many columns a list is stacked: one block per record instead of a grid


def _status(v: str) -> Text:
    return t(v, _STATUS_STYLE.get(v, ""))


def _names(ids: Sequence[str], ctx: Lookups) -> Text:
    return t(", ".join(ctx.name(i) for i in ids) if ids else None)


def named(name: str, id_: str, *more: tuple[str, str]) -> Text:
    """A record's name in bold with its id dimmed under it (the id ``show`` takes), then *more* lines."""
    cell = Text.assemble((safe(name), "bold"), "\n", (id_, "dim"))
    for text, style in more:
        if text:
            cell.append("\n" + text, style=style)
    return cell


def maker_line(m: Any, ctx: Lookups) -> str:
    """'BMW · BEV': a model's maker and powertrains."""
    return safe(ctx.name(m.maker)) + (" · " + ", ".join(p.upper() for p in m.powertrains) if m.powertrains else "")


def shortened(items: Sequence[str], room: int = 40) -> str | None:
    """Items joined with ", " while they fit in about *room* characters, then "+N more"."""
    shown: list[str] = []
    for item in items:
        if shown and len(", ".join([*shown, item])) > room:
            break
        shown.append(safe(item))
    rest = len(items) - len(shown)
    return (", ".join(shown) + (f" +{rest} more" if rest else "")) or None


Row = Callable[[Any, Listing, "Notes"], list[Text]]

# Per kind: the column headers, the index of the column that names the record (the heading
# of a stacked block), and the cells of one record (the Src column is added after them).
_ROWS: dict[str, tuple[list[str], int, Row]] = {
    "deal": (
        ["Announced", "Deal", "Domains", "Status", "Src"], 1,
        lambda d, ls, n: [t(d.announced.label), _deal_cell(d, ls.lookups), t("\n".join(d.domains)), _status(d.status)],
    ),
    "company": (
        ["Company", "Kind", "Country", "Also known as", "Src"], 0,
        lambda x, ls, n: [named(x.name, x.id), t(x.kind), t(x.country), t(shortened(x.aliases))],
    ),
    "model": (
        ["Model", "Timing", "Systems", "Src"], 0,
        lambda m, ls, n: [
            named(m.name, m.id, (maker_line(m, ls.lookups), "")),
            t("\n".join(milestone(x) for x in m.milestones) or None),
            _names(m.systems, ls.lookups),
        ],
    ),
    "system": (
        ["System", "Kind", "Vendor", "Version", "Src"], 0,
        lambda s, ls, n: [named(s.name, s.id), t(s.kind), t(ls.lookups.name(s.vendor) if s.vendor else None), t(s.version)],
    ),
    "figure": (
        ["Period", "What", "Value", "Status", "Src"], 1,
        lambda f, ls, n: [
            t(f.period.label),
            named(ls.lookups.name(f.company) if f.company else f.scope or "", f.id, (f.metric + " · " + safe(f.region), "")),
            Text.assemble((amount(f.value, printed=False) or "", "green"), ("\n" if f.value and f.change else "") + change(f.change)),
            _status(f.status),
        ],
    ),
    "source": (
        ["Source", "Published", "Outlet", "Title"], 0,
        lambda s, ls, n: [
            Text.assemble((s.id, "bold"), ("\n" + s.file, "dim")),
            t(s.published.label if s.published.known else "not stated"),
            Text.assemble(safe(s.outlet or "not named"), ("\n" + safe(s.author) if s.author else "", "dim")),
            Text.assemble(
                one_line(s.title) if s.title else "—",
                ("\n" + s.language + (f", from {s.original_language}" if s.original_language else "")
                 + (f" ({s.translation} translation)" if s.translation else ""), "dim"),
            ),
        ],
    ),
    "conflict": (
        ["Conflict", "Kind", "Readings"], 0,
        lambda x, ls, n: [
            named(x.topic, x.id),
            t(x.kind, "yellow"),
            Text("\n".join(f"• {n.words(r.text)} [{n.number(r.source)}]" for r in x.readings)),
        ],
    ),
    "mixed": (
        ["Type", "Name", "Date", "Summary", "Src"], 1,
        lambda r, ls, n: [t(r.TYPE), named(r.name, r.id), *_mixed(r, ls.lookups)],
    ),
    "search": (
        ["Type", "Name", "Match", "Src"], 1,
        lambda r, ls, n: [t(r.TYPE), _match_name(r, ls), _match(r, ls, n)],
    ),
}


def _deal_cell(d: Any, ctx: Lookups) -> Text:
    """'BMW × Alibaba' in bold, its id dimmed, then the title, then the value when there is one."""
    return named(deal_label(d, ctx.name), d.id, (one_line(d.title), ""), (amount(d.value, printed=False) if d.value else "", "green"))


def _mixed(r: Record, ctx: Lookups) -> list[Text]:
    row = summary_row(r, ctx)
    return [t(row["date"] or None), t(row["summary"] or None)]


_HIT = "bold reverse"


def _match_name(r: Record, listing: Listing) -> Text:
    """The name and id of a search hit; a match in the name is highlighted there."""
    cell = named(r.name, r.id)
    m = (listing.matches or {}).get(r.id)
    if m is not None and m.field == "name":
        words = {m.text[a:b].casefold() for a, b in m.spans}
        low = cell.plain.split("\n")[0].casefold()
        for w in words:
            for found in re.finditer(re.escape(w), low):
                cell.stylize(_HIT, found.start(), found.end())
    return cell


def _match(r: Record, listing: Listing, notes: Notes) -> Text:
    """Where a search hit matched: the field, dimmed, then the snippet with the match highlighted
    (a match in the name is highlighted in the name)."""
    m = (listing.matches or {}).get(r.id)
    if m is None or not m.text:
        return t(None)
    if m.field == "name":
        return Text("the name", style="dim")
    out = Text(m.field + ": ", style="dim")
    at = 0
    for start, end in m.spans:
        out.append(safe(m.text[at:start]))
        out.append(safe(m.text[start:end]), style=_HIT)
        at = end
    out.append(safe(m.text[at:]))
    return out


def plural(kind: str) -> str:
    """'deals' for 'deal'; 'results' for a mixed list."""
    return "results" if kind == "mixed" else PLURAL[kind]


def _title(listing: Listing) -> str:
    """"15 deals", "1 deal", "3 of 15 deals" (--limit); a titled list keeps its title."""
    n, total, kind = len(listing.records), listing.shown_of, listing.kind
    if listing.title:
        return listing.title + (f" ({n} of {total})" if total else "")
    if total:
        return f"{n} of {total} {plural(kind)}"
    return f"{n} {plural(kind) if n != 1 else 'result' if kind == 'mixed' else kind}"


def _cells(listing: Listing, notes: Notes) -> tuple[list[str], int, list[list[Text]]]:
    """The columns, the naming column, and each record's cells; columns that hold only "—" are left out."""
    key = "search" if listing.matches is not None else listing.kind
    cols, main, row = _ROWS[key]
    rows = []
    for r in listing.records:
        cells = row(r, listing, notes)
        if cols[-1] == "Src":
            cells.append(notes.ref(r))
        rows.append(cells)
    keep = [i for i in range(len(cols)) if i == main or any(c[i].plain != "—" for c in rows)]
    return [cols[i] for i in keep], keep.index(main), [[c[i] for i in keep] for c in rows]


def _widest_word(text: Text) -> int:
    return max((cell_len(w) for w in text.plain.split()), default=0)


def _widths(columns: Sequence[str], rows: Sequence[Sequence[Text]], width: int) -> Sequence[int | None] | None:
    """Column widths that fit *width* without splitting a word or an id, or None when none do.

    A column is at least its widest word (its widest line if it never wraps);
    the room left goes to the columns that wrap, in proportion to what they lack.
    """
    lo, hi = [], []
    for i, c in enumerate(columns):
        lines = [cell_len(line) for r in rows for line in r[i].plain.split("\n")] + [cell_len(c)]
        longest = max(lines)
        floor = longest if c in _NO_WRAP else max([_widest_word(r[i]) for r in rows] + [cell_len(c), min(_MIN_WIDTH.get(c, 6), longest)])
        lo.append(floor)
        hi.append(max(longest, floor))
    room = width - (len(columns) + 1) - 2 * len(columns)  # the table's edges, separators and cell padding
    if sum(hi) <= room:
        return [None] * len(columns)
    if sum(lo) > room:
        return None
    spare, lack = room - sum(lo), [h - m for h, m in zip(hi, lo, strict=True)]
    out = [m + spare * k // sum(lack) for m, k in zip(lo, lack, strict=True)]
    left = room - sum(out)
    for i in sorted(range(len(out)), key=lambda i: -lack[i]):  # what the rounding left over
        extra = min(left, hi[i] - out[i])
        out[i], left = out[i] + extra, left - extra
    return list(out)


def _grid(title: str, columns: Sequence[str], rows: Sequence[Sequence[Text]], widths: Sequence[int | None]) -> Table:
    from rich.table import Table

    tb = Table(title=Text(safe(title)), box=box.SIMPLE_HEAVY, header_style="bold", title_justify="left", expand=False)
    for c, w in zip(columns, widths, strict=True):
        tb.add_column(c, overflow="fold", no_wrap=c in _NO_WRAP, width=w)
    for cells in rows:
        tb.add_row(*cells)
    return tb


# Columns that may move into the naming cell, first first, when the grid is too wide.
_FOLDABLE = {
    "deal": ["Domains", "Status"], "company": ["Kind", "Country"], "figure": ["Status"], "system": ["Kind", "Version"],
    "search": ["Type"],
}
_BLOCK = {"Timing", "Readings", "Title"}  # in the stacked form, a column of several lines gets a line each


def _fold(columns: list[str], main: int, rows: list[list[Text]], fold: Sequence[str]) -> tuple[list[str], int, list[list[Text]]]:
    """The columns *fold* moved into the naming cell, as one dimmed last line ("automaker · Germany")."""
    at = [columns.index(c) for c in fold]
    out = []
    for cells in rows:
        parts = [Text(", ").join(cells[i].split("\n")) for i in at if cells[i].plain != "—"]
        folded = Text(" · ").join(parts)
        folded.stylize("dim")
        merged = [Text.assemble(c, "\n", folded) if i == main and parts else c for i, c in enumerate(cells)]
        out.append([c for i, c in enumerate(merged) if i not in at])
    cols = [c for c in columns if c not in fold]
    return cols, cols.index(columns[main]), out


def stacked(title: str, columns: Sequence[str], main: int, rows: Sequence[Sequence[Text]], width: int) -> list[Text]:
    """A list for a narrow terminal: per record, its naming cell (name, id...) with its sources,
    then the other columns, "Label value" joined with " · " (a column of several lines gets
    a line each), every line wrapped at spaces to *width*."""
    out = [Text(safe(title)), Text("")]
    for cells in rows:
        name = cells[main].split("\n")
        src = cells[-1] if columns[-1] == "Src" else Text("")
        block = [(0, Text.assemble(name[0], "  ", src) if src.plain else name[0]), *((2, line) for line in name[1:])]
        short: list[Text] = []
        for c, cell in zip(columns, cells, strict=True):
            if c in (columns[main], "Src") or cell.plain == "—":
                continue
            lines = cell.split("\n")
            if len(lines) == 1 or c not in _BLOCK:
                short.append(Text.assemble((c + " ", "dim"), Text(", " if c == "Domains" else "; ").join(lines)))
            else:
                block.append((2, Text(c, style="dim")))
                block += [(4, line) for line in lines]
        if short:
            block.insert(len(name), (2, Text(" · ").join(short)))
        for indent, line in block:
            out += [Text.assemble(" " * indent, part) for part in line.wrap(_WRAP_CONSOLE, max(width - indent, 20))]
        out.append(Text(""))
    return out


def render_list(listing: Listing) -> None:
    """A grid when it fits the terminal without splitting a word or an id (moving short
    columns into the naming cell if need be); otherwise, and always below ``NARROW``
    columns, the stacked form. No column is dropped or cut."""
    con = console()
    notes = Notes(listing.lookups)
    columns, main, rows = _cells(listing, notes)
    title = _title(listing)
    widths = _widths(columns, rows, con.width) if con.width >= NARROW else None
    grid = (columns, main, rows)
    foldable = [c for c in _FOLDABLE.get("search" if listing.matches is not None else listing.kind, []) if c in columns]
    for n in range(1, len(foldable) + 1) if con.width >= NARROW else ():
        if widths is not None:
            break
        grid = _fold(columns, main, rows, foldable[:n])
        widths = _widths(grid[0], grid[2], con.width)
    if widths is None:
        con.print(Group(*stacked(title, columns, main, rows, con.width)))
    else:
        con.print(_grid(title, grid[0], grid[2], widths))
    con.print(notes.render())


def cite(ids: Sequence[str], notes: Notes) -> str:
    """'[1,3]': the footnote numbers of *ids*, sorted."""
    return f"[{notes.numbers(ids)}]"


