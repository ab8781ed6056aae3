"""The loader and validator: every error path, located as file:line: field: message."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FIXTURE_FACTS, write

from autoalliances.errors import FactDataError
from autoalliances.load.discover import discover
from autoalliances.load.loader import load_files
from autoalliances.model.records import Deal

SOURCE = """sources:
  - id: src
    file: a.txt
    language: en
    published: "2025-03-01"
"""
COMPANIES = """companies:
  - id: acme
    name: Acme
    kind: automaker
    sources: [src]
  - id: tech
    name: Tech
    kind: technology
    sources: [src]
"""
DEAL = """deals:
  - id: acme-tech
    title: Acme and Tech
    company: acme
    partners: [tech]
    kind: partnership
    domains: [cockpit-os]
    announced: "2025-03-01"
    status: announced
    sources: [src]
"""


def errors_for(tmp_path: Path, **files: str) -> list[str]:
    """Write the base set plus *files* (name -> text) and return the error lines."""
    write(tmp_path / "sources.yaml", SOURCE)
    write(tmp_path / "companies.yaml", COMPANIES)
    for name, text in files.items():
        write(tmp_path / f"{name}.yaml", text)
    found, _ = discover([tmp_path])
    result = load_files(found)
    return [str(e).replace(str(tmp_path) + "/", "") for e in result.errors]


def test_valid_set_loads(tmp_path: Path) -> None:
    write(tmp_path / "sources.yaml", SOURCE)
    write(tmp_path / "companies.yaml", COMPANIES)
    write(tmp_path / "deals.yaml", DEAL)
    result = load_files(discover([tmp_path])[0])
    assert result.errors == []
    deal = [r for r in result.records if isinstance(r, Deal)][0]
    assert deal.announced.precision == "day"
    assert deal.partners == ["tech"]


def test_fixture_set_is_valid() -> None:
    result = load_files(discover([FIXTURE_FACTS])[0])
    assert result.errors == []
    assert len(result.records) == 13


def test_unknown_field_suggests_the_right_one(tmp_path: Path) -> None:
    bad = DEAL.replace("    status: announced", "    staus: announced")
    assert errors_for(tmp_path, deals=bad) == [
        "deals.yaml:9: deals[0].staus: unknown field 'staus' (did you mean 'status'?)",
        "deals.yaml:2: deals[0].status: is required",
    ]


def test_wrong_types(tmp_path: Path) -> None:
    bad = DEAL.replace("partners: [tech]", "partners: tech").replace("title: Acme and Tech", "title: 12")
    assert errors_for(tmp_path, deals=bad) == [
        "deals.yaml:3: deals[0].title: expected text, got a number (12)",
        "deals.yaml:5: deals[0].partners: expected a list, got text ('tech')",
    ]


def test_yes_no_values_are_not_text(tmp_path: Path) -> None:
    bad = COMPANIES.replace("kind: automaker", "kind: automaker\n    country: NO")
    assert errors_for(tmp_path, companies=bad) == [
        "companies.yaml:5: companies[0].country: expected text, got a yes/no value (false); quote it if it is text"
    ]


def test_closed_lists(tmp_path: Path) -> None:
    bad = DEAL.replace("domains: [cockpit-os]", "domains: [cockpit]")
    errs = errors_for(tmp_path, deals=bad)
    assert len(errs) == 1
    assert errs[0].startswith("deals.yaml:7: deals[0].domains[0]: 'cockpit' is not one of: cockpit-os, ")
    assert errs[0].endswith("(did you mean 'cockpit-os'?)")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ('"2025-02-30"', "'2025-02-30' is not a real day"),
        ('"2025-13"', "'2025-13': month must be 01 to 12"),
        ('"March 2025"', "'March 2025' is not a date: use YYYY-MM-DD"),
    ],
)
def test_impossible_dates(tmp_path: Path, value: str, message: str) -> None:
    bad = DEAL.replace('announced: "2025-03-01"', f"announced: {value}")
    errs = errors_for(tmp_path, deals=bad)
    assert len(errs) == 1
    assert errs[0].startswith(f"deals.yaml:8: deals[0].announced: {message}")


def test_unquoted_impossible_date_is_caught(tmp_path: Path) -> None:
    # YAML reads 2025-02-30 as text (not a timestamp), so our own parser rejects it.
    bad = DEAL.replace('announced: "2025-03-01"', "announced: 2025-02-30")
    assert errors_for(tmp_path, deals=bad) == ["deals.yaml:8: deals[0].announced: '2025-02-30' is not a real day"]


def test_unquoted_dates_and_years_are_accepted(tmp_path: Path) -> None:
    ok = DEAL.replace('announced: "2025-03-01"', "announced: 2025-03-01")
    assert errors_for(tmp_path, deals=ok) == []
    ok = DEAL.replace('announced: "2025-03-01"', "announced: 2025")
    assert errors_for(tmp_path, deals=ok) == []


def test_duplicate_ids_across_files(tmp_path: Path) -> None:
    dup = COMPANIES.replace("companies:", "companies:", 1).split("  - id: tech")[0]
    errs = errors_for(tmp_path, more=dup)
    assert errs == ["more.yaml:2: id: duplicate id 'acme': already used by the company at companies.yaml:2"]


def test_duplicate_yaml_keys(tmp_path: Path) -> None:
    bad = DEAL.replace("    status: announced", "    status: announced\n    status: planned")
    assert errors_for(tmp_path, deals=bad) == ["deals.yaml:10: status: duplicate key 'status' (first on line 9)"]


def test_unknown_and_wrong_type_references(tmp_path: Path) -> None:
    bad = DEAL.replace("partners: [tech]", "partners: [tekh, src]")
    assert errors_for(tmp_path, deals=bad) == [
        "deals.yaml:5: deals[0].partners[0]: no company with id 'tekh' (did you mean 'tech'?)",
        "deals.yaml:5: deals[0].partners[1]: 'src' is a source, expected a company",
    ]


def test_record_without_source(tmp_path: Path) -> None:
    bad = DEAL.replace("    sources: [src]\n", "")
    assert errors_for(tmp_path, deals=bad) == ["deals.yaml:2: deals[0].sources: every record must cite at least one source"]
    bad = DEAL.replace("sources: [src]", "sources: []")
    assert errors_for(tmp_path, deals=bad) == ["deals.yaml:10: deals[0].sources: must list at least one item"]


def test_cross_field_rules(tmp_path: Path) -> None:
    bad = DEAL.replace("partners: [tech]", "partners: []")
    assert errors_for(tmp_path, deals=bad) == [
        "deals.yaml:5: deals[0].partners: a deal needs partners, or unnamed_partner when the article names none"
    ]


def test_bad_id(tmp_path: Path) -> None:
    bad = DEAL.replace("id: acme-tech", "id: Acme_Tech")
    assert errors_for(tmp_path, deals=bad) == [
        "deals.yaml:2: deals[0].id: 'Acme_Tech' is not a valid id: use lowercase letters, digits and single hyphens"
    ]


def test_every_error_is_collected_in_one_run(tmp_path: Path) -> None:
    bad = DEAL.replace("kind: partnership", "kind: friendship").replace("status: announced", "status: rumoured")
    other = DEAL.replace("id: acme-tech", "id: acme-tech-2").replace('"2025-03-01"', '"2025-99"')
    errs = errors_for(tmp_path, deals=bad, deals2=other)
    assert len(errs) == 3
    assert [e.split(":")[0] for e in errs] == ["deals.yaml", "deals.yaml", "deals2.yaml"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("deals: [\n  - id: x\n", "deals.yaml:2: invalid YAML: while parsing a flow node did not find expected node content"),
        ("- id: x\n", "deals.yaml: the top level must be a mapping with one or more of: sources, companies"),
        ("deals: {id: x}\n", "deals.yaml:1: deals: expected a list of records"),
        ("dealz: []\n", "deals.yaml:1: dealz: unknown record type 'dealz' (did you mean 'deals'?)"),
        ("", "deals.yaml: file is empty"),
        ("# only a comment\n\n", "deals.yaml: file is empty"),
        ("deals:\n  - !!python/object/apply:os.system ['echo hi']\n", "deals.yaml:2: invalid YAML: could not determine a constructor for the tag 'tag:yaml.org,2002:python/object/apply:os.system'"),
        ("deals:\n  - id: x\n    notes: !!map [1]\n", "deals.yaml:3: invalid YAML: expected a mapping, but found sequence"),
        ("deals: !!map oops\n", "deals.yaml:1: invalid YAML: expected a mapping, but found scalar"),
        ("deals: []\n---\ndeals: []\n", "deals.yaml:2: invalid YAML: expected a single document in the stream but found another document"),
    ],
)
def test_bad_files(tmp_path: Path, text: str, message: str) -> None:
    errs = errors_for(tmp_path, deals=text)
    assert len(errs) == 1, errs
    assert errs[0].startswith(message), errs[0]


def test_alias_bomb_is_refused_quickly(tmp_path: Path) -> None:
    lines = ['a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    for i in range(1, 12):
        prev = f"*a{i - 1}"
        lines.append(f"a{i}: &a{i} [{', '.join([prev] * 9)}]")
    errs = errors_for(tmp_path, bomb="\n".join(lines) + "\n")
    assert errs
    assert all(e.startswith("bomb.yaml:") for e in errs)
    assert "YAML anchors and aliases are not allowed in fact files" in errs[0]


def test_non_utf8_bytes(tmp_path: Path) -> None:
    write(tmp_path / "sources.yaml", SOURCE)
    write(tmp_path / "companies.yaml", COMPANIES)
    (tmp_path / "deals.yaml").write_bytes(b"deals:\n  - id: caf\xe9\n")
    errs = [str(e).replace(str(tmp_path) + "/", "") for e in load_files(discover([tmp_path])[0]).errors]
    assert errs == ["deals.yaml:2: not UTF-8 text: byte 0xe9 cannot be decoded"]


def test_directory_and_missing_paths(tmp_path: Path) -> None:
    (tmp_path / "folder.yaml").mkdir()
    errs = load_files([tmp_path / "folder.yaml", tmp_path / "missing.yaml"]).errors
    assert [str(e).replace(str(tmp_path) + "/", "") for e in errs] == [
        "folder.yaml: is a directory, not a fact file",
        "missing.yaml: cannot read: No such file or directory",
    ]


def test_fact_data_error_counts() -> None:
    from autoalliances.errors import FactError

    e = FactDataError([FactError("a.yaml", 3, "deals[0].id", "bad"), FactError("b.yaml", None, None, "worse")])
    assert str(e) == "2 errors in fact files"
    assert [str(x) for x in e.errors] == ["a.yaml:3: deals[0].id: bad", "b.yaml: worse"]
