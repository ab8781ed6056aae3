"""Where each record came from, and the one rule that keeps overlays honest.

A team's fact files are read on top of the bundled ones. They may add
records; they may never change what a name already means. A name a person
types (``company Ali``, ``--partner huawei``, ``show bz7``) is looked up among
every record's id and the names and aliases of companies, systems and models,
compared as ``model.names.name_key`` compares them (Unicode NFKC, case folded), and
also as ``loose_key`` does (without spaces, hyphens and underscores), as lookups do.
So two records may not share such a name: a user company with the id ``ali``
would otherwise silently take ``company Ali`` away from Alibaba. The bundled
facts obey the same rule. Titles of deals, sources, conflicts and figure
descriptions are text, not names: ``show`` still finds a record by them, and
says "ambiguous" when two records share one.

``origin_of`` says which root a fact file belongs to, for the ``origin`` of
every record in the output.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from ..errors import FactError
from ..model.names import loose_key, name_key
from ..model.records import Company, Model, Record, System

Origin = dict[str, Any]  # {"kind": "bundled" | "user", "root": str | None, "file": str, "line": int | None}


def origin_of(path: Path, roots: Sequence[Path], bundled: Path | None) -> Origin:
    """The origin of the records in *path*: bundled or user, its root as given, the file relative to it.

    The bundled root is the package's own folder, so its ``root`` is None; a
    root that is a file is its own root, and ``file`` is its name.
    """
    for root in roots:
        if path == root:
            rel = path.name
        elif path.is_relative_to(root):
            rel = path.relative_to(root).as_posix()
        else:
            continue
        kind = "bundled" if bundled is not None and root == bundled else "user"
        return {"kind": kind, "root": None if kind == "bundled" else str(root), "file": rel, "line": None}
    return {"kind": "user", "root": None, "file": str(path), "line": None}


def _names(rec: Record) -> Iterator[tuple[str, str, str]]:
    """(what, field, the name as written) for every name *rec* can be found by."""
    yield "id", "id", rec.id
    if isinstance(rec, (Company, System, Model)):
        yield "name", "name", rec.name
        for i, alias in enumerate(rec.aliases):
            yield "alias", f"aliases[{i}]", alias


# What name_collisions needs of a record, without the record: (id, type, its names, file, line).
Named = tuple[str, str, tuple[tuple[str, str, str], ...], str, "int | None"]


def named_entry(rec: Record, file: str, line: int | None) -> Named:
    return rec.id, rec.TYPE, tuple(_names(rec)), file, line


def name_collisions(entries: Iterable[Named]) -> list[FactError]:
    """Every name that two records share, as an error at the later one naming the earlier one's file.

    *entries* (``named_entry``) are in load order: bundled facts first, so a
    user record that reuses a bundled name is the one reported. Records with
    the same id are not compared here (the loader reports a duplicate id).
    """
    owner: dict[str, tuple[str, str, str, str, int | None]] = {}
    loose: dict[str, tuple[str, str, str, str, str, int | None]] = {}  # loose key -> (id, type, what, written, file, line)
    errors: list[FactError] = []
    for id_, type_, names, file, line in entries:
        for what, field, written in names:
            key = name_key(written)
            seen = owner.get(key)
            if seen is None:
                owner[key] = (id_, type_, what, file, line)
            elif seen[0] != id_:  # a record's name may equal its own id or alias
                other_id, other_type, other_what, other_file, other_line = seen
                at = f"{other_file}:{other_line}" if other_line else other_file
                errors.append(
                    FactError(
                        file, line, field,
                        f"{what} {written!r} is already the {other_what} of the {other_type} {other_id!r} ({at}); "
                        "a name may mean only one record, whatever its case",
                    )
                )
                continue
            # A name is also found regardless of spaces, hyphens and underscores ("Mercedes Benz"
            # finds Mercedes-Benz), so two records may not share that form either.
            lkey = loose_key(written)
            near = loose.get(lkey)
            if near is None:
                loose[lkey] = (id_, type_, what, written, file, line)
            elif near[0] != id_ and name_key(near[3]) != key:
                other_id, other_type, other_what, other_written, other_file, other_line = near
                at = f"{other_file}:{other_line}" if other_line else other_file
                errors.append(
                    FactError(
                        file, line, field,
                        f"{what} {written!r} differs from the {other_what} {other_written!r} of the {other_type} "
                        f"{other_id!r} ({at}) only in spaces, hyphens or underscores, which lookups ignore; "
                        "a name may mean only one record",
                    )
                )
    return errors
