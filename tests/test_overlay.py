"""User facts on top of the bundled ones: they may add records, never change what a name means.

Ids are whole slugs; names and aliases compare after Unicode NFC and case
folding; a name two records share is a validation error naming both files;
every record says where it came from.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest
from conftest import write

from autoalliances import open_registry
from autoalliances.cli import app
from autoalliances.errors import FactDataError
from autoalliances.load.discover import bundled_facts_dir
from autoalliances.model.names import name_key

SRC = "yicai-2025-03-18-bmw-huawei"  # a bundled source to cite


def company(id_: str, name: str, *aliases: str, kind: str = "technology") -> str:
    alias_list = ", ".join(json.dumps(a) for a in aliases)
    return f"  - id: {id_}\n    name: {json.dumps(name)}\n    kind: {kind}\n    aliases: [{alias_list}]\n    sources: [{SRC}]\n"


def test_an_id_ending_in_a_newline_is_no_id(runner, tmp_path: Path) -> None:
    mine = write(tmp_path / "mine.yaml", f"companies:\n  - id: |\n      bmw\n    name: BMW again\n    kind: automaker\n    sources: [{SRC}]\n")
    r = runner.invoke(app, ["validate", str(mine)])
    assert r.exit_code == 3
    assert f"{mine}:2: companies[0].id: 'bmw\\n' is not a valid id" in " ".join(r.stderr.split())  # validate may wrap
    r = runner.invoke(app, ["companies", "--json", "--facts", str(mine)])
    assert r.exit_code == 3 and r.stdout == ""


def test_a_user_id_that_is_a_bundled_alias_is_refused_naming_both_files(runner, tmp_path: Path) -> None:
    mine = write(tmp_path / "mine.yaml", "companies:\n" + company("ali", "Ali Holdings"))
    bundled = bundled_facts_dir() / "companies" / "alibaba.yaml"  # the installed package's copy
    expected = f"{mine}:2: id: id 'ali' is already the alias of the company 'alibaba' ({bundled}:3); a name may mean only one record, whatever its case\n"
    r = runner.invoke(app, ["deals", "--partner", "Ali", "--json", "--facts", str(mine)])
    assert (r.exit_code, r.stdout, r.stderr) == (3, "", expected + "Error: 1 error in fact files\n")  # never a silent winner
    r = runner.invoke(app, ["validate", str(mine)])
    assert r.exit_code == 3 and expected.strip() in " ".join(r.stderr.split())  # validate may wrap its lines


@pytest.mark.parametrize(
    ("field", "mine"),
    [
        ("name", company("my-huawei", "HUAWEI")),  # a bundled name in another case
        ("aliases[0]", company("my-co", "My Co", "alibaba group")),  # a bundled alias
        ("aliases[0]", company("my-co", "My Co", "bmw")),  # a bundled id
        ("name", "systems:\n  - id: my-os\n    name: Ali\n    kind: app\n    sources: [" + SRC + "]\n"),  # another type
    ],
)
def test_user_names_and_aliases_never_take_a_bundled_name(runner, tmp_path: Path, field: str, mine: str) -> None:
    path = write(tmp_path / "mine.yaml", mine if mine.startswith("systems") else "companies:\n" + mine)
    r = runner.invoke(app, ["companies", "--facts", str(path)])
    assert r.exit_code == 3, r.stderr
    line = next(x for x in r.stderr.splitlines() if x.startswith(f"{path}:2: {field}: "))
    assert "is already the" in line and str(bundled_facts_dir()) in line


def test_two_user_files_sharing_a_name_after_normalisation(runner, tmp_path: Path) -> None:
    composed, decomposed = "\u0160koda Tech", "S\u030ckoda tech"
    assert composed != decomposed and unicodedata.normalize("NFC", decomposed).casefold() == composed.casefold()
    one = write(tmp_path / "a" / "one.yaml", "companies:\n" + company("skoda-tech", composed))
    two = write(tmp_path / "b" / "two.yaml", "companies:\n" + company("other-tech", "Other", decomposed))
    r = runner.invoke(app, ["companies", "--facts", str(one.parent), "--facts", str(two.parent)])
    assert r.exit_code == 3
    assert f"{two}:2: aliases[0]: alias {decomposed!r} is already the name of the company 'skoda-tech' ({one}:2); " in r.stderr
    same = write(tmp_path / "c" / "same.yaml", "companies:\n" + company("x-one", "Twin") + company("x-two", "TWIN"))
    r = runner.invoke(app, ["companies", "--facts", str(same)])
    assert r.exit_code == 3 and f"{same}:7: name: name 'TWIN' is already the name of the company 'x-one' ({same}:2); " in r.stderr


def test_names_are_found_after_nfc_and_case_folding(runner, tmp_path: Path) -> None:
    mine = write(tmp_path / "mine.yaml", "companies:\n" + company("skoda-tech", "\u0160koda Stra\u00dfe", "\u00c9lan"))
    reg = open_registry(mine, use_cache=False)
    for typed in ("S\u030cKODA STRASSE", "\u0161koda strasse", "E\u0301lan", "\u00e9LAN"):
        assert reg.company(typed).id == "skoda-tech", typed
    assert name_key("S\u030ckoda") == name_key("\u0160KODA") == "\u0161koda"
    r = runner.invoke(app, ["company", "S\u030cKODA STRASSE", "--json", "--facts", str(mine)])
    assert r.exit_code == 0 and json.loads(r.stdout)["company"]["id"] == "skoda-tech"


def test_the_bundled_facts_share_no_name(tmp_path: Path) -> None:
    open_registry(use_cache=False)  # would raise FactDataError on any shared name
    mine = write(tmp_path / "mine.yaml", "companies:\n" + company("huawei-2", "Huawei Two", "Huawei"))
    with pytest.raises(FactDataError):
        open_registry(mine, use_cache=False)


# --- origin ---------------------------------------------------------------------------------------


def test_every_record_says_where_it_came_from(runner, tmp_path: Path) -> None:
    root = tmp_path / "team"
    mine = write(root / "sub" / "mine.yaml", "companies:\n" + company("newco", "NewCo"))
    for _ in range(2):  # cold, then from the cache
        r = runner.invoke(app, ["companies", "--json", "--facts", str(root)])
        assert r.exit_code == 0, r.stderr
        by_id = {c["id"]: c["origin"] for c in json.loads(r.stdout)}
        assert by_id["newco"] == {"kind": "user", "root": str(root), "file": "sub/mine.yaml", "line": 2}
        bmw = by_id["bmw"]
        assert bmw["kind"] == "bundled" and bmw["root"] is None and bmw["file"] == "companies/bmw.yaml" and bmw["line"] >= 1
        assert all(o["kind"] == "bundled" for i, o in by_id.items() if i != "newco")
    r = runner.invoke(app, ["show", "newco", "--facts", str(mine)])
    assert r.exit_code == 0 and "origin: your facts: mine.yaml:2 (in " + str(mine) + ")" in r.stdout
    r = runner.invoke(app, ["show", "bmw"])
    assert "origin: bundled facts: companies/bmw.yaml:" in r.stdout
    assert "origin" in runner.invoke(app, ["deals", "--fields"]).stdout.split()


def test_the_export_document_carries_origins(runner, tmp_path: Path) -> None:
    r = runner.invoke(app, ["export", "json", "-"])
    doc = json.loads(r.stdout)
    assert all(rec["origin"]["kind"] == "bundled" for key in ("sources", "companies", "deals") for rec in doc[key])


@pytest.mark.parametrize("spelling", ["Mercedes Benz", "mercedes_benz", "Mercedes-- Benz", "ali baba"])
def test_a_user_name_that_differs_from_a_bundled_one_only_in_spaces_or_hyphens_is_refused(runner, tmp_path: Path, spelling: str) -> None:
    # lookups ignore spaces, hyphens and underscores (company MercedesBenz finds Mercedes-Benz), so such
    # a name would take "company 'Mercedes Benz'" away from the bundled record: never a silent winner
    mine = write(tmp_path / "mine.yaml", "companies:\n" + company("my-co", spelling, kind="automaker"))
    r = runner.invoke(app, ["company", spelling, "--json", "--facts", str(mine)])
    assert r.exit_code == 3 and r.stdout == ""
    line = next(x for x in r.stderr.splitlines() if x.startswith(f"{mine}:2: name: "))
    assert "only in spaces, hyphens or underscores" in line and str(bundled_facts_dir()) in line
    r = runner.invoke(app, ["validate", str(mine)])
    assert r.exit_code == 3


def test_a_record_may_spell_its_own_names_loosely_alike(runner, tmp_path: Path) -> None:
    mine = write(tmp_path / "mine.yaml", "companies:\n" + company("zeta-works", "Zeta Works", "ZetaWorks", "zeta_works"))
    r = runner.invoke(app, ["company", "zeta works", "--json", "--facts", str(mine)])
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout)["company"]["id"] == "zeta-works"
