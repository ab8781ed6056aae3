"""The README's pictures must show what the tool prints today."""

from __future__ import annotations

import importlib.util
import re

from conftest import REPO

spec = importlib.util.spec_from_file_location("pictures", REPO / "docs" / "pictures.py")
assert spec and spec.loader
pictures = importlib.util.module_from_spec(spec)
spec.loader.exec_module(pictures)


def test_committed_pictures_match_the_current_output() -> None:
    stale = pictures.stale()
    assert stale == [], f"stale pictures {stale}: run python docs/pictures.py and commit docs/*.svg"


def test_every_picture_is_an_svg_of_its_command_shown_in_the_readme() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for name, args in pictures.PICTURES.items():
        svg = (REPO / "docs" / name).read_text(encoding="utf-8")
        assert "<svg" in svg and svg.rstrip().endswith("</svg>")
        assert f"autoalliances {' '.join(args)}" in svg
        assert re.search(rf"\]\(docs/{re.escape(name)}\)|src=\"docs/{re.escape(name)}\"", readme), f"README does not show docs/{name}"


def test_a_changed_output_makes_a_picture_stale(tmp_path, monkeypatch) -> None:
    # The check is real: point it at a copy whose fingerprint no longer matches.
    name = next(iter(pictures.PICTURES))
    copy = tmp_path / name
    text = (REPO / "docs" / name).read_text(encoding="utf-8")
    copy.write_text(re.sub(r"sha256=[0-9a-f]{64}", "sha256=" + "0" * 64, text, count=1), encoding="utf-8")
    monkeypatch.setattr(pictures, "DOCS", tmp_path)
    monkeypatch.setattr(pictures, "PICTURES", {name: pictures.PICTURES[name]})
    assert pictures.stale() == [name]
