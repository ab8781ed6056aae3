"""Load a fact base: parse every file, check its records, cross-check ids.

The cold path of the program: ``parse`` reads YAML, ``validate`` checks each
record against the schema, and ``load_files`` checks what spans files
(duplicate ids, references, names that two records share: ``overlay``) and
notes where each record came from. A run collects every problem before it fails.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import FactError
from ..model.names import close_matches
from ..model.records import RECORD_TYPES, Record
from .crosscheck import Loose, SourceFile, Where, files_named, missing_files, reference_errors
from .discover import NO_FACT_FILES, bundled_facts_dir, fact_roots, find_fact_files
from .overlay import Origin, name_collisions, origin_of
from .parse import parse_file, paused_gc
from .validate import BAD, Context, record_checker


@dataclass
class LoadResult:
    records: list[Record] = field(default_factory=list)
    errors: list[FactError] = field(default_factory=list)
    source_files: list[SourceFile] = field(default_factory=list)  # every source's ``file``, for ``validate``
    origins: dict[str, Origin] = field(default_factory=dict)  # record id -> where it came from


def unexpected(name: str, e: BaseException) -> FactError:
    """An exception no check foresaw, as a located error instead of a traceback (exit 3, not 1)."""
    text = " ".join(str(e).split())
    text = text if len(text) <= 200 else text[:200] + "..."
    what = f"{type(e).__name__}: {text}" if text else type(e).__name__
    return FactError(name, None, None, f"cannot check this file: {what}")


def check_file(data: Any) -> tuple[list[tuple[Record, int | None]], Context]:
    """Validate a parsed file's top-level shape and records; records come with their line."""
    ctx = Context()
    records: list[tuple[Record, int | None]] = []
    if not isinstance(data, dict):
        kinds = ", ".join(RECORD_TYPES)
        ctx.bad(None, "", f"the top level must be a mapping with one or more of: {kinds}")
        return records, ctx
    lines = getattr(data, "lines", {})
    for key, items in data.items():
        line = lines.get(key)
        cls = RECORD_TYPES.get(key)
        if cls is None:
            close = close_matches(str(key), RECORD_TYPES, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else f"; use one of: {', '.join(RECORD_TYPES)}"
            ctx.bad(line, str(key), f"unknown record type {key!r}{hint}")
            continue
        if not isinstance(items, list):
            ctx.bad(line, key, "expected a list of records (each item starting with '- id: ...')")
            continue
        check = record_checker(cls)
        for i, item in enumerate(items):
            item_line = getattr(item, "line", line)
            rec = check(item, f"{key}[{i}]", item_line, ctx)
            if rec is not BAD:
                records.append((rec, item_line))
            elif isinstance(item, dict) and isinstance(item.get("id"), str):
                ctx.invalid.append((cls.TYPE, item["id"], item_line))
    return records, ctx


def load_files(files: Sequence[Path], roots: Sequence[Path] = ()) -> LoadResult:
    """Parse, validate and cross-check *files* (found below *roots*) as one fact base."""
    with paused_gc():
        return _load_files(files, roots)


def _load_files(files: Sequence[Path], roots: Sequence[Path]) -> LoadResult:
    result = LoadResult()
    where: dict[str, tuple[str, str, int | None]] = {}  # id -> (type, file, line)
    refs: list[tuple[tuple[str, ...], str, str, str, int | None]] = []
    invalid: Where = {}  # records that failed their own checks (crosscheck.reference_errors)
    loose: list[Loose] = []
    named: list[tuple[Record, str, int | None]] = []  # for name_collisions
    bundled = bundled_facts_dir()
    for path in files:
        name = str(path)
        try:
            data, problems = parse_file(path)
            if problems:
                result.errors.extend(problems)
                continue
            records, ctx = check_file(data)
            sources = files_named(data, name)
        except Exception as e:  # last resort: a bug, or a value no check foresaw
            result.errors.append(unexpected(name, e))
            continue
        base = len(result.errors)
        origin = origin_of(path, roots, bundled)
        result.errors.extend(FactError(name, line, f or None, msg) for line, f, msg in ctx.problems)
        loose.extend((result.errors[base + i], types, text) for i, types, text in ctx.loose)
        for type_, rid, line in ctx.invalid:
            invalid.setdefault(rid, (type_, name, line))
        result.source_files.extend(sources)
        for rec, line in records:
            seen = where.get(rec.id)
            if seen is not None:
                t, f, ln = seen
                at = f"{f}:{ln}" if ln else f
                result.errors.append(FactError(name, line, "id", f"duplicate id {rec.id!r}: already used by the {t} at {at}"))
                continue
            where[rec.id] = (rec.TYPE, name, line)
            result.records.append(rec)
            result.origins[rec.id] = {**origin, "line": line}
            named.append((rec, name, line))
        refs.extend((types, ref, path_, name, line) for types, ref, path_, line in ctx.refs)
    result.errors.extend(reference_errors(refs, where, invalid, loose, result.records))
    result.errors.extend(name_collisions(named))
    return result


@dataclass
class Validation:
    """What ``validate`` found: how many files and records were read, and every error."""

    files: int
    records: int
    errors: list[FactError]

    @property
    def valid(self) -> bool:
        return not self.errors


def validate_paths(paths: Sequence[str | os.PathLike[str]], *, bundled: bool = True) -> Validation:
    """Check fact files and folders (with the bundled facts unless *bundled* is false)."""
    roots = fact_roots(paths, bundled=bundled)
    found = find_fact_files(roots)
    result = load_files(found.files, roots)
    errors = [FactError(str(root), None, None, NO_FACT_FILES) for root in found.empty]
    errors += result.errors + missing_files(result.source_files, bundled_facts_dir())
    return Validation(len(found.files), len(result.records), errors)
