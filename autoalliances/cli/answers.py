"""The answers a full run leaves for the next run's fast path (``autoalliances.startup``).

After a full run of ``--version``, ``--help`` or of a completion, ``__main__``
calls ``record_answers``: the fact base line of ``--version``, the root help
screen (``render.help.screen``), every completion
candidate of the fact base (as ``query.complete`` and ``completion`` give
them) and the shape of the command line as click sees it (each command's
options, arguments and subcommands, and how each value completes), read from
the Typer app itself, so that the fast path never needs a table kept by hand.
"""

from __future__ import annotations

from typing import Any

import typer
import typer.main

from . import completion

# The Typer versions whose completion output ``startup`` reproduces (its shell classes' formats);
# under any other, only the --version answer is left and completion always runs Typer.
TYPER_MODELLED = ("0.28.",)
_COMPLETERS = {"complete_company": "companies", "complete_record": "record_ids", "complete_domain": "domains", "complete_metric": "metrics"}


def record_answers() -> None:
    """Leave this fact base's and this program's answers for ``startup`` (the fast path of ``__main__``).

    Called after a full run of ``--version``, ``--help`` or of a completion; a broken fact
    base (or anything else going wrong) leaves nothing, so the next run is a full one too.
    """
    from .. import open_registry, startup
    from ..query import complete
    from ..query.about import fact_base_lines
    from ..render.text import one_line

    path, key = startup.key()  # first: a fact file changed while this runs is a stale key, never stale answers
    reg = open_registry()
    companies = [
        ([s for s in (c.name, *c.aliases, c.id) if complete.shell_word(s)], one_line(f"{c.name} ({c.kind})")) for c in reg.companies()
    ]
    data: dict[str, Any] = {
        "key": key,
        "companies": companies,
        "ids": sorted((id_, one_line(type_), complete.shell_word(id_)) for id_, type_ in reg.store.ids_starting("", 1 << 62)),
        "domains": [(v, one_line(h)) for v, h in complete.domains(reg, "")],
        "metrics": [(v, one_line(h)) for v, h in complete.metrics(reg, "")],
    }
    from ..render.help import screen
    from .root import app

    root: Any = typer.main.get_command(app)  # root.LazyGroup
    ctx = root.context_class(root, info_name="autoalliances", resilient_parsing=True, **root.context_settings)
    if typer.__version__.startswith(TYPER_MODELLED):
        data["spec"] = _node(root, ctx, True)
    parts = {"version": {"key": key, "version": fact_base_lines()}, "completion": data}
    parts["help"] = {"key": key, "screen": screen(ctx, root.summaries(ctx))}
    startup.save(parts, path)


def _how(param: Any) -> tuple[Any, ...]:
    """How click completes a value of *param*, as ``startup._values`` reads it."""
    custom = getattr(param, "_custom_shell_complete", None)
    if custom is not None:
        cells = dict(zip(custom.__code__.co_freevars, custom.__closure__ or (), strict=False))
        cell = cells.get("autocompletion")
        fn = getattr(cell.cell_contents, "__wrapped__", None) if cell is not None else None
        name = _COMPLETERS.get(getattr(fn, "__name__", ""))
        return (name,) if name is not None and getattr(fn, "__module__", "") == completion.__name__ else ("unknown",)
    kind = param.type
    owner = next(c for c in type(kind).__mro__ if "shell_complete" in c.__dict__)
    if owner.__name__ in ("ParamType", "TyperPath"):
        return ("none",)
    if owner.__name__ in ("TyperChoice", "Choice"):
        return ("choice", tuple(map(str, kind.choices)), bool(kind.case_sensitive))
    if owner.__name__ in ("File", "Path"):
        return ("file",)
    return ("unknown",)


def _node(cmd: Any, ctx: Any, root: bool = False) -> dict[str, Any]:
    """The shape of one command for ``startup``: options, arguments and (for a group) commands."""
    from .root import Command

    options, arguments = [], []
    for p in cmd.get_params(ctx):
        if p.param_type_name == "argument":
            arguments.append((p.name, p.nargs, _how(p)))
        elif p.param_type_name == "option":
            special = p.callback is not None or p.is_eager or (isinstance(cmd, Command) and "--fields" in p.opts)
            is_flag = bool(p.is_flag or p.count)
            names = (tuple(p.opts), tuple(p.secondary_opts))
            options.append((p.name, *names, is_flag, bool(p.hidden), p.nargs, _how(p), special, bool(p.multiple), p.help))
    commands = None
    group: Any = cmd
    if hasattr(group, "list_commands"):
        commands = {}
        for name in group.list_commands(ctx):
            sub = group.get_command(ctx, name)
            if sub is not None:
                sub_ctx = sub.context_class(sub, info_name=name, parent=ctx, resilient_parsing=True, **sub.context_settings)
                commands[name] = (sub.get_short_help_str(), _node(sub, sub_ctx), bool(sub.hidden))
    by_name = {n: opt for opt in options for n in (*opt[1], *opt[2])}
    return {"root": root, "options": options, "arguments": arguments, "commands": commands, "by_name": by_name}
