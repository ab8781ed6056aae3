"""``export sqlite``, ``export json`` and ``export ics``: the fact base as one file (writers in ``export/``)."""

from __future__ import annotations

from pathlib import Path

import typer

from .root import Command, Group
from .run import FACTS, Shared, command, error

app = typer.Typer(
    name="export",
    no_args_is_help=True,
    cls=Group,
    help="Write the fact base to a SQLite database, a JSON document or an iCalendar file.\n\n"
    "Example: autoalliances export sqlite facts.db",
)

@app.command("sqlite", cls=Command)
@command(FACTS, options={"path": "db_path"})
def export_sqlite(opts: Shared, path: Path, force: bool = False) -> None:
    """A normalized SQLite database: a table per record type, join tables, foreign keys.

    Example: autoalliances export sqlite facts.db && datasette facts.db
    """
    from ..export.sqlite import write_sqlite
    from ..export.target import check_target

    check_target(path, force=force)
    n = write_sqlite(opts.registry(), path, force=force)
    error(f"Wrote {n} records to {path}")


@app.command("json", cls=Command)
@command(FACTS, options={"path": "json_path"})
def export_json(opts: Shared, path: Path, force: bool = False) -> None:
    """One JSON document: {"tool", "version", "sources", "companies", ...}, records as in show --json.

    Example: autoalliances export json - | jq '.deals | length'
    """
    from ..export.document import json_text, write_json
    from ..export.target import check_target
    from ..render.writers import write

    if str(path) == "-":
        write(json_text(opts.registry()))
        return
    check_target(path, force=force)
    n = write_json(opts.registry(), path, force=force)
    error(f"Wrote {n} records to {path}")


@app.command("ics", cls=Command)
@command(FACTS, options={"path": "ics_path", "company": "ics_company"})
def export_ics(opts: Shared, path: Path, company: str | None = None, force: bool = False) -> None:
    """An iCalendar file (RFC 5545) of every dated plan and event: launches, debuts, deals, targets.

    All-day events; a month, quarter or season spans its days; plans are
    marked tentative. UIDs are stable, so importing the file again updates
    the events. Undated events cannot be placed and are counted on stderr.

    Example: autoalliances export ics plans.ics --company toyota
    """
    from ..export.ics import ics_text, write_ics
    from ..export.target import check_target
    from ..query.plans import calendar
    from ..render.writers import write

    if str(path) != "-":
        check_target(path, force=force)
    reg = opts.registry()
    tl = calendar(reg, company=company)
    name = "autoalliances" + (f": {reg.company(company).name}" if company else "")
    if str(path) == "-":
        write(ics_text(tl, name=name))
    else:
        n = write_ics(tl, path, force=force, name=name)
        error(f"Wrote {n} event{'s' if n != 1 else ''} to {path}")
    if tl.left_out:
        k = tl.left_out
        error(f"{k} undated event{'s' if k != 1 else ''} left out (a calendar cannot place {'them' if k != 1 else 'it'})")
