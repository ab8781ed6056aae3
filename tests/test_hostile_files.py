"""Files that are not plain files, and errors from below YAML (issue 11, part 1).

A fact folder comes from someone else, so it may hold a named pipe, a link to
``/dev/zero``, a link that loops or points nowhere, a folder nobody can list,
a file too big to be a fact file, ``Sales.YAML``, the same file twice, or a
number SQLite cannot hold. Each is refused as ``PATH: cannot read: <reason>``
or a located fact error, exit 3: never a hang, never an internal error, and
the same whether the path is given directly or found inside a folder.

The pipe and ``/dev/zero`` cases run as real processes with a timeout and a
memory limit, so a build that blocks or reads forever fails the test instead
of hanging it. Tests run as root in CI, so an unreadable folder is made by
making ``os.scandir`` refuse it, or by a folder link that resolves to nothing.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURE_FACTS

from autoalliances.cli import app
from autoalliances.load import discover as discover_module

NO_FACTS = "no fact files in this folder (files ending in .yaml or .yml, at any depth)"


def _copy(tmp_path: Path, name: str = "facts") -> Path:
    facts = tmp_path / name
    shutil.copytree(FIXTURE_FACTS, facts)
    return facts


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AUTOALLIANCES_")}
    return env | {"AUTOALLIANCES_BUNDLED": "0", "AUTOALLIANCES_CACHE_DIR": str(tmp_path / "cache"), "NO_COLOR": "1"}


def _limit_memory() -> None:  # pragma: no cover - runs in the child
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))


def _run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The real program, which must answer within 60 s and 2 GiB (a pipe or /dev/zero must not hang it)."""
    return subprocess.run(
        [sys.executable, "-m", "autoalliances", *args],
        capture_output=True, text=True, env=_env(tmp_path), timeout=60, preexec_fn=_limit_memory, cwd=tmp_path,
    )


def _validate(runner, *paths: Path | str):
    """``validate`` on *paths*; its report (the errors and the count line) is on stderr when they are invalid."""
    return runner.invoke(app, ["validate", "--no-bundled", *map(str, paths)], env={"AUTOALLIANCES_BUNDLED": "0"})


# --- pipes, devices, links ---------------------------------------------------------------------


def test_a_named_pipe_given_directly_is_refused_not_waited_on(tmp_path: Path) -> None:
    pipe = tmp_path / "deals.yaml"
    os.mkfifo(pipe)
    for args in (["validate", "--no-bundled", "deals.yaml"], ["deals", "--facts", "deals.yaml"]):
        r = _run(tmp_path, *args)
        assert r.returncode == 3, (args, r.returncode, r.stderr)
        assert r.stderr.splitlines()[0] == "deals.yaml: cannot read: not a regular file: a named pipe (FIFO)"


def test_a_named_pipe_inside_a_folder_is_refused_not_waited_on(tmp_path: Path) -> None:
    facts = _copy(tmp_path)
    os.mkfifo(facts / "more.yaml")
    os.mkfifo(facts / "notes")  # not a fact file's name: not read, not an error
    r = _run(tmp_path, "deals", "--facts", "facts", "--json")
    assert (r.returncode, r.stdout, r.stderr) == (
        3, "", "facts/more.yaml: cannot read: not a regular file: a named pipe (FIFO)\nError: 1 error in fact files\n",
    )


def test_a_link_to_dev_zero_is_refused_not_read_until_memory_runs_out(tmp_path: Path) -> None:
    facts = _copy(tmp_path)
    (facts / "zero.yaml").symlink_to("/dev/zero")
    (tmp_path / "direct.yml").symlink_to("/dev/urandom")  # another device: the same one twice is read once
    r = _run(tmp_path, "validate", "--no-bundled", "facts", "direct.yml")
    assert r.returncode == 3, r.stderr
    assert r.stderr.splitlines() == [
        "direct.yml: cannot read: not a regular file: a character device",
        "facts/zero.yaml: cannot read: not a regular file: a character device",
        "2 errors in 9 files",
    ]


def test_a_dangling_link_and_a_link_loop_inside_a_folder_are_located_errors(runner, tmp_path: Path) -> None:
    """Given directly they were handled; inside a folder they were an internal error (exit 1)."""
    facts = _copy(tmp_path)
    (facts / "gone.yaml").symlink_to(facts / "nowhere.yaml")
    (facts / "loop-a").symlink_to(facts / "loop-b")
    (facts / "loop-b").symlink_to(facts / "loop-a")
    r = _validate(runner, facts)
    assert r.exit_code == 3, (r.stderr, r.exception)
    assert r.stderr.splitlines() == [
        f"{facts}/gone.yaml: cannot read: a symbolic link to '{facts}/nowhere.yaml', which does not exist",
        f"{facts}/loop-a: cannot read: Too many levels of symbolic links",
        f"{facts}/loop-b: cannot read: Too many levels of symbolic links",
        "3 errors in 10 files",
    ]
    q = runner.invoke(app, ["deals", "--facts", str(facts)], env={"AUTOALLIANCES_BUNDLED": "0"})
    assert q.exit_code == 3 and q.stderr.splitlines()[-1] == "Error: 3 errors in fact files", (q.stderr, q.exception)


def test_a_link_to_a_folder_above_does_not_loop_and_reads_each_file_once(runner, tmp_path: Path) -> None:
    facts = _copy(tmp_path)
    (facts / "sub").mkdir()
    (facts / "sub" / "up").symlink_to(facts)
    r = runner.invoke(app, ["validate", "--no-bundled", str(facts), "--json"])
    assert r.exit_code == 0, r.stdout
    assert (json.loads(r.stdout)["files"], json.loads(r.stdout)["records"]) == (7, 13)


def test_a_dangling_link_given_directly_says_so(runner, tmp_path: Path) -> None:
    (tmp_path / "x.yaml").symlink_to("missing.yaml")
    r = _validate(runner, tmp_path / "x.yaml")
    assert r.stderr.splitlines()[0] == f"{tmp_path}/x.yaml: cannot read: a symbolic link to 'missing.yaml', which does not exist"
    assert r.exit_code == 3


# --- folders that cannot be read, folders with no facts ----------------------------------------


def test_an_unreadable_subfolder_is_an_error_not_skipped(runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """As root every folder can be read, so ``os.scandir`` is made to refuse one, as it does for other users."""
    facts = _copy(tmp_path)
    (facts / "private").mkdir()
    shutil.copy(FIXTURE_FACTS / "deals.yaml", facts / "private" / "more.yaml")
    real_scandir = os.scandir

    def scandir(path):  # type: ignore[no-untyped-def]
        if Path(path) == facts / "private":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    r = _validate(runner, facts)
    assert (r.exit_code, r.stderr) == (3, f"{facts}/private: cannot read: Permission denied\n1 error in 8 files\n")
    q = runner.invoke(app, ["deals", "--facts", str(facts)], env={"AUTOALLIANCES_BUNDLED": "0"})
    assert (q.exit_code, q.stderr) == (3, f"{facts}/private: cannot read: Permission denied\nError: 1 error in fact files\n")


def test_a_subfolder_link_that_resolves_to_nothing_is_an_error(runner, tmp_path: Path) -> None:
    """A link named like a folder (no .yaml) may have held facts: it is reported, not skipped."""
    facts = _copy(tmp_path)
    (facts / "team").symlink_to(tmp_path / "unmounted" / "team")
    r = _validate(runner, facts)
    assert r.exit_code == 3
    assert r.stderr.splitlines()[0] == f"{facts}/team: cannot read: a symbolic link to '{tmp_path}/unmounted/team', which does not exist"


def test_a_folder_with_no_fact_file_is_an_error_for_validate_and_a_warning_for_queries(runner, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    (empty / "sub").mkdir(parents=True)
    (empty / "sub" / "notes.txt").write_text("not facts\n", encoding="utf-8")
    r = _validate(runner, empty)
    assert (r.exit_code, r.stderr) == (3, f"{empty}: {NO_FACTS}\n1 error in 0 files\n")
    q = runner.invoke(app, ["companies", "--facts", str(FIXTURE_FACTS), "--facts", str(empty), "--format", "csv"],
                      env={"AUTOALLIANCES_BUNDLED": "0"})
    assert q.exit_code == 0, q.stderr
    assert q.stderr == f"warning: {empty}: {NO_FACTS}\n"
    assert q.stdout.splitlines()[0].startswith("type,id,")


def test_extensions_match_in_any_case(runner, tmp_path: Path) -> None:
    """A folder holding Sales.YAML loaded nothing and said OK."""
    facts = _copy(tmp_path)
    for old, new in (("deals.yaml", "Deals.YAML"), ("companies.yaml", "Companies.Yml"), ("models.yaml", "models.YML")):
        (facts / old).rename(facts / new)
    r = runner.invoke(app, ["validate", "--no-bundled", str(facts), "--json"])
    assert r.exit_code == 0, r.stdout
    assert (json.loads(r.stdout)["files"], json.loads(r.stdout)["records"]) == (7, 13)
    only = tmp_path / "only"
    only.mkdir()
    (only / "Sales.YAML").write_text("companies:\n  - {id: x, name: X\n", encoding="utf-8")  # broken: it must be read
    r = _validate(runner, only)
    assert r.exit_code == 3 and r.stderr.startswith(f"{only}/Sales.YAML:3: invalid YAML:"), r.stderr


# --- size cap ----------------------------------------------------------------------------------


def test_a_file_over_the_size_cap_is_refused_before_reading(runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(discover_module, "MAX_FACT_FILE_BYTES", 1000)
    facts = _copy(tmp_path)
    big = facts / "big.yaml"
    big.write_text("# padding\n" * 101, encoding="utf-8")  # 1010 bytes
    r = _validate(runner, facts)
    assert (r.exit_code, r.stderr) == (
        3, f"{big}: cannot read: larger than 1000 bytes (1010 bytes), the limit for one fact file\n1 error in 8 files\n",
    )
    big.write_text("# padding\n" * 100, encoding="utf-8")  # exactly the cap: read (and found empty)
    assert _validate(runner, big).stderr == f"{big}: file is empty: expected a mapping such as 'deals: [...]'\n1 error in 1 file\n"


def test_the_size_cap_holds_while_reading_when_stat_gives_no_size(runner, monkeypatch: pytest.MonkeyPatch) -> None:
    """/proc files are regular files whose stat size is 0: only the count while reading can stop them."""
    status = Path("/proc/self/status")
    assert status.stat().st_size == 0 and len(status.read_bytes()) > 50
    monkeypatch.setattr(discover_module, "MAX_FACT_FILE_BYTES", 50)
    r = _validate(runner, status)
    assert (r.exit_code, r.stderr) == (3, f"{status}: cannot read: larger than 50 bytes, the limit for one fact file\n1 error in 1 file\n")


def test_the_size_cap_is_sixteen_mebibytes_and_documented() -> None:
    assert discover_module.MAX_FACT_FILE_BYTES == 16 * 1024 * 1024
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    robustness = readme.split("## Robustness and security", 1)[1].split("\n## ", 1)[0]
    assert "16 MiB" in robustness and "MAX_FACT_FILE_BYTES" in robustness


# --- the same file twice -----------------------------------------------------------------------


def test_the_same_file_reached_twice_is_read_once(runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A folder and a file in it, a link and its target, --facts and AUTOALLIANCES_FACTS: no duplicate ids."""
    facts = _copy(tmp_path)
    (tmp_path / "link.yaml").symlink_to(facts / "deals.yaml")
    monkeypatch.setenv("AUTOALLIANCES_BUNDLED", "0")
    alone = runner.invoke(app, ["deals", "--json", "--no-cache", "--facts", str(facts)])
    assert alone.exit_code == 0, alone.stderr
    twice = [
        ["--facts", str(facts), "--facts", str(facts / "deals.yaml")],
        ["--facts", str(facts), "--facts", str(tmp_path / "link.yaml")],
        ["--facts", str(facts), "--facts", str(facts)],
    ]
    for extra in twice:
        r = runner.invoke(app, ["deals", "--json", "--no-cache", *extra])
        assert (r.exit_code, r.stderr) == (0, ""), (extra, r.stderr)
        assert json.loads(r.stdout) == json.loads(alone.stdout)
    monkeypatch.setenv("AUTOALLIANCES_FACTS", str(facts))
    r = runner.invoke(app, ["validate", "--no-bundled", str(facts), "--json"])
    assert r.exit_code == 0, r.stdout
    assert (json.loads(r.stdout)["files"], json.loads(r.stdout)["records"]) == (7, 13)


# --- numbers SQLite cannot hold ----------------------------------------------------------------

FIELDS = {  # where a number stands in figures.yaml, and how to put another there
    "value.amount": ("value: {amount: 714500, unit: vehicles}", "value: {{amount: {n}, unit: vehicles}}"),
    "change.amount": ("change: {amount: -13.4, unit: percent, basis: year-on-year}",
                      "change: {{amount: {n}, unit: percent, basis: year-on-year}}"),
    "change.previous.amount": ("change: {amount: -13.4, unit: percent, basis: year-on-year}",
                               "change: {{previous: {{amount: {n}, unit: vehicles}}, unit: percent}}"),
    "value.equivalents[0].amount": ("value: {amount: 714500, unit: vehicles}",
                                    "value: {{amount: 714500, unit: vehicles, equivalents: [{{amount: {n}, unit: vehicles}}]}}"),
}


def _figures(tmp_path: Path, field: str, n: str) -> Path:
    facts = _copy(tmp_path, f"facts-{abs(hash((field, n)))}")
    old, new = FIELDS[field]
    text = (facts / "figures.yaml").read_text(encoding="utf-8")
    assert old in text
    (facts / "figures.yaml").write_text(text.replace(old, new.format(n=n), 1), encoding="utf-8")
    return facts


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize("n", [str(2**63), str(-(2**63) - 1), "9" * 400, ".inf", "-.inf", ".nan", "1.0e+999"])
def test_a_number_sqlite_cannot_hold_is_a_located_error(runner, tmp_path: Path, field: str, n: str) -> None:
    facts = _figures(tmp_path, field, n)
    r = runner.invoke(app, ["export", "sqlite", str(tmp_path / "out.db"), "--facts", str(facts)], env={"AUTOALLIANCES_BUNDLED": "0"})
    assert r.exit_code == 3, (r.stderr, r.exception)
    why = "must be a finite number" if n in (".inf", "-.inf", ".nan", "1.0e+999") else "is too large to store ("
    line = 9 if field.startswith("change") else 8
    assert f"{facts}/figures.yaml:{line}: figures[0].{field}: {why}" in r.stderr, r.stderr
    assert not (tmp_path / "out.db").exists()


def test_the_largest_numbers_sqlite_holds_are_exported(runner, tmp_path: Path) -> None:
    facts = _figures(tmp_path, "value.amount", str(2**63 - 1))
    other = _figures(tmp_path, "change.amount", str(-(2**63)))
    for where, want in ((facts, 2**63 - 1), (other, -(2**63))):
        out = tmp_path / f"{where.name}.db"
        r = runner.invoke(app, ["export", "sqlite", str(out), "--facts", str(where)], env={"AUTOALLIANCES_BUNDLED": "0"})
        assert r.exit_code == 0, (r.stderr, r.exception)
        column = "value_amount" if where == facts else "change_amount"
        with sqlite3.connect(out) as conn:
            got = conn.execute(f"SELECT {column} FROM figures WHERE id = 'a-sales-2024-daily'").fetchone()[0]
        assert got == want


def test_an_amount_too_large_once_its_scale_is_applied_is_refused(runner, tmp_path: Path) -> None:
    """9.3 quadrillion trillion fits no column: the ``absolute`` value the exports write."""
    facts = _copy(tmp_path)
    text = (facts / "figures.yaml").read_text(encoding="utf-8")
    (facts / "figures.yaml").write_text(text.replace("amount: 714.5, scale: thousand", "amount: 9300000000, scale: trillion"),
                                        encoding="utf-8")
    r = _validate(runner, facts)
    assert r.exit_code == 3
    assert (f"{facts}/figures.yaml:17: figures[1].value.scale: the amount with its scale applied is too large to store (22 digits): "
            "whole numbers must lie between -9223372036854775808 and 9223372036854775807") in r.stderr.splitlines()


def test_huge_numbers_through_the_real_program(tmp_path: Path) -> None:
    """Before, ``export sqlite`` ended in an OverflowError (exit 1) for an amount over 2**63 - 1."""
    facts = _figures(tmp_path, "value.amount", str(2**64))
    r = _run(tmp_path, "export", "sqlite", "out.db", "--facts", str(facts))
    assert r.returncode == 3, r.stderr
    assert r.stderr.startswith(f"{facts}/figures.yaml:") and "figures[0].value.amount: is too large to store (20 digits)" in r.stderr
    assert "internal error" not in r.stderr and not (tmp_path / "out.db").exists()


# --- anything else that goes wrong below the checks --------------------------------------------


def test_an_exception_while_converting_a_scalar_is_located(runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from autoalliances.load import parse

    def broken(loader, node):  # type: ignore[no-untyped-def]
        raise ValueError("a converter failed")

    tag = "tag:yaml.org,2002:float"
    monkeypatch.setitem(parse._SCALARS, tag, broken)
    monkeypatch.setitem(parse._FactLoader.yaml_constructors, tag, broken)
    r = _validate(runner, FIXTURE_FACTS / "deals.yaml")
    assert r.exit_code == 3, r.exception
    assert r.stderr.splitlines()[0] == (
        f"{FIXTURE_FACTS}/deals.yaml:10: invalid YAML: cannot convert '1.5' (ValueError: a converter failed)"
    )


def test_any_exception_while_a_file_is_checked_is_a_located_error(runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The last-resort guard: one file's unforeseen exception is that file's error, exit 3, and the others are still checked."""
    from autoalliances.load import loader

    real = loader.check_file

    def check_file(data):  # type: ignore[no-untyped-def]
        if "deals" in data:
            raise OverflowError("int too large to convert")
        return real(data)

    monkeypatch.setattr(loader, "check_file", check_file)
    r = _validate(runner, FIXTURE_FACTS)
    assert r.exit_code == 3, r.exception
    lines = r.stderr.splitlines()
    assert f"{FIXTURE_FACTS}/deals.yaml: cannot check this file: OverflowError: int too large to convert" in lines
    assert "Traceback" not in r.stdout + r.stderr


# --- the cache key -----------------------------------------------------------------------------


def test_a_root_spelled_relative_or_absolute_shares_one_cache(runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    facts = _copy(tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("AUTOALLIANCES_BUNDLED", "0")
    cache = tmp_path / "cache"
    outputs = set()
    for spelling in ("facts", str(facts), "./facts/", f"{tmp_path}/facts/../facts"):
        r = runner.invoke(app, ["companies", "--format", "csv", "--facts", spelling])
        assert r.exit_code == 0, r.stderr
        outputs.add(r.stdout)
    assert len(outputs) == 1
    assert len(list(cache.glob("*.sqlite"))) == 1, sorted(p.name for p in cache.iterdir())


def test_an_edit_that_keeps_size_and_modification_time_is_seen(runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``cp -p`` and ``touch -r`` keep size and mtime: the change time and the inode still tell."""
    facts = _copy(tmp_path)
    monkeypatch.setenv("AUTOALLIANCES_BUNDLED", "0")
    companies = facts / "companies.yaml"
    text = companies.read_text(encoding="utf-8")
    assert "Carmaker A" in text
    before = runner.invoke(app, ["companies", "--format", "csv", "--facts", str(facts)])
    assert before.exit_code == 0 and "Carmaker A" in before.stdout
    st = companies.stat()
    companies.write_text(text.replace("Carmaker A", "Carmaker Q"), encoding="utf-8")  # same size
    os.utime(companies, ns=(st.st_atime_ns, st.st_mtime_ns))  # touch -r
    assert (companies.stat().st_size, companies.stat().st_mtime_ns) == (st.st_size, st.st_mtime_ns)
    after = runner.invoke(app, ["companies", "--format", "csv", "--facts", str(facts)])
    assert after.exit_code == 0 and "Carmaker Q" in after.stdout and "Carmaker A" not in after.stdout
    # cp -p from a copy made with the old text: a new inode, the old size and times
    old = tmp_path / "old.yaml"
    old.write_text(text, encoding="utf-8")
    os.utime(old, ns=(st.st_atime_ns, st.st_mtime_ns))
    companies.unlink()
    shutil.copy2(old, companies)
    again = runner.invoke(app, ["companies", "--format", "csv", "--facts", str(facts)])
    assert again.exit_code == 0 and "Carmaker A" in again.stdout


def test_fingerprint_lines_use_resolved_paths_and_name_files_as_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    facts = _copy(tmp_path)
    monkeypatch.chdir(tmp_path)
    files, lines = discover_module.discover([Path("facts")])
    assert files[0] == Path("facts/companies.yaml")
    st = (facts / "companies.yaml").stat()
    assert lines[0] == f"{facts / 'companies.yaml'}\t{st.st_size}\t{st.st_mtime_ns}\t{st.st_ctime_ns}\t{st.st_ino}"
    assert discover_module.discover([facts])[1] == lines
