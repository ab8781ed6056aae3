"""``new``: a commented fact file that validates as soon as its required fields are filled."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import REPO, write
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from autoalliances.cli import app
from autoalliances.export.newfile import slugify
from autoalliances.load.discover import bundled_facts_dir, discover

SOURCE_ARGS = ["--title", "BMW picks Huawei maps", "--url", "https://example.com/news/bmw-huawei-maps",
               "--published", "2025-06-01", "--language", "en", "--retrieved", "2025-06-02"]
DEAL_ARGS = ["--title", "BMW and Huawei agreed on maps", "--company", "BMW", "--partner", "Huawei", "--kind", "partnership",
             "--domain", "digital-services", "--announced", "2025-06-01", "--status", "announced", "--source", "bmw-picks-huawei-maps"]
CHECK = str(Path(sys.executable).parent / "check-jsonschema")


def new(runner, *args: str, folder: Path):
    return runner.invoke(app, ["new", *args, "--dir", str(folder)])


def validate(runner, *paths: Path):
    return runner.invoke(app, ["validate", *map(str, paths), "--json"])


def test_a_source_then_a_deal_citing_it_validate_and_show_in_company(runner, tmp_path: Path) -> None:
    r = new(runner, "source", *SOURCE_ARGS, folder=tmp_path)
    assert r.exit_code == 0, r.stderr
    assert r.stdout == ""
    src = tmp_path / "bmw-picks-huawei-maps.yaml"
    assert r.stderr == f"Wrote {src}\nCheck it with: autoalliances validate {src}\n"
    r = new(runner, "deal", *DEAL_ARGS, folder=tmp_path)
    assert r.exit_code == 0, r.stderr
    deal = tmp_path / "bmw-and-huawei-agreed-on-maps.yaml"
    text = deal.read_text(encoding="utf-8")
    assert "    company: bmw\n" in text and "    partners: [huawei]\n" in text  # names became ids
    assert "    sources: [bmw-picks-huawei-maps]\n" in text
    report = json.loads(validate(runner, tmp_path).stdout)
    assert report["valid"], report["errors"]
    r = runner.invoke(app, ["company", "BMW", "--json", "--facts", str(tmp_path)])
    dossier = json.loads(r.stdout)
    mine = [d for d in dossier["deals"] if d["id"] == "bmw-and-huawei-agreed-on-maps"]
    assert mine and mine[0]["sources"][0]["url"] == "https://example.com/news/bmw-huawei-maps"
    assert subprocess.run([CHECK, "--schemafile", str(REPO / "schema" / "facts.schema.json"), str(src), str(deal)],
                          capture_output=True, timeout=120).returncode == 0


def test_missing_required_fields_are_commented_and_validate_names_them(runner, tmp_path: Path) -> None:
    r = new(runner, "deal", "--title", "Acme and Huawei", "--company", "bmw", folder=tmp_path)
    assert r.exit_code == 0
    path = tmp_path / "acme-and-huawei.yaml"
    assert "Still to fill in: kind, domains, announced, status, sources, partners (or unnamed_partner)" in r.stderr
    text = path.read_text(encoding="utf-8")
    assert "    # kind:\n" in text and "    # sources:\n" in text
    assert "#   co-development  the two sides develop a product or system together" in text
    errors = {(e["field"], e["message"]) for e in json.loads(validate(runner, path).stdout)["errors"]}
    assert errors == {
        ("deals[0].kind", "is required"), ("deals[0].domains", "is required"), ("deals[0].announced", "is required"),
        ("deals[0].status", "is required"), ("deals[0].sources", "every record must cite at least one source"),
    }
    # Fill them in, as a person would: uncomment and write the values.
    text = (text.replace("    # kind:\n", "    kind: supply\n").replace("    # domains:\n", "    domains: [battery]\n")
            .replace("    # announced:\n", '    announced: "2025"\n').replace("    # status:\n", "    status: reported\n")
            .replace("    # sources:\n", "    sources: [yicai-2025-03-18-bmw-huawei]\n")
            .replace("    partners: []\n", "    partners: [huawei]\n"))
    path.write_text(text, encoding="utf-8")
    assert json.loads(validate(runner, path).stdout)["valid"]


MINIMAL = {
    "source": ["--title", "An article", "--published", "unknown", "--language", "en"],
    "company": ["--name", "Example Motors", "--kind", "automaker", "--source", "yicai-2025-03-18-bmw-huawei", "--alias", "EM, the maker"],
    "system": ["--name", "Example OS 2.0", "--kind", "operating-system", "--vendor", "huawei", "--version", "2.0",
               "--source", "yicai-2025-03-18-bmw-huawei"],
    "model": ["--name", "Example EV", "--maker", "bmw", "--powertrain", "bev", "--powertrain", "phev", "--source", "yicai-2025-03-18-bmw-huawei"],
    "deal": ["--title", "A supply deal", "--company", "bmw", "--partner", "catl", "--kind", "supply", "--domain", "battery",
             "--announced", "by 2026", "--status", "planned", "--source", "yicai-2025-03-18-bmw-huawei",
             "--value", "about 1.5 billion EUR", "--inferred", "kind=the article says they work together on cells"],
    "figure": ["--company", "bmw", "--metric", "sales", "--region", "China", "--period", "2025-H1", "--status", "reported",
               "--value", "700,000 vehicles", "--source", "yicai-2025-03-18-bmw-huawei"],
    "conflict": ["--topic", "A figure's wording", "--kind", "naming", "--nature", "anomaly",
                 "--reading", "yicai-2025-03-18-bmw-huawei=one name", "--reading", "yicai-2025-03-18-bmw-huawei=another name",
                 "--record", "bmw"],
}


@pytest.mark.parametrize("type_", sorted(MINIMAL))
def test_every_type_validates_with_its_required_fields(runner, tmp_path: Path, type_: str) -> None:
    r = new(runner, type_, *MINIMAL[type_], folder=tmp_path)
    assert r.exit_code == 0, r.stderr
    (path,) = tmp_path.glob("*.yaml")
    assert path.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=")
    report = json.loads(validate(runner, path).stdout)
    assert report["valid"], report["errors"]
    assert report["records"] == len(discover([bundled_facts_dir()])[0]) + 1  # one record per bundled file, and the new one


def test_figure_id_is_made_from_company_metric_and_period(runner, tmp_path: Path) -> None:
    assert new(runner, "figure", *MINIMAL["figure"], folder=tmp_path).exit_code == 0
    assert (tmp_path / "bmw-sales-2025-h1.yaml").is_file()
    data = yaml.safe_load((tmp_path / "bmw-sales-2025-h1.yaml").read_text(encoding="utf-8"))
    assert data["figures"][0]["value"] == {"amount": 700000, "unit": "vehicles"}


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["deal", "--title", "x", "--id", "bmw"], 2, "Error: there is already a company with id 'bmw'"),
        (["company", "--name", "BMW"], 2, "Error: there is already a company with id 'bmw'"),
        (["deal", "--title", "x", "--company", "Nissen"], 2,
         "Error: --company: no company with the id, name or alias 'Nissen'; did you mean 'nissan'"),
        (["deal", "--title", "x", "--company", "harmonyos"], 2, "Error: --company: 'harmonyos' is a system, not a company"),
        (["deal", "--title", "x", "--announced", "2025-13"], 2, "Error: --announced: '2025-13': month must be 01 to 12"),
        (["deal", "--title", "x", "--announced", "March 2025"], 2, "Error: --announced: 'March 2025' is not a date"),
        (["deal", "--title", "x", "--kind", "partner"], 2, "Error: --kind: 'partner' is not one of: partnership"),
        (["deal", "--title", "x", "--id", "Not An Id"], 2, "Error: --id: 'Not An Id' is not a valid id"),
        (["source", "--title", "x", "--url", "ftp://x.example"], 2, "Error: --url: 'ftp://x.example' is not a web address"),
        (["deal", "--title", "x", "--value", "lots"], 2, "Error: --value: 'lots' is not an amount"),
        (["deal", "--title", "x", "--inferred", "knd=why"], 2, "Error: --inferred: 'knd' is not a field of a deal (did you mean 'kind'?)"),
        (["deal", "--title", "x", "--value", "1.5 bilion EUR"], 2, "Error: --value: scale 'bilion' is not one of: thousand"),
        (["deal", "--title", "x", "--value", "1.5 billion EURO"], 2, "Error: --value: unit 'EURO' is not one of: EUR, USD"),
        (["deal", "--title", "x", "--value", "one billion EUR"], 2, "Error: --value: 'one billion EUR' is not an amount"),
        (["conflict", "--topic", "x", "--reading", "no equals sign"], 2, "Error: --reading: 'no equals sign': write it as SOURCE=TEXT"),
        (["conflict", "--topic", "x", "--reading", "nosuch=text"], 2, "Error: --reading: no source with the id, name or alias 'nosuch'"),
        (["deal", "--title", "x", "--title", "  "], 2, "Error: --title: must not be empty"),
        (["deal", "--company", "bmw"], 2, "Error: the new file is named after the record's id: give --id, or --title to make it from"),
        (["source", "--title", "华为"], 2, "Error: cannot make an id from '华为': give --id, or --title to make it from"),
    ],
)
def test_bad_input_is_a_clear_error_and_writes_nothing(runner, tmp_path: Path, args: list[str], code: int, message: str) -> None:
    r = new(runner, *args, folder=tmp_path)
    assert (r.exit_code, r.stdout) == (code, "")
    assert r.stderr.startswith(message), r.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_folder_that_cannot_be_written_is_exit_4(runner, tmp_path: Path) -> None:
    missing = tmp_path / "nope"
    r = new(runner, "deal", "--title", "x", folder=missing)
    assert r.exit_code == 4 and "the folder does not exist" in r.stderr and not missing.exists()
    blocker = write(tmp_path / "file", "not a folder\n")
    r = new(runner, "deal", "--title", "x", folder=blocker)
    assert r.exit_code == 4 and "it is not a folder" in r.stderr
    assert blocker.read_text() == "not a folder\n"


def test_ids_in_the_target_folder_count_even_when_its_files_are_half_filled(runner, tmp_path: Path) -> None:
    assert new(runner, "source", "--title", "Half done", folder=tmp_path).exit_code == 0  # published, language missing
    r = new(runner, "source", "--title", "Half done", folder=tmp_path)
    assert r.exit_code == 2 and f"there is already a source with id 'half-done' ({tmp_path}/half-done.yaml" in r.stderr
    r = new(runner, "deal", "--title", "Cites it", "--source", "half-done", folder=tmp_path)
    assert r.exit_code == 0, r.stderr
    write(tmp_path / "broken.yaml", "deals: [\n")
    r = new(runner, "deal", "--title", "Another", "--source", "half-done", folder=tmp_path)
    assert r.exit_code == 0 and "note: not read for ids: " in r.stderr and "broken.yaml" in r.stderr


def test_facts_option_adds_ids(runner, tmp_path: Path) -> None:
    other = write(tmp_path / "other" / "src.yaml", 'sources:\n  - id: elsewhere\n    language: en\n    published: "2025"\n')
    out = tmp_path / "out"
    out.mkdir()
    assert new(runner, "deal", "--title", "x", "--source", "elsewhere", folder=out).exit_code == 2
    r = runner.invoke(app, ["new", "deal", "--title", "x", "--source", "elsewhere", "--dir", str(out), "--facts", str(other.parent)])
    assert r.exit_code == 0, r.stderr


def test_the_modeline_points_at_the_nearest_schema(runner, tmp_path: Path) -> None:
    write(tmp_path / "facts.schema.json", "{}")
    (tmp_path / "facts" / "deals").mkdir(parents=True)
    assert new(runner, "deal", "--title", "x", folder=tmp_path / "facts" / "deals").exit_code == 0
    first = (tmp_path / "facts" / "deals" / "x.yaml").read_text().splitlines()[0]
    assert first == "# yaml-language-server: $schema=../../facts.schema.json"
    assert new(runner, "deal", "--title", "y", "--schema", "https://example.com/s.json", folder=tmp_path).exit_code == 0
    assert (tmp_path / "y.yaml").read_text().splitlines()[0] == "# yaml-language-server: $schema=https://example.com/s.json"


def test_new_help_lists_the_fields_of_the_type(runner) -> None:
    r = runner.invoke(app, ["new", "deal", "--help"])
    assert r.exit_code == 0
    for flag in ("--title", "--company", "--partner", "--domain", "--announced", "--source", "--value", "--inferred", "--dir"):
        assert flag in r.stdout


def test_slugify() -> None:
    assert slugify("BMW and Huawei's HarmonyOS Next") == "bmw-and-huawei-s-harmonyos-next"
    assert slugify("Škoda Auto a.s.") == "skoda-auto-a-s"
    assert len(slugify("word " * 40)) <= 60


def _bundled_ids() -> set[str]:
    """Ids the bundled facts use: a title that slugifies to one (``BYD``) is refused as a duplicate id, rightly."""
    global _IDS
    if _IDS is None:
        from autoalliances import open_registry

        reg = open_registry(use_cache=False)
        _IDS = {i for (i,) in reg.store.conn.execute("SELECT id FROM records")}
    return _IDS


_IDS: set[str] | None = None


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(min_size=1, max_size=60).filter(lambda s: s.strip() and slugify(s) and slugify(s) not in _bundled_ids()))
def test_any_title_reads_back_exactly(runner, tmp_path_factory, title: str) -> None:
    folder = tmp_path_factory.mktemp("t")
    r = new(runner, "deal", "--title", title, folder=folder)
    assert r.exit_code == 0, r.stderr
    (path,) = folder.glob("*.yaml")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data["deals"][0]["title"] == title.strip()
    assert "\n" not in path.read_text(encoding="utf-8").split("    title: ")[1].split("\n    #")[0].rstrip("\n")


def test_in_a_terminal_it_asks_with_completion(tmp_path: Path) -> None:
    """A real terminal (a pty): the questions, Tab completion of an id, an answer asked again."""
    import pty
    import select

    env = {**os.environ, "TERM": "xterm", "COLUMNS": "200", "NO_COLOR": "1"}
    exe = str(Path(sys.executable).parent / "autoalliances")
    pid, fd = pty.fork()
    if pid == 0:  # pragma: no cover - the child
        os.execvpe(exe, [exe, "new", "company", "--dir", str(tmp_path)], env)
    answers = ["Example Motors\r", "\r", "automakr\r", "automaker\r", "\r", "yicai-2025-03\t\r"]
    seen = b""

    def read_until(marker: bytes) -> None:
        nonlocal seen
        while marker not in seen:
            ready, _, _ = select.select([fd], [], [], 30)
            assert ready, f"no prompt {marker!r}; screen so far: {seen[-500:]!r}"
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk

    for marker, answer in zip([b"name", b"id", b"kind", b"is not one of", b"country", b"sources"], answers, strict=True):
        read_until(marker)
        os.write(fd, answer.encode())
    read_until(b"Wrote")
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, seen
    text = (tmp_path / "example-motors.yaml").read_text(encoding="utf-8")
    assert "    kind: automaker\n" in text
    assert "    sources: [yicai-2025-03-18-bmw-huawei]\n" in text  # completed with Tab
    r = subprocess.run([exe, "validate", str(tmp_path)], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr


def test_a_name_two_records_share_is_ambiguous(runner, tmp_path: Path) -> None:
    write(tmp_path / "two.yaml", "companies:\n  - {id: one-co, name: Twin, kind: automaker, sources: [s]}\n"
          "  - {id: two-co, name: Other, aliases: [Twin], kind: automaker, sources: [s]}\n")
    r = new(runner, "deal", "--title", "x", "--company", "twin", folder=tmp_path)
    assert r.exit_code == 2 and "Error: --company: 'twin' is ambiguous: it names 'one-co', 'two-co'; give the id" in r.stderr
