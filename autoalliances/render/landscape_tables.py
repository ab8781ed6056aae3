"""Rich rendering of the landscape commands: the matrix grid and the timeline.

Same rules as ``tables``: every value goes in as a ``Text`` (never markup) made
safe first, and every table ends with numbered source notes (outlet, date of
publication). Imported only for the table format.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich import box
from rich.cells import cell_len
from rich.rule import Rule
from rich.table import Table

from ..model.records import UNNAMED_PARTNER
from ..query.landscape import Event, Matrix, Party, Timeline
from ..query.views import Lookups
from .console import Text, console
from .landscape import describe, domain_texts
from .tables import STATUS_STYLE, Notes, flag_passed
from .text import plan_words, safe

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


def _grid(m: Matrix, notes: Notes, title: str, *, short: bool, transposed: bool) -> Table:
    """The grid, automakers as rows (or, *transposed*, as columns); under each row's name, the sources of its deals."""
    names = {r.id: r.name for r in m.rows}
    rows, cols = (m.columns, m.rows) if transposed else (m.rows, m.columns)

    def label(p: Party, *, header: bool) -> Text:
        if p.id is None:
            return Text(UNNAMED_PARTNER if not header else "not named", style="italic")
        out = Text(safe(p.name), style="" if header else "bold")
        if p.parents:
            what = notes.marks.mark(p, "kind", "joint venture") if p.kind == "joint-venture" else "unit"
            parents = [notes.marks.mark(p, f"parents[{i}]", safe(names.get(x, x))) for i, x in enumerate(p.parents)]
            out.append(f"\n{what} of " + ", ".join(parents), style="dim")
        return out

    tb = Table(title=Text(safe(title)), title_justify="left", box=box.SIMPLE_HEAVY, header_style="bold", show_lines=True, padding=(0, 0))
    tb.add_column("Partner" if transposed else "Automaker")
    for p in cols:
        tb.add_column(label(p, header=True))
    for r in rows:
        head = label(r, header=False)
        cells: list[Text] = [head]
        sources: list[str] = []
        conflicts: list[str] = []
        for p in cols:
            c = m.cell(p.id or "", r.id) if transposed else m.cell(r.id or "", p.id)
            if c is None:
                cells.append(Text("·", style="dim"))
                continue
            cells.append(Text("\n".join(domain_texts(c, notes.marks, _SHORT if short else None))))
            sources += [s for s in c.sources if s not in sources]
            conflicts += c.conflicts
        head.append("\n")
        head.append(_refs(notes, sources, conflicts))
        tb.add_row(*cells)
    # Never cut a word: a column is at least as wide as its longest word.
    for col in tb.columns:
        words = [w for cell in (col.header, *col.cells) for w in str(getattr(cell, "plain", cell)).split()]
        col.min_width = max((cell_len(w) for w in words), default=1)
    return tb


def render_matrix(m: Matrix, *, title: str | None = None) -> None:
    """The grid: automakers as rows (joint ventures under their parent), partners as columns.

    The first layout that fits the terminal wins: full domain names; short
    names (explained under the grid); short names with automakers as columns
    (the title says so). Src cites the sources of each row's deals.
    """
    con = console()
    n = len(m.deals)
    count = f"{n} deal{'s' if n != 1 else ''}"
    layouts = [(False, False), (True, False), (True, True)]
    short, transposed, heading = True, True, ""
    for short, transposed in layouts:
        heading = title or (f"Partners × automakers: {count}, by domain" if transposed else f"Automakers × partners: {count}, by domain")
        probe = _grid(m, _notes(m, [*m.cells, *m.rows]), heading, short=short, transposed=transposed)
        if probe.__rich_measure__(con, con.options).minimum <= con.width:
            break
    notes = _notes(m, [*m.cells, *m.rows])
    con.print(_grid(m, notes, heading, short=short, transposed=transposed))
    legend = Text("A cell lists the domains of the deals between its row and its column; · none.", style="dim")
    if short:
        used = [d for d in _SHORT if any(d in c.domains for c in m.cells)]
        legend.append("\n" + " · ".join(f"{_SHORT[d]} = {d}" for d in used if _SHORT[d] != d), style="dim")
    con.print(legend)
    con.print(notes.render())


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
    for i, (year, events) in enumerate(years.items()):
        if i:
            con.print()
        con.print(Rule(Text(str(year), style="bold"), align="left"))
        con.print(_year_table(events, notes, widths, tl.names, when))
    if undated:
        if dated:
            con.print()
        con.print(Rule(Text("date unknown", style="bold"), align="left"))
        con.print(_year_table(undated, notes, widths, tl.names, when))
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
