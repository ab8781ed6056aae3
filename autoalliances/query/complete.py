"""Shell-completion candidates, as (value, description) pairs.

Plain functions over the registry, called by the command line's completion
callbacks. A candidate is always one safe shell word: bash inserts candidates
unquoted, so a name or alias holding anything but letters, digits and
``._:/@+-,`` (a space, ``$(...)``, quotes, globs) is never offered; the
record's id, a slug, is offered instead, and every command accepts it.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..model.vocab import Domain, Metric, choices
from .registry import Registry

_SHELL_PUNCTUATION = frozenset("._:/@+-,")


def shell_word(s: str) -> bool:
    """Whether *s* can be inserted unquoted on a shell's command line and mean itself.

    Letters and digits of any script and ``._:/@+-,`` only, and no ``-`` first
    (an option); anything else (``$``, backquotes, quotes, ``;``, ``|``, ``&``,
    spaces, globs, ``~``, control or invisible characters) could be run, split
    or expanded by the shell.
    """
    return bool(s) and not s.startswith("-") and all(ch.isalnum() or ch in _SHELL_PUNCTUATION for ch in s)


def _word(spellings: Iterable[str], prefix: str) -> str | None:
    # Shells (and Typer) keep only candidates that start with the typed text as typed,
    # so "hua" is answered by the id "huawei" and "Hua" by the name "Huawei".
    for s in spellings:
        if s.startswith(prefix) and shell_word(s):
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
    """Record ids starting with *prefix*, with their type (ids are slugs: safe shell words)."""
    return [(id_, type_) for id_, type_ in reg.store.ids_starting(prefix, limit) if shell_word(id_)]


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
