"""Sources as users have them (url, retrieved, archived_url, an optional file) and errors that point at the cause."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import write

from autoalliances.load.discover import discover
from autoalliances.load.loader import load_files, validate_paths

COMPANIES = """companies:
  - id: acme
    name: Acme Motors
    kind: automaker
    aliases: [ACM]
    sources: [src]
  - id: nissan
    name: Nissan
    kind: automaker
    sources: [src]
  - id: tech
    name: Tech
    kind: technology
    sources: [src]
"""


def source(**fields: str) -> str:
    lines = ["sources:", "  - id: src", "    language: en", '    published: "2025-03-01"']
    lines += [f"    {k}: {v}" for k, v in fields.items()]
    return "\n".join(lines) + "\n"


def deals(n: int, company: str = "acme") -> str:
    out = ["deals:"]
    for i in range(n):
        out += [
            f"  - id: deal-{i}",
            "    title: A deal",
            f"    company: {company}",
            "    partners: [tech]",
            "    kind: partnership",
            "    domains: [cockpit-os]",
            '    announced: "2025-03-01"',
            "    status: announced",
            "    sources: [src]",
        ]
    return "\n".join(out) + "\n"


def errors(tmp_path: Path, *, check_files: bool = False, **files: str) -> list[str]:
    for name, text in files.items():
        write(tmp_path / f"{name}.yaml", text)
    if check_files:
        found = validate_paths([tmp_path], bundled=False).errors
    else:
        found = load_files(discover([tmp_path])[0]).errors
    return [str(e).replace(str(tmp_path) + "/", "") for e in found]


def test_a_source_with_url_retrieved_and_archive_and_no_file_is_valid(tmp_path: Path) -> None:
    src = source(url="https://example.com/a?b=1#c", retrieved='"2025-03-02"', archived_url="http://web.archive.example/x")
    assert errors(tmp_path, check_files=True, sources=src, companies=COMPANIES, deals=deals(1)) == []


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://example.com/a", "'ftp://example.com/a' is not a web address: use a full http:// or https:// URL"),
        ("example.com/a", "'example.com/a' is not a web address: use a full http:// or https:// URL"),
        ("https://", "'https://' is not a web address: use a full http:// or https:// URL"),
        ('"https://exa mple.com"', "'https://exa mple.com' is not a web address: use a full http:// or https:// URL without spaces or invisible characters"),
        ('"https://example.com/\\u202eexe.txt"', "'https://example.com/\\u202eexe.txt' is not a web address: use a full http:// or https:// URL without spaces or invisible characters"),
        ('"https://example.com:port/"', "'https://example.com:port/' is not a web address: use a full http:// or https:// URL"),
        ("javascript:alert(1)", "'javascript:alert(1)' is not a web address: use a full http:// or https:// URL"),
        ("12", "expected a web address, got a number (12)"),
    ],
)
def test_urls_must_be_http_or_https(tmp_path: Path, url: str, message: str) -> None:
    found = errors(tmp_path, sources=source(url=url), companies=COMPANIES)
    assert found[0] == f"sources.yaml:5: sources[0].url: {message}"


def test_retrieved_is_a_date_not_before_publication(tmp_path: Path) -> None:
    assert errors(tmp_path, sources=source(retrieved='"2025-02-30"'), companies=COMPANIES)[0] == (
        "sources.yaml:5: sources[0].retrieved: '2025-02-30' is not a real day"
    )
    assert errors(tmp_path, sources=source(retrieved='"2025-02"'), companies=COMPANIES)[0] == (
        "sources.yaml:5: sources[0].retrieved: '2025-02' is before the article was published ('2025-03-01')"
    )


def test_a_source_file_is_checked_relative_to_the_fact_file(tmp_path: Path) -> None:
    write(tmp_path / "articles" / "a.txt", "text\n")
    ok = source(file="articles/a.txt")
    assert errors(tmp_path, check_files=True, sources=ok, companies=COMPANIES) == []
    missing = source(file="articles/b.txt")
    assert errors(tmp_path, check_files=True, sources=missing, companies=COMPANIES) == [
        "sources.yaml:5: sources[0].file: 'articles/b.txt' does not exist (looked for articles/b.txt); "
        "give the path relative to this fact file"
    ]
    folder = source(file="articles")
    assert "'articles' is a folder, not a file" in errors(tmp_path, check_files=True, sources=folder, companies=COMPANIES)[0]
    absolute = source(file=str(tmp_path / "articles" / "a.txt"))
    assert errors(tmp_path, check_files=True, sources=absolute, companies=COMPANIES) == [
        "sources.yaml:5: sources[0].file: 'articles/a.txt': give the path relative to this fact file, so it works on every machine",
        "sources.yaml:2: id: 3 records cite the invalid source 'src'; fix its errors and they are checked again",
    ]


def test_a_file_in_a_subfolder_is_relative_to_that_file(tmp_path: Path) -> None:
    write(tmp_path / "sources" / "a.txt", "text\n")
    write(tmp_path / "sources" / "src.yaml", source(file="a.txt"))
    write(tmp_path / "companies.yaml", COMPANIES)
    assert validate_paths([tmp_path], bundled=False).errors == []


def test_the_bundled_sources_files_are_not_looked_for(tmp_path: Path) -> None:
    # Their files name the project's copies of the articles, which no wheel ships.
    result = validate_paths([], bundled=True)
    assert result.valid and result.records > 100


def test_an_invalid_source_is_one_error_plus_one_summary_not_a_cascade(tmp_path: Path) -> None:
    bad = source(url="not-a-url")
    found = errors(tmp_path, sources=bad, companies=COMPANIES, deals=deals(3))
    assert found == [
        "sources.yaml:5: sources[0].url: 'not-a-url' is not a web address: use a full http:// or https:// URL",
        "sources.yaml:2: id: 6 records cite the invalid source 'src'; fix its errors and they are checked again",
    ]
    assert not any("no source with id" in e for e in found)


def test_one_record_citing_an_invalid_company(tmp_path: Path) -> None:
    bad_company = COMPANIES.replace("    kind: automaker\n    aliases", "    kind: carmaker\n    aliases")
    found = errors(tmp_path, sources=source(), companies=bad_company, deals=deals(1))
    assert found[-1] == "companies.yaml:2: id: 1 record refers to the invalid company 'acme'; fix its errors and they are checked again"
    assert len(found) == 2


def test_a_name_where_an_id_belongs_gets_did_you_mean(tmp_path: Path) -> None:
    found = errors(tmp_path, sources=source(), companies=COMPANIES, deals=deals(1, company="Nissan"))
    assert found == [
        "deals.yaml:4: deals[0].company: 'Nissan' is not a valid id: use lowercase letters, digits and single hyphens"
        " (did you mean 'nissan'?)"
    ]
    by_name = errors(tmp_path, sources=source(), companies=COMPANIES, deals=deals(1, company='"Acme Motors"'))
    assert by_name[0].endswith("(did you mean 'acme'?)")


def test_an_unknown_id_gets_did_you_mean_from_ids_names_and_aliases(tmp_path: Path) -> None:
    assert errors(tmp_path, sources=source(), companies=COMPANIES, deals=deals(1, company="nisan")) == [
        "deals.yaml:4: deals[0].company: no company with id 'nisan' (did you mean 'nissan'?)"
    ]
    # An alias, lower-cased, is a valid id but names nothing: the record it is an alias of.
    assert errors(tmp_path, sources=source(), companies=COMPANIES, deals=deals(1, company="acm")) == [
        "deals.yaml:4: deals[0].company: no company with id 'acm' (did you mean 'acme'?)"
    ]
    # Only records of the wanted type are suggested.
    assert errors(tmp_path, sources=source(), companies=COMPANIES, deals=deals(1, company="srcc")) == [
        "deals.yaml:4: deals[0].company: no company with id 'srcc'"
    ]


def _figure(amount: str) -> str:
    return source() + COMPANIES + (
        "figures:\n  - id: fig\n    company: acme\n    metric: sales\n    region: China\n"
        f'    period: "2025"\n    status: reported\n    sources: [src]\n    value: {{amount: {amount}, unit: vehicles}}\n'
    )


@pytest.mark.parametrize(
    ("written", "fixed"),
    [("1e300", "1.0e+300"), ("7e5", "7.0e+5"), ("2.5E3", "2.5e+3"), ("-3e2", "-3.0e+2"), ('"700000"', "700000"), ("'1.5'", "1.5")],
)
def test_a_number_that_yaml_reads_as_text_gets_a_hint_that_works(tmp_path: Path, written: str, fixed: str) -> None:
    # "got text ('1e300')" used to be all: YAML 1.1 needs a decimal point and a signed exponent.
    path = write(tmp_path / "fig.yaml", _figure(written))
    result = validate_paths([path], bundled=False)
    [err] = result.errors
    assert err.field == "figures[0].value.amount" and err.line == _figure(written).count("\n")  # the last line
    assert err.message.startswith("expected a number, got text")
    assert fixed in err.message.partition("; ")[2]  # the hint, after what was found
    write(path, _figure(fixed))
    assert validate_paths([path], bundled=False).valid


@pytest.mark.parametrize("written", ["lots", "'1_000'", "'nan'", "'12 000'"])
def test_text_that_is_no_number_gets_no_number_hint(tmp_path: Path, written: str) -> None:
    path = write(tmp_path / "fig.yaml", _figure(written))
    [err] = validate_paths([path], bundled=False).errors
    assert err.message.startswith("expected a number, got text") and ";" not in err.message
