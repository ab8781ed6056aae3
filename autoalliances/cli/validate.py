"""``validate``: check fact files; every error as file:line: field: message, exit 3 on any."""

from __future__ import annotations

import typer

from .run import REPORT, Shared, command, given_paths


@command(REPORT)
def validate(opts: Shared, paths: list[str] | None = None, no_bundled: bool = False) -> None:
    """Check fact files: every error as file:line: field: message; exit 3 on any.

    Example: autoalliances validate my-facts/
    """
    from ..errors import EXIT_DATA, UsageError
    from ..load.loader import validate_paths
    from ..render.emit import emit_validation

    checked = given_paths(paths or [], "validate")
    if no_bundled and not checked:
        raise UsageError("validate --no-bundled needs at least one PATH")
    result = validate_paths(checked, bundled=not no_bundled)
    emit_validation(result, opts.format)
    if not result.valid:
        raise typer.Exit(EXIT_DATA)
