"""The answers before Typer (``autoalliances.startup``) equal the full program's.

``__main__`` answers ``--version`` and shell completion from the file the
last full run left, without importing typer, click or rich. These tests run
the real entry point as a process (once to leave the answers, once to use
them) and compare the two, check what the fast run imported, and that a
broken, changed or missing fact base or cache still gets the full answer.
The completion grid compares the fast path's answers with Typer's for the
same words, shell by shell, including hostile names.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hostile import PAYLOAD, q

from autoalliances import startup
from autoalliances.cli import app
from autoalliances.cli.answers import TYPER_MODELLED, record_answers

# The completion fast path answers only under the typer it models; under any other (CI also runs
# the newest typer) it must leave every request to typer, which then answers as ever.
MODELLED = __import__("typer").__version__.startswith(TYPER_MODELLED)

# Run the entry point and report, on the last line of stderr, which heavy packages were imported.
# Only what the program imported counts: under coverage (CI measures subprocesses) coverage itself
# has imported sqlite3 before the probe starts.
PROBE = (
    "import os, sys\n"
    "before = set(sys.modules)\n"
    "import autoalliances.__main__ as m\n"
    "end = os._exit\n"
    "def report(code):\n"
    "    heavy = sorted({n.split('.')[0] for n in set(sys.modules) - before} & {'typer', 'click', 'rich', 'sqlite3', 'yaml'})\n"
    "    sys.stderr.write('HEAVY ' + ','.join(heavy) + '\\n'); sys.stderr.flush(); end(code)\n"
    "os._exit = report\n"
    "sys.argv = ['autoalliances', *sys.argv[1:]]\n"
    "m.run()\n"
)


def entry(args: list[str], env: dict[str, str] | None = None) -> tuple[int, str, str, set[str]]:
    """(exit code, stdout, stderr without the report, heavy packages imported) of one real run."""
    r = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, env={**os.environ, **(env or {})}, timeout=120)
    lines = r.stderr.splitlines()
    assert lines and lines[-1].startswith("HEAVY "), r.stderr
    heavy = set(filter(None, lines[-1][len("HEAVY "):].split(",")))
    return r.returncode, r.stdout, "".join(line + "\n" for line in lines[:-1]), heavy


def answers() -> list[Path]:
    return sorted(Path(os.environ["AUTOALLIANCES_CACHE_DIR"]).glob("answers-*"))


# --- --version ----------------------------------------------------------------------------------


def test_version_fast_path_prints_what_the_full_program_prints() -> None:
    code, full, err, heavy = entry(["--version"])
    assert code == 0 and err == "" and "typer" in heavy
    assert [p.name.split(".", 1)[1] for p in answers()] == ["completion.marshal", "help.marshal", "version.marshal"]
    code, fast, err, heavy = entry(["--version"])
    assert code == 0 and err == ""
    assert fast == full and fast.startswith("autoalliances ") and "fact base " in fast
    assert heavy == set()  # no typer, click, rich, not even sqlite3 or yaml


def test_version_with_broken_facts_still_exits_3_with_the_located_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("deals: [\n", encoding="utf-8")
    for _ in range(2):  # nothing is left for a fast answer: both runs are full ones
        code, out, err, heavy = entry(["--version"], {"AUTOALLIANCES_FACTS": str(bad)})
        assert code == 3 and out.startswith("autoalliances ")
        assert f"{bad}:" in err and "Traceback" not in err
        assert "typer" in heavy


def test_version_after_a_fact_file_changes_is_answered_in_full(tmp_path: Path) -> None:
    facts = tmp_path / "facts"
    facts.mkdir()
    one = facts / "one.yaml"
    one.write_text("sources:\n  - {id: s1, file: s.txt, language: en, published: '2025-03-02'}\n", encoding="utf-8")
    (facts / "VERSION").write_text("9.1\n", encoding="utf-8")
    env = {"AUTOALLIANCES_BUNDLED": "0", "AUTOALLIANCES_FACTS": str(facts)}
    first = entry(["--version"], env)
    assert first[0] == 0 and "9.1 (" in first[1] and "1 records" in first[1].replace("1 record ", "1 records ")
    assert entry(["--version"], env)[1:] == (first[1], "", set())
    one.write_text(one.read_text(encoding="utf-8") + "  - {id: s2, file: t.txt, language: en, published: '2026-01-05'}\n", encoding="utf-8")
    code, out, _, heavy = entry(["--version"], env)
    assert code == 0 and "typer" in heavy and "2 sources" in out and "5 January 2026" in out
    (facts / "VERSION").write_text("9.2\n", encoding="utf-8")
    code, out, _, heavy = entry(["--version"], env)
    assert "9.2 (" in out and "typer" in heavy
    assert entry(["--version"], env)[1:] == (out, "", set())


def test_a_new_fact_file_in_any_case_or_a_same_size_edit_is_answered_in_full(tmp_path: Path) -> None:
    facts = tmp_path / "facts"
    facts.mkdir()
    one = facts / "one.yaml"
    one.write_text("sources:\n  - {id: s1, file: s.txt, language: en, published: '2025-03-02'}\n", encoding="utf-8")
    env = {"AUTOALLIANCES_BUNDLED": "0", "AUTOALLIANCES_FACTS": str(facts)}
    entry(["--version"], env)
    assert entry(["--version"], env)[3] == set()
    (facts / "Two.YAML").write_text("sources:\n  - {id: s2, file: t.txt, language: en, published: '2026-01-05'}\n", encoding="utf-8")
    code, out, _, heavy = entry(["--version"], env)  # discover reads .YAML: so must the key
    assert code == 0 and "2 sources" in out and "typer" in heavy
    before = one.stat()
    one.write_text(one.read_text(encoding="utf-8").replace("2025-03-02", "2025-03-09"), encoding="utf-8")
    os.utime(one, ns=(before.st_atime_ns, before.st_mtime_ns))  # same size, same mtime: touch -r
    code, out, _, heavy = entry(["--version"], env)
    assert code == 0 and "typer" in heavy and "2 sources" in out  # the change time changed: a full run


def test_answers_another_user_could_write_are_never_read() -> None:
    _, full, _, _ = entry(["--version"])
    version = next(p for p in answers() if p.name.endswith(".version.marshal"))
    body = version.read_bytes()
    forged = body.replace(b"fact base", b"FORGED base")
    assert forged != body
    import zlib

    version.write_bytes(zlib.crc32(forged[4:]).to_bytes(4, "big") + forged[4:])
    version.chmod(0o666)  # planted or changeable by others
    code, out, _, heavy = entry(["--version"])
    assert code == 0 and out == full and "FORGED" not in out and "typer" in heavy
    folder = version.parent
    for p in answers():
        p.chmod(0o600)
    folder.chmod(0o777)  # a folder others can write to: nothing in it is trusted
    try:
        entry(["--version"])
        code, out, _, heavy = entry(["--version"])
        assert out == full and "typer" in heavy
    finally:
        folder.chmod(0o700)


def test_a_cold_cache_falls_back_to_the_full_program() -> None:
    _, full, _, _ = entry(["--version"])
    for p in answers():
        p.unlink()
    code, again, _, heavy = entry(["--version"])
    assert code == 0 and again == full and "typer" in heavy
    answers()[2].write_bytes(b"\x00 not marshal")  # a damaged file is a miss, never an error
    code, again, err, heavy = entry(["--version"])
    assert code == 0 and again == full and err == "" and "typer" in heavy


def test_version_with_other_arguments_is_not_the_fast_path() -> None:
    entry(["--version"])
    code, _, _, heavy = entry(["--version", "deals"])
    assert "typer" in heavy and code == 0


# --- --help -------------------------------------------------------------------------------------


@pytest.mark.parametrize("env", [{"COLUMNS": "100"}, {"COLUMNS": "60"}, {"COLUMNS": "200", "NO_COLOR": "1"}, {"COLUMNS": "100", "FORCE_COLOR": "1"}])
def test_root_help_fast_path_draws_what_the_full_program_draws(env: dict[str, str]) -> None:
    entry(["--version"])  # the answers of any full run serve every fast path
    first = entry(["--help"], {**env, "AUTOALLIANCES_CACHE_DIR": os.environ["AUTOALLIANCES_CACHE_DIR"] + "-other"})
    assert first[0] == 0 and "typer" in first[3] and "Usage: autoalliances [OPTIONS] COMMAND" in first[1]
    for args in (["--help"], ["-h"]):
        code, out, err, heavy = entry(args, env)
        assert (code, out, err) == first[:3]
        assert "rich" in heavy and not heavy & {"typer", "click", "sqlite3", "yaml"}


def test_command_help_is_not_the_fast_path() -> None:
    entry(["--help"])
    code, out, _, heavy = entry(["deals", "--help"])
    assert code == 0 and "Usage: autoalliances deals" in out and "typer" in heavy


# --- completion ---------------------------------------------------------------------------------


def test_completion_fast_path_imports_nothing_heavy() -> None:
    env = {"_AUTOALLIANCES_COMPLETE": "complete_bash", "COMP_WORDS": "autoalliances company BM", "COMP_CWORD": "2"}
    first = entry([], env)
    assert first[:3] == (0, "BMW\n", "") and "typer" in first[3]
    again = entry([], env)
    assert again[:3] == (0, "BMW\n", "")
    if MODELLED:
        assert again[3] == set()  # no typer, click, rich, not even sqlite3
    else:
        assert "typer" in again[3]  # another typer: the full program answers


def _typer(instruction: str, env: dict[str, str], runner) -> tuple[str, int]:
    r = runner.invoke(app, [], prog_name="autoalliances", env={"_AUTOALLIANCES_COMPLETE": instruction, **env})
    return r.stdout, r.exit_code


BASH = [
    ("autoalliances ", 1), ("autoalliances de", 1), ("autoalliances ex", 1), ("autoalliances -", 1), ("autoalliances --", 1),
    ("autoalliances --v", 1), ("autoalliances zz", 1), ("autoalliances company BM", 2), ("autoalliances company ", 2),
    ("autoalliances company b", 2), ("autoalliances company BMW ", 3), ("autoalliances company BMW --", 3),
    ("autoalliances company --json ", 3), ("autoalliances show bmw-", 2), ("autoalliances show ", 2), ("autoalliances show x", 2),
    ("autoalliances deals --partner hua", 3), ("autoalliances deals --company ", 3), ("autoalliances deals -c B", 3),
    ("autoalliances deals -p ", 3), ("autoalliances deals --domain cock", 3), ("autoalliances deals --domain ", 3),
    ("autoalliances deals --format ", 3), ("autoalliances deals --format j", 3), ("autoalliances deals --", 2),
    ("autoalliances deals --json --", 3), ("autoalliances deals --year 2025 --", 4), ("autoalliances deals --company=BM", 2),
    ("autoalliances deals --company=", 2), ("autoalliances deals --company = BM", 4), ("autoalliances deals --year ", 3),
    ("autoalliances deals --no-cache --f", 3), ("autoalliances deals x --c", 3), ("autoalliances deals - --c", 3),
    ("autoalliances figures --metric net", 3), ("autoalliances sales --metric ", 3), ("autoalliances export ", 2),
    ("autoalliances export s", 2), ("autoalliances export sqlite --", 3), ("autoalliances export ics --company ", 4),
    ("autoalliances matrix --", 2), ("autoalliances timeline --c", 2), ("autoalliances timeline --company BM", 3),
    ("autoalliances conflicts --record ", 3), ("autoalliances validate ", 2), ("autoalliances new ", 2), ("autoalliances diff ", 2),
    ("autoalliances graph --format ", 3), ("autoalliances search ", 2), ("autoalliances models --company Vol", 3),
    ("autoalliances systems --kind ", 3), ("autoalliances companies --kind a", 3), ("autoalliances plans --", 2),
    # shapes the fast path leaves to Typer (it must still give Typer's answer, by falling back)
    ("autoalliances --version ", 2), ("autoalliances deals -- --c", 3), ("autoalliances deals --facts x --company B", 5),
    ("autoalliances deals -cBM --p", 2), ("autoalliances 'company' BM", 2), ("autoalliances deals --fields ", 3),
]


def _grid(runner, extra: dict[str, str] | None = None) -> int:
    """Compare every bash, zsh and fish request of the grid; how many the fast path answered itself."""
    record_answers()
    answered = 0
    for words, cword in BASH:
        requests = [("complete_bash", {"COMP_WORDS": words, "COMP_CWORD": str(cword)})]
        requests += [("complete_zsh", {"_TYPER_COMPLETE_ARGS": words})]
        requests += [("complete_fish", {"_TYPER_COMPLETE_ARGS": words, "_TYPER_COMPLETE_FISH_ACTION": a}) for a in ("get-args", "is-args")]
        for instruction, env in requests:
            env = {"COLUMNS": "100", **env, **(extra or {})}
            old = {k: os.environ.get(k) for k in env}
            os.environ.update(env)
            try:
                fast = startup.complete(instruction, dict(os.environ))
            finally:
                for k, v in old.items():
                    if v is None:
                        os.environ.pop(k)
                    else:
                        os.environ[k] = v
            if fast is not None:
                answered += 1
                assert fast == _typer(instruction, env, runner), (instruction, words)
    return answered


def test_completion_answers_equal_typers_for_a_grid_of_inputs(runner) -> None:
    answered = _grid(runner)
    if MODELLED:
        assert answered >= 0.8 * 4 * len(BASH)  # the fast path answers the most of them itself
    else:
        assert answered == 0  # another typer: every request falls back (and _grid saw none differ)


def test_completion_answers_equal_typers_on_the_fixture_set(runner, fixture_only: Path) -> None:
    assert (_grid(runner) > 0) == MODELLED


def test_completion_answers_equal_typers_when_narrow(runner) -> None:
    _grid(runner, {"COLUMNS": "30"})  # long help would wrap in rich: the fast path must leave it to Typer


def test_hostile_names_complete_alike_and_stay_shell_words(runner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    facts = tmp_path / "x.yaml"
    facts.write_text(
        "sources:\n  - {id: s, file: s.txt, language: en, published: '2025'}\n"
        "companies:\n  - id: xco\n    name: xco-name\n    kind: technology\n    sources: [s]\n"
        "    aliases: ['x$(touch${IFS}PWNED)', 'x`id`', \"x'q\", 'x;ls', 'x|y', 'x&y', 'x*', 'x~', 'x\u202ey', '-xflag', 'xOK.1:2/3@4+5,6']\n"
        f"  - id: evil\n    name: {q(PAYLOAD)}\n    kind: technology\n    sources: [s]\n"
        "  - id: x-wide\n    name: '比亚迪汽车'\n    kind: automaker\n    sources: [s]\n"
        "  - id: zed\n    name: 'Zed:car:Motors'\n    kind: automaker\n    sources: [s]\n",  # rich reads :car: as an emoji
        encoding="utf-8",
    )
    monkeypatch.setenv("AUTOALLIANCES_BUNDLED", "0")
    monkeypatch.setenv("AUTOALLIANCES_FACTS", str(facts))
    record_answers()
    seen = []
    for words in ("autoalliances company x", "autoalliances company xO", "autoalliances company x$", "autoalliances company e",
                  "autoalliances company ", "autoalliances show ", "autoalliances company 比", "autoalliances company Z"):
        cword = str(len(words.split()) - (0 if words.endswith(" ") else 1))
        for instruction, env in (("complete_bash", {"COMP_WORDS": words, "COMP_CWORD": cword}), ("complete_zsh", {"_TYPER_COMPLETE_ARGS": words}),
                                 ("complete_fish", {"_TYPER_COMPLETE_ARGS": words, "_TYPER_COMPLETE_FISH_ACTION": "get-args"})):
            monkeypatch.setenv("COLUMNS", "100")
            for k, v in env.items():
                monkeypatch.setenv(k, v)
            fast = startup.complete(instruction, dict(os.environ))
            typer_says = _typer(instruction, env, runner)
            if fast is not None:
                assert fast == typer_says, (instruction, words)
            if instruction == "complete_bash":
                assert (fast is not None) == MODELLED
                seen += typer_says[0].split()
    assert "xco-name" in seen and "xOK.1:2/3@4+5,6" in seen and "evil" in seen and "Zed:car:Motors" in seen
    assert all(startup_safe(w) for w in seen)


def startup_safe(word: str) -> bool:
    from autoalliances.query.complete import shell_word

    return shell_word(word)


def test_the_replicas_agree_with_the_modules_they_stand_in_for(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from autoalliances.load.discover import bundled_facts_dir, fact_roots
    from autoalliances.store.cache import cache_dir

    for env in ({}, {"AUTOALLIANCES_BUNDLED": "0", "AUTOALLIANCES_FACTS": f"{tmp_path}{os.pathsep}{tmp_path / 'b'}"}):
        for k in ("AUTOALLIANCES_BUNDLED", "AUTOALLIANCES_FACTS"):
            monkeypatch.delenv(k, raising=False)
        for k, v in env.items():
            monkeypatch.setenv(k, v)
        assert [Path(r) for r in startup.fact_roots()] == fact_roots()
    assert Path(startup.bundled_dir()) == bundled_facts_dir()
    assert Path(startup.cache_dir()) == cache_dir()
    monkeypatch.delenv("AUTOALLIANCES_CACHE_DIR")
    for xdg in (str(tmp_path), "relative/cache", ""):  # a relative XDG_CACHE_HOME is ignored by both
        monkeypatch.setenv("XDG_CACHE_HOME", xdg)
        assert Path(startup.cache_dir()) == cache_dir()
    monkeypatch.setenv("AUTOALLIANCES_CACHE_DIR", "rel/dir")
    assert Path(startup.cache_dir()) == cache_dir() and cache_dir().is_absolute()


def test_an_input_the_fast_path_leaves_to_typer_does_not_rewrite_the_answers() -> None:
    env = {"_AUTOALLIANCES_COMPLETE": "complete_bash", "COMP_WORDS": "autoalliances deals -- --c", "COMP_CWORD": "3"}
    first = entry([], env)
    stamps = [p.stat().st_mtime_ns for p in answers()]
    assert len(stamps) == 3
    again = entry([], env)
    assert again[:3] == first[:3] and "typer" in again[3]  # Typer answers ...
    assert [p.stat().st_mtime_ns for p in answers()] == stamps  # ... and the answers it finds are left alone


def test_version_with_stdout_closed_exits_as_the_full_program_does() -> None:
    script = f"{sys.executable} -m autoalliances --version >&-; echo $?"
    full = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=60)
    entry(["--version"])  # leaves the answers
    fast = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=60)
    assert answers() and (fast.stdout, fast.stderr) == (full.stdout, full.stderr) and full.stdout == "4\n"
