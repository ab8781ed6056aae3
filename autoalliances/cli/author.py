"""``new``, ``schema`` and ``diff``: writing fact files and comparing fact trees (the work is in ``export/scaffold.py``,
``export/newfile.py`` and ``model/jsonschema.py``).

``new`` has one subcommand per record type, and each has one option per field
that can be given as text, named after the field (``--partner`` for
``partners``, repeatable). Those options are read off the record annotations
and ``model/fielddocs.py`` rather than declared in ``options.SPECS``: a field
added to a record type gets its option without a second declaration. The
options every subcommand shares (``--dir``, ``--facts``, ``--schema``) are in
``SPECS`` as usual.
"""

from __future__ import annotations

import inspect
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from ..model.records import TYPE_NAMES
from .options import parameter_info
from .root import Command, Group
from .run import FORMAT_ONLY, Shared, command, error, handled

app = typer.Typer(
    name="new",
    no_args_is_help=True,
    cls=Group,
    help="Write a new fact file, every field explained in a comment: source, company, deal, model, system, figure, conflict.\n\n"
    "Example: autoalliances new deal --title 'BMW and Huawei ...' --company bmw --partner huawei --source my-source",
)


def _complete_values(values: tuple[str, ...]) -> Any:
    def complete(incomplete: str) -> list[str]:
        return [v for v in values if v.startswith(incomplete)]

    return complete


def _field_option(spec: Any) -> inspect.Parameter:
    from . import completion

    decls = [spec.flag]
    plural = "--" + spec.name.replace("_", "-")
    if plural not in decls:
        decls.append(plural)
    many = spec.many or spec.name in ("readings", "inferred")
    hint = {
        "readings": " As SOURCE=TEXT.",
        "inferred": " As FIELD=WHY.",
        "value": " As [QUALIFIER] NUMBER [SCALE] UNIT: '1.5 billion EUR'.",
    }
    help_ = spec.doc[0].upper() + spec.doc[1:] + "." + hint.get(spec.name, "")
    if spec.kind == "choice":
        help_ += " One of: " + ", ".join(spec.values) + "."
    if spec.kind == "date":
        help_ += " A date: 2025-03-26, 2025-04, 2025-Q3, 2026-spring, 2024, by 2026, unknown."
    if spec.required:
        help_ += " Required."
    if many:
        help_ += " Repeatable."
    settings: dict[str, Any] = {"help": help_, "show_default": False}
    if spec.kind == "choice":
        settings["autocompletion"] = _complete_values(spec.values)
    elif spec.kind == "ref" or spec.name == "readings":
        settings["autocompletion"] = completion.complete_company if spec.types == ("company",) else completion.complete_record
    tp: Any = list[str] | None if many else str | None
    return _keyword(spec.name, None, Annotated[tp, typer.Option(*decls, **settings)])


def _keyword(name: str, default: Any, annotation: Any) -> inspect.Parameter:
    return inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=annotation)


class NewCommand:
    """``new TYPE``: a function whose signature Typer reads, one option per field."""

    def __init__(self, type_: str) -> None:
        from ..export.scaffold import fields_of
        from ..model.fielddocs import RECORDS

        self.type_ = type_
        cls = TYPE_NAMES[type_]
        self.__name__ = f"new_{type_}"
        self.__qualname__ = self.__name__
        self.__module__ = __name__
        self.__doc__ = f"A new {type_}: {RECORDS[cls.__name__]}.\n\nExample: {EXAMPLES[type_]}"
        params = [_field_option(s) for s in fields_of(type_) if s.simple]
        params += [
            _keyword("dir", Path("."), Annotated[Path, parameter_info("new_dir")]),
            _keyword("facts", None, Annotated[list[Path] | None, parameter_info("facts")]),
            _keyword("schema", None, Annotated[str | None, parameter_info("schema_at")]),
        ]
        self.__signature__ = inspect.Signature(params)
        self.__annotations__ = {p.name: p.annotation for p in params}

    def __call__(self, **kwargs: Any) -> None:
        with handled():
            new_record(self.type_, kwargs)


EXAMPLES = {
    "source": "autoalliances new source --title 'BMW picks Huawei maps' --url https://example.com/a --published 2025-06-01 --language en",
    "company": "autoalliances new company --name 'Example Motors' --kind automaker --source my-source",
    "system": "autoalliances new system --name 'Example OS' --kind operating-system --vendor huawei --source my-source",
    "model": "autoalliances new model --name 'Example EV' --maker bmw --powertrain bev --source my-source",
    "deal": "autoalliances new deal --title 'BMW and Huawei ...' --company bmw --partner huawei --announced 2025-03-17 --source my-source",
    "figure": "autoalliances new figure --company bmw --metric sales --region China --period 2025 --value '700000 vehicles' --source src",
    "conflict": "autoalliances new conflict --topic 'BMW sales in 2025' --kind precision --reading 'a=700,000' --reading 'b=0.7 million'",
}

for _type in TYPE_NAMES:
    app.command(_type, cls=Command)(NewCommand(_type))


def new_record(type_: str, kwargs: dict[str, Any]) -> None:
    """Check what was given (or ask for it in a terminal), then write ``<id>.yaml`` into ``--dir``."""
    from ..export.newfile import check, gather, missing, schema_location, write_new
    from ..export.scaffold import render
    from ..model.jsonschema import bundled_schema_path

    folder: Path = kwargs.pop("dir")
    facts: list[Path] = kwargs.pop("facts") or []
    schema_at: str | None = kwargs.pop("schema")
    given = {k: v for k, v in kwargs.items() if v not in (None, [])}
    known = gather(facts, folder)
    for skipped in known.skipped:
        error(f"note: not read for ids: {skipped}")
    if not given and sys.stdin.isatty() and sys.stdout.isatty():
        from ..render.console import console
        from .prompts import ask

        given = ask(type_, known, console())
    values = check(type_, given, known)
    text = render(type_, values, schema_location(folder, schema_at, bundled_schema_path()))
    target = write_new(folder, values["id"], text)
    todo = missing(type_, values)
    error(f"Wrote {target}")
    if todo:
        error(f"Still to fill in: {', '.join(todo)} (autoalliances validate {target} lists what is missing)")
    else:
        error(f"Check it with: autoalliances validate {target}")


@command(options={"type_": "schema_type"})
def schema(opts: Shared, type_: str | None = None) -> None:
    """The JSON Schema of fact files (Draft 2020-12), for editors and check-jsonschema.

    Example: autoalliances schema > facts.schema.json
    """
    from ..errors import UnknownNameError
    from ..model.jsonschema import schema_text, type_names
    from ..model.names import close_matches
    from ..model.records import RECORD_TYPES
    from ..render.writers import write

    if type_ is not None:
        name = type_.strip().lower()
        name = RECORD_TYPES[name].TYPE if name in RECORD_TYPES else name
        if name not in type_names():
            raise UnknownNameError("record type", type_, close_matches(name, [*type_names(), *RECORD_TYPES], n=1) or type_names())
        type_ = name
    write(schema_text(type_))


@command(FORMAT_ONLY, options={"old": "diff_old", "new": "diff_new"})
def diff(opts: Shared, old: str, new: str, with_bundled: bool = False) -> None:
    """Compare two fact trees (folders, or the word bundled): records added, removed and changed, field by field.

    Example: autoalliances diff old-facts/ bundled
    """
    from ..query.diff import diff_trees
    from ..render.diffs import emit_diff

    emit_diff(diff_trees(old, new, with_bundled=with_bundled), opts.format)
