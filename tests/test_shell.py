"""Help screens, lazy command building, shell completion and --fields."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from autoalliances.cli import app

COMMANDS = ["company", "companies", "deals", "models", "systems", "figures", "sales", "sources", "conflicts", "search", "show", "validate", "export"]


def run(args: list[str], env: dict[str, str] | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    full = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, "-m", "autoalliances", *args], capture_output=True, text=True, env=full, cwd=cwd, timeout=60)


def complete(shell: str, words: str, *, cword: int | None = None, fish_action: str = "get-args") -> list[str]:
    """Ask the program for completions exactly as the shell scripts Typer installs do."""
    env = {"_AUTOALLIANCES_COMPLETE": f"complete_{shell}"}
    if shell == "bash":
        env |= {"COMP_WORDS": words, "COMP_CWORD": str(cword if cword is not None else len(words.split()) - (0 if words.endswith(" ") else 1))}
    else:
        env["_TYPER_COMPLETE_ARGS"] = words
        if shell == "fish":
            env["_TYPER_COMPLETE_FISH_ACTION"] = fish_action
    r = run([], env)
    assert r.returncode == 0, r.stderr
    assert r.stderr == ""
    return r.stdout.splitlines()


# --- which commands a run builds -------------------------------------------------------------

# The command modules of autoalliances.cli (the rest of the package is shared).
COMMAND_MODULES = {"lists", "records", "landscape", "validate", "export"}


def _built(args: list[str], env: dict[str, str] | None = None) -> set[str]:
    """The command modules a run imported, as reported by the process itself."""
    code = (
        "import atexit, sys\n"
        "def report():\n"
        "    mods = [m for m in sys.modules if m.startswith('autoalliances.cli.')]\n"
        "    sys.stderr.write('BUILT ' + ' '.join(mods) + '\\n')\n"
        "atexit.register(report)\n"
        "from autoalliances.cli import main\n"
        "sys.argv = ['autoalliances', *sys.argv[1:]]\n"
        "main()\n"
    )
    full = {**os.environ, **(env or {})}
    r = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=full, timeout=60)
    line = [x for x in r.stderr.splitlines() if x.startswith("BUILT")][-1]
    return {m.rsplit(".", 1)[1] for m in line.split()[1:]} & COMMAND_MODULES


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["deals", "--year", "2025", "--json"], {"lists"}),
        (["company", "BMW", "--json"], {"records"}),
        (["matrix", "--format", "json"], {"landscape"}),
        (["export", "--help"], {"export"}),
        (["--help"], set()),
        (["--version"], set()),
        (["deals", "--help"], {"lists"}),
    ],
)
def test_a_run_builds_only_the_command_it_invokes(argv: list[str], expected: set[str]) -> None:
    assert _built(argv) == expected


def test_completion_builds_only_the_command_being_completed() -> None:
    env = {"_AUTOALLIANCES_COMPLETE": "complete_bash", "COMP_WORDS": "autoalliances company BM", "COMP_CWORD": "2"}
    assert _built([], env) == {"records"}


# --- help -------------------------------------------------------------------------------------


def test_top_level_help_lists_every_command_without_building_them() -> None:
    r = run(["--help"], {"COLUMNS": "100"})
    assert r.returncode == 0 and r.stderr == ""
    assert "Usage: autoalliances [OPTIONS] COMMAND [ARGS]..." in r.stdout
    listed = [line.split()[1] for line in r.stdout.splitlines() if line.startswith("│ ") and line.split()[1] in COMMANDS]
    assert listed == COMMANDS
    assert "Everything known about one company" in r.stdout
    assert "\x1b" not in r.stdout  # a pipe gets no colour codes


def test_no_arguments_is_a_usage_error_that_shows_the_help() -> None:
    bare = run([], {"COLUMNS": "100"})
    assert bare.returncode == 2 and bare.stdout == ""
    assert bare.stderr.rstrip("\n") == run(["--help"], {"COLUMNS": "100"}).stdout.rstrip("\n")


def test_command_help_shows_options_choices_and_example(runner) -> None:
    r = runner.invoke(app, ["deals", "--help"], prog_name="autoalliances", env={"COLUMNS": "120"})
    assert r.exit_code == 0
    out = r.stdout
    assert "Usage: autoalliances deals [OPTIONS]" in out
    assert "Example: autoalliances deals --year 2025 --partner huawei" in out
    for option in ("--company", "--partner", "--year", "--domain", "--format", "--json", "--fields", "--facts", "--no-cache"):
        assert option in out
    assert "cockpit-os" in out and "[default: table]" in out


def test_argument_help_marks_required(runner) -> None:
    r = runner.invoke(app, ["company", "-h"], prog_name="autoalliances")
    assert "Usage: autoalliances company [OPTIONS] NAME" in r.stdout
    assert "[required]" in r.stdout


def test_unknown_command_still_gets_clicks_suggestion() -> None:
    r = run(["dealz"])
    assert r.returncode == 2
    assert "No such command" in r.stderr and "deals" in r.stderr
    assert "Traceback" not in r.stderr


def test_lean_and_full_app_answer_alike(runner) -> None:
    """main() builds one command; the full app (CliRunner) must print the same."""
    lean = run(["deals", "--partner", "huawei", "--format", "csv"])
    full = runner.invoke(app, ["deals", "--partner", "huawei", "--format", "csv"])
    assert lean.returncode == full.exit_code == 0
    assert lean.stdout == full.stdout


# --- completion -------------------------------------------------------------------------------


def test_bash_completes_company_names() -> None:
    assert complete("bash", "autoalliances company BM") == ["BMW"]
    assert "huawei" in [w.lower() for w in complete("bash", "autoalliances deals --partner hua")]


def test_multi_word_company_is_offered_by_id() -> None:
    # Every candidate must be one shell word.
    words = complete("bash", "autoalliances company ", cword=2)
    assert words and all(" " not in w for w in words)
    assert "toyota" in [w.lower() for w in words]


def test_zsh_completes_domains_with_counts() -> None:
    out = "\n".join(complete("zsh", "autoalliances deals --domain cock"))
    assert '"cockpit-os":"' in out and "deal" in out
    assert "battery" not in out


def test_fish_completes_record_ids_with_their_type() -> None:
    lines = complete("fish", "autoalliances show bmw-alibaba")
    assert "bmw-alibaba-ai-cockpit\tdeal" in lines
    assert all(line.startswith("bmw-alibaba") for line in lines)


def test_metrics_complete() -> None:
    out = "\n".join(complete("zsh", "autoalliances figures --metric net"))
    assert '"net-profit":"' in out


def test_completion_reads_the_same_fact_set_as_queries(fixture_only: Path) -> None:
    # "Carmaker A" and "A-B Motors" contain spaces, so an alias or the id stands in.
    assert complete("bash", "autoalliances company ", cword=2) == ["a-b-jv", "CMA", "TB"]
    assert complete("bash", "autoalliances company te") == ["tech-b"]
    assert complete("bash", "autoalliances company C") == ["CMA"]


def test_completion_of_a_broken_fact_set_is_silent(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("deals: [\n", encoding="utf-8")
    r = run([], {"_AUTOALLIANCES_COMPLETE": "complete_bash", "COMP_WORDS": "autoalliances company BM", "COMP_CWORD": "2", "AUTOALLIANCES_FACTS": str(bad)})
    assert r.returncode == 0 and r.stdout.strip() == "" and r.stderr == ""


# Typer asks shellingham for the parent shell unless told not to; the tests name the shell.
NO_DETECTION = {"_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"}


def test_show_completion_prints_a_script_for_each_shell() -> None:
    for shell, marker in (("bash", "complete_bash"), ("zsh", "complete_zsh"), ("fish", "complete_fish")):
        r = run(["--show-completion", shell], NO_DETECTION)
        assert r.returncode == 0, r.stderr
        assert "_AUTOALLIANCES_COMPLETE" in r.stdout and marker in r.stdout


def test_install_completion_writes_the_bash_script(tmp_path: Path) -> None:
    r = run(["--install-completion", "bash"], {"HOME": str(tmp_path), **NO_DETECTION})
    assert r.returncode == 0, r.stderr
    script = tmp_path / ".bash_completions" / "autoalliances.sh"
    assert "_AUTOALLIANCES_COMPLETE=complete_bash" in script.read_text()
    assert "autoalliances.sh" in (tmp_path / ".bashrc").read_text()


def test_install_completion_writes_the_zsh_and_fish_scripts(tmp_path: Path) -> None:
    for shell in ("zsh", "fish"):
        r = run(["--install-completion", shell], {"HOME": str(tmp_path), **NO_DETECTION})
        assert r.returncode == 0, r.stderr
    assert "_AUTOALLIANCES_COMPLETE=complete_zsh" in (tmp_path / ".zfunc" / "_autoalliances").read_text()
    assert "complete_fish" in (tmp_path / ".config" / "fish" / "completions" / "autoalliances.fish").read_text()


# --- --fields ---------------------------------------------------------------------------------


def test_fields_without_value_lists_the_json_fields(runner) -> None:
    r = runner.invoke(app, ["deals", "--fields"])
    assert r.exit_code == 0
    fields = r.stdout.split()
    assert fields[:3] == ["type", "id", "title"] and "announced" in fields and "sources" in fields
    assert "valid fields" in r.stderr


def test_fields_without_value_before_another_option(runner) -> None:
    r = runner.invoke(app, ["deals", "--fields", "--format", "csv"])
    assert r.exit_code == 0
    assert r.stdout.split()[:3] == ["type", "id", "title"]


def test_fields_select_and_order_and_imply_json(runner) -> None:
    r = runner.invoke(app, ["deals", "--year", "2025", "--fields", "title,id"])
    assert r.exit_code == 0
    rows = json.loads(r.stdout)
    assert rows and all(list(row) == ["title", "id"] for row in rows)


def test_unknown_field_lists_the_valid_ones(runner) -> None:
    r = runner.invoke(app, ["models", "--fields", "id,colour"])
    assert r.exit_code == 2
    assert "unknown field 'colour'" in r.stderr and "valid fields: type, id," in r.stderr
    assert r.stdout == ""


def test_fields_for_company_and_show(runner) -> None:
    r = runner.invoke(app, ["company", "BMW", "--fields"])
    assert r.exit_code == 0 and r.stdout.split()[0] == "company" and "deals" in r.stdout.split()
    r = runner.invoke(app, ["show", "bmw-ix3", "--fields"])
    assert r.exit_code == 0 and {"conflict_details", "referenced_by"} <= set(r.stdout.split())


def test_command_group_help_lists_its_commands() -> None:
    r = run(["export", "--help"], {"COLUMNS": "100"})
    assert r.returncode == 0, r.stderr
    assert "Usage: autoalliances export [OPTIONS] COMMAND [ARGS]..." in r.stdout
    assert "│ sqlite " in r.stdout and "│ json " in r.stdout
