"""``export sqlite``, ``json``, ``csv``, ``site`` and ``ics``: the whole fact base as files (writers in ``export/``)."""

from __future__ import annotations

from pathlib import Path

import typer

from .root import Command, Group
from .run import FACTS, Shared, command, error

app = typer.Typer(
    name="export",
    no_args_is_help=True,
    cls=Group,
    help="Write the whole fact base: a SQLite database, a JSON document, CSV files, a static website or an iCalendar file.\n\n"
    "Example: autoalliances export site site/",
)

def _target(text: str, what: str, kind: str = "file") -> Path:
    """PATH or DIR as given; an empty one (an unset shell variable) is a usage error.

    The parameters are declared as text, not ``Path``: ``Path("")`` is the
    current folder, so ``export site "$OUT" --force`` with OUT unset used to
    write the website into whatever folder the shell was in.
    """
    from ..errors import UsageError

    if not text:
        example = {"sqlite": "facts.db", "json": "facts.json or -", "csv": "release/", "site": "site/", "ics": "plans.ics or -"}
        e_g = "metadata.json" if kind.startswith("--metadata") else example[what]
        raise UsageError(f"export {what}: the {kind} to write is empty (''): give one, e.g. {e_g}")
    return Path(text)


def _keeps_everything(opts: Shared, what: str, why: str) -> None:
    """--stated-only on an export that keeps every value and marks the inferred ones: a usage error, never ignored."""
    from ..errors import UsageError

    if opts.stated_only:
        raise UsageError(f"export {what}: --stated-only does not apply; {why}")


@app.command("sqlite", cls=Command)
@command(FACTS, options={"path": "db_path"})
def export_sqlite(opts: Shared, path: str, force: bool = False, metadata: str | None = None) -> None:
    """A normalized SQLite database: a table per record type, join tables, foreign keys, a full-text index.

    Example: autoalliances export sqlite facts.db --metadata metadata.json && datasette facts.db -m metadata.json
    """
    from ..export.sqlite import fts5_available, write_metadata, write_sqlite
    from ..export.target import check_target

    _keeps_everything(opts, "sqlite", "the database lists inferred values in its 'inferred' table")
    db = _target(path, "sqlite")
    meta = None if metadata is None else _target(metadata, "sqlite", "--metadata file")
    check_target(db, force=force)
    if meta is not None:
        check_target(meta, force=force)
    search = fts5_available()
    if not search:
        error("Note: this Python's SQLite has no FTS5; the database has no full-text index")
    n = write_sqlite(opts.registry(), db, force=force, search=search)
    error(f"Wrote {n} records to {db}")
    if meta is not None:
        write_metadata(db, meta, force=force, search=search)
        error(f"Wrote Datasette metadata to {meta}")


@app.command("json", cls=Command)
@command(FACTS, options={"path": "json_path"})
def export_json(opts: Shared, path: str, force: bool = False) -> None:
    """One JSON document: {"tool", "version", "sources", "companies", ...}, records as in show --json.

    Example: autoalliances export json - | jq '.deals | length'
    """
    from ..export.document import json_text, write_json
    from ..export.target import check_target
    from ..render.writers import write

    if path == "-":
        write(json_text(opts.registry(), indent="auto"), json=True)
        return
    target = _target(path, "json")
    check_target(target, force=force)
    n = write_json(opts.registry(), target, force=force)
    error(f"Wrote {n} records to {target}")


@app.command("csv", cls=Command)
@command(FACTS, options={"path": "csv_dir", "force": "folder_force"})
def export_csv(opts: Shared, path: str, force: bool = False) -> None:
    """A data release: one CSV per table of the SQLite export, and a Frictionless datapackage.json.

    Example: autoalliances export csv release/ && frictionless validate release/datapackage.json
    """
    from ..export.folder import check_folder, write_folder
    from ..export.package import data_package

    _keeps_everything(opts, "csv", "the release has the tables of the SQLite export, with its 'inferred' table")
    folder = _target(path, "csv", "folder")
    check_folder(folder, "csv", force=force)
    files = data_package(opts.registry())
    write_folder(folder, files, "csv", force=force)
    error(f"Wrote {len(files) - 1} tables and datapackage.json to {folder}")


@app.command("site", cls=Command)
@command(FACTS, options={"path": "site_dir", "force": "folder_force"})
def export_site(opts: Shared, path: str, force: bool = False) -> None:
    """A static website of the whole fact base that works offline, from a zip file or any static host.

    Example: autoalliances export site site/ && open site/index.html
    """
    from ..export.folder import check_folder, write_folder
    from ..export.site.build import build_site

    _keeps_everything(opts, "site", "the site marks every inferred value with † and the editors' reason")
    folder = _target(path, "site", "folder")
    check_folder(folder, "site", force=force)
    reg = opts.registry()
    files = build_site(reg, today=reg.today)
    n = write_folder(folder, files, "site", force=force)
    error(f"Wrote {n} files to {folder}; open {folder / 'index.html'}")


@app.command("ics", cls=Command)
@command(FACTS, options={"path": "ics_path", "company": "ics_company"})
def export_ics(opts: Shared, path: str, company: str | None = None, force: bool = False) -> None:
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

    target = None if path == "-" else _target(path, "ics")
    if target is not None:
        check_target(target, force=force)
    reg = opts.registry()
    tl = calendar(reg, company=company)
    name = "autoalliances" + (f": {reg.company(company).name}" if company else "")
    if target is None:
        write(ics_text(tl, name=name))
    else:
        n = write_ics(tl, target, force=force, name=name)
        error(f"Wrote {n} event{'s' if n != 1 else ''} to {target}")
    if tl.left_out:
        k = tl.left_out
        error(f"{k} undated event{'s' if k != 1 else ''} left out (a calendar cannot place {'them' if k != 1 else 'it'})")
