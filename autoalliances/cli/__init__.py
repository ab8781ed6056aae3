"""The command line: thin Typer commands over the registry and the render layer.

``root`` holds the app and its lazy command group, ``table`` the list of
commands, ``run`` what every command shares (option bundles, error
handling), ``options`` the shared options; the commands themselves are in
``lists``, ``records``, ``landscape``, ``validate`` and ``export``.
"""

from .root import app, main

__all__ = ["app", "main"]
