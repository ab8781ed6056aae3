"""``new``: the values of a new record checked against the fact base, and its file written safely.

``gather`` reads every record the new one may collide with or refer to:
the bundled facts, ``AUTOALLIANCES_FACTS``, ``--facts`` and the fact files
in the target folder. It reads them leniently (a half-filled file from an
earlier ``new`` still lends its id), since ``validate`` is where files are
judged. ``check`` turns the text given for each field into a checked value
(a reference given as a name or alias becomes the record's id), or fails
naming the option; ``write_new`` writes ``<id>.yaml`` atomically and never
over an existing file.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import OutputError, UsageError
from ..files import write_atomically
from ..load.discover import discover, fact_roots
from ..load.parse import parse_file
from ..load.validate import SLUG_RE, Context, _url
from ..model.dates import FuzzyDate
from ..model.names import close_matches, name_key
from ..model.records import RECORD_TYPES, Amount
from ..model.vocab import Qualifier, Scale, Unit, choices
from .scaffold import NAME_FIELDS, FieldSpec, fields_of

SCHEMA_FILE = "facts.schema.json"


@dataclass
class Known:
    """Ids, names and aliases of the records already there."""

    where: dict[str, tuple[str, str, int | None]] = field(default_factory=dict)  # id -> (type, file, line)
    spellings: list[tuple[str, str, str]] = field(default_factory=list)  # (name key, id, type)
    skipped: list[str] = field(default_factory=list)  # files that could not be read, with why

    def add(self, type_: str, item: dict[str, Any], path: str) -> None:
        rid = item.get("id")
        if not isinstance(rid, str):
            return
        self.where.setdefault(rid, (type_, path, getattr(item, "line", None)))
        names = [rid, item.get(NAME_FIELDS.get(type_, "name"))]
        aliases = item.get("aliases")
        names += aliases if isinstance(aliases, list) else []
        self.spellings += [(name_key(n), rid, type_) for n in names if isinstance(n, str)]

    def ids(self, types: Sequence[str] = ()) -> list[str]:
        return sorted(i for i, (t, _, _) in self.where.items() if not types or t in types)


def gather(facts: Sequence[str | os.PathLike[str]], folder: Path) -> Known:
    """Every record in the fact base and in *folder*'s own fact files (not its subfolders)."""
    files, _ = discover(fact_roots(facts))
    if folder.is_dir():
        files += sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file() and not p.name.startswith("."))
    known = Known()
    seen: set[Path] = set()
    for path in files:
        real = path.resolve()
        if real in seen:
            continue
        seen.add(real)
        data, problems = parse_file(path)
        if data is None or not isinstance(data, dict):
            if problems:
                known.skipped.append(str(problems[0]))
            continue
        for key, items in data.items():
            cls = RECORD_TYPES.get(key)
            if cls is not None and isinstance(items, list):
                for item in items:
                    if isinstance(item, dict):
                        known.add(cls.TYPE, item, str(path))
    return known


def slugify(text: str, limit: int = 60) -> str:
    """An id made from a name or title: "BMW and Huawei's HarmonyOS" -> "bmw-and-huawei-s-harmonyos"."""
    plain = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch)).casefold()
    words = "".join(ch if ch.isascii() and ch.isalnum() else " " for ch in plain).split()
    slug = ""
    for w in words:
        if slug and len(slug) + 1 + len(w) > limit:
            break
        slug = f"{slug}-{w}" if slug else w[:limit]
    return slug


def resolve(known: Known, text: str, types: tuple[str, ...], flag: str) -> str:
    """The id of the one record of *types* that *text* (an id, name or alias) stands for."""
    seen = known.where.get(text)
    if seen is not None and (not types or seen[0] in types):
        return text
    key = name_key(text.strip())
    hits = list(dict.fromkeys(i for k, i, t in known.spellings if k == key and (not types or t in types)))
    if len(hits) == 1:
        return hits[0]
    what = " or ".join(types) if types else "record"
    if len(hits) > 1:
        raise UsageError(f"{flag}: {text!r} is ambiguous: it names {', '.join(repr(h) for h in hits)}; give the id")
    pool: dict[str, str] = {}
    for k, i, t in known.spellings:
        if not types or t in types:
            pool.setdefault(k, i)
    close = list(dict.fromkeys(pool[m] for m in close_matches(key, pool, n=3)))
    hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
    if seen is not None:
        raise UsageError(f"{flag}: {text!r} is a {seen[0]}, not a {what}{hint}")
    raise UsageError(f"{flag}: no {what} with the id, name or alias {text!r}{hint}")


def parse_amount(text: str, flag: str) -> Amount:
    """'1.5 billion EUR', 'about 714,500 vehicles' -> an Amount."""
    words = text.replace(",", "").split()
    qualifier = "exact"
    if words and words[0] in choices(Qualifier):
        qualifier = words.pop(0)
    usage = f"{flag}: {text!r} is not an amount: write it as [QUALIFIER] NUMBER [SCALE] UNIT, e.g. '1.5 billion EUR'"
    if len(words) not in (2, 3):
        raise UsageError(usage)
    try:
        number = float(words[0])
    except ValueError:
        raise UsageError(usage) from None
    scale = words[1] if len(words) == 3 else None
    unit = words[-1]
    if scale is not None and scale not in choices(Scale):
        raise UsageError(f"{flag}: scale {scale!r} is not one of: {', '.join(choices(Scale))}")
    if unit not in choices(Unit):
        close = close_matches(unit, choices(Unit), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise UsageError(f"{flag}: unit {unit!r} is not one of: {', '.join(choices(Unit))}{hint}")
    amount: int | float = int(number) if number.is_integer() and "." not in words[0] else number
    return Amount(amount, unit, scale, qualifier)  # type: ignore[arg-type]


def _one(spec: FieldSpec, text: str, known: Known, type_: str) -> Any:
    flag = spec.flag
    if spec.name == "value":
        return parse_amount(text, flag)
    if spec.name in ("readings", "inferred"):
        key, sep, rest = text.partition("=")
        if not sep or not key.strip() or not rest.strip():
            shape = "SOURCE=TEXT" if spec.name == "readings" else "FIELD=WHY"
            raise UsageError(f"{flag}: {text!r}: write it as {shape}")
        if spec.name == "readings":
            return (resolve(known, key.strip(), ("source",), flag), rest.strip())
        top = key.strip().split(".")[0].split("[")[0]
        names = [f.name for f in fields_of(type_) if f.name not in ("id", "sources", "inferred", "alias_sources")]
        if top not in names:
            close = close_matches(top, names, n=1)
            raise UsageError(f"{flag}: {key.strip()!r} is not a field of a {type_}" + (f" (did you mean {close[0]!r}?)" if close else ""))
        return (key.strip(), rest.strip())
    text = text.strip()
    if not text:
        raise UsageError(f"{flag}: must not be empty")
    if spec.kind == "id":
        if not SLUG_RE.match(text):
            raise UsageError(f"{flag}: {text!r} is not a valid id: use lowercase letters, digits and single hyphens")
        return text
    if spec.kind == "ref":
        return resolve(known, text, spec.types, flag)
    if spec.kind == "date":
        try:
            return FuzzyDate.parse(text)
        except ValueError as e:
            raise UsageError(f"{flag}: {e}") from None
    if spec.kind == "choice":
        if text not in spec.values:
            close = close_matches(text, spec.values, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise UsageError(f"{flag}: {text!r} is not one of: {', '.join(spec.values)}{hint}")
        return text
    if spec.kind == "url":
        ctx = Context()
        if _url(text, "", None, ctx) is not text:
            raise UsageError(f"{flag}: {ctx.problems[0][2]}")
        return text
    if spec.kind == "number":
        try:
            number = float(text)
        except ValueError:
            raise UsageError(f"{flag}: {text!r} is not a number") from None
        return int(number) if number.is_integer() and "." not in text else number
    return text


def check(type_: str, given: Mapping[str, str | list[str] | None], known: Known) -> dict[str, Any]:
    """Field -> checked value for the fields given (text from options or prompts); the id included."""
    values: dict[str, Any] = {}
    for spec in fields_of(type_):
        raw = given.get(spec.name)
        if raw is None or raw == []:
            continue
        if spec.many or spec.name in ("readings", "inferred"):
            items = raw if isinstance(raw, list) else [raw]
            checked = [_one(spec, t, known, type_) for t in items]
            values[spec.name] = dict(checked) if spec.name == "inferred" else list(dict.fromkeys(checked))
        else:
            values[spec.name] = _one(spec, raw if isinstance(raw, str) else raw[-1], known, type_)
    values["id"] = _new_id(type_, values, known)
    return values


def _new_id(type_: str, values: dict[str, Any], known: Known) -> str:
    rid = values.get("id")
    if rid is None:
        if type_ == "figure":
            parts = [values.get("company") or "", values.get("metric") or "", str(values.get("period") or "")]
            base = " ".join(p for p in parts if p) if values.get("metric") else ""
        else:
            base = values.get(NAME_FIELDS[type_]) or ""
        rid = slugify(str(base))
        if not rid:
            source = "--company, --metric and --period" if type_ == "figure" else f"--{NAME_FIELDS[type_]}"
            why = f"cannot make an id from {base!r}" if base else "the new file is named after the record's id"
            raise UsageError(f"{why}: give --id, or {source} to make it from")
    seen = known.where.get(rid)
    if seen is not None:
        t, path, line = seen
        at = f"{path}:{line}" if line else path
        raise UsageError(f"there is already a {t} with id {rid!r} ({at}); choose another with --id")
    return str(rid)


def missing(type_: str, values: Mapping[str, Any]) -> list[str]:
    """The fields still to fill in before the record validates (required, or required by a rule)."""
    out = [s.name for s in fields_of(type_) if s.required and s.name not in values]
    if type_ == "deal" and not values.get("partners") and not values.get("unnamed_partner"):
        out.append("partners (or unnamed_partner)")
    if type_ == "figure":
        if not values.get("company") and not values.get("scope"):
            out.append("company (or scope)")
        if not values.get("value"):
            out.append("value (or change)")
    return out


def schema_location(folder: Path, given: str | None, bundled: Path) -> str:
    """What the modeline points at: *given*; else the nearest facts.schema.json up from *folder*
    (a relative path, so the file works in every checkout); else the schema installed with the package."""
    if given:
        return given
    here = folder.resolve()
    for d in (here, *here.parents):
        for candidate in (d / SCHEMA_FILE, d / "schema" / SCHEMA_FILE):
            if candidate.is_file():
                return Path(os.path.relpath(candidate, here)).as_posix()
    return bundled.resolve().as_uri()


def write_new(folder: Path, rid: str, text: str) -> Path:
    """Write *text* to ``folder/<rid>.yaml``, atomically; never over an existing file."""
    if not folder.exists():
        raise OutputError(f"cannot write in {folder}: the folder does not exist (create it first: mkdir {folder})")
    if not folder.is_dir():
        raise OutputError(f"cannot write in {folder}: it is not a folder")
    target = folder / f"{rid}.yaml"
    try:
        write_atomically(target, lambda tmp: tmp.write_text(text, encoding="utf-8"), replace=False)
    except FileExistsError:
        raise UsageError(f"{target} already exists; choose another id with --id, or another folder with --dir") from None
    except OSError as e:
        raise OutputError(f"cannot write {target}: {e.strerror or e}") from None
    return target
