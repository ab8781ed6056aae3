"""Rich rendering of the landscape commands: the matrix grid and the timeline.

Same rules as ``tables``: every value goes in as a ``Text`` (never markup) made
safe first, and every table ends with numbered source notes (outlet, date of
publication). Imported only for the table format.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich import box
from rich.cells import cell_len
from rich.rule import Rule
from rich.table import Table

from ..model.records import UNNAMED_PARTNER
from ..query.landscape import Cell, Event, Matrix, Party, Timeline
from ..query.views import Lookups
from .console import Text, console
from .landscape import describe, domain_texts
from .tables import STATUS_STYLE, Notes, flag_passed
from .text import plan_words, safe
from .writers import note

_STATUS = {**STATUS_STYLE, "planned": "bold yellow"}


def _refs(notes: Notes, sources: Sequence[str], conflicts: Sequence[str]) -> Text:
    out = Text()
    nums = [str(n) for n in sorted(notes.number(s) for s in sources)]
    if nums:
        out.append("[" + ",".join(nums) + "]", style="cyan")
    out.append(notes.conflict_marks(conflicts))
    return out


def _notes(m: Matrix | Timeline, shown: Sequence[object]) -> Notes:
    return Notes(Lookups(sources=m.sources, stated_only=m.stated_only, anomalies=m.anomalies), shown)


# Short names for the domains, used when the full names make the grid wider than the terminal.
_SHORT = {
    "cockpit-os": "cockpit",
    "ai-assistant": "AI",
    "driver-assistance": "ADAS",
    "battery": "battery",
    "digital-services": "digital",
    "connectivity": "connect",
    "r-and-d": "R&D",
    "manufacturing": "mfg",
}


def _label(p: Party, notes: Notes, names: dict[str | None, str], *, header: bool) -> Text:
    """A row's or column's name; a joint venture or unit says whose, in a dim line below."""
    if p.id is None:
        return Text(UNNAMED_PARTNER if not header else "not named", style="italic")
    out = Text(safe(p.name), style="" if header else "bold")
    if p.parents:
        what = notes.marks.mark(p, "kind", "joint venture") if p.kind == "joint-venture" else "unit"
        parents = [notes.marks.mark(p, f"parents[{i}]", safe(names.get(x, x))) for i, x in enumerate(p.parents)]
        out.append(f"\n{what} of " + ", ".join(parents), style="dim")
    return out


def _min_width(text: Text | str) -> int:
    """The narrowest a cell can be without cutting a word: its longest word."""
    plain = text.plain if isinstance(text, Text) else text
    return max((cell_len(w) for w in plain.split()), default=1)


class _Layout:
    """One way of laying the grid out, computed once from the cells that exist (never the empty squares).

    ``heads`` are the column headers, ``rows`` each row's name (with its sources
    below) and its cells by column position, ``widths`` every column's minimum
    (its longest word): the grid fits when their sum plus the rules does.
    """

    __slots__ = ("heads", "notes", "rows", "short", "transposed", "widths")

    def __init__(self, m: Matrix, *, short: bool, transposed: bool) -> None:
        self.short, self.transposed = short, transposed
        self.notes = notes = _notes(m, [*m.cells, *m.rows])
        names: dict[str | None, str] = {r.id: r.name for r in m.rows}
        rows, cols = (m.columns, m.rows) if transposed else (m.rows, m.columns)
        self.heads = [_label(p, notes, names, header=True) for p in cols]
        self.widths = [cell_len("Partner" if transposed else "Automaker"), *(_min_width(h) for h in self.heads)]
        col_pos = {p.id: n for n, p in enumerate(cols)}
        by_row: dict[str | None, list[Cell]] = {p.id: [] for p in rows}
        for c in m.cells:  # already in row order, then column order
            by_row[c.partner if transposed else c.automaker].append(c)
        if transposed:
            for cs in by_row.values():
                cs.sort(key=lambda c: col_pos[c.automaker])
        names_short = _SHORT if short else None
        self.rows: list[tuple[Text, dict[int, Text]]] = []
        for r in rows:
            head = _label(r, notes, names, header=False)
            cells: dict[int, Text] = {}
            sources: dict[str, None] = {}
            conflicts: list[str] = []
            for c in by_row[r.id]:
                j = col_pos[c.automaker if transposed else c.partner]
                cells[j] = text = Text("\n".join(domain_texts(c, notes.marks, names_short)))
                self.widths[j + 1] = max(self.widths[j + 1], _min_width(text))
                sources.update(dict.fromkeys(c.sources))
                conflicts += c.conflicts
            head.append("\n")
            head.append(_refs(notes, list(sources), conflicts))
            self.widths[0] = max(self.widths[0], _min_width(head))
            self.rows.append((head, cells))

    @property
    def minimum(self) -> int:
        """The grid's narrowest width: the columns' minimums and the rules (an edge each side, one between columns)."""
        return sum(self.widths) + len(self.widths) + 1

    def table(self, title: str) -> Table:
        tb = Table(
            title=Text(safe(title)), title_justify="left", box=box.SIMPLE_HEAVY, header_style="bold", show_lines=True, padding=(0, 0)
        )
        tb.add_column("Partner" if self.transposed else "Automaker", min_width=self.widths[0])
        for head, width in zip(self.heads, self.widths[1:], strict=True):
            tb.add_column(head, min_width=width)  # never cut a word: a column is at least as wide as its longest word
        n = len(self.heads)
        for head, cells in self.rows:
            tb.add_row(head, *(cells.get(j) or Text("·", style="dim") for j in range(n)))
        return tb


def _list_view(m: Matrix, title: str) -> tuple[Text, Notes]:
    """The matrix as a list when no grid fits: each automaker, then one line per partner with their domains."""
    notes = _notes(m, [*m.cells, *m.rows])
    names: dict[str | None, str] = {r.id: r.name for r in m.rows}
    by_row: dict[str | None, list[Cell]] = {r.id: [] for r in m.rows}
    for c in m.cells:
        by_row[c.automaker].append(c)
    cols = {p.id: p for p in m.columns}
    out = Text(safe(title))
    for r in m.rows:
        out.append("\n\n")
        out.append(_label(r, notes, names, header=False))
        for c in by_row[r.id]:
            out.append("\n  ")
            p = cols[c.partner]
            out.append(safe(p.name) if p.id is not None else UNNAMED_PARTNER, style="" if p.id is not None else "italic")
            out.append(": " + ", ".join(domain_texts(c, notes.marks)) + " ")
            out.append(_refs(notes, c.sources, c.conflicts))
    return out, notes


def render_matrix(m: Matrix, *, title: str | None = None) -> None:
    """The grid: automakers as rows (joint ventures under their parent), partners as columns.

    The first layout that fits the terminal wins: full domain names; short
    names (explained under the grid); short names with automakers as columns
    (the title says so). Src cites the sources of each row's deals. Each
    layout is measured from its columns' minimum widths, built from the cells
    that exist, so the time grows with the deals, not with rows × columns. When
    no grid fits, the matrix is a list (automaker, then partner: domains), and
    a note on stderr says so.
    """
    con = console()
    n = len(m.deals)
    count = f"{n} deal{'s' if n != 1 else ''}"
    chosen: _Layout | None = None
    narrowest = 0
    for short, transposed in [(False, False), (True, False), (True, True)]:
        layout = _Layout(m, short=short, transposed=transposed)
        narrowest = layout.minimum if not narrowest else min(narrowest, layout.minimum)
        if layout.minimum <= con.width:
            chosen = layout
            break
    if chosen is None:
        text, notes = _list_view(m, title or f"Automakers and their partners: {count}, by domain")
        note(
            f"no grid fits {con.width} columns (the narrowest needs {narrowest}): listed by automaker instead; --format csv gives the grid"
        )
        con.print(text)
        con.print(Text("Each partner line lists the domains of the deals between the automaker and that partner.", style="dim"))
        con.print(notes.render())
        return
    heading = title or (f"Partners × automakers: {count}, by domain" if chosen.transposed else f"Automakers × partners: {count}, by domain")
    con.print(chosen.table(heading))
    legend = Text("A cell lists the domains of the deals between its row and its column; · none.", style="dim")
    if chosen.short:
        used = {d for c in m.cells for d in c.domains}
        legend.append("\n" + " · ".join(f"{_SHORT[d]} = {d}" for d in _SHORT if d in used and _SHORT[d] != d), style="dim")
    con.print(legend)
    con.print(chosen.notes.render())


def _group(e: Event) -> str:
    """The heading an event sits under within its year: its month, or its coarser period."""
    d = e.date
    if d.precision in ("day", "month"):
        return d.start.strftime("%B") if d.start else ""
    return d.label


def _event_cell(e: Event, names: dict[str, str], notes: Notes) -> Text:
    """The event in words; a plan adds who reported it when, and its standing (a passed one flagged)."""
    cell = Text()
    cell.append(safe(describe(e, names, notes.marks)), style="italic" if e.status == "planned" else "")
    if e.plan is not None:
        cell.append(" · " + plan_words(e.plan), style="dim" if e.plan.state != "passed" else "")
    return flag_passed(cell)


def event_status(e: Event) -> str:
    """The Status column: a deal's own status (announced, planned...), else planned or reported."""
    return e.record_status if e.kind == "deal" else e.status


def _year_table(events: Sequence[Event], notes: Notes, widths: dict[str, int], names: dict[str, str], when: dict[int, str]) -> Table:
    """One year's events; a blank line closes each month (or coarser period)."""
    tb = Table(box=box.SIMPLE, show_header=False, show_edge=False, padding=(0, 1), pad_edge=False, expand=True)
    tb.add_column("When", no_wrap=True, width=widths["when"])
    tb.add_column("Kind", no_wrap=True, width=widths["kind"], style="dim")
    tb.add_column("What", overflow="fold", ratio=1)
    tb.add_column("Status", no_wrap=True, width=widths["status"])
    tb.add_column("Src", no_wrap=True, width=widths["src"])
    for i, e in enumerate(events):
        last_of_group = i + 1 == len(events) or _group(events[i + 1]) != _group(e)
        tb.add_row(
            Text(when[id(e)], style="bold" if e.date.precision not in ("day", "month") else ""),
            Text(e.kind),
            _event_cell(e, names, notes),
            Text(event_status(e), style=_STATUS.get(event_status(e), "")),
            _refs(notes, e.sources, e.conflicts),
            end_section=last_of_group and i + 1 < len(events),
        )
    return tb


_GAP = "   "  # between two columns: the right padding, the (blank) rule, the left padding
_MIN_WHAT = 10  # narrower than this, the What column is left to rich's own table to squeeze


def _year_block(
    events: Sequence[Event], notes: Notes, widths: dict[str, int], names: dict[str, str], when: dict[int, str], width: int
) -> Text:
    """One year's events laid out as ``_year_table`` lays them (same widths, wrapping and blank line
    after each month), but written straight into one ``Text``: no rich table per year, whose layout
    costs far more per row than the row itself."""
    ww = width - widths["when"] - widths["kind"] - widths["status"] - widths["src"] - 4 * len(_GAP)
    blank_right = _GAP + " " * widths["status"] + _GAP + " " * widths["src"]
    blank_left = " " * widths["when"] + _GAP + " " * widths["kind"] + _GAP
    con = console()
    out = Text()
    for i, e in enumerate(events):
        if i:
            out.append("\n")
        what = _event_cell(e, names, notes)
        plain = what.plain
        lines: list[Any]  # Text: rich's own from wrap, ours otherwise
        if "\n" not in plain and cell_len(plain) <= ww:
            lines = [what]
            what.append(" " * (ww - cell_len(plain)))
        else:
            wrapped = what.wrap(con, ww, justify="left", overflow="fold")
            lines = [wrapped[n] for n in range(len(wrapped))]
        label = when[id(e)]
        out.append(label + " " * (widths["when"] - cell_len(label)), style="bold" if e.date.precision not in ("day", "month") else "")
        out.append(_GAP)
        out.append(e.kind + " " * (widths["kind"] - cell_len(e.kind)), style="dim")
        out.append(_GAP)
        out.append(lines[0])
        out.append(_GAP)
        status = event_status(e)
        out.append(status + " " * (widths["status"] - cell_len(status)), style=_STATUS.get(status, ""))
        out.append(_GAP)
        refs = _refs(notes, e.sources, e.conflicts)
        refs.append(" " * (widths["src"] - refs.cell_len))
        out.append(refs)
        for line in lines[1:]:
            out.append("\n" + blank_left)
            out.append(line)
            out.append(blank_right)
        if i + 1 < len(events) and _group(events[i + 1]) != _group(e):
            out.append("\n" + " " * width)
    return out


def render_timeline(tl: Timeline) -> None:
    """Events by year, a rule per year; within a year, a block per month or coarser period."""
    con = console()
    notes = _notes(tl, [*tl.events, *(e.about for e in tl.events)])
    when = {id(e): notes.marks.mark(e, "date", e.date.label) for e in tl.events}  # daggers numbered oldest first
    dated, undated = tl.dated, tl.undated
    planned = sum(e.status == "planned" for e in tl.events)
    passed = sum(e.plan is not None and e.plan.state == "passed" for e in tl.events)
    n = len(tl.events)
    head = Text(f"Timeline: {n} event{'s' if n != 1 else ''}, oldest first")
    if planned:
        head.append(" · ")
        head.append(f"{planned} planned", style="bold yellow")
        head.append(" (plans as reported then, not things that happened)")
    con.print(head)
    if passed:
        con.print(Text(f"⚑ {passed} of them past their date with no later report in the fact base", style="bold red"))
    years: dict[int, list[Event]] = {}
    for e in dated:
        years.setdefault(e.date.year or 0, []).append(e)
    # The same column widths in every year's table, so the years line up.
    probe = Notes(notes.ctx)
    widths = {
        "when": max(cell_len(label) for label in when.values()),
        "kind": max(cell_len(e.kind) for e in tl.events),
        "status": max(cell_len(event_status(e)) for e in tl.events),
        "src": max(cell_len(_refs(probe, e.sources, e.conflicts).plain) for e in tl.events),
    }
    fast = con.width - sum(widths.values()) - 4 * len(_GAP) >= _MIN_WHAT

    def block(events: Sequence[Event]) -> None:
        if fast:
            con.print(_year_block(events, notes, widths, tl.names, when, con.width), soft_wrap=True)
        else:
            con.print(_year_table(events, notes, widths, tl.names, when))

    for i, (year, events) in enumerate(years.items()):
        if i:
            con.print()
        con.print(Rule(Text(str(year), style="bold"), align="left"))
        block(events)
    if undated:
        if dated:
            con.print()
        con.print(Rule(Text("date unknown", style="bold"), align="left"))
        block(undated)
    con.print(notes.render())


_STATE_STYLE = {"passed": "bold red", "due": "bold yellow", "upcoming": "cyan", "done": "green", "undated": "dim"}


def state_label(state: str) -> str:
    """A plan state as the agenda prints it; a passed one carries the marker."""
    return "⚑ passed" if state == "passed" else state


def render_plans(tl: Timeline) -> None:
    """The agenda: one row per plan, by date, with its state and when (and whether) it was reported."""
    from .tables import table

    con = console()
    notes = Notes(Lookups(sources=tl.sources))
    counts: dict[str, int] = {}
    for e in tl.events:
        if e.plan is not None:
            counts[e.plan.state] = counts.get(e.plan.state, 0) + 1
    n = len(tl.events)
    title = f"Plans: {n}, by date · " + " · ".join(f"{counts[s]} {state_label(s)}" for s in _STATE_STYLE if s in counts)
    tb = table(title, ["When", "State", "Plan", "Reported", "Src"])
    for e in tl.events:
        p = e.plan
        assert p is not None
        reported = p.reported_by.published.label if p.reported_by else "undated article"
        if p.done is not None:
            reported += f"\ndone: {p.done.source.published.label}"
        what = Text(safe(describe(e, tl.names)), style="bold" if p.state == "passed" else "")
        if e.kind != "milestone":
            what.append(f"\n{e.kind}, {e.record_status}", style="dim")
        tb.add_row(
            Text(e.date.label),
            Text(state_label(p.state), style=_STATE_STYLE.get(p.state, "")),
            what,
            Text(reported),
            _refs(notes, e.sources, e.conflicts),
        )
    con.print(tb)
    legend = "⚑ passed: the date has passed and no later source in the fact base reports it done"
    con.print(Text(legend, style="dim"))
    con.print(notes.render())
