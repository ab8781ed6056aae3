"""Rich tables for people: the list commands, and the pieces every screen shares.

Imported only for the table format. Every value goes in as a ``Text`` object,
never as markup, so a fact that contains "[bold red]" prints those
characters; ``console.Text`` makes control and invisible characters visible
as they go in, whichever field they come from. Each
screen ends with numbered source notes (``Notes``): which article, which
outlet, when it was published.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, cast

from rich import box
from rich.console import Group

from ..model.records import PLURAL, Record, Source
from ..model.refs import cited_sources
from ..query.views import Listing, Lookups
from .console import Text, console, t

__all__ = ["Notes", "cite", "console", "plural", "render_list", "source_line", "t"]
from .shapes import summary_row
from .text import PASSED, amount, change, deal_label, milestone, one_line, plan_words, safe

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


_WRAP_CONSOLE = console(width=1000)  # only measures text for Text.wrap


def flag_passed(text: Text) -> Text:
    """Style every "⚑ date passed, no later report" in *text* so it stands out (the marker does without colour)."""
    text.highlight_words([PASSED], style="bold red")
    return text


def milestones_text(rec: Any, ctx: Lookups, bullet: str = "") -> list[Text]:
    """A record's milestones, one line each, plans with their standing (passed ones flagged)."""
    return [flag_passed(Text(bullet + milestone(m, ctx.plan(rec.id, i)))) for i, m in enumerate(rec.milestones)]


def plan_line(rec: Any, ctx: Lookups, style: str = "dim") -> Text | None:
    """The standing of a planned deal or a figure's plan or target, as a line; None when it is no plan."""
    p = ctx.plan(rec.id)
    return None if p is None else flag_passed(Text(plan_words(p), style=style))


class Notes:
    """Numbers sources in order of first use and prints them as footnotes."""

    def __init__(self, ctx: Lookups) -> None:
        self.ctx = ctx
        self.order: list[str] = []
        self.conflicted = False

    def number(self, source_id: str) -> int:
        if source_id not in self.order:
            self.order.append(source_id)
        return self.order.index(source_id) + 1

    def ref(self, rec: Record) -> Text:
        nums = [str(self.number(s)) for s in (cited_sources(rec) if not isinstance(rec, Source) else [])]
        out = Text()
        out.append("[" + ",".join(nums) + "]" if nums else "", style="cyan")
        if self.ctx.conflicts.get(rec.id):
            self.conflicted = True
            out.append(" ⚠", style="bold yellow")
        return out

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
    if s.url:
        line.append(" · " + safe(s.url), style="dim")
    line.append(f" · {s.id}", style="dim")
    return line


_NO_WRAP = {
    "Src", "Domains", "Announced", "Period", "Status", "Kind", "Published", "Lang", "Metric", "Version", "Type", "Date", "When", "State",
}


_MIN_WIDTH = {"Deal": 16, "Value": 14, "What": 14, "Model": 14, "Timing": 20, "Readings": 24, "Title": 20, "Summary": 20, "Plan": 20}


def _table(title: str | None, columns: Sequence[str]) -> Table:
    from rich.table import Table

    tb = Table(title=Text(safe(title)) if title else None, box=box.SIMPLE_HEAVY, header_style="bold", title_justify="left", expand=False)
    for c in columns:
        tb.add_column(c, overflow="fold", no_wrap=c in _NO_WRAP, min_width=_MIN_WIDTH.get(c, 6) if c not in _NO_WRAP else None)
    return tb


def _status(v: str) -> Text:
    return t(v, _STATUS_STYLE.get(v, ""))


def _names(ids: Sequence[str], ctx: Lookups) -> Text:
    return t(", ".join(ctx.name(i) for i in ids) if ids else None)


Row = Callable[[Any, Lookups, "Notes"], list[Text]]

_ROWS: dict[str, tuple[list[str], Row]] = {
    "deal": (
        ["Announced", "Deal", "Domains", "Status", "Src"],
        lambda d, c, n: [
            t(d.announced.label),
            _deal_cell(d, c),
            t("\n".join(d.domains)),
            _status(d.status),
        ],
    ),
    "company": (
        ["Company", "Id", "Kind", "Country", "Also known as", "Src"],
        lambda x, c, n: [t(x.name, "bold"), t(x.id, "dim"), t(x.kind), t(x.country), t(", ".join(x.aliases) or None)],
    ),
    "model": (
        ["Model", "Timing", "Systems", "Src"],
        lambda m, c, n: [
            Text.assemble(
                (safe(m.name), "bold"),
                ("\n" + safe(c.name(m.maker)) + (" · " + ", ".join(p.upper() for p in m.powertrains) if m.powertrains else ""), "dim"),
            ),
            cast(Text, Text("\n").join(milestones_text(m, c))) if m.milestones else t(None),
            _names(m.systems, c),
        ],
    ),
    "system": (
        ["System", "Kind", "Vendor", "Version", "Src"],
        lambda s, c, n: [t(s.name, "bold"), t(s.kind), t(c.name(s.vendor) if s.vendor else None), t(s.version)],
    ),
    "figure": (
        ["Period", "What", "Value", "Status", "Src"],
        lambda f, c, n: [
            t(f.period.label),
            _with_plan(
                Text.assemble(
                    (safe(c.name(f.company) if f.company else f.scope or ""), "bold"),
                    ("\n" + f.metric + " · " + safe(f.region), "dim"),
                ),
                f,
                c,
            ),
            Text.assemble(
                (amount(f.value, printed=False) or "", "green"),
                ("\n" if f.value and f.change else "") + change(f.change),
            ),
            _status(f.status),
        ],
    ),
    "source": (
        ["Source", "Published", "Outlet", "Title"],
        lambda s, c, n: [
            Text.assemble((s.id, "bold"), ("\n" + safe(s.url or s.file) if s.url or s.file else "", "dim")),
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
        ["Conflict", "Kind", "Readings"],
        lambda x, c, n: [
            Text.assemble((safe(x.topic), "bold"), "\n", (x.id, "dim")),
            t(x.kind, "yellow"),
            Text("\n".join(f"• {one_line(r.text)} [{n.number(r.source)}]" for r in x.readings)),
        ],
    ),
    "mixed": (
        ["Type", "Name", "Date", "Summary", "Src"],
        lambda r, c, n: [t(r.TYPE), Text.assemble((safe(r.name), "bold"), "\n", (r.id, "dim")), *_mixed(r, c)],
    ),
}


def _deal_cell(d: Any, ctx: Lookups) -> Text:
    """'BMW × Alibaba' in bold, then the title, then the value when there is one, then a plan's standing."""
    cell = Text()
    cell.append(safe(deal_label(d, ctx.name)), style="bold")
    cell.append("\n" + one_line(d.title))
    if d.value:
        cell.append("\n" + amount(d.value, printed=False), style="green")
    return _with_plan(cell, d, ctx)


def _with_plan(cell: Text, rec: Any, ctx: Lookups) -> Text:
    line = plan_line(rec, ctx)
    if line is not None:
        cell.append("\n")
        cell.append_text(line)
    return cell


def _mixed(r: Record, ctx: Lookups) -> list[Text]:
    row = summary_row(r, ctx)
    return [t(row["date"] or None), t(row["summary"] or None)]


def plural(kind: str) -> str:
    """'deals' for 'deal'; 'results' for a mixed list."""
    return "results" if kind == "mixed" else PLURAL[kind]


def _list_table(kind: str, records: Sequence[Record], ctx: Lookups, notes: Notes, title: str | None) -> Table:
    """A table of records; columns that hold only "—" are left out."""
    cols, row = _ROWS[kind]
    rows = []
    for r in records:
        cells = row(r, ctx, notes)
        if cols[-1] == "Src":
            cells.append(notes.ref(r))
        rows.append(cells)
    keep = [i for i in range(len(cols)) if i == 0 or any(c[i].plain != "—" for c in rows)]
    n = len(records)
    tb = _table(title or f"{n} {plural(kind) if n != 1 else kind if kind != 'mixed' else 'result'}", [cols[i] for i in keep])
    for cells in rows:
        tb.add_row(*(cells[i] for i in keep))
    return tb


def render_list(listing: Listing) -> None:
    con = console()
    notes = Notes(listing.lookups)
    con.print(_list_table(listing.kind, listing.records, listing.lookups, notes, listing.title))
    con.print(notes.render())


def cite(ids: Sequence[str], notes: Notes) -> str:
    """'[1,3]': the footnote numbers of *ids*."""
    return "[" + ",".join(str(notes.number(s)) for s in ids) + "]"


