"""A fact set whose every text field holds hostile text, for tests/test_hostile.py.

``PAYLOAD`` packs what an attacker would put in a fact file: terminal escape
sequences (OSC 52 writes the clipboard, OSC 8 makes links, CSI clears the
screen; C1's one-byte CSI), bidi controls that reverse what is shown,
zero-width and other invisible characters, a line separator, rich markup,
HTML, Markdown links and images, a spreadsheet formula, a Mermaid directive
and shell syntax. ``facts_yaml`` writes a valid fact set in which every text
field of every record type (found from the annotations, so a new field is
covered or the coverage test fails) holds ``PAYLOAD`` plus a tag naming the
field, which also keeps names unique.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from typing import Any

from autoalliances.model import records as R
from autoalliances.model.refs import field_types

PAYLOAD = (
    '=HYPERLINK("http://evil.example") \x1b]52;c;aGk=\x07 \x1b]8;;http://evil.example\x1b\\link\x1b]8;;\x1b\\ '
    "\x1b[2J\x9b31m \u202eiewauH\u202c \u2066x\u2069 a\u200bb \ufeff \u2028 \x7f \U000e0041 "
    '[bold red]markup[/] <img src=x onerror=alert(1)> [a](http://evil.example) ![i](http://evil.example/i.png) '
    '%%{init: {"theme": "dark"}}%% x$(touch${IFS}PWNED)'
)
# Characters that must never reach a screen raw (tab and newline may).
RAW = ["\x1b", "\x9b", "\x07", "\x7f", "\u202e", "\u202c", "\u2066", "\u2069", "\u200b", "\ufeff", "\u2028", "\U000e0041"]


def q(s: str) -> str:
    """A YAML double-quoted scalar for any text (YAML refuses most control characters raw)."""
    out = []
    for ch in s:
        c = ord(ch)
        if ch in '"\\':
            out.append("\\" + ch)
        elif 0x20 <= c < 0x7F:
            out.append(ch)
        elif c < 0x100:
            out.append(f"\\x{c:02x}")
        elif c < 0x10000:
            out.append(f"\\u{c:04x}")
        else:
            out.append(f"\\U{c:08x}")
    return '"' + "".join(out) + '"'


def h(tag: str) -> str:
    """The payload for one field, tagged so that every name stays unique."""
    return q(f"{PAYLOAD} {tag}")


def facts_yaml() -> str:
    def note(tag: str) -> str:
        return f"{{text: {h(tag)}, sources: [s-one]}}"

    def ms(tag: str) -> str:
        return f'{{date: "2025-05", event: {h(tag)}, status: reported, sources: [s-one]}}'

    def amount(tag: str) -> str:
        return f"{{amount: 5, unit: EUR, scale: billion, as_printed: {h(tag)}, equivalents: [{{amount: 40, unit: CNY, scale: billion, as_printed: {h(tag + '-eq')}}}]}}"

    return f"""\
sources:
  - id: s-one
    file: {h('source.file')}
    language: {h('source.language')}
    published: "2025-03-01"
    title: {h('source.title')}
    outlet: {h('source.outlet')}
    author: {h('source.author')}
    original_language: {h('source.original_language')}
    translation: human
    notes: {h('source.notes')}
    inferred: {{outlet: {h('source.inferred')}}}
  - id: s-two
    file: two.txt
    language: en
    published: "2025-03-02"
companies:
  - id: c-maker
    name: {h('company.name')}
    kind: automaker
    sources: [s-one]
    country: {h('company.country')}
    aliases: [{h('company.aliases')}]
    alias_sources: {{{h('company.aliases')}: [s-one]}}
    description: {h('company.description')}
    people: [{{name: {h('company.people.name')}, role: {h('company.people.role')}, sources: [s-one]}}]
    notes: [{note('company.notes')}]
    inferred: {{country: {h('company.inferred')}}}
  - id: c-tech
    name: {h('company.name-2')}
    kind: technology
    sources: [s-one]
  - id: c-jv
    name: {h('company.name-3')}
    kind: joint-venture
    parents: [c-maker]
    sources: [s-one]
systems:
  - id: x-system
    name: {h('system.name')}
    kind: operating-system
    sources: [s-one]
    vendor: c-tech
    version: {h('system.version')}
    aliases: [{h('system.aliases')}]
    alias_sources: {{{h('system.aliases')}: [s-one]}}
    description: {h('system.description')}
    milestones: [{ms('system.milestones.event')}]
    notes: [{note('system.notes')}]
    inferred: {{version: {h('system.inferred')}}}
models:
  - id: x-model
    name: {h('model.name')}
    maker: c-maker
    sources: [s-one]
    producer: c-jv
    body: {h('model.body')}
    segment: {h('model.segment')}
    powertrains: [bev]
    platform: x-system
    market: {h('model.market')}
    systems: [x-system]
    aliases: [{h('model.aliases')}]
    alias_sources: {{{h('model.aliases')}: [s-one]}}
    description: {h('model.description')}
    milestones: [{ms('model.milestones.event')}]
    notes: [{note('model.notes')}]
    inferred: {{market: {h('model.inferred')}}}
deals:
  - id: x-deal
    title: {h('deal.title')}
    company: c-maker
    kind: partnership
    domains: [cockpit-os]
    announced: "2025-03-01"
    status: announced
    sources: [s-one]
    partners: [c-tech]
    value: {amount('deal.value.as_printed')}
    models: [x-model]
    systems: [x-system]
    description: {h('deal.description')}
    milestones: [{ms('deal.milestones.event')}]
    notes: [{note('deal.notes')}]
    inferred: {{description: {h('deal.inferred')}}}
  - id: x-deal-unnamed
    title: {h('deal.title-2')}
    company: c-jv
    kind: supply
    domains: [battery]
    announced: "2025"
    status: reported
    sources: [s-one]
    unnamed_partner: {h('deal.unnamed_partner')}
figures:
  - id: x-figure
    metric: sales
    region: {h('figure.region')}
    period: "2024"
    status: reported
    sources: [s-one]
    company: c-maker
    value: {amount('figure.value.as_printed')}
    change: {{unit: percent, amount: -3, previous: {amount('figure.change.previous.as_printed')}, basis: year-on-year}}
    description: {h('figure.description')}
    notes: [{note('figure.notes')}]
    inferred: {{region: {h('figure.inferred')}}}
  - id: x-figure-scope
    metric: market-share
    region: China
    period: "2024"
    status: reported
    sources: [s-two]
    scope: {h('figure.scope')}
    value: {{amount: 3, unit: percent}}
conflicts:
  - id: x-conflict
    topic: {h('conflict.topic')}
    kind: contradiction
    records: [x-figure, x-figure-scope]
    readings:
      - {{source: s-one, text: {h('conflict.readings.text')}, record: x-figure}}
      - {{source: s-two, text: {h('conflict.readings.text-2')}, record: x-figure-scope}}
    note: {h('conflict.note')}
    inferred: {{note: {h('conflict.inferred')}}}
"""


def text_fields(cls: type, prefix: str = "", _inside: tuple[type, ...] = ()) -> set[str]:
    """Every free-text field path of a record class ("people.role"), from its annotations.

    Ids, references, web addresses (validated: no control, format or space
    character is allowed in one) and closed lists are not free text; a dict's text is in its
    keys (aliases) or values (reasons). A part inside itself (an amount's
    equivalents) is walked once.
    """
    out: set[str] = set()
    if cls in _inside:
        return out
    for f in dataclasses.fields(cls):
        out |= _text(field_types(cls)[f.name], f"{prefix}.{f.name}" if prefix else f.name, (*_inside, cls))
    return out


def _text(tp: Any, path: str, inside: tuple[type, ...] = ()) -> set[str]:
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        base, *extras = typing.get_args(tp)
        if any(isinstance(x, R.Ref) or x in (R.SLUG, R.URL) for x in extras):
            return set()
        return _text(base, path, inside)
    if origin in (typing.Union, types.UnionType):
        return set().union(*(_text(a, path, inside) for a in typing.get_args(tp) if a is not type(None)))
    if origin is list:
        return _text(typing.get_args(tp)[0], path, inside)
    if origin is dict:
        return {path}  # keys or values: text either way
    if tp is str:
        return {path}
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return text_fields(tp, path, inside)
    return set()


def found_fields(obj: Any, path: str = "") -> set[str]:
    """The field paths of plain record data (``to_plain``) whose text holds the payload."""
    out: set[str] = set()
    if isinstance(obj, str):
        if PAYLOAD in obj:
            out.add(path)
    elif isinstance(obj, dict):
        for k, v in obj.items():
            if isinstance(k, str) and PAYLOAD in k:
                out.add(path)
            out |= found_fields(v, path)
    elif isinstance(obj, list):
        for v in obj:
            out |= found_fields(v, path)
    return out


def plain_fields(obj: Any, path: str) -> set[str]:
    """Like ``found_fields`` for a record's plain data, with the record's field names as paths."""
    out: set[str] = set()
    if isinstance(obj, dict) and not path.endswith(("inferred", "alias_sources")):
        for k, v in obj.items():
            out |= plain_fields(v, f"{path}.{k}")
        return out
    if isinstance(obj, list):
        for v in obj:
            out |= plain_fields(v, path)
        return out
    return {path} if found_fields(obj) else set()
