"""The list commands on a terminal: a grid when it fits, a stacked list when it does not.

Imported only for the table format. Each kind of record has its columns and
its naming column (the record's name in bold, its id dimmed under it: the id
``show`` takes); a grid is drawn only when no word and no id has to be split
(``_widths``), moving short columns into the naming cell first if that makes
it fit (``_fold``); otherwise, and always below ``NARROW`` columns, each
record is a block of lines (``stacked``). No column is dropped or cut. The
values carry the screen's marks (``tables``: †, ⚠, ⚑) and end in numbered
source notes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from rich import box
from rich.cells import cell_len
from rich.console import Group

from ..model.records import Record
from ..query.views import Listing, Lookups
from .console import Text, console, t
from .flat import summary_row
from .marks import Marks, alias_texts
from .tables import (
    MIN_WIDTH,
    NO_WRAP,
    WRAP_CONSOLE,
    Notes,
    change_text,
    date_cell,
    deal_parties,
    flag_passed,
    language_line,
    milestone_texts,
    named,
    names_cell,
    nature,
    plan_line,
    plural,
    powertrain_suffix,
    shortened,
    status_cell,
)
from .text import one_line, safe

if TYPE_CHECKING:
    from rich.table import Table

__all__ = ["NARROW", "render_list", "stacked"]

NARROW = 80  # below this many columns a list is stacked: one block per record instead of a grid

Row = Callable[[Any, Listing, Notes], list[Text]]


def _who(f: Any, ctx: Lookups, m: Marks) -> str:
    return safe((m.cell(f, "company", ctx.name(f.company)) if f.company else m.cell(f, "scope", f.scope)) or "")


# Per kind: the column headers, the index of the column that names the record (the heading
# of a stacked block), and the cells of one record (the Src column is added after them).
_ROWS: dict[str, tuple[list[str], int, Row]] = {
    "deal": (
        ["Announced", "Deal", "Domains", "Status", "Src"], 1,
        lambda d, ls, n: [
            t(date_cell(d, "announced", d.announced, n.marks)),
            _deal_cell(d, ls.lookups, n),
            t(n.marks.joined(d, "domains", d.domains, "\n")),
            status_cell(d, n.marks),
        ],
    ),
    "company": (
        ["Company", "Kind", "Country", "Also known as", "Src"], 0,
        lambda x, ls, n: [
            named(x.name, x.id), t(n.marks.cell(x, "kind", x.kind)), t(n.marks.cell(x, "country", x.country)),
            t(shortened(alias_texts(x, n.marks, n.number))),
        ],
    ),
    "model": (
        ["Model", "Timing", "Systems", "Src"], 0,
        lambda x, ls, n: [
            named(x.name, x.id, (safe(n.marks.cell(x, "maker", ls.lookups.name(x.maker)) or "") + powertrain_suffix(x, n.marks), "")),
            flag_passed(t("\n".join(milestone_texts(x, n.marks, ls.lookups)) or None)),
            names_cell(x, "systems", ls.lookups, n.marks),
        ],
    ),
    "system": (
        ["System", "Kind", "Vendor", "Version", "Src"], 0,
        lambda s, ls, n: [
            named(s.name, s.id), t(n.marks.cell(s, "kind", s.kind)),
            t(n.marks.cell(s, "vendor", ls.lookups.name(s.vendor) if s.vendor else None)), t(n.marks.cell(s, "version", s.version)),
        ],
    ),
    "figure": (
        ["Period", "What", "Value", "Status", "Src"], 1,
        lambda f, ls, n: [
            t(date_cell(f, "period", f.period, n.marks)),
            _with_plan(
                named(
                    _who(f, ls.lookups, n.marks), f.id,
                    ((n.marks.cell(f, "metric", f.metric) or "") + " · " + safe(n.marks.cell(f, "region", f.region) or ""), ""),
                ),
                f, ls.lookups,
            ),
            Text.assemble(
                (n.marks.amount(f, "value", f.value, printed=False), "green"),
                ("\n" if f.value and f.change else "") + change_text(f, n.marks),
            ),
            status_cell(f, n.marks),
        ],
    ),
    "source": (
        ["Source", "Published", "Outlet", "Title"], 0,
        lambda s, ls, n: [
            Text.assemble((s.id, "bold"), ("\n" + safe(s.url or s.file or "") if s.url or s.file else "", "dim")),
            t(date_cell(s, "published", s.published, n.marks, "not stated")),
            Text.assemble(safe(n.marks.cell(s, "outlet", s.outlet) or "not named"), ("\n" + safe(s.author) if s.author else "", "dim")),
            Text.assemble(
                (n.marks.cell(s, "title", one_line(s.title)) or "—") if s.title else "—",
                ("\n" + language_line(s, n.marks), "dim"),
            ),
        ],
    ),
    "conflict": (
        ["Conflict", "Kind", "Nature", "Readings"], 0,
        lambda x, ls, n: [
            named(x.topic, x.id),
            t(n.marks.cell(x, "kind", x.kind), "yellow"),
            t(nature(x, n)),
            Text("\n".join(f"• {n.words(r.text)} [{n.number(r.source)}]" for r in x.readings)),
        ],
    ),
    "mixed": (
        ["Type", "Name", "Date", "Summary", "Src"], 1,
        lambda r, ls, n: [t(r.TYPE), named(r.name, r.id), *_mixed(r, ls.lookups, n.marks)],
    ),
    "search": (
        ["Type", "Name", "Match", "Src"], 1,
        lambda r, ls, n: [t(r.TYPE), _match_name(r, ls), _match(r, ls)],
    ),
}


def _deal_cell(d: Any, ctx: Lookups, notes: Notes) -> Text:
    """'BMW × Alibaba' in bold, its id dimmed, the title, the value when there is one, a plan's standing."""
    m = notes.marks
    value = m.amount(d, "value", d.value, printed=False) if d.value else ""
    cell = named(deal_parties(d, ctx, m), d.id, (m.cell(d, "title", notes.words(d.title)) or "", ""), (value, "green"))
    return _with_plan(cell, d, ctx)


def _with_plan(cell: Text, rec: Any, ctx: Lookups) -> Text:
    line = plan_line(rec, ctx)
    if line is not None:
        cell.append("\n")
        cell.append_text(line)
    return cell


def _mixed(r: Record, ctx: Lookups, m: Marks) -> list[Text]:
    row = summary_row(r, ctx, m)
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


def _match(r: Record, listing: Listing) -> Text:
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
        floor = longest if c in NO_WRAP else max([_widest_word(r[i]) for r in rows] + [cell_len(c), min(MIN_WIDTH.get(c, 6), longest)])
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
        tb.add_column(c, overflow="fold", no_wrap=c in NO_WRAP, width=w)
    for cells in rows:
        tb.add_row(*cells)
    return tb


# Columns that may move into the naming cell, first first, when the grid is too wide.
_FOLDABLE = {
    "deal": ["Domains", "Status"], "company": ["Kind", "Country"], "figure": ["Status"], "system": ["Kind", "Version"],
    "conflict": ["Kind", "Nature"], "search": ["Type"],
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
            out += [Text.assemble(" " * indent, part) for part in line.wrap(WRAP_CONSOLE, max(width - indent, 20))]
        out.append(Text(""))
    return out


def render_list(listing: Listing) -> None:
    """A grid when it fits the terminal without splitting a word or an id (moving short
    columns into the naming cell if need be); otherwise, and always below ``NARROW``
    columns, the stacked form. No column is dropped or cut."""
    con = console()
    notes = Notes(listing.lookups, listing.records)
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
