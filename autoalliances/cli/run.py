"""What every command shares: its option bundles, the registry it opens, its error handling.

A command is a plain function with its own filters as parameters. ``command``
adds the shared bundles to its signature (output format, fact files), runs it
inside ``handled`` and passes the bundle values as ``opts``; ``listing`` goes
one step further for list commands: the function returns records, the helper
prints them. Errors become a message on stderr and the documented exit code
here and nowhere else.
"""

from __future__ import annotations

import functools
import inspect
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from . import options

if TYPE_CHECKING:
    from ..model.records import Record
    from ..query.registry import Registry


@dataclass
class Shared:
    """The values of the shared options of one invocation."""

    fmt: str = "table"
    as_json: bool = False
    fields_text: str | None = None
    facts: list[Path] = field(default_factory=list)
    no_cache: bool = False

    @property
    def format(self) -> str:
        """The output format; ``--fields`` turns the default table into JSON, as ``gh --json`` does."""
        return "json" if self.as_json or (self.fields_text is not None and self.fmt == "table") else self.fmt

    @property
    def fields(self) -> list[str] | None:
        """None: not asked; []: asked with no value (list the valid fields)."""
        if self.fields_text is None:
            return None
        return [f.strip() for f in self.fields_text.split(",") if f.strip()]

    def registry(self) -> Registry:
        from .. import open_registry

        return open_registry(*self.facts, use_cache=not self.no_cache)


# Each bundle: (parameter name, annotation, default, attribute of Shared).
Bundle = tuple[tuple[str, Any, Any, str], ...]
OUTPUT: Bundle = (
    ("fmt", options.FormatOpt, "table", "fmt"),
    ("as_json", options.JsonOpt, False, "as_json"),
    ("fields", options.FieldsOpt, None, "fields_text"),
)
FORMAT_ONLY: Bundle = OUTPUT[:2]  # matrix: a fixed shape, so no --fields
FACTS: Bundle = (
    ("facts", options.FactsOpt, None, "facts"),
    ("no_cache", options.NoCacheOpt, False, "no_cache"),
)


def _own_parameters(fn: Callable[..., Any], skip: int) -> list[inspect.Parameter]:
    """*fn*'s parameters after the first *skip*, with their annotations evaluated."""
    params = list(inspect.signature(fn).parameters.values())[skip:]
    out = []
    for p in params:
        ann = p.annotation
        if isinstance(ann, str):
            ann = eval(ann, fn.__globals__)
        out.append(p.replace(annotation=ann, kind=inspect.Parameter.KEYWORD_ONLY))
    return out


def _set_signature(fn: Callable[..., Any], params: list[inspect.Parameter]) -> None:
    """Give *fn* the signature Typer reads (not that of the function it wraps)."""
    vars(fn).pop("__wrapped__", None)
    fn.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    fn.__annotations__ = {p.name: p.annotation for p in params}


def command(*bundles: Bundle) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Make a Typer command of ``fn(opts, **own)``: its own parameters plus the *bundles*' options."""

    def decorate(fn: Callable[..., None]) -> Callable[..., None]:
        own = _own_parameters(fn, 1)
        shared = [entry for bundle in bundles for entry in bundle]

        @functools.wraps(fn)
        def run(**kwargs: Any) -> None:
            opts = Shared()
            for name, _, _, attr in shared:
                value = kwargs.pop(name)
                setattr(opts, attr, value if value is not None or attr != "facts" else [])
            with handled():
                fn(opts, **kwargs)

        extra = [inspect.Parameter(n, inspect.Parameter.KEYWORD_ONLY, default=d, annotation=a) for n, a, d, _ in shared]
        params = [*own, *extra]
        _set_signature(run, params)
        return run

    return decorate


def listing(kind: str, *, title: Callable[..., str] | None = None) -> Callable[[Callable[..., Sequence[Record]]], Callable[..., None]]:
    """Make a list command of ``fn(reg, **filters) -> records``; *title* names the table from the filters."""

    def decorate(fn: Callable[..., Sequence[Record]]) -> Callable[..., None]:
        def body(opts: Shared, **filters: Any) -> None:
            from ..render.emit import emit_records

            reg = opts.registry()
            records = fn(reg, **filters)
            emit_records(reg.listing(kind, records, title(**filters) if title else None), opts.format, fields=opts.fields)

        functools.update_wrapper(body, fn)
        _set_signature(body, [inspect.Parameter("opts", inspect.Parameter.POSITIONAL_ONLY), *_own_parameters(fn, 1)])
        return command(OUTPUT, FACTS)(body)

    return decorate


# --- errors -----------------------------------------------------------------------------------


@contextmanager
def handled() -> Iterator[None]:
    """Turn expected failures into a message on stderr and a documented exit code."""
    from ..errors import AutoAlliancesError, FactDataError

    try:
        yield
    except FactDataError as e:
        for err in e.errors:
            error(str(err))
        error(f"Error: {e}")
        raise typer.Exit(e.exit_code) from None
    except AutoAlliancesError as e:
        error(f"Error: {e}")
        raise typer.Exit(e.exit_code) from None
    except BrokenPipeError:
        quiet_pipe()
        raise typer.Exit(0) from None
    except (typer.Exit, typer.Abort, KeyboardInterrupt):
        raise
    except Exception as e:  # a bug: say so in one line; the traceback only on request
        if os.environ.get("AUTOALLIANCES_DEBUG"):
            raise
        error(f"Error: internal error: {type(e).__name__}: {e} (set AUTOALLIANCES_DEBUG=1 for the traceback)")
        raise typer.Exit(1) from None


def error(message: str) -> None:
    from ..render.text import safe

    sys.stderr.write(safe(message) + "\n")


def quiet_pipe() -> None:
    """The reader went away (``| head``): stop writing, say nothing."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
