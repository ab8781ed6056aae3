"""The layout keeps its promises: no import cycles, clean layers, small modules, documented.

Every import counts, including those inside functions and under
``TYPE_CHECKING``: a cycle hidden in a function is still a cycle a reader
has to untangle.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from conftest import REPO

PACKAGE = REPO / "autoalliances"

# The stages, lowest first. A module may import its own stage and the stages below it;
# the top-level modules listed in SHARED may be imported by any stage.
STAGES = ["model", "load", "store", "query", "render", "export", "cli"]
SHARED = {"autoalliances.errors", "autoalliances.files", "autoalliances.version"}
# What a stage may import beyond the stages below it.
EXTRA = {"cli": {"autoalliances", "autoalliances.startup"}}  # the public API: open_registry; the answers before Typer
PLAIN = {"model", "load", "store", "query"}  # no typer, click or rich


def module_name(path: Path) -> str:
    rel = path.relative_to(REPO).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imports_of(name: str) -> set[str]:
    """Every module of the package (or outside it) that *name* imports, anywhere in its code."""
    path = MODULES[name]
    is_package = path.name == "__init__.py"
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".")
                base = base if is_package else base[:-1]
                base = base[: len(base) - (node.level - 1)]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            for alias in node.names:  # "from .x import y": y may be a module of its own
                sub = f"{target}.{alias.name}"
                out.add(sub if sub in MODULES else target)
    return out


GRAPH = {name: {i for i in imports_of(name) if i in MODULES and i != name} for name in MODULES}


def _cycle() -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(n: str) -> list[str] | None:
        state[n] = 1
        stack.append(n)
        for m in sorted(GRAPH[n]):
            if state.get(m) == 1:
                return [*stack[stack.index(m):], m]
            if m not in state:
                found = visit(m)
                if found:
                    return found
        stack.pop()
        state[n] = 2
        return None

    for n in sorted(GRAPH):
        if n not in state:
            found = visit(n)
            if found:
                return found
    return None


def test_the_graph_sees_imports_inside_functions() -> None:
    # cli.records imports the render layer inside its commands only.
    assert "autoalliances.render.emit" in GRAPH["autoalliances.cli.records"]
    assert "autoalliances.store.cache" in GRAPH["autoalliances"]


def test_no_import_cycles() -> None:
    cycle = _cycle()
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def stage_of(name: str) -> str | None:
    parts = name.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in STAGES else None


@pytest.mark.parametrize("name", sorted(MODULES))
def test_each_stage_imports_only_the_stages_below(name: str) -> None:
    stage = stage_of(name)
    if stage is None:
        return
    allowed = set(STAGES[: STAGES.index(stage) + 1])
    bad = []
    for target in sorted(GRAPH[name]):
        if target in SHARED or target in EXTRA.get(stage, set()):
            continue
        if stage_of(target) not in allowed:
            bad.append(target)
    assert not bad, f"{name} ({stage}) imports {bad}"


@pytest.mark.parametrize("name", sorted(n for n in MODULES if stage_of(n) in PLAIN))
def test_plain_stages_import_no_cli_or_terminal_library(name: str) -> None:
    heavy = {i.split(".")[0] for i in imports_of(name)} & {"typer", "click", "rich"}
    assert not heavy, f"{name} imports {heavy}"


@pytest.mark.parametrize("name", sorted(n for n in MODULES if stage_of(n) in ("render", "export")))
def test_rendering_and_export_run_no_store_queries_of_their_own(name: str) -> None:
    # They get records from the registry; they never open the store or the cache.
    assert not {"autoalliances.store.db", "autoalliances.store.cache"} & GRAPH[name]


@pytest.mark.parametrize("name", sorted(n for n in MODULES if stage_of(n) == "render"))
def test_rendering_receives_answers_not_the_registry(name: str) -> None:
    assert "autoalliances.query.registry" not in GRAPH[name]


@pytest.mark.parametrize("name", sorted(MODULES))
def test_modules_stay_small(name: str) -> None:
    lines = MODULES[name].read_text(encoding="utf-8").count("\n")
    assert lines <= 450, f"{name} has {lines} lines: split it by what it does"


def test_architecture_page_names_every_module() -> None:
    page = (REPO / "docs" / "architecture.md").read_text(encoding="utf-8")
    missing = []
    for path in MODULES.values():
        rel = path.relative_to(PACKAGE).as_posix()
        if rel.endswith("__init__.py") and rel != "__init__.py":
            rel = rel[: -len("__init__.py")]  # a subpackage is named by its folder, "load/"
        if f"`{rel}`" not in page:
            missing.append(rel)
    assert not missing, f"docs/architecture.md does not mention {missing}"


def test_readme_python_example_runs(capsys: pytest.CaptureFixture[str]) -> None:
    """The README's Python API example is real code with the output it shows."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Python API", 1)[1].split("\n## ", 1)[0]
    code, shown = re.findall(r"```python\n(.*?)```", section, re.S)[0], re.findall(r"```text\n(.*?)```", section, re.S)[0]
    exec(compile(code, "README.md", "exec"), {})
    assert capsys.readouterr().out == shown


# The one owner of the streams (render/writers.py) and the one Console factory (render/console.py).
_STREAMS = re.compile(r"\bsys\.(?:stdout|stderr)\.(?:write|flush)|(?<![.\w])print\(|\bConsole\(|from rich\.text import|import rich\.text")
# __main__ flushes the owned streams (cli.main installed them as sys.stdout and sys.stderr) after the run.
_OWNERS = {"autoalliances.render.writers", "autoalliances.render.console", "autoalliances.__main__"}


@pytest.mark.parametrize("name", sorted(n for n in MODULES if n not in _OWNERS))
def test_only_the_owners_write_to_the_streams_or_make_consoles(name: str) -> None:
    """Escaping, encodings, broken pipes and the pager are handled in one place, so no module may go around it."""
    code = MODULES[name].read_text(encoding="utf-8")
    code = re.sub(r'"""[\s\S]*?"""', "", code)  # docstrings may show examples
    found = _STREAMS.findall(code)
    assert not found, f"{name} writes to a stream or draws text outside render.writers / render.console: {found}"
