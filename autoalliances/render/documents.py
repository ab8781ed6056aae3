"""Rich documents for people: a company's dossier, one record in full, a validation report.

Imported only for the table format. The same rules as ``tables``: literal,
safe ``Text`` only, and numbered source notes at the end.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich import box
from rich.console import Group
from rich.panel import Panel

from ..errors import FactError
from ..model.dates import FuzzyDate
from ..model.records import Conflict, Record
from ..model.refs import ref_fields
from ..query.views import Dossier, Lookups, RecordView
from ..store.codec import to_plain
from .console import RichText, Text, console, indented
from .tables import _WRAP_CONSOLE, Notes, _status, cite, flag_passed, milestones_text, plan_line, plural, t
from .text import amount, change, deal_label, milestone, one_line, origin_label, safe


def render_dossier(d: Dossier) -> None:
    con = console()
    ctx = d.lookups
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
        head.append(" " + cite(p.sources, notes), style="cyan")
    for n in c.notes:
        head.append("\n• " + safe(n.text))
        head.append(" " + cite(n.sources, notes), style="cyan")
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
            lines: list[RichText] = [Text(""), Text(f"{plural(kind).capitalize()} ({len(recs)})", style="bold underline")]
            for r in recs:
                lines += _lines(*block(r, ctx, notes, c.id), width=width)
            con.print(Group(*lines))
    con.print(Text(""))
    con.print(notes.render())
    con.print(freshness(ctx))


def freshness(ctx: Lookups, *also: Record) -> Text:
    """The footer line: how old the newest source of what was shown is, relative to today (or the --as-of day)."""
    from ..model.plans import newest
    from ..model.records import Source
    from ..model.today import age, day_label

    s = newest([*ctx.sources.values(), *(r for r in also if isinstance(r, Source))])
    if s is None or s.published.end is None:
        return Text("newest source: none of the sources is dated", style="dim")
    line = f"newest source: {s.published.label}"
    if ctx.today is not None:
        then = s.published.end
        when = f"{age(then, ctx.today)} {day_label(ctx.as_of)} (--as-of)" if ctx.as_of else f"{age(then, ctx.today)} today"
        line += f", {when}"
    return Text(line, style="dim")


def _lines(head: Text, details: Sequence[Text], *, width: int) -> list[RichText]:
    """A heading line at indent 1 and detail lines at indent 3, wrapped to *width*."""
    out = [indented(" ", line) for line in head.wrap(_WRAP_CONSOLE, max(width - 2, 20))]
    for detail in details:
        out += [indented("   ", line) for line in detail.wrap(_WRAP_CONSOLE, max(width - 4, 20))]
    return out


def _head(first: str, style: str, *rest: Text | str) -> Text:
    head = Text(first, style=style)
    for part in rest:
        if part:
            head.append("  ")
            head.append(part)
    return head


def _deal_block(x: Any, ctx: Lookups, notes: Notes, own: str) -> tuple[Text, list[Text]]:
    head = _head(x.announced.label, "", Text(safe(deal_label(x, ctx.name)), style="bold"), _status(x.status), notes.ref(x))
    details = [Text(one_line(x.title))]
    if x.value:
        details.append(Text(amount(x.value, printed=False), style="green"))
    details.append(Text(", ".join(x.domains), style="dim"))
    plan = plan_line(x, ctx, style="")
    if plan is not None:
        details.append(plan)
    return head, details


def _model_block(x: Any, ctx: Lookups, notes: Notes, own: str) -> tuple[Text, list[Text]]:
    maker = safe(ctx.name(x.maker)) + (" · " + ", ".join(p.upper() for p in x.powertrains) if x.powertrains else "")
    head = _head(safe(x.name), "bold", Text(maker, style="dim"), notes.ref(x))
    details = milestones_text(x, ctx, "• ")
    if x.systems:
        details.append(Text("systems: " + ", ".join(safe(ctx.name(i)) for i in x.systems), style="dim"))
    return head, details


def _system_block(x: Any, ctx: Lookups, notes: Notes, own: str) -> tuple[Text, list[Text]]:
    extra = x.kind + (f" · {safe(x.version)}" if x.version else "")
    if x.vendor and x.vendor != own:  # the dossier's own company goes without saying
        extra += " · " + safe(ctx.name(x.vendor))
    return _head(safe(x.name), "bold", Text(extra, style="dim"), notes.ref(x)), []


def _figure_block(x: Any, ctx: Lookups, notes: Notes, own: str) -> tuple[Text, list[Text]]:
    what = safe(ctx.name(x.company) if x.company else x.scope or "") + f" · {x.metric} · {safe(x.region)}"
    head = _head(x.period.label, "", Text(what, style="bold"), _status(x.status), notes.ref(x))
    value = Text(amount(x.value, printed=False) or "", style="green")
    if x.change:
        value.append(("; " if x.value else "") + change(x.change))
    details = [value] if value.plain else []
    plan = plan_line(x, ctx, style="")
    if plan is not None:
        details.append(plan)
    return head, details


def _conflict_block(x: Any, ctx: Lookups, notes: Notes, own: str) -> tuple[Text, list[Text]]:
    head = Text("⚠ ", style="bold yellow")
    head.append(safe(x.topic), style="bold")
    head.append(f" · {x.kind} · {x.id}", style="dim")
    readings = []
    for r in x.readings:
        reading = Text("• " + one_line(r.text) + " ")
        reading.append(cite([r.source], notes), style="cyan")
        readings.append(reading)
    return head, readings


def render_record(view: RecordView) -> None:
    con = console()
    rec, ctx, referrers = view.record, view.lookups, view.referrers
    conflicts: Sequence[Conflict] = [rec] if isinstance(rec, Conflict) else view.conflicts
    notes = Notes(ctx)
    from rich.table import Table

    tb = Table(box=box.SIMPLE, show_header=False, title=Text(f"{rec.TYPE} {rec.id}"), title_justify="left")
    tb.add_column("field", style="bold")
    tb.add_column("value", overflow="fold")
    data = to_plain(rec, dates="text")
    for key, value in data.items():
        if (key in ("sources", "notes", "milestones", "people", "readings") and not isinstance(value, str)) or value in (None, [], ""):
            continue  # a source's notes are one text: a row of their own
        tb.add_row(t(key), _value(rec, key, value, ctx))
        if key == "status" and (plan := plan_line(rec, ctx, style="")) is not None:
            tb.add_row(t("plan"), plan)
    tb.add_row(t("sources"), notes.ref(rec))
    con.print(tb)
    # Below the table, never wrapped: a long path must not widen or fold the table.
    con.print(Text("origin: " + origin_label(ctx.origins.get(rec.id)), style="dim"), soft_wrap=True)
    parts = (
        ("Milestones", getattr(rec, "milestones", [])),
        ("People", getattr(rec, "people", [])),
        ("Notes", _listed(getattr(rec, "notes", None))),
    )
    for label, items in parts:
        if items:
            body = Text()
            for i, it in enumerate(items):
                body.append(("\n" if i else "") + "• ")
                if label == "Milestones":
                    body.append_text(flag_passed(Text(milestone(it, ctx.plan(rec.id, i)))))
                elif label == "People":
                    body.append(safe(it.name) + (f", {safe(it.role)}" if it.role else ""))
                else:
                    body.append(safe(it.text))
                body.append(" " + cite(it.sources, notes), style="cyan")
            con.print(Panel(body, title=Text(label), title_align="left", expand=False))
    for c in conflicts:
        body = Text(safe(c.topic) + f" ({c.kind})\n", style="bold yellow")
        for r in c.readings:
            body.append(f"• {one_line(r.text)} ", style="")
            body.append(cite([r.source], notes), style="cyan")
            body.append("\n")
        if c.note:
            body.append(safe(c.note), style="italic")
        con.print(Panel(body, title=Text(f"⚠ conflict {c.id}"), title_align="left", expand=False, border_style="yellow"))
    if referrers:
        con.print(Text("referenced by: " + ", ".join(f"{r.TYPE} {r.id}" for r in referrers), style="dim"))
    con.print(notes.render())
    con.print(freshness(ctx, rec))


def _listed(notes: Any) -> list[Any]:
    """A record's notes as a list of notes (a source's notes are one text, shown as a row)."""
    return notes if isinstance(notes, list) else []


def _named_refs(cls: type) -> dict[str, bool]:
    """The record's own fields that name a record of a given type: field -> is it a list."""
    return {f.path[0]: f.many[0] for f in ref_fields(cls)[1] if len(f.path) == 1 and f.types}


def _value(rec: Record, key: str, value: Any, ctx: Lookups) -> Text:
    v = getattr(rec, key)
    many = _named_refs(type(rec)).get(key)
    if many is not None:  # "BMW (bmw)"
        ids = v if many else [v]
        return t(", ".join(f"{ctx.name(i)} ({i})" for i in ids))
    if isinstance(v, FuzzyDate):
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


def render_errors(errors: Sequence[FactError], files: int) -> None:
    """The validation report: one line per error, then the count (stderr)."""
    con = console(stderr=True)
    for e in errors:
        con.print(Text(safe(str(e)), style="red"))
    n = len(errors)
    con.print(Text(f"{n} error{'s' if n != 1 else ''} in {files} file{'s' if files != 1 else ''}", style="bold red"))
