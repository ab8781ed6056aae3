"""Shell-completion candidates, as (value, description) pairs.

Plain functions over the registry, called by the command line's completion
callbacks. A candidate is always one shell word: a company whose name has a
space is offered by its id, which every command accepts as well.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..model.vocab import Domain, Metric, choices
from .registry import Registry


def _word(spellings: Iterable[str], prefix: str) -> str | None:
    # Shells (and Typer) keep only candidates that start with the typed text as typed,
    # so "hua" is answered by the id "huawei" and "Hua" by the name "Huawei".
    for s in spellings:
        if s.startswith(prefix) and not any(ch.isspace() for ch in s):
            return s
    return None


def companies(reg: Registry, prefix: str) -> list[tuple[str, str]]:
    """Companies whose name, alias or id starts with *prefix*."""
    out = []
    for c in reg.companies():
        word = _word([c.name, *c.aliases, c.id], prefix)
        if word is not None:
            out.append((word, f"{c.name} ({c.kind})"))
    return out


def record_ids(reg: Registry, prefix: str, limit: int = 200) -> list[tuple[str, str]]:
    """Record ids starting with *prefix*, with their type."""
    return [(id_, type_) for id_, type_ in reg.store.ids_starting(prefix, limit)]


def _counted(values: tuple[str, ...], counts: dict[str, int], noun: str, prefix: str) -> list[tuple[str, str]]:
    return [
        (v, f"{counts.get(v, 0)} {noun}{'' if counts.get(v, 0) == 1 else 's'}")
        for v in values
        if v.startswith(prefix)
    ]


def domains(reg: Registry, prefix: str) -> list[tuple[str, str]]:
    """Every deal domain, with how many deals it has."""
    return _counted(choices(Domain), reg.store.value_counts("domain"), "deal", prefix)


def metrics(reg: Registry, prefix: str) -> list[tuple[str, str]]:
    """Every figure metric, with how many figures measure it."""
    return _counted(choices(Metric), reg.store.value_counts("metric"), "figure", prefix)
