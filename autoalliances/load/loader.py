"""Load a fact base: parse every file, check its records, cross-check ids.

The cold path of the program: ``parse`` reads YAML, ``validate`` checks each
record against the schema, and ``Stream`` checks what spans files (duplicate
ids, references, names that two records share: ``overlay``) and notes where
each record came from. ``Stream`` hands out each file's records as soon as the
file is checked and keeps only small tuples for the cross-file checks, so a
build (``store.cache``) never holds the whole fact base; ``load_files`` keeps
every record, for callers that want them in memory. A run collects every
problem before it fails.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from ..errors import FactError
from ..model.names import close_matches, name_key
from ..model.records import RECORD_TYPES, Record
from .crosscheck import Loose, Ref, SourceFile, Where, files_named, missing_files, reference_errors
from .discover import NO_FACT_FILES, bundled_facts_dir, fact_roots, find_fact_files
from .overlay import Named, Origin, name_collisions, named_entry, origin_of
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
    """Parse, validate and cross-check *files* (found below *roots*) as one fact base, in memory."""
    result = LoadResult()
    with paused_gc():
        stream = Stream(files, roots, lambda: _spellings(result.records))
        for batch in stream.batches():
            for rec, origin in batch.records:
                result.records.append(rec)
                result.origins[rec.id] = origin
        result.errors = stream.finish()
        result.source_files = stream.source_files
    return result


def _spellings(records: Sequence[Record]) -> Iterator[tuple[str, str, str]]:
    for r in records:
        for spelling in (r.id, r.name, *getattr(r, "aliases", ())):
            yield name_key(spelling), r.id, r.TYPE


class FileBatch:
    """One fact file as a build sees it: its valid (record, origin) pairs and what the cross-file
    checks need of it (``state``, plain JSON data); or, when *reused* is set, a file the previous
    cache holds unchanged (then ``records`` is empty and ``state`` the one stored)."""

    __slots__ = ("path", "records", "reused", "state")

    def __init__(self, path: Path, records: list[tuple[Record, Origin]], state: dict[str, Any], reused: object = None) -> None:
        self.path = path
        self.records = records
        self.state = state
        self.reused = reused


class RefSink(Protocol):
    """Where a ``Stream`` keeps references not settled yet (see ``Stream``)."""

    def append(self, ref: Ref, /) -> None: ...

    def __iter__(self) -> Iterator[Ref]: ...


class NamedSink(Protocol):
    """Where a ``Stream`` keeps each record's names (see ``Stream``)."""

    def append(self, entry: Named, /) -> None: ...

    def __iter__(self) -> Iterator[Named]: ...


class Stream:
    """The fact base file by file: ``batches`` yields each file (``FileBatch``) as soon as it is
    checked, in load order, and keeps only what the cross-file checks need (no records);
    ``finish`` then gives every error, in the order a whole-base load reports them.

    *spellings* gives (name key, id, type) of every loaded record, in load order, for "did you
    mean" (from the store a build writes, or from the records in memory); it is called only when
    a reference names nothing. *reuse* (a cache's) gives, for a file it holds unchanged, a handle
    and the file's stored ``state``: that file is not parsed again. *refs* keeps the references
    not settled when their file was read (a list; a build passes a table of its store, so a
    hundred thousand deals' references to sources read later are not held in memory): ``append``
    one, and iterating gives those ``reference_errors`` must see, at least every one that is not
    a record of a wanted type, in the order they were appended. *named* likewise keeps each
    record's names for ``name_collisions`` (a list; a build's table gives them back, in order,
    only when two records share a name, the one case with an error to report).
    """

    def __init__(
        self,
        files: Sequence[Path],
        roots: Sequence[Path],
        spellings: Callable[[], Iterable[tuple[str, str, str]]],
        reuse: Callable[[Path], tuple[object, dict[str, Any]] | None] | None = None,
        refs: RefSink | None = None,
        named: NamedSink | None = None,
    ) -> None:
        self.files = files
        self.roots = roots
        self.spellings = spellings
        self.reuse = reuse
        self.errors: list[FactError] = []
        self.source_files: list[SourceFile] = []  # every source's ``file``, for ``validate``
        self.count = 0
        self.where: Where = {}  # id -> (type, file, line)
        self.refs: RefSink = [] if refs is None else refs  # references not settled when their file was read
        self.invalid: Where = {}  # records that failed their own checks (crosscheck.reference_errors)
        self.loose: list[Loose] = []
        self.named: NamedSink = [] if named is None else named  # for name_collisions

    def batches(self) -> Iterator[FileBatch]:
        bundled = bundled_facts_dir()
        where, errors = self.where, self.errors
        for path in self.files:
            kept = self.reuse(path) if self.reuse is not None else None
            if kept is not None and self._take(str(path), kept[1]):
                yield FileBatch(path, [], kept[1], kept[0])
                continue
            name = str(path)
            try:
                data, problems = parse_file(path)
                if problems:
                    errors.extend(problems)
                    continue
                records, ctx = check_file(data)
                sources = files_named(data, name)
            except Exception as e:  # last resort: a bug, or a value no check foresaw
                errors.append(unexpected(name, e))
                continue
            base = len(errors)
            origin = origin_of(path, self.roots, bundled)
            errors.extend(FactError(name, line, f or None, msg) for line, f, msg in ctx.problems)
            self.loose.extend((errors[base + i], types, text) for i, types, text in ctx.loose)
            for type_, rid, line in ctx.invalid:
                self.invalid.setdefault(rid, (type_, name, line))
            self.source_files.extend(sources)
            del data
            batch: list[tuple[Record, Origin]] = []
            state: dict[str, Any] = {"where": [], "named": [], "refs": [list(r) for r in ctx.refs]}
            for rec, line in records:
                seen = where.get(rec.id)
                if seen is not None:
                    t, f, ln = seen
                    at = f"{f}:{ln}" if ln else f
                    errors.append(FactError(name, line, "id", f"duplicate id {rec.id!r}: already used by the {t} at {at}"))
                    continue
                where[rec.id] = (rec.TYPE, name, line)
                batch.append((rec, {**origin, "line": line}))
                entry = named_entry(rec, name, line)
                self.named.append(entry)
                state["where"].append([rec.id, rec.TYPE, line])
                state["named"].append([entry[0], entry[1], entry[2], line])
            del records
            self._keep_refs(name, ctx.refs)
            self.count += len(batch)
            yield FileBatch(path, batch, state)

    def _keep_refs(self, name: str, refs: Iterable[Sequence[Any]]) -> None:
        """A reference to a record already read, of a wanted type, can never become an error: drop it now."""
        where = self.where
        for types, ref, fpath, line in refs:
            seen = where.get(ref)
            if seen is None or (types and seen[0] not in types):
                self.refs.append((tuple(types), ref, fpath, name, line))

    def _take(self, name: str, state: dict[str, Any]) -> bool:
        """Count in a file the cache holds unchanged (it was valid on its own); False when one of its
        ids is already taken: that file is parsed again, so the duplicate is reported exactly."""
        where = self.where
        if any(id_ in where for id_, _, _ in state["where"]):
            return False
        for id_, type_, line in state["where"]:
            where[id_] = (type_, name, line)
        for id_, type_, names, line in state["named"]:
            self.named.append((id_, type_, tuple(tuple(n) for n in names), name, line))
        self._keep_refs(name, state["refs"])
        self.count += len(state["where"])
        return True

    def finish(self) -> list[FactError]:
        """Every error: each file's own, then references, then shared names."""
        errors = self.errors
        errors.extend(reference_errors(self.refs, self.where, self.invalid, self.loose, self.spellings))
        errors.extend(name_collisions(self.named))
        return errors


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
    spellings: list[tuple[str, str, str]] = []  # all "did you mean" needs: no records are kept
    stream = Stream(found.files, roots, lambda: spellings)
    for batch in stream.batches():
        spellings.extend(_spellings([rec for rec, _ in batch.records]))
    errors = [FactError(str(root), None, None, NO_FACT_FILES) for root in found.empty]
    errors += stream.finish() + missing_files(stream.source_files, bundled_facts_dir())
    return Validation(len(found.files), stream.count, errors)
