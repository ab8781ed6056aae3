"""``validate``: check fact files; every error as file:line: field: message, exit 3 on any."""

from __future__ import annotations

from pathlib import Path

import typer

from .run import REPORT, Shared, command


@command(REPORT)
def validate(opts: Shared, paths: list[Path] | None = None, no_bundled: bool = False) -> None:
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
