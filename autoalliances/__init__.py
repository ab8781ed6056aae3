"""autoalliances: a sourced reference on alliances between foreign automakers and
Chinese technology companies.

The package is a plain library; typer and rich are imported only by the CLI and
output layers. Typical use::

    from autoalliances import open_registry
    reg = open_registry()
    for deal in reg.deals(company="BMW", year=2025):
        print(deal.announced.label, deal.title)
"""

__version__ = "1.0.0"


def open_registry(*extra_paths, use_cache: bool = True, bundled: bool = True):
    """Open the fact base: bundled facts, AUTOALLIANCES_FACTS, then *extra_paths*."""
    from .cache import open_store
    from .registry import Registry

    return Registry(open_store(extra_paths, use_cache=use_cache, bundled=bundled))
