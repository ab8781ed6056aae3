"""Shell-completion callbacks: each opens the registry and asks ``query.complete``.

A shell must never see a traceback while the user presses Tab, so any
failure (a broken fact file, say) completes nothing. Candidates are safe
shell words (``query.complete``); their descriptions, which zsh and fish
show, are one line with every control and invisible character made visible.
"""

from __future__ import annotations

import typer


def _completing(fn_name: str, ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    try:
        from .. import open_registry
        from ..query import complete

        facts = ctx.params.get("facts") if ctx is not None else None
        from ..render.text import one_line

        found: list[tuple[str, str]] = getattr(complete, fn_name)(open_registry(*(facts or [])), incomplete)
        return [(value, one_line(help_)) for value, help_ in found]
    except Exception:
        return []


def complete_company(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    return _completing("companies", ctx, incomplete)


def complete_record(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    return _completing("record_ids", ctx, incomplete)


def complete_domain(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    return _completing("domains", ctx, incomplete)


def complete_metric(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    return _completing("metrics", ctx, incomplete)

