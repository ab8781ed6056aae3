"""The fast paths of a cold build give exactly what the generic code gives.

``parse._FactLoader`` builds plain mappings, lists and scalars itself (for
speed) and hands everything else to PyYAML. These tests parse the same text
both ways, the slow way being the same loader with PyYAML's own
``construct_document`` and ``resolve``, and compare values, lines and problems.
``codec.cache_form`` (compiled per record class) must equal
``codec.to_plain(..., skip_defaults=True)`` for every record, and the JSON
output form (``shapes._plain``, compiled per class) must equal the generic
``to_plain(..., dates="json")`` with every amount's ``absolute`` added.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import FIXTURE_FACTS

from autoalliances.load import loader, parse
from autoalliances.load.discover import bundled_facts_dir


class _Generic(parse._FactLoader):  # type: ignore[misc, valid-type]
    construct_document = yaml.constructor.BaseConstructor.construct_document
    resolve = yaml.resolver.BaseResolver.resolve


def _snapshot(v: object) -> object:
    """Values with the line information of every mapping, for comparison."""
    if isinstance(v, parse.LineDict):
        return ("map", v.line, dict(v.lines), [(k, _snapshot(x)) for k, x in v.items()])
    if isinstance(v, dict):
        return ("plain-map", [(repr(k), _snapshot(x)) for k, x in v.items()])
    if isinstance(v, list):
        return ("list", [_snapshot(x) for x in v])
    return (type(v).__name__, repr(v))


def _parse(cls: type, text: str) -> tuple[str, object, list]:
    ld = cls(text)
    try:
        data = ld.get_single_data()
    except RecursionError:
        return ("recursion", None, ld.problems)
    except Exception as e:  # the same error, raised the same way, either path
        return ("error", f"{type(e).__name__}: {e}", ld.problems)
    finally:
        ld.dispose()
    return ("ok", _snapshot(data), ld.problems)


def _same(text: str) -> None:
    fast, slow = _parse(parse._FactLoader, text), _parse(_Generic, text)
    assert fast == slow


EDGE_CASES = [
    "deals: []\n",
    "deals:\n- id: a\n  n: 1\n  f: 1.5\n  b: true\n  y: yes\n  z: ~\n  e:\n  d: 2025-03-26\n  t: 2025-03-26 10:00:00\n",
    "deals:\n- id: a\n  x: 0x1f\n  o: 0o17\n  s: 1_000\n  inf: .inf\n  nan: .NaN\n  neg: -3\n  sexa: 1:30\n",
    "deals:\n- {id: a, partners: [b, c], value: {amount: 3, unit: EUR}}\n",
    "a: &x foo\nb: *x\n",
    "a: &m {k: v}\nb: *m\n",
    "a: &l [1, 2]\nb: [*l, *l]\n",
    "root: &r\n  child: *r\n",
    "? &k key\n: 1\n*k : 2\n",
    "a: 1\na: 2\nb: {c: 1, c: 2}\n",
    "1: one\nnull: x\n? [a, b]\n: list-key\n? {a: 1}\n: map-key\ntrue: yes\n",
    "a: !!str {k: v}\n",
    "a: !!str 123\nb: !!int '42'\nc: !!float '1'\nd: !!null ''\ne: !!bool 'true'\n",
    "a: !!binary aGVsbG8=\n",
    "a: !!set {x, y}\nb: !!omap [{x: 1}, {y: 2}]\nc: !!pairs [{x: 1}]\n",
    "a: !!python/object/apply:os.system ['echo hi']\n",
    "a: !local thing\n",
    "a: !!map [1]\n",
    "a: !!seq {k: v}\n",
    "<<: {a: 1}\nb: 2\n",
    "a: =\n",
    "- id: x\n- &a id: y\n- *a\n",
    "just text\n",
    "a: |\n  block\n  text\nb: >\n  folded\n  text\n",
    "a: ''\nb: \"\"\nc: '   '\nd: \"\\t\\u00e9\"\n",
    "deals:\n  - id: a\n    notes:\n      - &n {text: t, sources: [s]}\n  - id: b\n    notes: [*n]\n",
    "a: " + "[" * 60 + "1" + "]" * 60 + "\n",
    "a: " + "[" * 100 + "1" + "]" * 100 + "\n",  # deeper than the shortcut goes
    "a: " + "[" * 400 + "1" + "]" * 400 + "\n",  # too deep for PyYAML's constructor too
    "a: " + "{b: " * 100 + "1" + "}" * 100 + "\n",
    "deals:\n- id: a\n  x: [1, [2, !!set {y}]]\n  z: &q 3\n  w: *q\n",  # a tag deep inside, after problems
]


@pytest.mark.parametrize("text", EDGE_CASES)
def test_edge_cases_match_the_generic_constructor(text: str) -> None:
    _same(text)


def test_every_real_fact_file_matches_the_generic_constructor() -> None:
    files = sorted(bundled_facts_dir().rglob("*.yaml")) + sorted(Path(FIXTURE_FACTS).rglob("*.yaml"))
    assert len(files) > 100
    for f in files:
        _same(f.read_text(encoding="utf-8"))


def _synthetic(tmp_path: Path) -> Path:
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    try:
        import generate
    finally:
        sys.path.pop(0)
    generate.write_set(60, tmp_path / "set", per_file=25)
    return tmp_path / "set"


def test_synthetic_set_matches_the_generic_constructor(tmp_path: Path) -> None:
    _synthetic(tmp_path)
    files = sorted((tmp_path / "set").rglob("*.yaml"))
    assert files
    for f in files:
        _same(f.read_text(encoding="utf-8"))


def _every_record(tmp_path: Path) -> list:
    """The records of the bundled facts, the test fixtures and a small synthetic set."""
    from autoalliances.load.discover import discover

    files, _ = discover([bundled_facts_dir(), Path(FIXTURE_FACTS), _synthetic(tmp_path)])
    records = []
    for f in files:
        data, problems = parse.parse_file(f)
        assert not problems
        records += [r for r, _ in loader.check_file(data)[0]]
    return records


def test_cache_form_equals_to_plain(tmp_path: Path) -> None:
    import json

    from autoalliances.store.codec import cache_form, to_plain

    records = _every_record(tmp_path)
    assert len(records) > 300
    for rec in records:
        fast, slow = cache_form(rec), to_plain(rec, skip_defaults=True)
        assert fast == slow
        assert json.dumps(fast, ensure_ascii=False) == json.dumps(slow, ensure_ascii=False)  # same key order


def _generic_output(obj: object) -> object:
    """The output form the slow way: ``to_plain`` with dates as objects, then ``absolute`` on every amount."""
    import dataclasses

    from autoalliances.model.records import Amount
    from autoalliances.store.codec import to_plain

    data = to_plain(obj, dates="json")

    def add(o: object, d: object) -> None:
        if isinstance(o, Amount):
            assert isinstance(d, dict)
            d["absolute"] = o.absolute
        if isinstance(o, list):
            assert isinstance(d, list)
            for x, y in zip(o, d, strict=True):
                add(x, y)
        elif dataclasses.is_dataclass(o):
            assert isinstance(d, dict)
            for f in dataclasses.fields(o):
                add(getattr(o, f.name), d[f.name])

    add(obj, data)
    return data


def test_output_form_equals_the_generic_one(tmp_path: Path) -> None:
    import json

    from autoalliances.render.shapes import _plain

    records = _every_record(tmp_path)
    with_amounts = [r for r in records if getattr(r, "value", None) is not None]
    assert len(records) > 300 and any(getattr(r.value, "equivalents", None) for r in with_amounts)
    for rec in records:
        fast, slow = _plain(rec), _generic_output(rec)
        assert json.dumps(fast, ensure_ascii=False) == json.dumps(slow, ensure_ascii=False)  # same values, same key order
    # each call gives objects of its own: changing one output (as --stated-only does) leaves the next alone
    deal = next(r for r in records if getattr(r, "announced", None) is not None)
    first = _plain(deal)
    first["announced"]["label"] = "changed"
    assert _plain(deal)["announced"]["label"] == deal.announced.label


def _generic_values(obj: object, path: tuple[str, ...]) -> list[str]:
    """The ids at *path* of *obj*, the slow way: a mapping gives its values, a list its items."""
    v = getattr(obj, path[0], None)
    if isinstance(v, dict):
        items = [x for values in v.values() for x in (values if isinstance(values, list) else [values])]
    else:
        items = v if isinstance(v, list) else [v]
    if len(path) == 1:
        return [x for x in items if x is not None]
    return [x for item in items if item is not None for x in _generic_values(item, path[1:])]


def test_reference_walks_equal_the_generic_one(tmp_path: Path) -> None:
    from autoalliances.model.refs import cited_sources, ref_fields, references

    records = _every_record(tmp_path)
    nested = 0
    for rec in records:
        cites, others = ref_fields(type(rec))
        slow_cites = list(dict.fromkeys(v for f in cites for v in _generic_values(rec, f.path)))
        slow_refs = list(dict.fromkeys(v for f in others for v in _generic_values(rec, f.path)))
        assert cited_sources(rec) == slow_cites
        assert references(rec) == slow_refs
        nested += any(len(f.path) > 1 for f in others) and bool(slow_refs)
    assert nested  # records with references inside parts (a conflict's readings) were among them


def test_field_types_equal_typing_get_type_hints() -> None:
    """refs.field_types evaluates each annotation text once; it must give what typing does."""
    import typing

    from autoalliances.model import records
    from autoalliances.model.refs import field_types

    parts = [records.Note, records.Person, records.Milestone, records.Amount, records.Change, records.Reading]
    for cls in [*records.TYPE_NAMES.values(), *parts]:
        hints = typing.get_type_hints(cls, include_extras=True)
        assert field_types(cls) == {name: hints[name] for name in field_types(cls)}
        assert list(field_types(cls)) == [f.name for f in __import__("dataclasses").fields(cls)]


def test_store_names_equal_record_names(tmp_path: Path) -> None:
    """``Store.names`` reads names from the stored rows; they must be what each record's ``name`` says,
    for every type (a source without a title is named by its address, a figure without a description
    by its id), and ids that name nothing are left out."""
    from autoalliances.model.records import TYPE_NAMES
    from autoalliances.store.cache import open_store

    store = open_store([FIXTURE_FACTS, _synthetic(tmp_path)], use_cache=False)
    records = [r for cls in TYPE_NAMES.values() for r in store.all(cls)]
    assert {r.TYPE for r in records} == set(TYPE_NAMES)
    assert any(r.TYPE == "source" and not r.title for r in records) or any(r.TYPE == "figure" and not r.description for r in records)
    ids = [r.id for r in records]
    assert store.names([*ids, "no-such-record", ids[0]]) == {r.id: r.name for r in records}
    assert store.names([]) == {}
