"""``new`` in a terminal: ask for the fields one by one, with Tab completion of ids and values.

Each answer is checked at once (``export.newfile``) and asked again with
the reason when it does not pass; a reference may be typed as a name or
alias and is stored as the record's id. Only used when stdin and stdout
are terminals and no field was given as an option.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.prompt import Prompt

from ..errors import UsageError
from ..export.newfile import Known, _one, slugify
from ..export.scaffold import NAME_FIELDS, FieldSpec, fields_of

# The fields asked for, in order: what the record needs to validate, and what a reader wants.
ASKED = {
    "source": ["title", "id", "url", "published", "language", "outlet", "author"],
    "company": ["name", "id", "kind", "country", "sources"],
    "system": ["name", "id", "kind", "vendor", "sources"],
    "model": ["name", "id", "maker", "sources"],
    "deal": ["title", "id", "company", "partners", "kind", "domains", "announced", "status", "sources"],
    "figure": ["company", "metric", "region", "period", "status", "value", "id", "sources"],
    "conflict": ["topic", "id", "kind", "nature", "readings", "records"],
}


def _words(spec: FieldSpec, known: Known) -> list[str]:
    if spec.kind == "ref":
        return known.ids(spec.types)
    if spec.name == "readings":
        return known.ids(("source",))
    return list(spec.values)


def _set_completion(words: Sequence[str]) -> Callable[[], None]:
    """Tab completes *words* (after a comma too); returns how to switch it off again."""
    try:
        import readline
    except ImportError:  # pragma: no cover - a Python without readline: no completion
        return lambda: None

    def complete(text: str, state: int) -> str | None:
        found = [w for w in words if w.startswith(text)]
        return found[state] if state < len(found) else None

    readline.set_completer_delims(" ,=")
    readline.set_completer(complete)
    readline.parse_and_bind("tab: complete")
    return lambda: readline.set_completer(None)


def _question(spec: FieldSpec) -> str:
    need = "" if spec.required else " (optional, Enter to skip)"
    many = ", several separated by commas" if spec.many and spec.name != "readings" else ""
    if spec.name == "readings":
        return f"[bold]reading[/] as SOURCE=TEXT{need if not spec.required else ''} (Enter when done)"
    extra = f"; one of: {', '.join(spec.values)}" if spec.kind == "choice" else ""
    return f"[bold]{spec.name}[/] ({escape(spec.doc.split(';')[0])}{many}{extra}){need}"


def ask(type_: str, known: Known, console: Console) -> dict[str, Any]:
    """The answers, as text (references resolved to ids), field by field."""
    specs = {s.name: s for s in fields_of(type_)}
    given: dict[str, Any] = {}
    console.print(f"New {type_}: Tab completes ids and values; Ctrl-C stops without writing anything.", style="dim")
    for name in ASKED[type_]:
        spec = specs[name]
        default = _default_id(type_, given) if name == "id" else None
        off = _set_completion(_words(spec, known))
        try:
            answer = _ask_one(spec, type_, known, console, default)
        finally:
            off()
        if answer not in (None, []):
            given[name] = answer
    return given


def _default_id(type_: str, given: dict[str, Any]) -> str | None:
    if type_ == "figure":
        return slugify(" ".join(str(given[k]) for k in ("company", "metric", "period") if k in given)) or None
    return slugify(str(given.get(NAME_FIELDS[type_], ""))) or None


def _ask_one(spec: FieldSpec, type_: str, known: Known, console: Console, default: str | None) -> Any:
    if spec.name == "readings":
        readings: list[str] = []
        while True:
            text = Prompt.ask(_question(spec), console=console, default="", show_default=False).strip()
            if not text:
                if readings or not spec.required:
                    return readings
                console.print("  at least one reading is needed", style="red")
                continue
            try:
                source, words = _one(spec, text, known, type_)
            except UsageError as e:
                console.print(f"  {e}", style="red")
                continue
            readings.append(f"{source}={words}")
    while True:
        text = Prompt.ask(_question(spec), console=console, default=default or "", show_default=bool(default)).strip()
        if not text:
            if not spec.required:
                return None
            console.print(f"  {spec.name} is required", style="red")
            continue
        items = [t.strip() for t in text.split(",") if t.strip()] if spec.many else [text]
        try:
            checked = [_one(spec, t, known, type_) for t in items]
            if spec.name == "id" and text in known.where:
                raise UsageError(f"there is already a {known.where[text][0]} with id {text!r}")
        except UsageError as e:
            console.print(f"  {e}", style="red")
            continue
        values = [str(c) if spec.kind != "part" else t for c, t in zip(checked, items, strict=True)]
        return values if spec.many else values[0]
