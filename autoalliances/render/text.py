"""Plain-text pieces shared by every output format: amounts, changes, safe text.

No rich here: the JSON path imports this module and must stay light.
"""

from __future__ import annotations

from collections.abc import Callable

from ..model.plans import Plan
from ..model.records import UNNAMED_PARTNER, Amount, Change, Deal, Milestone
from ..model.today import day_label
from .escape import safe

__all__ = ["amount", "change", "deal_label", "milestone", "number", "one_line", "origin_label", "partner_label", "safe"]

_QUALIFIERS = {
    "exact": "",
    "about": "about ",
    "more-than": "more than ",
    "less-than": "less than ",
    "nearly": "nearly ",
    "at-least": "at least ",
    "up-to": "up to ",
}
_CURRENCIES = {"EUR", "USD", "CNY", "JPY"}


def one_line(text: str) -> str:
    return " ".join(safe(text).split())


def number(v: float | int) -> str:
    """714500 -> '714,500'; 142.4 -> '142.4'."""
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e15:
        v = int(v)
    return f"{v:,}"


def amount(a: Amount | None, *, printed: bool = True) -> str:
    """'about EUR 10 billion (≈ more than CNY 80 billion)'; *printed* adds the article's odd label."""
    if a is None:
        return ""
    n = number(a.amount)
    if a.scale:
        n = f"{n} {a.scale}"
    q = _QUALIFIERS[a.qualifier]
    if a.unit in _CURRENCIES:
        s = f"{q}{a.unit} {n}"
    elif a.unit == "percent":
        s = f"{q}{n}%"
    elif a.unit == "times":
        s = f"{q}{n}×"
    elif a.unit == "count":  # a bare number: "5", not "5 count"
        s = f"{q}{n}"
    else:
        s = f"{q}{n} {a.unit}"
    if a.equivalents:
        s += " (" + "; ".join("≈ " + amount(e) for e in a.equivalents) + ")"
    if printed and a.as_printed:
        s += f' [printed as "{one_line(a.as_printed)}"]'
    return s


def change(c: Change | None) -> str:
    if c is None:
        return ""
    parts = []
    if c.amount is not None:
        sign = "+" if c.amount > 0 else ""
        unit = "%" if c.unit == "percent" else " pp"
        parts.append(f"{sign}{number(c.amount)}{unit}")
    if c.previous is not None:
        parts.append(f"from {amount(c.previous)}")
    return " ".join(parts)


# How a passed plan is flagged: a marker that stands out without colour, then the words
# (rich styles them too, see ``tables.flag_passed``).
PASSED_MARK = "⚑"
PASSED = f"{PASSED_MARK} date passed, no later report"


def reported_words(p: Plan) -> str:
    """'planned as reported on 26 March 2025', 'target as reported in an undated article'."""
    if p.reported_by is None:
        return f"{p.word} as reported in an undated article"
    return f"{p.word} as reported on {p.reported_by.published.label}"


def state_words(p: Plan) -> str:
    """A plan's state in words ('' for an undated plan: its date already says so)."""
    if p.state == "passed":
        return PASSED
    if p.state == "upcoming":
        return "upcoming"
    if p.state == "due":
        end = p.date.end
        return f"due by {day_label(end)}, no report yet" if p.date.by and end else "due now, no report yet"
    if p.state == "done" and p.done is not None:
        return f"reported done on {p.done.source.published.label}"
    return ""


def plan_words(p: Plan) -> str:
    """'planned as reported on 26 March 2025 · ⚑ date passed, no later report'."""
    return " · ".join(x for x in (reported_words(p), state_words(p)) if x)


def milestone(m: Milestone, plan: Plan | None = None) -> str:
    """'launch: spring 2026 (reported)'; a plan: 'launch: spring 2026 · planned as reported on … · upcoming'."""
    if plan is None:
        return f"{one_line(m.event)}: {m.date.label} ({m.status})"
    return f"{one_line(m.event)}: {m.date.label} · {plan_words(plan)}"


def partner_label(d: Deal, name: Callable[[str], str]) -> str:
    """The partner side of a deal: its names, or the partner as the article describes it."""
    return ", ".join(name(p) for p in d.partners) or one_line(d.unnamed_partner or "") or UNNAMED_PARTNER


def deal_label(d: Deal, name: Callable[[str], str]) -> str:
    """'BMW × Alibaba': both sides of a deal, by name."""
    return f"{name(d.company)} × {partner_label(d, name)}"


def origin_label(origin: dict[str, object] | None) -> str:
    """'bundled facts: companies/bmw.yaml:3', 'your facts: deals/x.yaml:2 (in my-facts)'."""
    if not origin:
        return "not recorded"
    where = f"{origin.get('file')}" + (f":{origin['line']}" if origin.get("line") else "")
    if origin.get("kind") == "bundled":
        return f"bundled facts: {where}"
    return f"your facts: {where}" + (f" (in {origin['root']})" if origin.get("root") else "")
