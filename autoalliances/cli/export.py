"""``export sqlite`` and ``export json``: the whole fact base as one file (writers in ``export/``)."""

from __future__ import annotations

from pathlib import Path

import typer

from .root import Command, Group
from .run import FACTS, Shared, command, error

app = typer.Typer(
    name="export",
    no_args_is_help=True,
    cls=Group,
    help="Write the whole fact base to a SQLite database or a JSON document.\n\nExample: autoalliances export sqlite facts.db",
)

@app.command("sqlite", cls=Command)
@command(FACTS, options={"path": "db_path"})
def export_sqlite(opts: Shared, path: Path, force: bool = False) -> None:
    """A normalized SQLite database: a table per record type, join tables, foreign keys.

    Example: autoalliances export sqlite facts.db && datasette facts.db
    """
    from ..errors import UsageError
    from ..export.sqlite import write_sqlite
    from ..export.target import check_target

    if opts.stated_only:  # the database keeps every value and says which are inferred
        raise UsageError("export sqlite: --stated-only does not apply; the database lists inferred values in its 'inferred' table")
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
