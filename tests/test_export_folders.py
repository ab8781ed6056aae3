"""`export site DIR` and `export csv DIR`: what happens to DIR, through the CLI and as a real process."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import sitecheck
from conftest import FIXTURE_FACTS

from autoalliances.cli import app
from autoalliances.errors import EXIT_OUTPUT, EXIT_USAGE
from autoalliances.export import folder
from autoalliances.export.folder import MANIFEST

KINDS = ["site", "csv"]


def _export(runner, kind: str, path: Path, *args: str):
    return runner.invoke(app, ["export", kind, str(path), *args])


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _leftovers(*folders: Path) -> list[str]:
    return [p.name for d in folders if d.is_dir() for p in d.iterdir() if p.name.startswith(".tmp-")]


@pytest.mark.parametrize("kind", KINDS)
def test_new_folder_with_a_manifest_of_every_file(runner, fixture_only, tmp_path: Path, kind: str) -> None:
    out = tmp_path / "out"
    r = _export(runner, kind, out)
    assert r.exit_code == 0, r.stderr
    assert r.stdout == ""
    files = _tree(out)
    manifest = json.loads(files.pop(MANIFEST))
    assert manifest["tool"] == "autoalliances" and manifest["export"] == kind
    listed = {f["path"]: f for f in manifest["files"]}
    assert set(listed) == set(files)
    for name, data in files.items():
        assert listed[name]["bytes"] == len(data) and listed[name]["sha256"] == hashlib.sha256(data).hexdigest()
    assert _leftovers(tmp_path) == []
    again = tmp_path / "again"
    assert _export(runner, kind, again).exit_code == 0
    assert _tree(again) == _tree(out)  # the same facts give the same bytes


@pytest.mark.parametrize("kind", KINDS)
def test_a_folder_that_is_not_empty_needs_force(runner, fixture_only, tmp_path: Path, kind: str) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine\n", encoding="utf-8")
    r = _export(runner, kind, out)
    assert (r.exit_code, r.stdout) == (EXIT_USAGE, "")
    assert r.stderr == f"Error: {out} exists and is not empty; use --force to replace the files an earlier export wrote there\n"
    assert _tree(out) == {"notes.txt": b"mine\n"}
    r = _export(runner, kind, out, "--force")
    assert r.exit_code == 0, r.stderr
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine\n"  # kept: the export did not write it
    assert (out / MANIFEST).is_file() and _leftovers(out, tmp_path) == []


@pytest.mark.parametrize("kind", KINDS)
def test_an_empty_folder_is_used(runner, fixture_only, tmp_path: Path, kind: str) -> None:
    out = tmp_path / "out"
    out.mkdir()
    r = _export(runner, kind, out)
    assert r.exit_code == 0, r.stderr
    assert (out / MANIFEST).is_file() and _leftovers(out, tmp_path) == []


def test_force_replaces_only_what_the_export_wrote(runner, fixture_only, tmp_path: Path) -> None:
    extra = tmp_path / "hostile.yaml"
    extra.write_text(sitecheck.HOSTILE, encoding="utf-8")
    out = tmp_path / "site"
    assert _export(runner, "site", out, "--facts", str(extra)).exit_code == 0
    assert (out / "deals" / "evil-deal.html").is_file()
    (out / "mine.txt").write_text("mine\n", encoding="utf-8")
    (out / "deals" / "my-notes.txt").write_text("also mine\n", encoding="utf-8")
    (out / "index.html").write_text("edited by hand\n", encoding="utf-8")
    r = _export(runner, "site", out, "--force")
    assert r.exit_code == 0, r.stderr
    files = _tree(out)
    assert "deals/evil-deal.html" not in files and "companies/evil-corp.html" not in files  # stale pages of the earlier export
    assert files["mine.txt"] == b"mine\n" and files["deals/my-notes.txt"] == b"also mine\n"
    assert files["index.html"].startswith(b"<!DOCTYPE html>")  # the export's own file, replaced
    fresh = tmp_path / "fresh"
    assert _export(runner, "site", fresh).exit_code == 0
    assert {k: v for k, v in files.items() if not k.endswith(".txt")} == _tree(fresh)


def test_force_never_overwrites_a_file_it_did_not_write(runner, fixture_only, tmp_path: Path) -> None:
    out = tmp_path / "site"
    out.mkdir()
    (out / "index.html").write_text("someone's page\n", encoding="utf-8")
    r = _export(runner, "site", out, "--force")
    assert r.exit_code == EXIT_USAGE
    assert r.stderr.startswith(f"Error: {out / 'index.html'} exists and was not written by an earlier export (it is not in {MANIFEST})")
    assert _tree(out) == {"index.html": b"someone's page\n"}
    assert _leftovers(out, tmp_path) == []


def test_a_crafted_manifest_cannot_reach_outside(runner, fixture_only, tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert _export(runner, "site", out).exit_code == 0
    outside = tmp_path / "outside.txt"
    outside.write_text("keep\n", encoding="utf-8")
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    manifest["files"] += [{"path": "../outside.txt"}, {"path": str(outside)}, {"path": "a/../../outside.txt"}, {"path": 7}]
    (out / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    assert _export(runner, "site", out, "--force").exit_code == 0
    assert outside.read_text(encoding="utf-8") == "keep\n"


def test_a_symlinked_subfolder_is_not_followed(runner, fixture_only, tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert _export(runner, "site", out).exit_code == 0
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "bmw.html").write_text("not yours\n", encoding="utf-8")
    companies = out / "companies"
    for p in companies.iterdir():
        p.unlink()
    companies.rmdir()
    companies.symlink_to(elsewhere, target_is_directory=True)
    r = _export(runner, "site", out, "--force")
    assert r.exit_code == EXIT_USAGE and "is in the way" in r.stderr
    assert [p.name for p in elsewhere.iterdir()] == ["bmw.html"]


def test_one_folder_one_kind_of_export(runner, fixture_only, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert _export(runner, "csv", out).exit_code == 0
    before = _tree(out)
    r = _export(runner, "site", out, "--force")
    assert (r.exit_code, r.stderr) == (EXIT_USAGE, f"Error: {out} holds an 'export csv'; write the site export to another folder\n")
    assert _tree(out) == before


@pytest.mark.parametrize("kind", KINDS)
def test_paths_that_cannot_be_written(runner, fixture_only, tmp_path: Path, kind: str) -> None:
    missing = tmp_path / "no" / "such"
    r = _export(runner, kind, missing)
    assert (r.exit_code, r.stderr) == (EXIT_OUTPUT, f"Error: cannot write {missing}: folder {missing.parent} does not exist\n")
    afile = tmp_path / "file"
    afile.write_text("x", encoding="utf-8")
    r = _export(runner, kind, afile, "--force")
    assert (r.exit_code, r.stderr) == (EXIT_OUTPUT, f"Error: cannot write {afile}: it is not a folder\n")
    assert afile.read_text(encoding="utf-8") == "x"


@pytest.mark.parametrize("existing", [False, True])
def test_an_unwritable_folder_exits_4_and_writes_nothing(runner, fixture_only, tmp_path: Path, monkeypatch, existing: bool) -> None:
    parent = tmp_path / "locked"
    parent.mkdir()
    out = parent / "site"
    if existing:
        out.mkdir()
    locked = out if existing else parent
    locked.chmod(0o500)
    if os.geteuid() == 0:  # root writes anywhere: let the folder say no the way it would to anyone else
        real = os.access
        monkeypatch.setattr(folder.os, "access", lambda p, mode: False if Path(p) == locked and mode & os.W_OK else real(p, mode))
    try:
        r = _export(runner, "site", out)
    finally:
        locked.chmod(0o700)
    assert r.exit_code == EXIT_OUTPUT, r.stderr
    assert r.stderr.startswith(f"Error: cannot write {out}: permission denied")
    assert [p.name for p in parent.iterdir()] == (["site"] if existing else [])
    assert not existing or list(out.iterdir()) == []


@pytest.mark.parametrize("existing", [False, True])
def test_a_failure_while_writing_leaves_the_folder_as_it_was(runner, fixture_only, tmp_path: Path, monkeypatch, existing: bool) -> None:
    out = tmp_path / "site"
    if existing:
        assert _export(runner, "site", out).exit_code == 0
    before = _tree(out) if existing else None
    real = Path.write_bytes
    written: list[str] = []

    def failing(self: Path, data: bytes) -> int:
        written.append(self.name)
        if len(written) == 10:
            raise OSError(28, "No space left on device")
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", failing)
    r = _export(runner, "site", out, "--force")
    assert (r.exit_code, r.stderr) == (EXIT_OUTPUT, f"Error: cannot write {out}: No space left on device\n")
    assert len(written) == 10
    if existing:
        assert _tree(out) == before
    else:
        assert not out.exists()
    assert _leftovers(tmp_path, out) == []


def test_the_site_opened_from_a_zip_file(tmp_path: Path) -> None:
    """The installed program writes the site; zipped and unzipped elsewhere, every link still resolves."""
    exe = Path(sys.executable).parent / "autoalliances"
    r = subprocess.run([str(exe), "export", "site", "site"], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout == "" and r.stderr.startswith("Wrote ") and "open site/index.html" in r.stderr
    archive = tmp_path / "site.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for p in sorted((tmp_path / "site").rglob("*")):
            z.write(p, p.relative_to(tmp_path).as_posix())
    unpacked = tmp_path / "colleague"
    with zipfile.ZipFile(archive) as z:
        z.extractall(unpacked)
    files = _tree(unpacked / "site")
    assert "index.html" in files and sitecheck.broken_links(files) == []
    r = subprocess.run([str(exe), "export", "site", "site"], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert (r.returncode, r.stderr) == (2, "Error: site exists and is not empty; use --force to replace the files an earlier export wrote there\n")


def test_facts_option_is_honoured(runner, tmp_path: Path) -> None:
    out = tmp_path / "site"
    r = _export(runner, "site", out, "--facts", str(FIXTURE_FACTS), "--no-cache")
    assert r.exit_code == 0, r.stderr
    assert (out / "companies" / "carmaker-a.html").is_file() and (out / "companies" / "bmw.html").is_file()


def test_a_manifest_that_is_not_json_protects_nothing_and_breaks_nothing(runner, fixture_only, tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert _export(runner, "site", out).exit_code == 0
    (out / MANIFEST).write_text("{not json", encoding="utf-8")
    r = _export(runner, "site", out, "--force")
    assert r.exit_code == EXIT_USAGE and "was not written by an earlier export" in r.stderr  # no manifest: nothing is the export's
    assert (out / MANIFEST).read_text(encoding="utf-8") == "{not json"


@pytest.mark.parametrize("force", [False, True])
def test_a_folder_that_appears_during_the_export(runner, fixture_only, tmp_path: Path, monkeypatch, force: bool) -> None:
    out = tmp_path / "site"
    real = os.rename

    def rename(src, dst):
        if Path(dst) == out and not out.exists():  # someone else creates DIR, with a file of theirs, first
            out.mkdir()
            (out / "theirs.txt").write_text("theirs\n", encoding="utf-8")
        return real(src, dst)

    monkeypatch.setattr(folder.os, "rename", rename)
    r = _export(runner, "site", out, *(["--force"] if force else []))
    if force:
        assert r.exit_code == 0, r.stderr
        assert (out / "theirs.txt").read_text(encoding="utf-8") == "theirs\n" and (out / "index.html").is_file()
    else:
        assert r.exit_code == EXIT_USAGE and "exists and is not empty" in r.stderr
        assert [p.name for p in out.iterdir()] == ["theirs.txt"]
    assert _leftovers(tmp_path, out) == []
