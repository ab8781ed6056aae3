"""Shell-completion callbacks: each opens the registry and asks ``query.complete``.

A shell must never see a traceback while the user presses Tab, so any
failure (a broken fact file, say) completes nothing. A cache that turns out
damaged while it is read is discarded and the candidates come from a fresh
build, as every command does (``run.once_more_if_damaged``; completion
writes nothing, so it needs no held-back output), never an empty list. Candidates are safe
shell words (``query.complete``); their descriptions, which zsh and fish
show, are one line with every control and invisible character made visible.
"""

from __future__ import annotations

import typer


def _completing(fn_name: str, ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    try:
        from .. import open_registry
        from ..errors import CacheDamaged
        from ..query import complete
        from ..render.text import one_line

        facts = ctx.params.get("facts") if ctx is not None else None
        try:
            found: list[tuple[str, str]] = getattr(complete, fn_name)(open_registry(*(facts or [])), incomplete)
        except CacheDamaged as e:
            from ..store.cache import discard

            discard(e.path)
            found = getattr(complete, fn_name)(open_registry(*(facts or [])), incomplete)
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

