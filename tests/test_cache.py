"""The on-disk cache: atomic, self-healing, shared safely, invalidated, optional, light.

Every test runs the real command (``python -m autoalliances``) as a separate
process against a copy of the fixture fact set, with the isolated cache
directory from conftest. "Correct output" always means: the same stdout as a
``--no-cache`` run over the same files.
"""

from __future__ import annotations

import os
import random
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import write

from autoalliances.load import discover as discovery
from autoalliances.store import cache
from autoalliances.store.db import row_crc

QUERY = ["deals", "--format", "json"]


def env(**extra: str) -> dict[str, str]:
    e = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    e.update(extra)
    return e


def run(*args: str, **extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "autoalliances", *args], capture_output=True, text=True, env=env(**extra), timeout=120
    )


def ok(*args: str, **extra: str) -> str:
    r = run(*args, **extra)
    assert (r.returncode, r.stderr) == (0, ""), r.stderr
    return r.stdout


def truth(*args: str) -> str:
    """The answer read straight from the fact files."""
    return ok(*args, "--no-cache")


def cache_files(d: Path) -> list[Path]:
    return sorted(d.iterdir()) if d.is_dir() else []


def the_cache(d: Path) -> Path:
    files = cache_files(d)
    assert len(files) == 1 and files[0].name.startswith("facts-") and files[0].suffix == ".sqlite", files
    return files[0]


def assert_valid_cache(path: Path) -> None:
    """Whole, readable, and written by this version for the current facts."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        size = conn.execute("PRAGMA page_size").fetchone()[0]
        assert pages * size == path.stat().st_size
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        meta = dict(conn.execute("SELECT key, value FROM meta"))
    finally:
        conn.close()
    from autoalliances import __version__
    from autoalliances.store.db import SCHEMA_VERSION

    assert meta["schema"] == SCHEMA_VERSION and meta["version"] == __version__
    files, lines = discovery.discover(discovery.fact_roots())
    assert meta["fingerprint"].endswith("\n".join(lines))


def reseal(conn: sqlite3.Connection) -> None:
    """Give every record row the checksum of what it now holds (as a forger would)."""
    rows = conn.execute("SELECT id, type, seq, data, origin FROM record_rows").fetchall()
    conn.executemany("UPDATE record_rows SET crc = ? WHERE id = ?", [(row_crc(*r), r[0]) for r in rows])


def identity(path: Path) -> tuple[int, int]:
    st = path.stat()
    return st.st_ino, st.st_mtime_ns


# The command line's main, run in-process by a child that then reports which
# heavy modules it imported (on stderr, after a marker line).
MODULES_PROBE = """
import sys
sys.argv = ["autoalliances", *sys.argv[1:]]
from autoalliances.cli import main
try:
    main()
except SystemExit as e:
    code = e.code
else:
    code = 0
sys.stdout.flush()
print("\\nMODULES", code, *[m for m in ("yaml", "rich", "typer") if m in sys.modules], file=sys.stderr)
"""


def imported(*args: str) -> tuple[str, set[str]]:
    r = subprocess.run([sys.executable, "-c", MODULES_PROBE, *args], capture_output=True, text=True, env=env(), timeout=120)
    marker = r.stderr.rsplit("MODULES ", 1)
    assert len(marker) == 2, r.stderr
    code, *mods = marker[1].split()
    assert code in ("0", "None"), r.stderr
    return r.stdout, set(mods)


# --- atomic writes ---------------------------------------------------------------------


def test_build_leaves_only_the_final_file(facts: Path, cache_dir: Path) -> None:
    out = ok(*QUERY)
    assert out == truth(*QUERY)
    assert_valid_cache(the_cache(cache_dir))  # no temporary file left beside it


def test_cache_is_written_to_a_temporary_file_then_renamed(facts: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The final name appears only through one rename of a complete file from the same folder."""
    seen: list[tuple[str, str]] = []
    real_replace = os.replace

    def replace(src: str, dst: str) -> None:
        src_p, dst_p = Path(src), Path(dst)
        assert not dst_p.exists(), "the final file existed before the rename"
        assert src_p.parent == dst_p.parent and src_p.name.startswith(".tmp-")
        assert_valid_cache(src_p)  # complete before it gets its name
        seen.append((src, dst))
        real_replace(src, dst)

    monkeypatch.setattr(cache.os, "replace", replace)
    from autoalliances import open_registry

    assert open_registry().deals()
    assert len(seen) == 1
    assert cache_files(cache_dir) == [Path(seen[0][1])]


@pytest.mark.parametrize("cut", ["half-the-bytes", "whole-pages"])
def test_truncated_cache_is_ignored_and_rebuilt(facts: Path, cache_dir: Path, cut: str) -> None:
    expected = truth(*QUERY)
    ok(*QUERY)
    path = the_cache(cache_dir)
    whole = path.read_bytes()
    keep = len(whole) // 2
    if cut == "whole-pages":  # a clean cut at a page boundary: only the size gives it away
        page = int.from_bytes(whole[16:18], "big")
        keep = keep // page * page
    path.write_bytes(whole[:keep])  # a writer that died part-way
    assert ok(*QUERY) == expected
    assert_valid_cache(the_cache(cache_dir))
    assert the_cache(cache_dir).stat().st_size == len(whole)


# --- corrupt and foreign caches ----------------------------------------------------------


@pytest.mark.parametrize(
    "garbage",
    [
        pytest.param(lambda n: random.Random(3).randbytes(n), id="random-bytes"),
        pytest.param(lambda n: b"this is not a database\n" * 100, id="text"),
        pytest.param(lambda n: b"", id="empty"),
        pytest.param(lambda n: b"SQLite format 3\x00" + random.Random(4).randbytes(n - 16), id="sqlite-header-then-noise"),
    ],
)
def test_corrupt_cache_is_ignored_and_rebuilt(facts: Path, cache_dir: Path, garbage) -> None:
    expected = truth(*QUERY)
    ok(*QUERY)
    path = the_cache(cache_dir)
    path.write_bytes(garbage(path.stat().st_size))
    assert ok(*QUERY) == expected
    assert_valid_cache(the_cache(cache_dir))


def _foreign_schema(conn: sqlite3.Connection) -> None:
    conn.execute("UPDATE meta SET value = '999' WHERE key = 'schema'")


def _foreign_version(conn: sqlite3.Connection) -> None:
    (fp,) = conn.execute("SELECT value FROM meta WHERE key = 'fingerprint'").fetchone()
    conn.execute("UPDATE meta SET value = ? WHERE key = 'fingerprint'", ("0.0.1" + fp[fp.index("\n"):],))
    conn.execute("UPDATE meta SET value = '0.0.1' WHERE key = 'version'")


def _other_database(conn: sqlite3.Connection) -> None:
    conn.execute("DROP TABLE IF EXISTS search")  # the full-text table takes its shadow tables with it
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall():
        conn.execute(f"DROP TABLE {name}")
    conn.execute("CREATE TABLE notes (text TEXT)")
    conn.execute("INSERT INTO notes VALUES ('someone else''s database')")


def _poisoned_foreign(conn: sqlite3.Connection) -> None:
    """Another version's cache whose records differ: using it would show."""
    _foreign_version(conn)
    conn.execute("UPDATE record_rows SET data = replace(data, 'Carmaker A', 'Somebody Else')")
    reseal(conn)


@pytest.mark.parametrize("change", [_foreign_schema, _foreign_version, _other_database, _poisoned_foreign])
def test_foreign_cache_is_ignored_and_rebuilt(facts: Path, cache_dir: Path, change) -> None:
    expected = truth(*QUERY)
    ok(*QUERY)
    path = the_cache(cache_dir)
    conn = sqlite3.connect(path)
    change(conn)
    conn.commit()
    conn.execute("VACUUM")
    conn.close()
    assert ok(*QUERY) == expected
    assert_valid_cache(the_cache(cache_dir))


# --- many processes at once ----------------------------------------------------------------


def test_eight_processes_at_once_share_one_cache(facts: Path, cache_dir: Path) -> None:
    expected = truth(*QUERY)
    assert not cache_dir.exists()
    procs = [
        subprocess.Popen([sys.executable, "-m", "autoalliances", *QUERY], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env())
        for _ in range(8)
    ]
    results = [(p.communicate(timeout=120), p.returncode) for p in procs]
    for (out, err), code in results:
        assert (code, err) == (0, "")
        assert out == expected
    path = the_cache(cache_dir)  # exactly one file: no temporary files left behind
    assert_valid_cache(path)
    before = identity(path)
    out, mods = imported(*QUERY)
    assert out == expected
    assert "yaml" not in mods, "the run after them rebuilt instead of using the cache"
    assert identity(path) == before


# --- unwritable cache directory ----------------------------------------------------------------


def test_cache_dir_that_cannot_be_created(facts: Path, tmp_path: Path) -> None:
    """A path below a regular file: mkdir fails even for root."""
    blocker = write(tmp_path / "file", "not a directory\n")
    target = blocker / "cache"
    expected = truth(*QUERY)
    for _ in range(2):
        r = run(*QUERY, AUTOALLIANCES_CACHE_DIR=str(target))
        assert (r.returncode, r.stdout, r.stderr) == (0, expected, "")
    assert blocker.read_text() == "not a directory\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".tmp")] == []


def test_read_only_cache_dir(facts: Path, tmp_path: Path) -> None:
    """chmod 0o500: no error either way; without root it also means no cache."""
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    expected = truth(*QUERY)
    try:
        for _ in range(2):
            r = run(*QUERY, AUTOALLIANCES_CACHE_DIR=str(ro))
            assert (r.returncode, r.stdout, r.stderr) == (0, expected, "")
        if os.geteuid() != 0:  # root writes anyway; then the check above is all this test can say
            assert list(ro.iterdir()) == []
    finally:
        ro.chmod(0o700)


def test_cache_path_taken_by_a_directory(facts: Path, cache_dir: Path) -> None:
    """The cache file's name is a folder: it cannot be read or replaced; still no error."""
    expected = truth(*QUERY)
    ok(*QUERY)
    path = the_cache(cache_dir)
    path.unlink()
    path.mkdir()
    (path / "keep").write_text("x")
    assert ok(*QUERY) == expected
    assert [p.name for p in cache_dir.iterdir()] == [path.name]


# --- invalidation -------------------------------------------------------------------------------


def test_editing_a_fact_file_invalidates(facts: Path, cache_dir: Path) -> None:
    before = ok(*QUERY)
    deals = facts / "deals.yaml"
    st = deals.stat()
    deals.write_text(deals.read_text().replace("Carmaker A puts B OS in its cars", "Carmaker A ships B OS"))
    os.utime(deals, ns=(st.st_atime_ns, st.st_mtime_ns + 2_000_000_000))
    after = ok(*QUERY)
    assert after != before and "Carmaker A ships B OS" in after
    assert after == truth(*QUERY)


def test_same_size_edit_with_new_mtime_invalidates(facts: Path, cache_dir: Path) -> None:
    before = ok(*QUERY)
    deals = facts / "deals.yaml"
    st = deals.stat()
    text = deals.read_text()
    deals.write_text(text.replace('announced: "2025-03-01"', 'announced: "2025-03-02"'))
    assert deals.stat().st_size == st.st_size
    os.utime(deals, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    after = ok(*QUERY)
    assert after != before and '"text":"2025-03-02"' in after
    assert after == truth(*QUERY)


def test_adding_a_fact_file_invalidates(facts: Path, cache_dir: Path) -> None:
    before = ok(*QUERY)
    text = (facts / "deals.yaml").read_text()
    extra = text.split("  - id: jv-unnamed-adas")[0].replace("id: a-b-cockpit", "id: a-b-cockpit-2")
    write(facts / "more" / "extra.yaml", extra)
    after = ok(*QUERY)
    assert after != before and '"id":"a-b-cockpit-2"' in after
    assert after == truth(*QUERY)


def test_removing_a_fact_file_invalidates(facts: Path, cache_dir: Path) -> None:
    figures = ["figures", "--format", "json"]
    before_conflicts = ok("conflicts", "--json")
    assert '"id":"a-sales-2024-precision"' in before_conflicts
    before = ok(*figures)
    assert '"a-sales-2024-precision"' in before  # each figure names its conflict
    (facts / "conflicts.yaml").unlink()
    assert ok("conflicts", "--json").strip() == "[]"
    after = ok(*figures)
    assert after != before and '"a-sales-2024-precision"' not in after
    assert after == truth(*figures)


# --- --no-cache ---------------------------------------------------------------------------------


def test_no_cache_writes_no_cache(facts: Path, cache_dir: Path) -> None:
    truth(*QUERY)
    truth("company", "carmaker-a", "--json")
    assert cache_files(cache_dir) == []


def test_no_cache_reads_no_cache(facts: Path, cache_dir: Path) -> None:
    real = ok(*QUERY)
    path = the_cache(cache_dir)
    conn = sqlite3.connect(path)  # a cache that lies, yet matches the files' fingerprint and its checksums
    conn.execute("UPDATE record_rows SET data = replace(data, 'Carmaker A puts B OS in its cars', 'POISONED TITLE')")
    reseal(conn)
    conn.commit()
    conn.close()
    before = identity(path)
    assert "POISONED TITLE" in ok(*QUERY)  # the normal path does read it...
    out = ok(*QUERY, "--no-cache")
    assert out == real and "POISONED TITLE" not in out  # ...--no-cache does not
    assert identity(path) == before  # and leaves it alone
    assert cache_files(cache_dir) == [path]


# --- what a warm run imports ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        QUERY,
        ["deals", "--company", "carmaker-a", "--format", "json"],
        ["company", "carmaker-a", "--json"],
        ["show", "a-b-cockpit", "--json"],
        ["figures", "--format", "jsonl"],
    ],
)
def test_warm_json_imports_neither_yaml_nor_rich(facts: Path, cache_dir: Path, args: list[str]) -> None:
    expected = truth(*args)
    ok(*QUERY)  # build the cache
    out, mods = imported(*args)
    assert out == expected
    assert "typer" in mods  # the probe sees what the command imported
    assert "yaml" not in mods
    assert "rich" not in mods


def test_cold_run_does_import_yaml(facts: Path, cache_dir: Path) -> None:
    """The probe above can fail: without a cache the parser is needed."""
    out, mods = imported(*QUERY)
    assert out == truth(*QUERY)
    assert "yaml" in mods
