"""Checks that span records and files: references, and the article files sources name.

- A reference that names no record gets "did you mean" from the ids, names
  and aliases of the records of the wanted type (``company: Nissan`` ->
  ``nissan``); so does a reference that is not even an id.
- A reference to a record that exists but failed its own checks is not
  reported once per citation ("no source with id ..." for every record
  that cites a source with one bad field). Those references get one line
  at the invalid record instead: "3 records cite the invalid source 'x'".
- ``missing_files``: a source's ``file`` must exist, relative to the fact
  file that names it. Only ``validate`` asks for this check (the article
  files are not part of the fact base, so the cache cannot see them
  change), and it skips the bundled facts, whose ``file`` names the
  project's copy of each article, which is not shipped with the package.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from ..errors import FactError
from ..model.names import close_matches, name_key

Where = dict[str, tuple[str, str, "int | None"]]  # id -> (type, file, line)
Ref = tuple[tuple[str, ...], str, str, str, "int | None"]  # (wanted types, id, field path, file, line)
Loose = tuple[FactError, tuple[str, ...], str]  # (its error, wanted types, the text given)


class _Names:
    """Every spelling (id, name, alias) of the loaded records, gathered only when a suggestion is needed.

    *spellings* yields (name key, id, type) in load order: from the records in memory, or from
    the store a streaming build has written (``load.loader.Stream``).
    """

    def __init__(self, spellings: Callable[[], Iterable[tuple[str, str, str]]]) -> None:
        self.spellings = spellings
        self._pool: list[tuple[str, str, str]] | None = None

    def pool(self) -> list[tuple[str, str, str]]:
        if self._pool is None:
            self._pool = list(self.spellings())
        return self._pool

    def suggest(self, text: str, types: tuple[str, ...], n: int = 3) -> list[str]:
        """Ids of the records of *types* that *text* looks like, best first."""
        key = name_key(text.strip())
        spellings: dict[str, str] = {}
        for spelling, id_, type_ in self.pool():
            if not types or type_ in types:
                spellings.setdefault(spelling, id_)
        out = [spellings[key]] if key in spellings else []
        out += [spellings[m] for m in close_matches(key, spellings, n=2 * n)]
        slug = "-".join(key.replace("_", " ").split())
        if slug != key and slug in spellings:
            out.insert(0, spellings[slug])
        return list(dict.fromkeys(out))[:n]


def _did_you_mean(ids: list[str]) -> str:
    return f" (did you mean {', '.join(repr(i) for i in ids)}?)" if ids else ""


def reference_errors(
    refs: Iterable[Ref], where: Where, invalid: Where, loose: Iterable[Loose], spellings: Callable[[], Iterable[tuple[str, str, str]]]
) -> list[FactError]:
    """Problems with references, once every file is read; adds "did you mean" to *loose* errors.

    *refs* may leave out references already known to be fine (their record read, of a wanted type)."""
    names = _Names(spellings)
    errors: list[FactError] = []
    citing: dict[str, set[tuple[str, str]]] = {}  # invalid id -> the records (file, record path) that name it
    for types, ref, fpath, name, line in refs:
        seen = where.get(ref) or invalid.get(ref)
        if seen is None:
            kind = " or ".join(types) if types else "record"
            errors.append(FactError(name, line, fpath, f"no {kind} with id {ref!r}" + _did_you_mean(names.suggest(ref, types))))
        elif types and seen[0] not in types:
            wanted = " or ".join(types)
            errors.append(FactError(name, line, fpath, f"{ref!r} is a {seen[0]}, expected a {wanted}"))
        elif ref not in where:
            citing.setdefault(ref, set()).add((name, fpath.split(".")[0]))
    for err, types, text in loose:
        err.message += _did_you_mean(names.suggest(text, types))
    for ref, who in citing.items():
        type_, name, line = invalid[ref]
        n = len(who)
        verb = ("cites" if n == 1 else "cite") if type_ == "source" else ("refers to" if n == 1 else "refer to")
        errors.append(FactError(
            name, line, "id",
            f"{n} record{'s' if n != 1 else ''} {verb} the invalid {type_} {ref!r}; fix its errors and they are checked again",
        ))
    return errors


# --- the article files of sources ----------------------------------------------------------------


SourceFile = tuple[str, "int | None", str, str]  # (fact file, line, field path, the file as written)


def files_named(data: Any, fact_file: str) -> list[SourceFile]:
    """The ``file`` of every source in a parsed fact file, with where it is written."""
    out: list[SourceFile] = []
    sources = data.get("sources") if isinstance(data, dict) else None
    if not isinstance(sources, list):
        return out
    for i, item in enumerate(sources):
        if isinstance(item, dict) and isinstance(item.get("file"), str) and item["file"].strip():
            line = getattr(item, "lines", {}).get("file", getattr(item, "line", None))
            out.append((fact_file, line, f"sources[{i}].file", item["file"]))
    return out


def missing_files(named: Iterable[SourceFile], bundled: Path | None) -> list[FactError]:
    """A problem for each source ``file`` that is not a file, relative to its fact file.

    Fact files below *bundled* (the bundled facts) are skipped: their ``file``
    is the name of the article in the project's shared sources folder, which
    the package does not ship (a test checks those names against that folder).
    """
    prefix = str(bundled) + os.sep if bundled is not None else None
    errors: list[FactError] = []
    for fact_file, line, fpath, file in named:
        if prefix is not None and fact_file.startswith(prefix):
            continue
        if os.path.isabs(file) or file.startswith("~"):
            continue  # the record's own check says to make it relative
        target = Path(fact_file).parent / file
        if not target.is_file():
            what = "is a folder, not a file" if target.is_dir() else "does not exist"
            message = f"{file!r} {what} (looked for {target}); give the path relative to this fact file"
            errors.append(FactError(fact_file, line, fpath, message))
    return errors
