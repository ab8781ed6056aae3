"""What every command shares: its option bundles, the registry it opens, its error handling.

A command is a plain function with its own filters as parameters. ``command``
adds the shared bundles to its signature (output format, fact files), runs it
inside ``handled`` and passes the bundle values as ``opts``; ``listing`` goes
one step further for list commands: the function returns records, the helper
prints them. Errors become a message on stderr and the documented exit code
here and nowhere else.
"""

from __future__ import annotations

import inspect
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from .options import Color, Format, parameter_info  # noqa: F401 - Format: the bundles' annotations name it

if TYPE_CHECKING:
    from ..model.records import Record
    from ..query.registry import Registry
    from ..query.views import Listing


class Shared:
    """The values of the shared options of one invocation."""

    __slots__ = (
        "as_json", "as_of", "color", "facts", "fields_text", "fmt", "limit", "no_cache", "no_pager", "raw_cells", "reverse", "sort",
        "stated_only",
    )

    def __init__(self) -> None:
        self.fmt: str | None = None  # None: not given (table)
        self.as_json = False
        self.fields_text: str | None = None
        self.facts: list[Path] = []
        self.no_cache = False
        self.raw_cells = False
        self.color = "auto"
        self.no_pager = False
        self.as_of: str | None = None  # --as-of, as typed
        self.stated_only = False
        self.limit: int | None = None
        self.sort: str | None = None
        self.reverse = False

    def check(self) -> None:
        """Options that contradict each other are a usage error, never a silent choice."""
        from ..errors import UsageError

        if self.as_json and self.fmt not in (None, "json"):
            raise UsageError(f"--json and --format {self.fmt} contradict each other: give one of them (--json is --format json)")
        self.facts = given_paths(self.facts, "--facts")

    @property
    def format(self) -> str:
        """The output format; ``--fields`` turns the default table into JSON, as ``gh --json`` does."""
        if self.as_json or (self.fields_text is not None and self.fmt is None):
            return "json"
        return self.fmt or "table"

    @property
    def fields(self) -> list[str] | None:
        """None: not asked; []: asked with no value (list the valid fields)."""
        if self.fields_text is None:
            return None
        # Each field once, in the order first named: a field named twice is one column (as ``cut -f 1,1``
        # prints one), in CSV and Markdown as in JSON, whose objects cannot hold a key twice.
        return list(dict.fromkeys(f.strip() for f in self.fields_text.split(",") if f.strip()))

    def configure_output(self) -> None:
        """Hand the output options to the one owner of stdout (``render.writers``)."""
        from ..errors import UsageError
        from ..render.writers import configure

        if self.raw_cells and self.format != "csv":
            raise UsageError(f"--raw-cells applies to --format csv only, not {self.format}")
        configure(raw_cells=self.raw_cells, color=self.color, pager=not self.no_pager)

    def registry(self) -> Registry:
        """The fact base these options ask for; with --as-of, the notes on what that day leaves out."""
        from .. import open_registry

        as_of = None
        if self.as_of is not None:
            from ..model.today import parse_day

            as_of = parse_day(self.as_of, "--as-of")
        reg = open_registry(*self.facts, use_cache=not self.no_cache, as_of=as_of, stated_only=self.stated_only)
        from ..load.discover import NO_FACT_FILES, empty_fact_roots, fact_roots

        for root in empty_fact_roots(fact_roots(self.facts)):
            from ..render.writers import note

            note(f"warning: {root}: {NO_FACT_FILES}")
        from ..store.cache import take_notes

        for message in take_notes():
            error(message)
        if as_of is not None:
            from ..model.today import day_label
            from ..render.writers import note

            if not reg.sources_left:
                note(f"no source in the fact base was published on or before {day_label(as_of)}: the answer is empty")
            n = reg.undated_left_out
            if n:
                note(f"{n} undated source{'s' if n != 1 else ''} left out (--as-of counts only sources published on or before it)")
        return reg


# Each bundle: (parameter name, type, default, attribute of Shared); the option itself is
# options.SPECS[parameter name].
Bundle = tuple[tuple[str, Any, Any, str], ...]
TERMINAL: Bundle = (
    ("color", Color, "auto", "color"),
    ("no_pager", bool, False, "no_pager"),
)
RAW_CELLS: Bundle = (("raw_cells", bool, False, "raw_cells"),)
OUTPUT: Bundle = (
    ("fmt", "Format | None", None, "fmt"),
    ("as_json", bool, False, "as_json"),
    ("fields", "str | None", None, "fields_text"),
    *RAW_CELLS,
    *TERMINAL,
)
FORMAT_ONLY: Bundle = (*OUTPUT[:2], *RAW_CELLS, *TERMINAL)  # matrix: a fixed shape, so no --fields
REPORT: Bundle = (*OUTPUT[:2], *TERMINAL)  # validate: no CSV
FACTS: Bundle = (
    ("facts", "list[str] | None", None, "facts"),  # text: Path('') would be the current folder
    ("no_cache", bool, False, "no_cache"),
    ("as_of", "str | None", None, "as_of"),
    ("stated_only", bool, False, "stated_only"),
)
ORDER: Bundle = (  # list commands: how many records, in which order
    ("limit", "int | None", None, "limit"),
    ("sort", "str | None", None, "sort"),
    ("reverse", bool, False, "reverse"),
)


class CommandFunction:
    """A command's function as Typer sees it: its own parameters plus the bundles' options.

    The signature, with every parameter's ``typer.Option`` or ``typer.Argument``,
    is worked out only when Typer asks for it, that is, only for the command a
    run builds (see ``options``).
    """

    def __init__(
        self,
        fn: Callable[..., None],
        bundles: Sequence[Bundle],
        options: Mapping[str, str],
        declared: Callable[..., Any] | None = None,
    ) -> None:
        self.fn = fn  # called with (opts, **own parameters)
        self.declared = declared or fn  # whose parameters after the first are the command's own
        self.shared = [entry for bundle in bundles for entry in bundle]
        self.options = dict(options)
        self.__name__ = self.declared.__name__
        self.__qualname__ = self.declared.__qualname__
        self.__module__ = self.declared.__module__
        self.__doc__ = self.declared.__doc__
        self._signature: inspect.Signature | None = None

    def __call__(self, **kwargs: Any) -> None:
        opts = Shared()
        for name, _, _, attr in self.shared:
            value = kwargs.pop(name)
            setattr(opts, attr, value if value is not None or attr != "facts" else [])
        with handled():
            opts.check()
            opts.configure_output()
            once_more_if_damaged(lambda: self.fn(opts, **kwargs))

    @property
    def __signature__(self) -> inspect.Signature:
        if self._signature is None:
            own = list(inspect.signature(self.declared).parameters.values())[1:]
            params = [self._typer_parameter(p.name, _evaluate(p.annotation, self.declared), p.default) for p in own]
            params += [self._typer_parameter(n, _evaluate(tp, None), d) for n, tp, d, _ in self.shared]
            self._signature = inspect.Signature(params)
        return self._signature

    @property
    def __annotations__(self) -> dict[str, Any]:  # type: ignore[override]
        return {p.name: p.annotation for p in self.__signature__.parameters.values()}

    def _typer_parameter(self, name: str, tp: Any, default: Any) -> inspect.Parameter:
        info = parameter_info(self.options.get(name, name))
        return inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=Annotated[tp, info])


def _evaluate(annotation: Any, fn: Callable[..., Any] | None) -> Any:
    """An annotation as an object (``from __future__ import annotations`` makes it text),
    evaluated in the namespace of the module that wrote it."""
    if not isinstance(annotation, str):
        return annotation
    namespace = getattr(fn, "__globals__", None) or globals()
    return eval(annotation, namespace)  # the command modules' own annotations, nothing from outside


def command(*bundles: Bundle, options: Mapping[str, str] | None = None) -> Callable[[Callable[..., None]], CommandFunction]:
    """Make a Typer command of ``fn(opts, **own)``: its own parameters plus the *bundles*' options.

    *options* maps a parameter to the entry of ``options.SPECS`` it uses when
    that is not its own name (``{"company": "vendor"}``).
    """

    def decorate(fn: Callable[..., None]) -> CommandFunction:
        return CommandFunction(fn, bundles, options or {})

    return decorate


def listing(
    kind: str, *, title: Callable[..., str] | None = None, options: Mapping[str, str] | None = None
) -> Callable[[Callable[..., Sequence[Record] | Listing]], CommandFunction]:
    """Make a list command of ``fn(reg, **filters) -> records`` (or a whole ``Listing``, with its
    notes); *title* names the table from the filters. ``--sort``, ``--reverse`` and ``--limit``
    apply to what it returns (``render.order``); its notes go to stderr after the result."""

    def decorate(fn: Callable[..., Sequence[Record] | Listing]) -> CommandFunction:
        def body(opts: Shared, **filters: Any) -> None:
            from ..query.views import Listing
            from ..render.emit import emit_records

            reg = opts.registry()
            found = fn(reg, **filters)
            listed = found if isinstance(found, Listing) else reg.listing(kind, found, title(**filters) if title else None)
            if opts.sort is not None or opts.reverse or opts.limit is not None:
                from ..render.order import order

                listed = order(listed, sort=opts.sort, reverse=opts.reverse, limit=opts.limit)
            emit_records(listed, opts.format, fields=opts.fields)
            for message in listed.notes:
                error(message)

        return CommandFunction(body, (OUTPUT, ORDER, FACTS), options or {}, declared=fn)

    return decorate


# --- a damaged cache ------------------------------------------------------------------------------


def once_more_if_damaged(body: Callable[[], None]) -> None:
    """Run *body*; if the cache file breaks while it is read, discard it and run *body* again on a
    fresh build. The first run's stdout and stderr are held back until it ends, so a run that hits
    the damage half-way leaves no partial output: the answer appears once, complete."""
    from ..errors import CacheDamaged
    from ..render.writers import stderr, stdout

    streams = [s for s in (stdout(), stderr()) if s.pending is None]
    paged = [(s, len(s.pending)) for s in (stdout(), stderr()) if s.pending is not None]  # collected for the pager
    for s in streams:
        s.pending = []
    damaged: CacheDamaged | None = None
    try:
        body()
    except CacheDamaged as e:
        damaged = e
    finally:
        held = [(s, s.pending or []) for s in streams]
        for s in streams:
            s.pending = None  # all released before any is written: a write that fails reports normally
        if damaged is None:
            for s, pieces in held:
                for text, errors in pieces:
                    s.write(text, errors)
    if damaged is not None:
        for s, n in paged:
            del (s.pending or [])[n:]
        from ..store.cache import discard

        discard(damaged.path)
        body()


# --- errors -----------------------------------------------------------------------------------


@contextmanager
def handled() -> Iterator[None]:
    """Turn expected failures into a message on stderr and a documented exit code."""
    from ..errors import AutoAlliancesError, FactDataError
    from ..render.writers import finish

    try:
        try:
            yield
        finally:
            finish()  # what was collected for the pager, even when an error follows
    except FactDataError as e:
        for err in e.errors:  # already by file and line, one per line, as validate prints them
            error(" ".join(str(err).split()))
        error(f"Error: {e}")
        raise typer.Exit(e.exit_code) from None
    except AutoAlliancesError as e:
        error(f"Error: {e}")
        raise typer.Exit(e.exit_code) from None
    except (typer.Exit, typer.Abort, KeyboardInterrupt):
        raise
    except Exception as e:  # a bug: say so in one line; the traceback only on request
        if os.environ.get("AUTOALLIANCES_DEBUG"):
            raise
        error(f"Error: internal error: {type(e).__name__}: {e} (set AUTOALLIANCES_DEBUG=1 for the traceback)")
        raise typer.Exit(1) from None


def error(message: str) -> None:
    from ..render.writers import note

    note(message)


def given_paths(values: Sequence[str | os.PathLike[str]], what: str) -> list[Path]:
    """Paths as typed, each checked to be non-empty: ``Path('')`` is the current folder, so an unset
    shell variable (``--facts "$MINE"``) would read every fact file below it."""
    from ..errors import UsageError

    out: list[Path] = []
    for value in values:
        if not str(value).strip():
            raise UsageError(f"{what}: the path is empty ({str(value)!r}): give a fact file or folder")
        out.append(Path(value))
    return out

