"""The pieces every rich screen shares: source notes, marked values, cells (``lists`` lays out the lists).

Imported only for the table format. Every value goes in as a ``Text`` object,
never as markup, so a fact that contains "[bold red]" prints those
characters; ``console.Text`` makes control and invisible characters visible
as they go in, whichever field they come from. Each
screen ends with numbered source notes (``Notes``): which article, which
outlet, when it was published; then what its marks mean: ⚠ the articles
disagree, ⚠n article [n] is inconsistent with itself, † a value the editors
inferred (``marks.Marks``), with the reason.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from rich import box
from rich.console import Group

from ..model.provenance import distinct_reasons, reasons
from ..model.records import PLURAL, Record, Source
from ..model.refs import cited_sources, file_mentions, file_number
from ..query.views import Lookups
from .console import Text, console, t
from .marks import HIDDEN, Marks
from .text import PASSED, change, one_line, plan_words, safe

__all__ = ["Notes", "cite", "console", "named", "plural", "shortened", "source_line", "t"]

if TYPE_CHECKING:  # rich.table is imported where a table is drawn: the dossier draws none
    from rich.table import Table

STATUS_STYLE = {
    "planned": "yellow",
    "plan": "yellow",
    "target": "yellow",
    "announced": "green",
    "reported": "green",
    "in-production": "green",
    "ongoing": "green",
}


WRAP_CONSOLE = console(width=1000)  # only measures text for Text.wrap


def flag_passed(text: Text) -> Text:
    """Style every "⚑ date passed, no later report" in *text* so it stands out (the marker does without colour)."""
    text.highlight_words([PASSED], style="bold red")
    return text


def milestones_text(rec: Any, ctx: Lookups, marks: Marks, bullet: str = "") -> list[Text]:
    """A record's milestones, one line each, with inference marks and plans with their standing (passed ones flagged)."""
    return [flag_passed(Text(bullet + safe(line))) for line in milestone_texts(rec, marks, ctx)]


def plan_line(rec: Any, ctx: Lookups, style: str = "dim") -> Text | None:
    """The standing of a planned deal or a figure's plan or target, as a line; None when it is no plan."""
    p = ctx.plan(rec.id)
    return None if p is None else flag_passed(Text(plan_words(p), style=style))


class Notes:
    """Numbers sources in order of first use and prints them as footnotes, with the marks' legends.

    Every reference on a screen is to these numbers: a record's own list is
    sorted (``[1,3,4]``), and a text that names an article by its file number
    ("article 004") is shown with that article's footnote instead (``words``).
    *shown* are the records (or cells, events) the screen prints: when they give
    more than one reason for inferred values, the daggers are numbered.
    """

    def __init__(self, ctx: Lookups, shown: Iterable[object] = ()) -> None:
        self.ctx = ctx
        self.order: list[str] = []
        self._numbers: dict[str, int] = {}
        self.conflicted = False
        self.inconsistent: list[str] = []  # sources of the anomalies marked, in order
        cited = [s for s in ctx.sources.values() if s.inferred]
        n = distinct_reasons(shown) + len({r for s in cited for k, r in s.inferred.items() if k in ("published", "title")})
        self.marks = Marks(stated_only=ctx.stated_only, numbered=n > 1)
        self._by_file: dict[str, str] | None = None

    def number(self, source_id: str) -> int:
        n = self._numbers.get(source_id)
        if n is None:  # a dict beside the list: numbering stays constant-time with thousands of sources
            self.order.append(source_id)
            n = self._numbers[source_id] = len(self.order)
        return n

    def numbers(self, ids: Sequence[str]) -> str:
        """'1,3,4': the footnote numbers of *ids*, sorted."""
        return ",".join(str(n) for n in sorted({self.number(s) for s in ids}))

    def ref(self, rec: Record) -> Text:
        nums = self.numbers(cited_sources(rec) if not isinstance(rec, Source) else [])
        out = Text()
        out.append(f"[{nums}]" if nums else "", style="cyan")
        out.append(self.conflict_marks(self.ctx.conflicts.get(rec.id, [])))
        return out

    def conflict_marks(self, conflicts: Sequence[str]) -> Text:
        """' ⚠' when articles disagree, ' ⚠2' when article [2] is inconsistent with itself."""
        out = Text()
        if any(c not in self.ctx.anomalies for c in conflicts):
            self.conflicted = True
            out.append(" ⚠", style="bold yellow")
        for src in dict.fromkeys(self.ctx.anomalies[c] for c in conflicts if c in self.ctx.anomalies):
            if src not in self.inconsistent:
                self.inconsistent.append(src)
            out.append(f" ⚠{self.number(src)}", style="bold yellow")
        return out

    def words(self, text: str | None) -> str:
        """*text* on one line, made safe, with "article 004" (a source's file number) as "article [3]"."""
        line = one_line(text or "")
        found = file_mentions(line)
        if not found:
            return line
        if self._by_file is None:
            self._by_file = {n: sid for sid, s in self.ctx.sources.items() if s.file and (n := file_number(s.file))}
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
            lines.append(source_line(s, f"[{i}]", self.marks))
        if self.conflicted:
            lines.append(Text("⚠ the articles disagree on this record: see `autoalliances show ID`", style="yellow"))
        for sid in self.inconsistent:
            n = self.number(sid)
            lines.append(Text(f"⚠{n} {inconsistent(self.ctx.sources.get(sid), n, self.marks)}", style="yellow"))
        footnotes = self.marks.footnotes()
        if footnotes:  # one Text: rich lays out each renderable on its own, and a dossier has dozens
            lines.append(Text("\n".join(safe(line) for line in footnotes), style="magenta"))
        return Group(*lines)


def inconsistent(s: Source | None, n: int, marks: Marks) -> str:
    """How an anomaly is worded: one article, by its footnote number, outlet and date."""
    if s is None:
        return f"one article is inconsistent here: [{n}]; see `autoalliances show ID`"
    outlet = one_line(s.outlet or "outlet not named")
    return f"one article is inconsistent here: [{n}], {outlet}, {published(s, marks)}; see `autoalliances show ID`"


def published(s: Source, marks: Marks) -> str:
    """'published 26 March 2025' (with its dagger when the editors inferred it), or why there is no date."""
    if not s.published.known:
        return "publication date not stated"
    if marks.hidden(s, "published"):
        marks.hid = True
        return f"publication date {HIDDEN}"
    return marks.mark(s, "published", "published " + s.published.label)


def source_line(s: Source, label: str, marks: Marks | None = None) -> Text:
    m = marks or Marks()
    line = Text()
    line.append(label + " ", style="cyan")
    line.append(safe(s.outlet or "outlet not named"), style="bold")
    line.append(" · ")
    line.append(published(s, m))
    if s.author:
        line.append(" · " + safe(s.author))
    if s.title:
        title = m.show(s, "title", "“" + one_line(s.title) + "”")
        line.append(" · " + (title or f"title {HIDDEN}"), style="italic")
        m.hid = m.hid or title is None
    if s.url:
        line.append(" · " + safe(s.url), style="dim")
    line.append(f" · {s.id}", style="dim")
    return line


NO_WRAP = {
    "Src", "Domains", "Announced", "Period", "Status", "Kind", "Nature", "Published", "Lang", "Metric", "Version", "Type", "Date",
    "When", "State",
}


MIN_WIDTH = {
    "Deal": 16, "Value": 14, "What": 14, "Model": 14, "Timing": 20, "Readings": 24, "Title": 20, "Summary": 20, "Plan": 20, "Match": 24,
}


def table(title: str | None, columns: Sequence[str]) -> Table:
    from rich.table import Table

    tb = Table(title=Text(safe(title)) if title else None, box=box.SIMPLE_HEAVY, header_style="bold", title_justify="left", expand=False)
    for c in columns:
        tb.add_column(c, overflow="fold", no_wrap=c in NO_WRAP, min_width=MIN_WIDTH.get(c, 6) if c not in NO_WRAP else None)
    return tb


# --- values with their inference marks (shared with the dossier and ``show``) ----------------


def deal_parties(d: Any, ctx: Lookups, m: Marks) -> str:
    return m.deal_parties(d, ctx.name)


def milestone_texts(rec: Any, m: Marks, ctx: Lookups | None = None) -> list[str]:
    """'launch: spring 2026† (reported)' for each milestone, a plan with its standing on the registry's day
    ('launch: spring 2026 · planned as reported on … · ⚑ date passed, no later report'); a date
    --stated-only hides reads HIDDEN."""
    out = []
    for i, x in enumerate(rec.milestones):
        when = m.cell(rec, f"milestones[{i}].date", x.date.label)
        what = m.mark(rec, f"milestones[{i}].event", one_line(x.event))
        plan = ctx.plan(rec.id, i) if ctx is not None else None
        out.append(f"{what}: {when} · {plan_words(plan)}" if plan is not None else f"{what}: {when} ({x.status})")
    return out


def powertrains(rec: Any, m: Marks) -> str:
    return m.joined(rec, "powertrains", [p.upper() for p in rec.powertrains]) or ""


def powertrain_suffix(rec: Any, m: Marks) -> str:
    return " · " + powertrains(rec, m) if rec.powertrains else ""


def change_text(rec: Any, m: Marks) -> str:
    """A figure's change with the marks of what it prints (amount, unit, previous value; not its basis)."""
    c = rec.change
    if c is None:
        return ""
    parts = ("change.amount", "change.unit", "change.previous")
    if any(m.hidden(rec, p, deep=True) for p in parts):
        m.hid = True
        return HIDDEN
    why = list(dict.fromkeys(r for p in parts for r in reasons(rec, p, deep=True)))
    return change(c) + (m.dagger(why) if why and m.markers else "")


def date_cell(rec: Any, path: str, d: Any, m: Marks, unknown: str = "date unknown") -> str:
    return m.cell(rec, path, d.label) or "" if d.known else unknown


def names_cell(rec: Any, name: str, ctx: Lookups, m: Marks) -> Text:
    ids = getattr(rec, name)
    return t(m.joined(rec, name, [ctx.name(i) for i in ids]))


def status_text(v: str, shown: str | None = None) -> Text:
    return t(shown if shown is not None else v, STATUS_STYLE.get(v, ""))


def status_cell(rec: Any, m: Marks) -> Text:
    return status_text(rec.status, m.cell(rec, "status", rec.status))


def language_line(s: Any, m: Marks) -> str:
    out = m.cell(s, "language", s.language) or ""
    if s.original_language:
        out += ", from " + (m.cell(s, "original_language", s.original_language) or "")
    if s.translation:
        out += " (" + (m.cell(s, "translation", f"{s.translation} translation") or "") + ")"
    return out


def nature(x: Any, notes: Notes) -> str:
    """'disagreement', or 'anomaly in [2]': the one article at odds with itself, by its footnote number."""
    if x.nature == "anomaly" and x.readings:
        return f"anomaly in [{notes.number(x.readings[0].source)}]"
    return str(x.nature)


def named(name: str, id_: str, *more: tuple[str, str]) -> Text:
    """A record's name in bold with its id dimmed under it (the id ``show`` takes), then *more* lines."""
    cell = Text.assemble((safe(name), "bold"), "\n", (id_, "dim"))
    for text, style in more:
        if text:
            cell.append("\n" + text, style=style)
    return cell


def shortened(items: Sequence[str], room: int = 40) -> str | None:
    """Items joined with ", " while they fit in about *room* characters, then "+N more"."""
    shown: list[str] = []
    for item in items:
        if shown and len(", ".join([*shown, item])) > room:
            break
        shown.append(safe(item))
    rest = len(items) - len(shown)
    return (", ".join(shown) + (f" +{rest} more" if rest else "")) or None


def plural(kind: str) -> str:
    """'deals' for 'deal'; 'results' for a mixed list."""
    return "results" if kind == "mixed" else PLURAL[kind]


def cite(ids: Sequence[str], notes: Notes) -> str:
    """'[1,3]': the footnote numbers of *ids*, sorted."""
    return f"[{notes.numbers(ids)}]"


