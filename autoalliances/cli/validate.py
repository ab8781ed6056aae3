"""``validate``: check fact files; every error as file:line: field: message, exit 3 on any."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .run import FORMAT_ONLY, Shared, command

PathsArg = Annotated[list[Path] | None, typer.Argument(help="Fact files or folders to check with the bundled facts.")]
NoBundledOpt = Annotated[bool, typer.Option("--no-bundled", help="Check PATHs alone, without the bundled facts.")]


@command(FORMAT_ONLY)
def validate(opts: Shared, paths: PathsArg = None, no_bundled: NoBundledOpt = False) -> None:
    """Check fact files: every error as file:line: field: message; exit 3 on any.

    Example: autoalliances validate my-facts/
    """
    from ..errors import EXIT_DATA, UsageError
    from ..load.loader import validate_paths
    from ..render.emit import emit_validation

    if no_bundled and not paths:
        raise UsageError("validate --no-bundled needs at least one PATH")
    result = validate_paths(paths or [], bundled=not no_bundled)
    emit_validation(result, opts.format)
    if not result.valid:
        raise typer.Exit(EXIT_DATA)
