"""The cache is an optimisation, never an authority (issue 11 §3).

A cache file someone else could have written is never read; a file that is
not exactly our schema, or that breaks while it is read, is discarded and the
answer comes from the fact files; the folder is tidied by every build; a
build killed by SIGTERM or SIGHUP leaves no temporary file.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from test_cache import QUERY, cache_files, env, ok, reseal, run, the_cache, truth

from autoalliances.store import cache, db
from autoalliances.store import search as fulltext


def poison(path: Path) -> None:
    """Make the cache lie in a way only a forger could (checksums and fingerprint still match)."""
    conn = sqlite3.connect(path)
    conn.execute("UPDATE record_rows SET data = replace(data, 'Carmaker A puts B OS in its cars', 'FORGED')")
    reseal(conn)
    conn.commit()
    conn.close()


# --- whose files ---------------------------------------------------------------------------------


def test_schema_copy_matches_a_real_build() -> None:
    conn = sqlite3.connect(":memory:")
    db.build(conn, [], {"fingerprint": "x"})
    mode = conn.execute("SELECT value FROM meta WHERE key = 'search'").fetchone()[0]
    assert set(conn.execute("SELECT type, name, sql FROM sqlite_master")) == db.expected_schema(mode)
    assert db._SEARCH_DDL == {fulltext.FTS5: fulltext._FTS_DDL, fulltext.SUBSTRING: fulltext._PLAIN_DDL}


def test_the_folder_is_created_private(facts: Path, cache_dir: Path) -> None:
    ok(*QUERY)
    assert cache_dir.stat().st_mode & 0o777 == 0o700


@pytest.mark.parametrize("mode", [0o664, 0o646])
def test_a_file_others_may_write_is_not_read(facts: Path, cache_dir: Path, mode: int) -> None:
    expected = truth(*QUERY)
    ok(*QUERY)
    path = the_cache(cache_dir)
    poison(path)
    assert "FORGED" in ok(*QUERY)  # the forgery works on our own private file...
    path.chmod(mode)
    assert ok(*QUERY) == expected  # ...never on one that others could have written
    assert the_cache(cache_dir).stat().st_mode & 0o022 == 0  # and it was replaced by a private one


def test_a_file_owned_by_someone_else_is_not_read(facts: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """In-process, so it needs no second user: the cache file's owner is reported as another uid."""
    from autoalliances import open_registry

    expected = {d.id: d.title for d in open_registry(use_cache=False).deals()}
    ok(*QUERY)
    path = the_cache(cache_dir)
    poison(path)
    assert "FORGED" in {d.title for d in open_registry().deals()}
    real_lstat = os.lstat

    def lstat(p: object) -> os.stat_result:
        st = real_lstat(p)  # type: ignore[arg-type]
        if Path(str(p)) == path:
            fields = list(st)
            fields[4] = os.geteuid() + 1  # st_uid
            return os.stat_result(fields)
        return st

    monkeypatch.setattr(cache.os, "lstat", lstat)
    assert {d.id: d.title for d in open_registry().deals()} == expected


def test_a_symlink_is_not_followed(facts: Path, cache_dir: Path, tmp_path: Path) -> None:
    expected = truth(*QUERY)
    ok(*QUERY)
    path = the_cache(cache_dir)
    planted = tmp_path / "planted.sqlite"
    shutil.copy(path, planted)
    poison(planted)
    path.unlink()
    path.symlink_to(planted)
    assert ok(*QUERY) == expected
    assert not the_cache(cache_dir).is_symlink()
    assert "FORGED" in planted.read_text(errors="replace")  # the link's target was not touched


@pytest.mark.parametrize("mode", [0o777, 0o1777, 0o770])
def test_a_folder_others_may_write_is_not_used(facts: Path, tmp_path: Path, mode: int) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    expected = truth(*QUERY)
    ok(*QUERY, AUTOALLIANCES_CACHE_DIR=str(shared))
    path = the_cache(shared)
    poison(path)
    shared.chmod(mode)
    for _ in range(2):
        r = run(*QUERY, AUTOALLIANCES_CACHE_DIR=str(shared))
        assert (r.returncode, r.stdout) == (0, expected)
        assert r.stderr.count("note: not using the cache folder") == 1 and "writable by others" in r.stderr
    assert cache_files(shared) == [path]  # nothing written there either


# --- not our schema ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "plant",
    [
        "CREATE VIEW loop AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT i FROM n",
        "CREATE TRIGGER t AFTER INSERT ON meta BEGIN DELETE FROM meta; END",
        "CREATE TABLE extra (x TEXT)",
        "CREATE INDEX records_data ON record_rows (data)",
    ],
    ids=["recursive-view", "trigger", "extra-table", "extra-index"],
)
def test_anything_beyond_our_schema_means_rebuild(facts: Path, cache_dir: Path, plant: str) -> None:
    expected = truth(*QUERY)
    ok(*QUERY)
    path = the_cache(cache_dir)
    conn = sqlite3.connect(path)
    conn.execute(plant)
    conn.commit()
    conn.execute("VACUUM")
    conn.close()
    assert ok(*QUERY) == expected  # run() has a timeout: a view that loops would fail here
    conn = sqlite3.connect(path)
    names = {n for (n,) in conn.execute("SELECT name FROM sqlite_master")}
    conn.close()
    assert not names & {"loop", "t", "extra", "records_data"}


# --- damage found while reading -------------------------------------------------------------------------


def _pages_of(path: Path) -> dict[int, str]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return dict(conn.execute("SELECT pageno, name FROM dbstat"))
    finally:
        conn.close()


def test_a_flipped_byte_anywhere_never_fails_a_command(facts: Path, cache_dir: Path, tmp_path: Path) -> None:
    """Flip one byte at offsets all over a real cache file: every run exits 0 with nothing on stderr,
    and answers exactly as --no-cache does. The one exception, by design: the index that lists
    records by type carries no checksum (SQLite has none), so a flip there may drop a row silently;
    it must still never fail the command."""
    expected = truth(*QUERY)
    ok(*QUERY)
    whole = the_cache(cache_dir).read_bytes()
    page = int.from_bytes(whole[16:18], "big")
    owner = _pages_of(the_cache(cache_dir))
    offsets = sorted({*range(0, 100, 7), *range(100, len(whole), max(1, len(whole) // 150)), *(p * page + 3 for p in range(len(whole) // page))})

    def attempt(offset: int) -> tuple[int, int, str, str, str]:
        d = tmp_path / f"c{offset}"
        d.mkdir(mode=0o700)
        damaged = bytearray(whole)
        damaged[offset] ^= 0x5A
        (d / the_cache(cache_dir).name).write_bytes(bytes(damaged))
        r = run(*QUERY, AUTOALLIANCES_CACHE_DIR=str(d))
        again = run(*QUERY, AUTOALLIANCES_CACHE_DIR=str(d))  # and the cache it left is good
        return offset, r.returncode, r.stderr + again.stderr, r.stdout, again.stdout

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(attempt, offsets))
    loose = {"records_type"}
    for offset, code, err, out, out_again in results:
        assert (code, err) == (0, ""), (offset, err)
        if owner.get(offset // page + 1) not in loose:
            assert out == expected, (offset, owner.get(offset // page + 1))
            assert out_again == expected, offset
    assert len(results) > 150


def test_a_row_that_no_longer_matches_is_found_mid_query(facts: Path, cache_dir: Path) -> None:
    """The damage is met only when the query reads that row: the run still answers once, correctly."""
    expected = truth(*QUERY)
    ok(*QUERY)
    path = the_cache(cache_dir)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE record_rows SET data = replace(data, 'Carmaker A puts B OS in its cars', 'DAMAGED') ")
    conn.commit()
    conn.close()
    assert ok(*QUERY) == expected
    assert "DAMAGED" not in the_cache(cache_dir).read_text(errors="replace")


def test_a_library_caller_sees_cache_damaged(facts: Path, cache_dir: Path) -> None:
    from autoalliances import open_registry
    from autoalliances.errors import CacheDamaged

    ok(*QUERY)
    conn = sqlite3.connect(the_cache(cache_dir))
    conn.execute("UPDATE record_rows SET data = '{not json'")
    reseal(conn)
    conn.commit()
    conn.close()
    with pytest.raises(CacheDamaged, match="is damaged"):
        open_registry().deals()


# --- where the cache lives ---------------------------------------------------------------------------------


def test_a_relative_xdg_cache_home_is_ignored(facts: Path, tmp_path: Path) -> None:
    home, work = tmp_path / "home", tmp_path / "work"
    home.mkdir()
    work.mkdir()
    e = env(HOME=str(home), XDG_CACHE_HOME="relative")
    del e["AUTOALLIANCES_CACHE_DIR"]
    r = subprocess.run([sys.executable, "-m", "autoalliances", *QUERY], capture_output=True, text=True, env=e, cwd=work, timeout=120)
    assert (r.returncode, r.stderr) == (0, "")
    assert list(work.iterdir()) == []
    assert len(cache_files(home / ".cache" / "autoalliances")) == 1


def test_a_relative_cache_dir_is_relative_to_the_working_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(cache.CACHE_ENV, "mine")
    assert cache.cache_dir() == tmp_path / "mine"


# --- tidying ---------------------------------------------------------------------------------------------------


def test_a_build_prunes_what_is_left_behind(facts: Path, cache_dir: Path, tmp_path: Path) -> None:
    gone = tmp_path / "gone"
    shutil.copytree(facts, gone)
    ok(*QUERY, AUTOALLIANCES_FACTS=str(gone))
    (orphan,) = cache_files(cache_dir)
    assert json.loads(sqlite3.connect(orphan).execute("SELECT value FROM meta WHERE key = 'roots'").fetchone()[0]) == [str(gone)]
    shutil.rmtree(gone)
    old = time.time() - (cache.STALE_DAYS + 1) * 86400
    stale_temp, fresh_temp = cache_dir / ".tmp-00000001", cache_dir / ".tmp-00000002"
    other_old, other_new = cache_dir / "facts-00000001.sqlite", cache_dir / "facts-00000002.sqlite"
    for p in (stale_temp, fresh_temp, other_old, other_new):
        p.write_bytes(b"SQLite format 3\x00 not really")
    os.utime(other_old, (old, old))
    os.utime(stale_temp, (time.time() - 2 * cache.STALE_TEMP_SECONDS,) * 2)
    ok(*QUERY)  # a build for the other root
    left = {p.name for p in cache_files(cache_dir)}
    assert orphan.name not in left and stale_temp.name not in left and other_old.name not in left
    assert {fresh_temp.name, other_new.name} <= left and len(left) == 3


SIGNAL_PROBE = """
import os, signal, sys
# the signal's default action, even when this runs under nohup (SIGHUP ignored, which a build respects)
signal.signal(getattr(signal, sys.argv[1]), signal.SIG_DFL)
from autoalliances.store import cache, db

real = db.Builder.add

def add(self, pairs, file=None):
    real(self, pairs, file)
    os.kill(os.getpid(), getattr(signal, sys.argv[1]))

db.Builder.add = add
from autoalliances import open_registry
open_registry().deals()
print("survived")
"""


@pytest.mark.parametrize("sig", ["SIGTERM", "SIGHUP"])
def test_a_signal_during_a_build_leaves_no_temporary_file(facts: Path, cache_dir: Path, sig: str) -> None:
    r = subprocess.run([sys.executable, "-c", SIGNAL_PROBE, sig], capture_output=True, text=True, env=env(), timeout=120)
    assert r.returncode == -getattr(signal, sig), r.stderr  # died of the signal: 128 + its number to a shell
    assert "survived" not in r.stdout
    assert cache_files(cache_dir) == []


# --- completion ------------------------------------------------------------------------------------------------


def test_completion_answers_from_a_fresh_build_when_the_cache_is_damaged(cache_dir: Path) -> None:
    """Pressing Tab on a damaged cache: the candidates of an undamaged run, not none (the completers
    retry on a fresh build, as every command does)."""
    shell = {"_AUTOALLIANCES_COMPLETE": "complete_bash", "COMP_WORDS": "autoalliances company BM", "COMP_CWORD": "2"}

    def complete() -> str:
        for answers in cache_dir.glob("answers-*.marshal"):  # no fast path: the completers open the fact base
            answers.unlink()
        r = run(**shell)
        assert (r.returncode, r.stderr) == (0, ""), r.stderr
        return r.stdout

    expected = complete()
    assert "BMW" in expected.split()
    (path,) = cache_dir.glob("facts-*.sqlite")
    whole = bytearray(path.read_bytes())
    at = whole.index(b'"id":"bmw","name":"BMW"') + len('"id":"bmw","name":"')
    whole[at + 1] ^= 0x20  # "BmW": the row no longer matches its checksum
    path.write_bytes(bytes(whole))
    assert complete() == expected
    assert b'"name":"BmW"' not in path.read_bytes()  # the damaged file was replaced
