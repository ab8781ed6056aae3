"""Help screens, drawn with rich from the click objects Typer builds.

Typer's own rich help imports ``typer.rich_utils``, which pulls in rich's
Markdown (and so markdown-it) and rich's traceback module: about 35 ms, more
than the rest of ``--help`` together. This module draws the same kind of
screen with rich's console, table and panel only. Help text is printed
literally (no markup), like every other text the tool prints.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from rich import box
from rich.console import Group
from rich.panel import Panel
from rich.table import Table

from .console import Text, console

# Holds "[default:" and its value together when rich wraps (a space, or even U+00A0, is a break
# for it); one cell wide, and turned into a plain space once the screen is drawn.
_NBSP = "\ue000"


def _panel(title: str, rows: list[list[Text]]) -> Panel:
    grid = Table.grid(padding=(0, 1), expand=True)
    for i in range(len(rows[0])):
        grid.add_column(ratio=1 if i == len(rows[0]) - 1 else None, no_wrap=i < len(rows[0]) - 1)
    for row in rows:
        grid.add_row(*row)
    return Panel(grid, title=Text(title), title_align="left", border_style="dim", box=box.ROUNDED)


def _paragraphs(help_text: str) -> list[Text]:
    out = []
    for para in help_text.strip().split("\n\n"):
        line = " ".join(para.split())
        if not line or line == "\b":
            continue
        if line.startswith("Example:"):
            out.append(Text.assemble(("Example:", "bold"), " ", (line[len("Example:"):].strip(), "cyan")))
        else:
            out.append(Text(line))
    return out


def _choices(param: Any) -> list[str]:
    """The values a parameter accepts, if it is a closed list.

    click and typer before 0.29 keep them on ``param.type``; typer 0.29 and
    later describe the parameter with a ``type_descriptor`` instead.
    """
    kind = getattr(param, "type", None)
    if kind is not None:
        values = getattr(kind, "choices", None) or ()
    else:
        desc = getattr(param, "type_descriptor", None)
        values = (desc.choices if desc is not None else None) or ()
    return [str(getattr(v, "value", v)) for v in values]


def _type_name(param: Any) -> str:
    kind = getattr(param, "type", None)
    if kind is not None:
        name = str(getattr(kind, "name", "text"))
    else:
        desc = getattr(param, "type_descriptor", None)
        annotation: Any = getattr(desc, "annotation", str)
        if getattr(annotation, "__origin__", None) is list:
            annotation = annotation.__args__[0]
        name = getattr(annotation, "__name__", "text").lower()
    return _TYPE_NAMES.get(name, name)


def _metavar(param: Any) -> str:
    if param.metavar:
        return str(param.metavar)
    if _choices(param):
        return "CHOICE"
    return _type_name(param).upper()


_TYPE_NAMES = {
    "str": "text", "int": "integer", "int range": "integer", "integer range": "integer", "float range": "float", "posixpath": "path",
}


def _usage(ctx: Any, cmd: Any, is_group: bool) -> str:
    pieces = ["[OPTIONS]"]
    for p in cmd.get_params(ctx):
        if p.param_type_name != "argument":
            continue
        word = _metavar(p) if p.metavar else p.name.upper()
        if p.nargs == -1:
            word += "..."
        pieces.append(word if p.required else f"[{word}]")
    if is_group:
        pieces.append("COMMAND [ARGS]...")
    return f"{ctx.command_path} {' '.join(pieces)}"


def _names_all(text: str, values: list[str]) -> bool:
    """Does *text* already name every one of *values* (as whole words)?"""
    return all(re.search(rf"(?<![\w-]){re.escape(v)}(?![\w-])", text) for v in values)


# A help screen as plain values (``screen``), drawn by ``draw``: the answers ``startup`` keeps
# hold the root's, so ``autoalliances --help`` is drawn without importing typer.
Segments = list[tuple[str, str | None]]  # (text, style) pieces of one cell


def _param_row(param: Any, ctx: Any) -> tuple[str, str, str, Segments]:
    names = [*param.opts, *getattr(param, "secondary_opts", [])]
    if param.param_type_name == "argument":
        long, short = _metavar(param) if param.metavar else param.name.upper(), ""
        metavar = ""
    else:
        long = ", ".join(n for n in names if n.startswith("--"))
        short = ", ".join(n for n in names if not n.startswith("--"))
        metavar = "" if getattr(param, "is_flag", False) or getattr(param, "count", False) else _metavar(param)
    text = " ".join((getattr(param, "help", None) or "").split())
    help_: Segments = [(text, None)]
    values = _choices(param)
    if values and not _names_all(text, [str(v) for v in values]):  # a help that explains each one is enough
        help_ += [(" One of: ", "dim"), (", ".join(str(v) for v in values), "dim"), (".", "dim")]
    default = param.default
    show = getattr(param, "show_default", True)
    if isinstance(show, str):  # a default that the code leaves as None, to tell "not given" apart
        help_.append((f" [default: {show}]", "dim"))
    elif (
        show not in (False, None)
        and default not in (None, False, (), [])
        and not getattr(param, "is_flag", False)
        and not callable(default)
    ):
        shown = getattr(default, "value", default)
        help_.append((f" [default:{_NBSP}{shown}]", "dim"))  # never split across lines
    if param.required:
        help_.append((" [required]", "red"))
    return long, short, metavar, help_


def screen(ctx: Any, commands: Sequence[tuple[str, str]] = ()) -> dict[str, Any]:
    """The help screen of ``ctx.command`` as plain values (strings, tuples, lists), for ``draw``.

    *commands* lists (name, summary) for a group; the group need not have built
    its subcommands to show them.
    """
    cmd = ctx.command
    params = [p for p in cmd.get_params(ctx) if not getattr(p, "hidden", False)]
    return {
        "usage": _usage(ctx, cmd, bool(commands)),
        "help": cmd.help or "",
        "arguments": [_param_row(p, ctx) for p in params if p.param_type_name == "argument"],
        "options": [_param_row(p, ctx) for p in params if p.param_type_name != "argument"],
        "commands": [tuple(c) for c in commands],
    }


def _segments(pieces: Segments) -> Text:
    text = Text(pieces[0][0])
    for piece, style in pieces[1:]:
        text.append(piece, style=style)
    return text


def draw(shown: dict[str, Any]) -> str:
    """A ``screen`` as text (with colour codes on a terminal)."""
    con = console()
    parts: list[Any] = [
        Text.assemble(" ", ("Usage:", "yellow"), " ", (shown["usage"], "bold")),
        Text(""),
    ]
    for para in _paragraphs(shown["help"]):
        parts += [Text.assemble(" ", line) for line in para.wrap(con, max(con.width - 2, 20))]
        parts.append(Text(""))
    if shown["arguments"]:
        parts.append(_panel("Arguments", [[Text(r[0], style="bold cyan"), _segments(r[3])] for r in shown["arguments"]]))
    if shown["options"]:
        parts.append(_panel("Options", [[Text(r[0], style="bold cyan"), Text(r[1], style="bold green"), Text(r[2], style="yellow"),
                                          _segments(r[3])] for r in shown["options"]]))
    if shown["commands"]:
        parts.append(_panel("Commands", [[Text(n, style="bold cyan"), Text(s)] for n, s in shown["commands"]]))
    with con.capture() as cap:
        con.print(Group(*parts))
    return cap.get().replace(_NBSP, " ")


def render(ctx: Any, commands: Sequence[tuple[str, str]] = ()) -> str:
    """The help screen of ``ctx.command`` as text: ``draw(screen(ctx, commands))``."""
    return draw(screen(ctx, commands))
