"""autoalliances: a sourced reference on alliances between foreign automakers and
Chinese technology companies.

The package is a plain library; typer and rich are imported only by the CLI and
render layers. Typical use::

    from autoalliances import open_registry
    reg = open_registry()
    for deal in reg.deals(company="BMW", year=2025):
        print(deal.announced.label, deal.title)

See docs/architecture.md for how the subpackages fit together.
"""

from __future__ import annotations

from .version import __version__

TYPE_CHECKING = False  # typing itself costs the fast paths of ``__main__`` more than they spend
if TYPE_CHECKING:
    import os
    from datetime import date

    from .query.registry import Registry

__all__ = ["__version__", "open_registry"]


def open_registry(
    *extra_paths: str | os.PathLike[str],
    use_cache: bool = True,
    bundled: bool = True,
    as_of: date | str | None = None,
    stated_only: bool = False,
) -> Registry:
    """Open the fact base: bundled facts, AUTOALLIANCES_FACTS, then *extra_paths*.

    *as_of* (a ``date`` or ``"YYYY-MM-DD"``) reads the fact base as it stood on
    that day: only sources published by then count, and plans are assessed
    against it. Without it, plans are assessed against ``AUTOALLIANCES_TODAY``
    or the system date.

    *stated_only*: answer from what the articles state; filters ignore values the
    editors inferred, and output hides them (``--stated-only``).
    """
    from .query.registry import Registry
    from .store.cache import open_store

    if isinstance(as_of, str):
        from .model.today import parse_day

        as_of = parse_day(as_of, "as_of")
    return Registry(open_store(extra_paths, use_cache=use_cache, bundled=bundled), as_of, stated_only=stated_only)
