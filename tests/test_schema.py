"""The JSON Schema: generated from the record types, committed, and in agreement with the validator."""

from __future__ import annotations

import dataclasses
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURE_FACTS, REPO, write
from hypothesis import given
from hypothesis import strategies as st

from autoalliances.cli import app
from autoalliances.load.discover import bundled_facts_dir, discover
from autoalliances.model import fielddocs, vocab
from autoalliances.model.dates import PATTERN, FuzzyDate
from autoalliances.model.jsonschema import bundled_schema_path, schema, schema_text
from autoalliances.model.records import RECORD_TYPES, TYPE_NAMES

COMMITTED = REPO / "schema" / "facts.schema.json"
CHECK = str(Path(sys.executable).parent / "check-jsonschema")


def check_jsonschema(*files: Path, schema_file: Path = COMMITTED) -> subprocess.CompletedProcess[str]:
    return subprocess.run([CHECK, "--schemafile", str(schema_file), *map(str, files)], capture_output=True, text=True, timeout=120)


def test_the_committed_schema_is_the_generated_one() -> None:
    assert COMMITTED.read_text(encoding="utf-8") == schema_text(), (
        "schema/facts.schema.json is stale: run  autoalliances schema > schema/facts.schema.json"
    )
    assert bundled_schema_path() == COMMITTED or bundled_schema_path().read_text(encoding="utf-8") == schema_text()


def test_schema_command_prints_it(runner) -> None:
    r = runner.invoke(app, ["schema"])
    assert r.exit_code == 0 and r.stdout == schema_text()
    doc = json.loads(r.stdout)
    assert doc["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert set(doc["properties"]) == set(RECORD_TYPES)


@pytest.mark.parametrize("word", ["deal", "deals", "Deal"])
def test_schema_of_one_record_type(runner, word: str) -> None:
    r = runner.invoke(app, ["schema", word])
    assert r.exit_code == 0
    doc = json.loads(r.stdout)
    assert doc["$ref"] == "#/$defs/Deal" and "Deal" in doc["$defs"]


def test_schema_of_an_unknown_type_is_a_usage_error(runner) -> None:
    r = runner.invoke(app, ["schema", "dael"])
    assert (r.exit_code, r.stdout) == (2, "")
    assert r.stderr == "Error: unknown record type 'dael'; did you mean 'deal'?\n"


def test_every_record_type_field_by_field() -> None:
    defs = schema()["$defs"]
    for cls in RECORD_TYPES.values():
        d = defs[cls.__name__]
        assert d["additionalProperties"] is False
        names = [f.name for f in dataclasses.fields(cls)]
        assert list(d["properties"]) == names
        required = [f.name for f in dataclasses.fields(cls) if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING]
        assert d["required"] == required
        assert "inferred" in d["properties"]
    assert "alias_sources" in defs["Company"]["properties"] and "alias_sources" in defs["Model"]["properties"]
    assert defs["Conflict"]["properties"]["nature"] == {
        "description": fielddocs.FIELDS["Conflict"]["nature"], "$ref": "#/$defs/ConflictNature", "default": "disagreement",
    }
    assert defs["Deal"]["properties"]["company"]["$ref"] == "#/$defs/company-id"
    assert defs["Source"]["properties"]["url"]["anyOf"][0] == {"$ref": "#/$defs/url"}


def test_closed_lists_carry_their_descriptions() -> None:
    defs = schema()["$defs"]
    for name, literal in vocab.closed_lists().items():
        assert defs[name]["enum"] == list(vocab.choices(literal))
        assert defs[name]["enumDescriptions"] == list(vocab.describe(literal).values())


def test_every_value_of_every_closed_list_is_described() -> None:
    for name, literal in vocab.closed_lists().items():
        described = vocab.describe(literal)
        assert tuple(described) == vocab.choices(literal), name
        assert all(d.strip() for d in described.values()), name


def test_every_field_is_documented_and_no_doc_is_stale() -> None:
    from autoalliances.model.jsonschema import _parts

    for cls in [*RECORD_TYPES.values(), *_parts()]:
        names = {f.name for f in dataclasses.fields(cls)}
        assert set(fielddocs.FIELDS[cls.__name__]) == names, cls.__name__
    assert set(fielddocs.RECORDS) == {c.__name__ for c in TYPE_NAMES.values()}


# The date pattern and FuzzyDate.parse accept the same strings (but for days that do not exist).
_DATE_PIECES = st.one_of(
    st.sampled_from(["", "-01", "-12", "-13", "-00", "-03-31", "-02-30", "-04-31", "-02-29", "-Q1", "-Q4", "-Q5", "-H1", "-H3",
                     "-spring", "-winter", "-fall", "-early", "-mid", "-late", "-1", "-Q", "-03-1", "-03-32"]),
    st.text(alphabet="0123456789-QHqh", max_size=6),
)


@given(st.sampled_from(["", "by "]), st.text(alphabet="0123456789", min_size=3, max_size=5), _DATE_PIECES)
def test_date_pattern_agrees_with_the_parser(by: str, year: str, rest: str) -> None:
    text = by + year + rest
    matches = re.match(PATTERN, text) is not None
    try:
        FuzzyDate.parse(text)
        parses = True
    except ValueError:
        parses = False
    if parses:
        assert matches, text
    elif matches:  # only days that the calendar does not have
        assert re.fullmatch(r"(by )?\d{4}-\d\d-\d\d", text), text


def test_unknown_matches_and_by_unknown_does_not() -> None:
    assert re.match(PATTERN, "unknown") and not re.match(PATTERN, "by unknown")


def test_every_bundled_and_fixture_fact_file_passes_check_jsonschema() -> None:
    files = discover([bundled_facts_dir()])[0] + discover([FIXTURE_FACTS])[0]
    assert len(files) > 130
    r = check_jsonschema(*files)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "ok -- validation done" in r.stdout


BROKEN = {
    "unknown-field": ("titel: A deal", "Additional properties are not allowed ('titel' was unexpected)"),
    "closed-list": ("kind: partner", "'partner' is not one of ['partnership'"),
    "not-an-id": ("company: BMW", "'BMW' does not match"),
    "not-a-date": ('announced: "2025-13"', "'2025-13' is not valid under any of the given schemas"),
    "empty-domains": ("domains: []", "should be non-empty"),
    "bad-inferred-path": ('inferred: {"Kind!": "x"}', "'Kind!' does not match"),
}
GOOD_DEAL = """deals:
  - id: acme-tech
    title: A deal
    company: acme
    partners: [tech]
    kind: partnership
    domains: [cockpit-os]
    announced: "2025-03-01"
    status: announced
    sources: [src]
"""


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_files_fail_check_jsonschema(tmp_path: Path, case: str) -> None:
    line, message = BROKEN[case]
    key = line.split(":")[0]
    text = "\n".join(f"    {line}" if ln.strip().startswith(key + ":") else ln for ln in GOOD_DEAL.splitlines()) + "\n"
    if key not in GOOD_DEAL:
        text = GOOD_DEAL + f"    {line}\n"
    if case == "unknown-field":
        text = GOOD_DEAL.replace("title: A deal", line)
    good = write(tmp_path / "good.yaml", GOOD_DEAL)
    bad = write(tmp_path / f"{case}.yaml", text)
    assert check_jsonschema(good).returncode == 0
    r = check_jsonschema(bad)
    assert r.returncode == 1 and message in r.stdout, r.stdout


def test_a_bad_source_url_fails_check_jsonschema(tmp_path: Path) -> None:
    bad = write(tmp_path / "s.yaml", 'sources:\n  - id: s\n    language: en\n    published: "2025"\n    url: ftp://example.com/x\n')
    r = check_jsonschema(bad)
    assert r.returncode == 1 and "'ftp://example.com/x' does not match" in r.stdout
