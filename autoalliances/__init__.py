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

import os
from typing import TYPE_CHECKING

from .version import __version__

if TYPE_CHECKING:
    from .query.registry import Registry

__all__ = ["__version__", "open_registry"]


def open_registry(
    *extra_paths: str | os.PathLike[str], use_cache: bool = True, bundled: bool = True, stated_only: bool = False
) -> Registry:
    """Open the fact base: bundled facts, AUTOALLIANCES_FACTS, then *extra_paths*.

    *stated_only*: answer from what the articles state; filters ignore values the
    editors inferred, and output hides them (``--stated-only``).
    """
    from .query.registry import Registry
    from .store.cache import open_store

    return Registry(open_store(extra_paths, use_cache=use_cache, bundled=bundled), stated_only=stated_only)
