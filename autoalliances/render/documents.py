"""Rich documents for people: a company's dossier, one record in full, a validation report.

Imported only for the table format. The same rules as ``tables``: literal,
safe ``Text`` only, numbered source notes at the end, and every value the
editors inferred marked (or, with --stated-only, hidden) by the screen's
``Marks``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich import box
from rich.console import Group
from rich.panel import Panel

from ..errors import FactError
from ..model.dates import FuzzyDate
from ..model.records import RECORD_TYPES, Conflict, Record, Source
from ..model.refs import ref_fields
from ..query.views import Dossier, Lookups, RecordView
from ..store.codec import to_plain
from .console import RichText, Text, console, indented
from .marks import Marks, alias_texts
from .tables import (
    WRAP_CONSOLE,
    Notes,
    change_text,
    cite,
    date_cell,
    deal_parties,
    flag_passed,
    milestone_texts,
    milestones_text,
    nature,
    plan_line,
    plural,
    powertrains,
    status_cell,
    t,
)
from .text import one_line, origin_label, safe


def render_dossier(d: Dossier) -> None:
    con = console()
    ctx = d.lookups
    notes = Notes(ctx, [*d.records(), *d.children])
    m = notes.marks
    c = d.company
    head = Text()
    head.append(safe(c.name), style="bold")
    head.append(f"  ({c.id})", style="dim")
    country = f" · {safe(m.cell(c, 'country', c.country) or '')}" if c.country else " · country not stated in the articles"
    head.append("\n" + (m.cell(c, "kind", c.kind) or "") + country)
    if c.aliases:
        head.append("\nalso: " + ", ".join(safe(a) for a in alias_texts(c, m, notes.number)), style="dim")
    parents = [x for p in d.parents if (x := m.show(c, f"parents[{c.parents.index(p.id)}]", safe(p.name))) is not None]
    if parents:
        head.append("\npart of: " + ", ".join(parents))
    if d.children:
        head.append("\nunits and joint ventures: " + ", ".join(_child(ch, c.id, m) for ch in d.children))
    if c.description:
        head.append("\n\n" + notes.words(c.description))
    head.append("  ")
    head.append(notes.ref(c))
    for p in c.people:
        head.append(f"\n• {safe(p.name)}" + (f", {safe(p.role)}" if p.role else ""))
        head.append(" " + cite(p.sources, notes), style="cyan")
    for n in c.notes:
        head.append("\n• " + notes.words(n.text))
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
        now = ctx.today
        start, end = s.published.start, s.published.end
        # A month, a year or "by 2025" is a span of days: its age is counted from its last day,
        # which the article may be older than ("by 2025" is not "11 months" old, but at least that).
        if start == end or end > now:
            how_old = age(end, now)
        else:
            how_old = f"at least {age(end, now)}"
        when = f"{how_old} {day_label(ctx.as_of)} (--as-of)" if ctx.as_of else f"{how_old} today"
        line += f", {when}"
    return Text(line, style="dim")


def _child(ch: Any, parent: str, m: Marks) -> str:
    """A joint venture or unit by name, marked when its link to *parent* (or its kind) is the editors' inference."""
    name = m.mark(ch, "kind", safe(ch.name)) if ch.kind == "joint-venture" else safe(ch.name)
    return m.mark(ch, f"parents[{ch.parents.index(parent)}]", name) if parent in ch.parents else name


def _lines(head: Text, id_: str, details: Sequence[Text], *, width: int) -> list[RichText]:
    """A heading line at indent 1, the record's id dimmed under it, and detail lines at
    indent 3, wrapped at spaces to *width*."""
    out = [indented(" ", line) for line in head.wrap(WRAP_CONSOLE, max(width - 2, 20))]
    out.append(indented("   ", Text(id_, style="dim")))
    for detail in details:
        out += [indented("   ", line) for line in detail.wrap(WRAP_CONSOLE, max(width - 4, 20))]
    return out


def _head(first: str, style: str, *rest: Text | str) -> Text:
    head = Text(first, style=style)
    for part in rest:
        if part:
            head.append("  ")
            head.append(part)
    return head


def _deal_block(x: Any, ctx: Lookups, notes: Notes, own: str) -> tuple[Text, str, list[Text]]:
    m = notes.marks
    when = date_cell(x, "announced", x.announced, m)
    head = _head(when, "", Text(safe(deal_parties(x, ctx, m)), style="bold"), status_cell(x, m), notes.ref(x))
    details = [Text(m.cell(x, "title", notes.words(x.title)) or "")]
    if x.value:
        details.append(Text(m.amount(x, "value", x.value, printed=False), style="green"))
    details.append(Text(m.joined(x, "domains", x.domains) or "", style="dim"))
    plan = plan_line(x, ctx, style="")
    if plan is not None:
        details.append(plan)
    return head, x.id, details


def _model_block(x: Any, ctx: Lookups, notes: Notes, own: str) -> tuple[Text, str, list[Text]]:
    m = notes.marks
    maker = safe(m.cell(x, "maker", ctx.name(x.maker)) or "") + (" · " + powertrains(x, m) if x.powertrains else "")
    head = _head(safe(x.name), "bold", Text(maker, style="dim"), notes.ref(x))
    details = milestones_text(x, ctx, m, "• ")
    if x.systems:
        details.append(Text("systems: " + safe(m.joined(x, "systems", [ctx.name(i) for i in x.systems]) or ""), style="dim"))
    return head, x.id, details


def _system_block(x: Any, ctx: Lookups, notes: Notes, own: str) -> tuple[Text, str, list[Text]]:
    m = notes.marks
    extra = (m.cell(x, "kind", x.kind) or "") + (f" · {safe(m.cell(x, 'version', x.version) or '')}" if x.version else "")
    # The dossier's own company goes without saying, unless the editors inferred it.
    if x.vendor and (x.vendor != own or x.inferred.get("vendor")):
        extra += " · " + safe(m.cell(x, "vendor", ctx.name(x.vendor)) or "")
    return _head(safe(x.name), "bold", Text(extra, style="dim"), notes.ref(x)), x.id, []


def _figure_block(x: Any, ctx: Lookups, notes: Notes, own: str) -> tuple[Text, str, list[Text]]:
    m = notes.marks
    who = m.cell(x, "company", ctx.name(x.company)) if x.company else m.cell(x, "scope", x.scope)
    what = safe(who or "") + f" · {m.cell(x, 'metric', x.metric)} · {safe(m.cell(x, 'region', x.region) or '')}"
    head = _head(date_cell(x, "period", x.period, m), "", Text(what, style="bold"), status_cell(x, m), notes.ref(x))
    value = Text(m.amount(x, "value", x.value, printed=False), style="green")
    if x.change:
        value.append(("; " if x.value else "") + change_text(x, m))
    details = [value] if value.plain else []
    plan = plan_line(x, ctx, style="")
    if plan is not None:
        details.append(plan)
    return head, x.id, details


def _conflict_block(x: Any, ctx: Lookups, notes: Notes, own: str) -> tuple[Text, str, list[Text]]:
    head = Text("⚠ ", style="bold yellow")
    head.append(safe(x.topic), style="bold")
    head.append(f" · {notes.marks.cell(x, 'kind', x.kind)} · {nature(x, notes)}", style="dim")
    readings = []
    for r in x.readings:
        reading = Text("• " + notes.words(r.text) + " ")
        reading.append(cite([r.source], notes), style="cyan")
        readings.append(reading)
    return head, x.id, readings


def render_record(view: RecordView) -> None:
    """One record in full: every field that has a value (``show``), whatever its type.

    Scalars, dates, amounts and references are rows of a table; lists of parts
    (milestones, people, notes) are panels; what the editors inferred is marked
    where it is shown, with its reason in the notes (``Marks``).
    """
    con = console()
    rec, ctx, referrers = view.record, view.lookups, view.referrers
    conflicts: Sequence[Conflict] = [rec] if isinstance(rec, Conflict) else view.conflicts
    notes = Notes(ctx, [rec, *conflicts])
    m = notes.marks
    from rich.table import Table

    tb = Table(box=box.SIMPLE, show_header=False, title=Text(f"{rec.TYPE} {rec.id}"), title_justify="left")
    tb.add_column("field", style="bold", no_wrap=True)
    tb.add_column("value", overflow="fold")
    data = to_plain(rec, dates="text")
    for key, value in data.items():
        skip = ("sources", "milestones", "people", "readings", "inferred", "alias_sources")
        if key in skip or (key == "notes" and not isinstance(value, str)) or value in (None, [], "", {}):
            continue  # a source's notes are one text: a row of the table; other records' notes get a panel
        tb.add_row(t(key), _value(rec, key, value, ctx, notes))
        if key == "status" and (plan := plan_line(rec, ctx, style="")) is not None:
            tb.add_row(t("plan"), plan)
    if not isinstance(rec, Source):  # a source is its own citation
        tb.add_row(t("sources"), notes.ref(rec))
    con.print(tb)
    # Below the table, never wrapped: a long path must not widen or fold the table.
    con.print(Text("origin: " + origin_label(ctx.origins.get(rec.id)), style="dim"), soft_wrap=True)
    notes_list = getattr(rec, "notes", None)
    parts = (
        ("Milestones", getattr(rec, "milestones", [])),
        ("People", getattr(rec, "people", [])),
        ("Notes", notes_list if isinstance(notes_list, list) else []),
    )
    for label, items in parts:
        if items:
            body = Text()
            for i, it in enumerate(items):
                body.append(("\n" if i else "") + "• ")
                if label == "Milestones":
                    body.append_text(flag_passed(Text(safe(milestone_texts(rec, m, ctx)[i]))))
                elif label == "People":
                    body.append(safe(it.name) + (f", {safe(it.role)}" if it.role else ""))
                else:
                    body.append(notes.words(it.text))
                body.append(" " + cite(it.sources, notes), style="cyan")
            con.print(Panel(body, title=Text(label), title_align="left", expand=False))
    for c in conflicts:
        how = "the articles disagree"
        if c.nature == "anomaly" and c.readings:
            how = f"one article is inconsistent with itself: [{notes.number(c.readings[0].source)}]"
        body = Text(safe(c.topic) + f" ({m.cell(c, 'kind', c.kind)}; {how})\n", style="bold yellow")
        for r in c.readings:
            body.append(f"• {notes.words(r.text)} ", style="")
            body.append(cite([r.source], notes), style="cyan")
            body.append("\n")
        if c.note:
            body.append(notes.words(c.note), style="italic")
        con.print(Panel(body, title=Text(f"⚠ conflict {c.id}"), title_align="left", expand=False, border_style="yellow"))
    if referrers:
        n = len(referrers)
        lines = [Text(f"{'cited' if isinstance(rec, Source) else 'referenced'} by {n} record{'s' if n != 1 else ''}:", style="dim")]
        for kind, cls in RECORD_TYPES.items():
            ids = [r.id for r in referrers if isinstance(r, cls)]
            if ids:
                group = Text(f"{kind if len(ids) != 1 else cls.TYPE}: " + ", ".join(ids), style="dim")
                wrapped = group.wrap(WRAP_CONSOLE, max(con.width - 4, 20))
                lines += [Text.assemble("  " if i == 0 else "    ", line) for i, line in enumerate(wrapped)]
        con.print(Group(*lines))
    con.print(notes.render())
    con.print(freshness(ctx, rec))


def _listed(notes: Any) -> list[Any]:
    """A record's notes as a list of notes (a source's notes are one text, shown as a row)."""
    return notes if isinstance(notes, list) else []


def _named_refs(cls: type) -> dict[str, bool]:
    """The record's own fields that name a record of a given type: field -> is it a list."""
    return {f.path[0]: f.many[0] for f in ref_fields(cls)[1] if len(f.path) == 1 and f.types}


def _value(rec: Record, key: str, value: Any, ctx: Lookups, notes: Notes) -> Text:
    """One field of ``show``, marked where the editors inferred it (or hidden, with --stated-only)."""
    m = notes.marks
    v = getattr(rec, key)
    many = _named_refs(type(rec)).get(key)
    if many is not None:  # "BMW (bmw)"
        names = [f"{ctx.name(i)} ({i})" for i in (v if many else [v])]
        return t(m.joined(rec, key, names) if many else m.cell(rec, key, names[0]))
    if isinstance(v, FuzzyDate):
        return t(m.cell(rec, key, f"{v.label} ({v.precision})") if v.known else "not stated")
    if key == "value":
        return t(m.amount(rec, key, v))
    if key == "change":
        return t(change_text(rec, m))
    if key == "status":
        return status_cell(rec, m)
    if key == "aliases":
        return t(", ".join(alias_texts(rec, m, notes.number)) or None)
    if isinstance(value, list):
        return t(m.joined(rec, key, [str(x) for x in value]))
    if isinstance(value, str) and key in ("description", "note", "notes", "title", "topic"):
        return t(m.cell(rec, key, notes.words(value)))
    return t(m.cell(rec, key, str(value)))


def render_errors(errors: Sequence[FactError], files: int) -> None:
    """The validation report: one line per error, never wrapped (grep, quickfix lists and CI
    problem matchers read it), then the count (stderr)."""
    con = console(stderr=True)
    for e in errors:
        con.print(Text(one_line(str(e)), style="red"), soft_wrap=True)
    n = len(errors)
    con.print(Text(f"{n} error{'s' if n != 1 else ''} in {files} file{'s' if files != 1 else ''}", style="bold red"))
