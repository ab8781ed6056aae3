"""Rich tables for people. Imported only for the table format.

Every value goes in as a ``Text`` object, never as markup, so a fact that
contains "[bold red]" prints those characters; control characters are made
visible by ``text.safe`` first. Each table ends with numbered source notes:
which article, which outlet, when it was published.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Sequence

from rich import box
from rich.console import Console, Group
from rich.panel import Panel
from rich.text import Text

from .codec import to_plain
from .records import Conflict, Record, Source
from .registry import Dossier
from .store import cited_sources
from .text import amount, change, milestone, one_line, safe

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
    """Numbers sources in order of first use and prints them as footnotes."""

    def __init__(self, ctx: Any) -> None:
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
    line.append(f" · {s.id}", style="dim")
    return line


_NO_WRAP = {"Src", "Domains", "Announced", "Period", "Status", "Kind", "Published", "Lang", "Metric", "Version", "Type", "Date"}


_MIN_WIDTH = {"Deal": 16, "Value": 14, "What": 14, "Model": 14, "Timing": 20, "Readings": 24, "Title": 20, "Summary": 20}


def _table(title: str | None, columns: Sequence[str]) -> Table:
    from rich.table import Table

    tb = Table(title=Text(safe(title)) if title else None, box=box.SIMPLE_HEAVY, header_style="bold", title_justify="left", expand=False)
    for c in columns:
        tb.add_column(c, overflow="fold", no_wrap=c in _NO_WRAP, min_width=_MIN_WIDTH.get(c, 6) if c not in _NO_WRAP else None)
    return tb


def _status(v: str) -> Text:
    return t(v, _STATUS_STYLE.get(v, ""))


def _names(ids: Sequence[str], ctx: Any) -> Text:
    return t(", ".join(ctx.name(i) for i in ids) if ids else None)


_ROWS: dict[str, tuple[list[str], Callable[[Any, Any], list[Any]]]] = {
    "deal": (
        ["Announced", "Deal", "Domains", "Status", "Src"],
        lambda d, c: [
            t(d.announced.label),
            _deal_cell(d, c),
            t("\n".join(d.domains)),
            _status(d.status),
        ],
    ),
    "company": (
        ["Company", "Id", "Kind", "Country", "Also known as", "Src"],
        lambda x, c: [t(x.name, "bold"), t(x.id, "dim"), t(x.kind), t(x.country), t(", ".join(x.aliases) or None)],
    ),
    "model": (
        ["Model", "Timing", "Systems", "Src"],
        lambda m, c: [
            Text.assemble(
                (safe(m.name), "bold"),
                ("\n" + safe(c.name(m.maker)) + (" · " + ", ".join(p.upper() for p in m.powertrains) if m.powertrains else ""), "dim"),
            ),
            t("\n".join(milestone(x) for x in m.milestones) or None),
            _names(m.systems, c),
        ],
    ),
    "system": (
        ["System", "Kind", "Vendor", "Version", "Src"],
        lambda s, c: [t(s.name, "bold"), t(s.kind), t(c.name(s.vendor) if s.vendor else None), t(s.version)],
    ),
    "figure": (
        ["Period", "What", "Value", "Status", "Src"],
        lambda f, c: [
            t(f.period.label),
            Text.assemble(
                (safe(c.name(f.company) if f.company else f.scope or ""), "bold"),
                ("\n" + f.metric + " · " + safe(f.region), "dim"),
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
        lambda s, c: [
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
        ["Conflict", "Kind", "Readings"],
        lambda x, c: [
            Text.assemble((safe(x.topic), "bold"), "\n", (x.id, "dim")),
            t(x.kind, "yellow"),
            Text("\n".join(f"• {one_line(r.text)} [{c.notes.number(r.source)}]" for r in x.readings)),
        ],
    ),
    "mixed": (
        ["Type", "Name", "Date", "Summary", "Src"],
        lambda r, c: [t(r.TYPE), Text.assemble((safe(r.name), "bold"), "\n", (r.id, "dim")), *_mixed(r, c)],
    ),
}


def _deal_cell(d: Any, ctx: Any) -> Text:
    """'BMW × Alibaba' in bold, then the title, then the value when there is one."""
    partners = ", ".join(ctx.name(p) for p in d.partners) or d.unnamed_partner or ""
    cell = Text()
    cell.append(safe(f"{ctx.name(d.company)} × {partners}"), style="bold")
    cell.append("\n" + one_line(d.title))
    if d.value:
        cell.append("\n" + amount(d.value, printed=False), style="green")
    return cell


def _mixed(r: Record, ctx: Any) -> list[Text]:
    from .output import summary_row

    row = summary_row(r, ctx)
    return [t(row["date"] or None), t(row["summary"] or None)]


_PLURAL = {"deal": "deals", "company": "companies", "model": "models", "system": "systems", "figure": "figures", "source": "sources", "conflict": "conflicts", "mixed": "results"}


def _list_table(kind: str, records: Sequence[Record], ctx: Any, notes: Notes, title: str | None) -> Table:
    """A table of records; columns that hold only "—" are left out."""
    cols, row = _ROWS[kind]
    ctx.notes = notes
    rows = []
    for r in records:
        cells = row(r, ctx)
        if cols[-1] == "Src":
            cells.append(notes.ref(r))
        rows.append(cells)
    keep = [i for i in range(len(cols)) if i == 0 or any(c[i].plain != "—" for c in rows)]
    n = len(records)
    tb = _table(title or f"{n} {_PLURAL[kind] if n != 1 else kind if kind != 'mixed' else 'result'}", [cols[i] for i in keep])
    for cells in rows:
        tb.add_row(*(cells[i] for i in keep))
    return tb


def render_list(kind: str, records: Sequence[Record], ctx: Any, *, title: str | None = None) -> None:
    con = console()
    notes = Notes(ctx)
    con.print(_list_table(kind, records, ctx, notes, title))
    con.print(notes.render())


def render_dossier(d: Dossier, ctx: Any) -> None:
    con = console()
    notes = Notes(ctx)
    c = d.company
    head = Text()
    head.append(safe(c.name), style="bold")
    head.append(f"  ({c.id})", style="dim")
    head.append("\n" + c.kind + (f" · {safe(c.country)}" if c.country else " · country not stated in the articles"))
    if c.aliases:
        head.append("\nalso: " + ", ".join(safe(a) for a in c.aliases), style="dim")
    if d.parents:
        head.append("\npart of: " + ", ".join(safe(p.name) for p in d.parents))
    if d.children:
        head.append("\nunits and joint ventures: " + ", ".join(safe(p.name) for p in d.children))
    if c.description:
        head.append("\n\n" + safe(c.description))
    head.append("  ")
    head.append(notes.ref(c))
    for p in c.people:
        head.append(f"\n• {safe(p.name)}" + (f", {safe(p.role)}" if p.role else ""))
        head.append(" " + _cite(p.sources, notes), style="cyan")
    for n in c.notes:
        head.append("\n• " + safe(n.text))
        head.append(" " + _cite(n.sources, notes), style="cyan")
    con.print(Panel(head, title=Text("company"), title_align="left", expand=False))
    # The dossier is a document, not a grid: each record is a heading line and indented
    # detail lines. That reads well at any width, and wrapping text costs rich a fraction
    # of laying out a table (which measures and pads every cell).
    width = con.width
    for kind, recs, block in (
        ("deal", d.deals, _deal_block),
        ("model", d.models, _model_block),
        ("system", d.systems, _system_block),
        ("figure", d.figures, _figure_block),
        ("conflict", d.conflicts, _conflict_block),
    ):
        if recs:
            lines = [Text(""), Text(f"{_PLURAL[kind].capitalize()} ({len(recs)})", style="bold underline")]
            for r in recs:
                lines += _lines(*block(r, ctx, notes, c.id), width=width)
            con.print(Group(*lines))
    con.print(Text(""))
    con.print(notes.render())


def _lines(head: Text, details: Sequence[Text], *, width: int) -> list[Text]:
    """A heading line at indent 1 and detail lines at indent 3, wrapped to *width*."""
    out = [Text.assemble(" ", line) for line in head.wrap(_WRAP_CONSOLE, max(width - 2, 20))]
    for detail in details:
        out += [Text.assemble("   ", line) for line in detail.wrap(_WRAP_CONSOLE, max(width - 4, 20))]
    return out


def _head(first: str, style: str, *rest: Text | str) -> Text:
    head = Text(first, style=style)
    for part in rest:
        if part:
            head.append("  ")
            head.append(part)
    return head


def _deal_block(x: Any, ctx: Any, notes: Notes, own: str) -> tuple[Text, list[Text]]:
    partners = ", ".join(ctx.name(p) for p in x.partners) or x.unnamed_partner or ""
    head = _head(x.announced.label, "", Text(safe(f"{ctx.name(x.company)} × {partners}"), style="bold"), _status(x.status), notes.ref(x))
    details = [Text(one_line(x.title))]
    if x.value:
        details.append(Text(amount(x.value, printed=False), style="green"))
    details.append(Text(", ".join(x.domains), style="dim"))
    return head, details


def _model_block(x: Any, ctx: Any, notes: Notes, own: str) -> tuple[Text, list[Text]]:
    maker = safe(ctx.name(x.maker)) + (" · " + ", ".join(p.upper() for p in x.powertrains) if x.powertrains else "")
    head = _head(safe(x.name), "bold", Text(maker, style="dim"), notes.ref(x))
    details = [Text("• " + milestone(m)) for m in x.milestones]
    if x.systems:
        details.append(Text("systems: " + ", ".join(safe(ctx.name(i)) for i in x.systems), style="dim"))
    return head, details


def _system_block(x: Any, ctx: Any, notes: Notes, own: str) -> tuple[Text, list[Text]]:
    extra = x.kind + (f" · {safe(x.version)}" if x.version else "")
    if x.vendor and x.vendor != own:  # the dossier's own company goes without saying
        extra += " · " + safe(ctx.name(x.vendor))
    return _head(safe(x.name), "bold", Text(extra, style="dim"), notes.ref(x)), []


def _figure_block(x: Any, ctx: Any, notes: Notes, own: str) -> tuple[Text, list[Text]]:
    what = safe(ctx.name(x.company) if x.company else x.scope or "") + f" · {x.metric} · {safe(x.region)}"
    head = _head(x.period.label, "", Text(what, style="bold"), _status(x.status), notes.ref(x))
    value = Text(amount(x.value, printed=False) or "", style="green")
    if x.change:
        value.append(("; " if x.value else "") + change(x.change))
    return head, [value] if value.plain else []


def _conflict_block(x: Any, ctx: Any, notes: Notes, own: str) -> tuple[Text, list[Text]]:
    head = Text("⚠ ", style="bold yellow")
    head.append(safe(x.topic), style="bold")
    head.append(f" · {x.kind} · {x.id}", style="dim")
    readings = []
    for r in x.readings:
        reading = Text("• " + one_line(r.text) + " ")
        reading.append(_cite([r.source], notes), style="cyan")
        readings.append(reading)
    return head, readings


def _cite(ids: Sequence[str], notes: Notes) -> str:
    return "[" + ",".join(str(notes.number(s)) for s in ids) + "]"


def render_record(rec: Record, ctx: Any, conflicts: Sequence[Record], referrers: Sequence[Record]) -> None:
    con = console()
    notes = Notes(ctx)
    from rich.table import Table

    tb = Table(box=box.SIMPLE, show_header=False, title=Text(f"{rec.TYPE} {rec.id}"), title_justify="left")
    tb.add_column("field", style="bold")
    tb.add_column("value", overflow="fold")
    data = to_plain(rec, dates="text")
    for key, value in data.items():
        if key in ("sources", "notes", "milestones", "people", "readings") or value in (None, [], ""):
            continue
        tb.add_row(t(key), _value(rec, key, value, ctx))
    tb.add_row(t("sources"), notes.ref(rec))
    con.print(tb)
    for label, items in (("Milestones", getattr(rec, "milestones", [])), ("People", getattr(rec, "people", [])), ("Notes", getattr(rec, "notes", []))):
        if items:
            body = Text()
            for i, it in enumerate(items):
                body.append(("\n" if i else "") + "• ")
                if label == "Milestones":
                    body.append(milestone(it))
                elif label == "People":
                    body.append(safe(it.name) + (f", {safe(it.role)}" if it.role else ""))
                else:
                    body.append(safe(it.text))
                body.append(" " + _cite(it.sources, notes), style="cyan")
            con.print(Panel(body, title=Text(label), title_align="left", expand=False))
    if isinstance(rec, Conflict):
        conflicts = [rec]
    for c in conflicts:
        assert isinstance(c, Conflict)
        body = Text(safe(c.topic) + f" ({c.kind})\n", style="bold yellow")
        for r in c.readings:
            body.append(f"• {one_line(r.text)} ", style="")
            body.append(_cite([r.source], notes), style="cyan")
            body.append("\n")
        if c.note:
            body.append(safe(c.note), style="italic")
        con.print(Panel(body, title=Text(f"⚠ conflict {c.id}"), title_align="left", expand=False, border_style="yellow"))
    if referrers:
        con.print(Text("referenced by: " + ", ".join(f"{r.TYPE} {r.id}" for r in referrers), style="dim"))
    con.print(notes.render())


def _value(rec: Record, key: str, value: Any, ctx: Any) -> Text:
    v = getattr(rec, key)
    if key in ("company", "maker", "producer", "vendor", "attributed_to", "family", "platform", "system", "model"):
        return t(f"{ctx.name(v)} ({v})")
    if key in ("partners", "parents", "systems", "models"):
        return t(", ".join(f"{ctx.name(i)} ({i})" for i in v))
    if key in ("announced", "published", "period"):
        return t(f"{v.label} ({v.precision})" if v.known else "not stated")
    if key == "value":
        return t(amount(v))
    if key == "change":
        return t(change(v))
    if key in ("status",):
        return _status(v)
    if isinstance(value, list):
        return t(", ".join(map(str, value)))
    return t(value)


def render_errors(errors: Sequence[Any], files: int) -> None:
    """The validation report: one line per error, then the count (stderr)."""
    con = Console(stderr=True, highlight=False, emoji=False, markup=False)
    for e in errors:
        con.print(Text(safe(str(e)), style="red"))
    n = len(errors)
    con.print(Text(f"{n} error{'s' if n != 1 else ''} in {files} file{'s' if files != 1 else ''}", style="bold red"))
