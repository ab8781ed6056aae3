"""Rich documents for people: a company's dossier, one record in full, a validation report.

Imported only for the table format. The same rules as ``tables``: literal,
safe ``Text`` only, and numbered source notes at the end.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich import box
from rich.console import Console, Group
from rich.panel import Panel
from rich.text import Text

from ..errors import FactError
from ..model.dates import FuzzyDate
from ..model.records import RECORD_TYPES, Conflict, Milestone, Person, Record, Source
from ..model.refs import ref_fields
from ..query.views import Dossier, Lookups, RecordView
from ..store.codec import to_plain
from .tables import _WRAP_CONSOLE, Notes, _status, cite, console, plural, t
from .text import amount, change, deal_label, milestone, one_line, safe


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
            lines = [Text(""), Text(f"{plural(kind).capitalize()} ({len(recs)})", style="bold underline")]
            for r in recs:
                lines += _lines(*block(r, ctx, notes, c.id), width=width)
            con.print(Group(*lines))
    con.print(Text(""))
    con.print(notes.render())


def _lines(head: Text, id_: str, details: Sequence[Text], *, width: int) -> list[Text]:
    """A heading line at indent 1, the record's id dimmed under it, and detail lines at
    indent 3, wrapped at spaces to *width*."""
    out = [Text.assemble(" ", line) for line in head.wrap(_WRAP_CONSOLE, max(width - 2, 20))]
    out.append(Text.assemble("   ", (id_, "dim")))
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


def _deal_block(x: Any, ctx: Lookups, notes: Notes, own: str) -> tuple[Text, str, list[Text]]:
    head = _head(x.announced.label, "", Text(safe(deal_label(x, ctx.name)), style="bold"), _status(x.status), notes.ref(x))
    details = [Text(notes.words(x.title))]
    if x.value:
        details.append(Text(amount(x.value, printed=False), style="green"))
    details.append(Text(", ".join(x.domains), style="dim"))
    return head, x.id, details


def _model_block(x: Any, ctx: Lookups, notes: Notes, own: str) -> tuple[Text, str, list[Text]]:
    maker = safe(ctx.name(x.maker)) + (" · " + ", ".join(p.upper() for p in x.powertrains) if x.powertrains else "")
    head = _head(safe(x.name), "bold", Text(maker, style="dim"), notes.ref(x))
    details = [Text("• " + milestone(m)) for m in x.milestones]
    if x.systems:
        details.append(Text("systems: " + ", ".join(safe(ctx.name(i)) for i in x.systems), style="dim"))
    return head, x.id, details


def _system_block(x: Any, ctx: Lookups, notes: Notes, own: str) -> tuple[Text, str, list[Text]]:
    extra = x.kind + (f" · {safe(x.version)}" if x.version else "")
    if x.vendor and x.vendor != own:  # the dossier's own company goes without saying
        extra += " · " + safe(ctx.name(x.vendor))
    return _head(safe(x.name), "bold", Text(extra, style="dim"), notes.ref(x)), x.id, []


def _figure_block(x: Any, ctx: Lookups, notes: Notes, own: str) -> tuple[Text, str, list[Text]]:
    what = safe(ctx.name(x.company) if x.company else x.scope or "") + f" · {x.metric} · {safe(x.region)}"
    head = _head(x.period.label, "", Text(what, style="bold"), _status(x.status), notes.ref(x))
    value = Text(amount(x.value, printed=False) or "", style="green")
    if x.change:
        value.append(("; " if x.value else "") + change(x.change))
    return head, x.id, [value] if value.plain else []


def _conflict_block(x: Any, ctx: Lookups, notes: Notes, own: str) -> tuple[Text, str, list[Text]]:
    head = Text("⚠ ", style="bold yellow")
    head.append(safe(x.topic), style="bold")
    head.append(f" · {x.kind}", style="dim")
    readings = []
    for r in x.readings:
        reading = Text("• " + notes.words(r.text) + " ")
        reading.append(cite([r.source], notes), style="cyan")
        readings.append(reading)
    return head, x.id, readings


_PARTS = ("milestones", "people", "notes", "readings")  # lists of parts, each shown in a panel of its own


def render_record(view: RecordView) -> None:
    """One record in full: every field that has a value (``show``), whatever its type.

    Scalars, dates, amounts and references are rows of a table; lists of parts
    (milestones, people, notes) and a text ``notes`` (a source's) are panels; a
    mapping (``inferred``, ``alias_sources``) is one row per key.
    """
    con = console()
    rec, ctx, referrers = view.record, view.lookups, view.referrers
    conflicts: Sequence[Conflict] = [rec] if isinstance(rec, Conflict) else view.conflicts
    notes = Notes(ctx)
    from rich.table import Table

    tb = Table(box=box.SIMPLE, show_header=False, title=Text(f"{rec.TYPE} {rec.id}"), title_justify="left")
    tb.add_column("field", style="bold", no_wrap=True)
    tb.add_column("value", overflow="fold")
    data = to_plain(rec, dates="text")
    for key, value in data.items():
        if key == "sources" or key in _PARTS or value in (None, [], "", {}):  # parts: in panels below
            continue
        mapping = getattr(rec, key)
        if isinstance(mapping, dict):  # inferred, alias_sources: a row per key
            for sub, v in mapping.items():
                shown = ", ".join(map(str, v)) if isinstance(v, list) else str(v)
                tb.add_row(t(f"{key}: {sub}"), t(notes.words(shown)))
            continue
        tb.add_row(t(key), _value(rec, key, value, ctx, notes))
    if not isinstance(rec, Source):
        tb.add_row(t("sources"), notes.ref(rec))
    con.print(tb)
    for key in _PARTS:
        items = getattr(rec, key, None)
        if key == "readings" or not items:  # a conflict's readings are in its panel below
            continue
        body = Text()
        if isinstance(items, str):
            body.append(notes.words(items))
        else:
            for i, it in enumerate(items):
                body.append(("\n" if i else "") + "• " + _part(it, notes))
                body.append(" " + cite(it.sources, notes), style="cyan")
        con.print(Panel(body, title=Text(key.capitalize()), title_align="left", expand=False))
    for c in conflicts:
        body = Text(safe(c.topic) + f" ({c.kind})\n", style="bold yellow")
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
                wrapped = group.wrap(_WRAP_CONSOLE, max(con.width - 4, 20))
                lines += [Text.assemble("  " if i == 0 else "    ", line) for i, line in enumerate(wrapped)]
        con.print(Group(*lines))
    con.print(notes.render())


def _part(it: Any, notes: Notes) -> str:
    """A milestone, a person or a note, as one line of text."""
    if isinstance(it, Milestone):
        return milestone(it)
    if isinstance(it, Person):
        return safe(it.name) + (f", {safe(it.role)}" if it.role else "")
    return notes.words(getattr(it, "text", str(it)))


def _named_refs(cls: type) -> dict[str, bool]:
    """The record's own fields that name a record of a given type: field -> is it a list."""
    return {f.path[0]: f.many[0] for f in ref_fields(cls)[1] if len(f.path) == 1 and f.types}


def _value(rec: Record, key: str, value: Any, ctx: Lookups, notes: Notes) -> Text:
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
    if isinstance(value, str) and key in ("description", "note", "title", "topic"):
        return t(notes.words(value))
    return t(value)


def render_errors(errors: Sequence[FactError], files: int) -> None:
    """The validation report: one line per error, never wrapped (grep, quickfix lists and CI
    problem matchers read it), then the count (stderr)."""
    con = Console(stderr=True, highlight=False, emoji=False, markup=False, soft_wrap=True)
    for e in errors:
        con.print(Text(one_line(str(e)), style="red"))
    n = len(errors)
    con.print(Text(f"{n} error{'s' if n != 1 else ''} in {files} file{'s' if files != 1 else ''}", style="bold red"))
