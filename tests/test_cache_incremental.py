"""Streaming and incremental cold builds (issue 13 §3 and §4).

A build writes each file's records as soon as the file is checked, and never
holds more than one file's records. A rebuild after a change parses only the
files that changed (or were added): every other file's rows are copied from
the previous cache. Either way the cache must be exactly what a fresh build of
the same files writes, row for row, and every answer the same as --no-cache.
"""

from __future__ import annotations

import gc
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import write

from autoalliances.errors import FactDataError
from autoalliances.load import loader
from autoalliances.model.records import RECORD_TYPES
from autoalliances.store import cache, db


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the files the loader parses, in order."""
    seen: list[str] = []
    real = loader.parse_file

    def parse_file(path: Path) -> Any:
        seen.append(path.name)
        return real(path)

    monkeypatch.setattr(loader, "parse_file", parse_file)
    return seen


def dump(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table of a cache, in storage order."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return {
            "meta": conn.execute("SELECT key, value FROM meta ORDER BY key").fetchall(),
            "records": conn.execute("SELECT seq, id, type, data, origin, crc FROM record_rows ORDER BY seq").fetchall(),
            "idx": conn.execute("SELECT rowid, * FROM idx ORDER BY rowid").fetchall(),
            "names": conn.execute("SELECT rowid, * FROM names ORDER BY rowid").fetchall(),
            "search": conn.execute("SELECT rowid, * FROM search ORDER BY rowid").fetchall(),
            "files": conn.execute("SELECT * FROM files ORDER BY path").fetchall(),
        }
    finally:
        conn.close()


def the_cache(d: Path) -> Path:
    (found,) = sorted(d.glob("facts-*.sqlite"))
    return found


def fresh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, list[tuple[Any, ...]]]:
    """What a build from nothing writes for the files as they are now."""
    here = os.environ["AUTOALLIANCES_CACHE_DIR"]
    other = tmp_path / f"fresh-{len(list(tmp_path.glob('fresh-*')))}"
    monkeypatch.setenv("AUTOALLIANCES_CACHE_DIR", str(other))
    try:
        cache.open_store()
    finally:
        monkeypatch.setenv("AUTOALLIANCES_CACHE_DIR", here)
    return dump(the_cache(other))


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    e = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return subprocess.run([sys.executable, "-m", "autoalliances", *args], capture_output=True, text=True, env=e, timeout=120)


def same_as_no_cache() -> None:
    for args in (["export", "json", "-"], ["search", "carmaker", "--json"], ["company", "carmaker-a", "--json"]):
        warm, truth = cli(*args), cli(*args, "--no-cache")
        assert (warm.returncode, warm.stderr) == (0, ""), warm.stderr
        assert warm.stdout == truth.stdout


def touch_later(path: Path) -> None:
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 2_000_000_000))


def rebuild(parsed: list[str]) -> list[str]:
    parsed.clear()
    cache.open_store()
    return list(parsed)


# --- incremental ---------------------------------------------------------------------------------


def errors_as_a_full_load() -> list[str]:
    """The errors a cached (re)build reports, checked equal to a --no-cache load's, in order."""
    with pytest.raises(FactDataError) as cached:
        cache.open_store()
    with pytest.raises(FactDataError) as direct:
        cache.open_store(use_cache=False)
    errors = [str(e) for e in direct.value.errors]
    assert [str(e) for e in cached.value.errors] == errors
    return errors


def test_a_warm_call_parses_nothing_and_a_first_build_everything(facts: Path, parsed: list[str]) -> None:
    assert sorted(rebuild(parsed)) == sorted(p.name for p in facts.glob("*.yaml"))
    assert rebuild(parsed) == []


def test_an_edit_reparses_that_file_only(facts: Path, cache_dir: Path, parsed: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rebuild(parsed)
    deals = facts / "deals.yaml"
    deals.write_text(deals.read_text().replace("Carmaker A puts B OS in its cars", "Carmaker A ships B OS"))
    touch_later(deals)
    assert rebuild(parsed) == ["deals.yaml"]
    after = dump(the_cache(cache_dir))
    assert "Carmaker A ships B OS" in str(after["records"])
    assert after == fresh(tmp_path, monkeypatch)
    same_as_no_cache()


def test_an_added_file_is_the_only_one_parsed(facts: Path, cache_dir: Path, parsed: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rebuild(parsed)
    text = (facts / "deals.yaml").read_text()
    write(facts / "a-more" / "extra.yaml", text.split("  - id: jv-unnamed-adas")[0].replace("id: a-b-cockpit", "id: a-b-cockpit-2"))
    assert rebuild(parsed) == ["extra.yaml"]
    assert dump(the_cache(cache_dir)) == fresh(tmp_path, monkeypatch)
    same_as_no_cache()


def test_a_removed_file_needs_no_parsing(facts: Path, cache_dir: Path, parsed: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rebuild(parsed)
    (facts / "conflicts.yaml").unlink()
    assert rebuild(parsed) == []
    after = dump(the_cache(cache_dir))
    assert "conflict" not in {row[2] for row in after["records"]}
    assert after == fresh(tmp_path, monkeypatch)
    same_as_no_cache()


def test_a_renamed_file_is_parsed_again(facts: Path, cache_dir: Path, parsed: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rebuild(parsed)
    (facts / "companies.yaml").rename(facts / "zz-companies.yaml")  # now read last: every seq after it moves
    assert rebuild(parsed) == ["zz-companies.yaml"]
    assert dump(the_cache(cache_dir)) == fresh(tmp_path, monkeypatch)
    same_as_no_cache()


def test_a_touch_with_the_same_content_still_reparses_it(facts: Path, cache_dir: Path, parsed: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Identity, not content: ctime, mtime, size and inode all count (a cheap stat, never a read)."""
    rebuild(parsed)
    touch_later(facts / "models.yaml")
    assert rebuild(parsed) == ["models.yaml"]
    assert dump(the_cache(cache_dir)) == fresh(tmp_path, monkeypatch)


def test_errors_against_unchanged_files_are_those_of_a_full_load(facts: Path, parsed: list[str]) -> None:
    """A new file reusing an id of a file the cache holds: the same messages, file:line, as --no-cache."""
    rebuild(parsed)
    write(facts / "zz.yaml", "companies:\n  - id: carmaker-a\n    name: Another A\n    kind: automaker\n    sources: [daily-2025-03-01]\n")
    deals = facts / "deals.yaml"
    deals.write_text(deals.read_text().replace("partners: [tech-b]", "partners: [tech-bb]", 1))
    touch_later(deals)
    errors = errors_as_a_full_load()
    assert any("duplicate id 'carmaker-a'" in e for e in errors)
    assert any("tech-bb" in e and "did you mean 'tech-b'" in e for e in errors)


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """One entry per build (``db.Builder``); a patched cache makes none."""
    made: list[int] = []
    real = db.Builder.__init__

    def init(self: db.Builder, *args: Any) -> None:
        made.append(1)
        real(self, *args)

    monkeypatch.setattr(db.Builder, "__init__", init)
    return made


def test_an_edit_that_keeps_the_files_shape_patches_the_cache_in_place(
    facts: Path, cache_dir: Path, parsed: list[str], builds: list[int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rebuild(parsed)
    builds.clear()
    deals = facts / "deals.yaml"
    deals.write_text(deals.read_text().replace("Carmaker A puts B OS in its cars", "Carmaker A puts B OS in all of its cars and vans"))
    touch_later(deals)
    assert rebuild(parsed) == ["deals.yaml"]
    assert builds == []  # no build: the copy was changed in place
    assert dump(the_cache(cache_dir)) == fresh(tmp_path, monkeypatch)
    same_as_no_cache()


def test_an_edit_that_adds_a_record_is_built_not_patched(
    facts: Path, cache_dir: Path, parsed: list[str], builds: list[int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rebuild(parsed)
    builds.clear()
    deals = facts / "deals.yaml"
    text = deals.read_text()
    first = text.split("  - id: jv-unnamed-adas")[0].split("deals:\n", 1)[1]
    deals.write_text(text + first.replace("id: a-b-cockpit", "id: a-b-cockpit-2"))
    touch_later(deals)
    assert rebuild(parsed) == ["deals.yaml", "deals.yaml"]  # by the patch, which found it does not fit; by the build
    assert builds == [1]
    assert dump(the_cache(cache_dir)) == fresh(tmp_path, monkeypatch)
    same_as_no_cache()


def test_a_renamed_company_patches_the_cache_and_a_name_taken_is_reported_as_a_full_load(
    facts: Path, cache_dir: Path, parsed: list[str], builds: list[int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rebuild(parsed)
    builds.clear()
    companies = facts / "companies.yaml"
    text = companies.read_text()
    companies.write_text(text.replace("name: Tech B\n", "name: Tech Bee\n", 1))
    touch_later(companies)
    assert rebuild(parsed) == ["companies.yaml"]
    assert builds == []
    assert dump(the_cache(cache_dir)) == fresh(tmp_path, monkeypatch)
    same_as_no_cache()
    companies.write_text(text.replace("name: Tech B\n", "name: Carmaker A\n", 1))  # now two companies' name
    touch_later(companies)
    errors = errors_as_a_full_load()
    assert any("is already the name of the company 'carmaker-a'" in e for e in errors)


def test_a_patch_that_would_break_a_reference_reports_as_a_full_load(facts: Path, parsed: list[str]) -> None:
    rebuild(parsed)
    deals = facts / "deals.yaml"
    deals.write_text(deals.read_text().replace("partners: [tech-b]", "partners: [tech-bb]", 1))
    touch_later(deals)
    errors = errors_as_a_full_load()
    assert any("tech-bb" in e and "did you mean 'tech-b'" in e for e in errors)


def test_a_damaged_previous_cache_is_not_copied(facts: Path, cache_dir: Path, parsed: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rebuild(parsed)
    conn = sqlite3.connect(the_cache(cache_dir))
    conn.execute("UPDATE record_rows SET data = replace(data, 'Carmaker A', 'Carmaker Z')")  # checksums no longer match
    conn.commit()
    conn.close()
    touch_later(facts / "models.yaml")
    assert sorted(set(rebuild(parsed))) == sorted(p.name for p in facts.glob("*.yaml"))  # the copy failed: built afresh
    assert dump(the_cache(cache_dir)) == fresh(tmp_path, monkeypatch)


# --- streaming ---------------------------------------------------------------------------------


def test_a_build_holds_one_files_records_at_a_time(facts: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Count the live records each time the builder receives a file: never more than that file's."""
    kinds = tuple(RECORD_TYPES.values())
    seen: list[tuple[int, int]] = []
    real = db.Builder.add

    def live() -> int:
        gc.collect()
        return sum(isinstance(o, kinds) for o in gc.get_objects())

    def add(self: db.Builder, pairs: Any, file: Any = None) -> None:
        pairs = list(pairs)
        seen.append((live() - before, len(pairs)))
        real(self, pairs, file)

    monkeypatch.setattr(db.Builder, "add", add)
    before = live()  # records other tests keep alive
    store = cache.open_store(use_cache=False)
    assert len(seen) == len(list(facts.glob("*.yaml"))) and sum(n for _, n in seen) == sum(store.counts().values())
    assert all(live <= n for live, n in seen), seen
    assert max(n for _, n in seen) < sum(n for _, n in seen)  # the files are not one batch


def test_a_build_reports_references_as_an_in_memory_load(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A build keeps its unsettled references and its records' names in the store (``patch.RefTable``,
    ``patch.NamedTable``), a load in lists: the same errors, for each kind of bad reference and a
    shared name."""
    root = tmp_path / "refs"
    write(root / "a-deals.yaml", "deals:\n" + "".join(
        f"  - id: deal-{i}\n    title: Deal {i}\n    company: {company}\n    partners: [{partner}]\n    kind: partnership\n"
        f"    domains: [cockpit-os]\n    announced: \"2025-03-01\"\n    status: announced\n    sources: [{src}]\n"
        for i, (company, partner, src) in enumerate([
            ("acme", "tech", "src"), ("Nissan", "tech", "src"), ("acme", "src", "src"), ("acme", "tech", "bad"),
            ("acme", "tech", "nope"), ("acme", "bad", "bad"), ("acme", "tech", "src"),
        ])
    ))
    write(root / "b-companies.yaml", "companies:\n" + "".join(
        f"  - id: {c}\n    name: {c.title()}\n    kind: automaker\n    sources: [src]\n" for c in ("acme", "nissan", "tech")
    ) + "  - id: other\n    name: Other\n    aliases: [NISSAN]\n    kind: automaker\n    sources: [src]\n")
    write(root / "c-sources.yaml", 'sources:\n  - id: src\n    language: en\n    published: "2025-03-01"\n'
          '  - id: bad\n    language: en\n    published: "2025-03-01"\n    url: ftp://example.com/a\n')
    monkeypatch.setenv("AUTOALLIANCES_BUNDLED", "0")
    monkeypatch.setenv("AUTOALLIANCES_FACTS", str(root))
    with pytest.raises(FactDataError) as built:
        cache.open_store(use_cache=False)
    loaded = loader.load_files(sorted(root.glob("*.yaml")), [root]).errors
    assert [str(e) for e in built.value.errors] == [str(e) for e in FactDataError(loaded).errors]
    found = " ".join(str(e) for e in loaded)
    assert "did you mean 'nissan'" in found and "is a source, expected a company" in found
    assert "cite the invalid source 'bad'" in found and "no source with id 'nope'" in found
    assert "alias 'NISSAN' is already the id of the company 'nissan'" in found


def test_a_name_that_differs_from_another_only_in_hyphens_is_reported_after_a_patch_too(
    facts: Path, cache_dir: Path, parsed: list[str], builds: list[int]
) -> None:
    """Lookups ignore spaces, hyphens and underscores, so the overlay rule does too, on every path."""
    rebuild(parsed)
    companies = facts / "companies.yaml"
    companies.write_text(companies.read_text().replace("name: Tech B\n", "name: Carmaker_A\n", 1))
    touch_later(companies)
    errors = errors_as_a_full_load()
    assert any("only in spaces, hyphens or underscores" in e for e in errors)
