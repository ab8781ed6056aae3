"""The root of the command line: the Typer app, its lazy command group, ``main``.

Start-up is most of the time a query takes, so commands are built lazily:
``LazyGroup`` reads the plain table in ``table.py`` and imports and builds
only the command a run invokes (click's documented lazy-group pattern), and
``--help`` lists every command from the table's summaries. Help screens are
drawn by ``render.help`` (rich console, table and panel) instead of
``typer.rich_utils``, which imports markdown-it and rich's traceback machinery.
"""

from __future__ import annotations

import importlib
import sys
from typing import Annotated, Any

import typer
import typer.main
from typer.core import TyperCommand, TyperGroup

from ..version import __version__
from .table import COMMANDS


class Command(TyperCommand):
    """A command whose help is drawn by ``render.help`` and whose ``--fields`` may have no value."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        # ``--fields`` with no value lists the valid fields, as ``gh --json`` does; click
        # options always take a value, so give it an empty one.
        args = list(args)
        for i, arg in enumerate(args):
            if arg == "--":
                break
            if arg == "--fields" and (i + 1 == len(args) or (args[i + 1].startswith("-") and args[i + 1] != "-")):
                args.insert(i + 1, "")
                break
        parsed: list[str] = super().parse_args(ctx, args)
        return parsed

    def format_help(self, ctx: Any, formatter: Any) -> None:
        from ..render.help import render

        formatter.write(render(ctx))


class Group(TyperGroup):
    """A command group with the same help; no command at all is a usage error."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        # No command at all is a usage error: the help goes to stderr, exit code 2 (as in
        # click). Typer's rich mode would print nothing, expecting its own help renderer.
        if not args and self.no_args_is_help and not ctx.resilient_parsing:
            typer.echo(ctx.get_help(), err=True)
            ctx.exit(2)
        parsed: list[str] = super().parse_args(ctx, args)
        return parsed

    def summaries(self, ctx: Any) -> list[tuple[str, str]]:
        return [(n, first_paragraph(c.help)) for n, c in self.commands.items() if not c.hidden]

    def format_help(self, ctx: Any, formatter: Any) -> None:
        from ..render.help import render

        formatter.write(render(ctx, self.summaries(ctx)))


class LazyGroup(Group):
    """The root group: its commands come from ``table.COMMANDS``, built when first asked for."""

    def list_commands(self, ctx: Any) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            self.commands[cmd_name] = build(cmd_name)
        return self.commands.get(cmd_name)

    def summaries(self, ctx: Any) -> list[tuple[str, str]]:
        return [(name, entry.summary) for name, entry in COMMANDS.items()]

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        try:
            return super().resolve_command(ctx, args)
        except Exception as e:  # click's UsageError, wherever this typer version keeps click
            message = getattr(e, "message", None)
            if isinstance(message, str) and args and "Did you mean" not in message:
                from ..model.names import close_matches

                close = close_matches(args[0], COMMANDS)
                if close:
                    e.message = f"{message.rstrip('.')}. Did you mean {', '.join(repr(c) for c in close)}?"  # type: ignore[attr-defined]
            raise


def build(name: str) -> Any:
    """The click command for one entry of the table."""
    entry = COMMANDS[name]
    module, attr = entry.target.split(":")
    target = getattr(importlib.import_module(module), attr)
    if isinstance(target, typer.Typer):
        group = typer.main.get_command(target)
        group.name = name
        return group
    one = typer.Typer(add_completion=False)
    one.command(name, cls=Command, help=entry.help)(target)
    return typer.main.get_command(one)


def first_paragraph(text: str | None) -> str:
    return " ".join((text or "").strip().split("\n\n")[0].split())


app = typer.Typer(
    name="autoalliances",
    help="A sourced reference on alliances between foreign automakers and Chinese tech companies.\n\n"
    "Every answer cites the article it comes from and when that article was published.",
    cls=LazyGroup,
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"autoalliances {__version__}")
        from ..query.about import fact_base_lines
        from .run import handled

        with handled():
            for line in fact_base_lines():  # the fact base's own version, counts, newest source
                typer.echo(line)
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_version,
            is_eager=True,
            help="Print the version, the fact base's own version, its record counts and newest source; exit.",
        ),
    ] = False,
) -> None:
    """A sourced reference on alliances between foreign automakers and Chinese tech companies.

    Every answer cites the article it comes from and when that article was published.
    """


def main() -> None:
    """Entry point for the ``autoalliances`` script and ``python -m autoalliances``.

    stdout and stderr are replaced by the streams ``render.writers`` owns, so
    that click's help and messages get the same handling as results: a reader
    that leaves is exit 0, a write error exit 4, never a traceback.
    """
    from ..errors import OutputError
    from ..render.writers import install, note

    install()
    try:
        app(prog_name="autoalliances")
    except OutputError as e:  # writing help or a message failed (commands handle their own)
        note(f"Error: {e}")
        sys.exit(e.exit_code)
    except KeyboardInterrupt:
        sys.exit(130)
