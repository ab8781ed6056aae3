"""Answers before Typer: ``--version``, ``--help`` and shell completion from what the last full run left.

Importing typer, click and rich costs several times what ``python -c pass``
does, more than either answer needs. So the last full run of ``--version``
or of a completion leaves its answers in the cache folder (``cli.completion``
writes them): the fact base line, the completion candidates of the fact base
(companies, record ids, domains, metrics) and the shape of the command line
(commands, options, arguments, how each completes), and the root help
screen as plain values (``render.help.screen``; rich draws it, for the
terminal at hand, with ``render.help.draw``). ``__main__`` asks this
module first; it answers from that file when its key still matches, and
otherwise says None, and the full program runs (and writes the file again).

The key holds what the answers depend on: the tool's and Python's version,
the fact roots with every fact file's path, size and modification time (the
walk ``load.discover`` does), each root's VERSION file and every module of
the package (size and modification time). Only ``os``, ``sys``, ``marshal``
and ``zlib`` are imported: no pathlib, no typing, no sqlite3.

Completion follows click's protocol as Typer's shell scripts drive it
(``_AUTOALLIANCES_COMPLETE=complete_bash`` with ``COMP_WORDS`` and
``COMP_CWORD``; ``complete_zsh`` and ``complete_fish`` with
``_TYPER_COMPLETE_ARGS``), for the words the project completes: command
names, option names, and option and argument values. Anything it does not
model exactly (quotes, ``--``, short option clusters, ``--facts``, a root
option, help text that rich would change) is left to the full program.
"""

from __future__ import annotations

import marshal
import os
import sys
import zlib

from .version import __version__

FORMAT = "1"
CACHE_ENV = "AUTOALLIANCES_CACHE_DIR"  # as store.cache
BUNDLED_ENV = "AUTOALLIANCES_BUNDLED"  # as load.discover
FACTS_ENV = "AUTOALLIANCES_FACTS"
COMPLETE_ENV = "_AUTOALLIANCES_COMPLETE"
FACT_SUFFIXES = (".yaml", ".yml")
PACKAGE = os.path.dirname(os.path.realpath(__file__))
_SHLEX_SPACE = " \t\r\n"  # what click's split_arg_string (shlex, whitespace_split) splits on


def cache_dir() -> str:
    """``store.cache.cache_dir`` without pathlib (a relative XDG_CACHE_HOME is ignored)."""
    given = os.environ.get(CACHE_ENV)
    if given:
        return os.path.abspath(given)
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    base = xdg if os.path.isabs(xdg) else os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "autoalliances")


def bundled_dir() -> str:
    """``load.discover.bundled_facts_dir`` without pathlib."""
    inside = os.path.join(PACKAGE, "facts")
    return inside if os.path.isdir(inside) else os.path.join(os.path.dirname(PACKAGE), "facts")


def fact_roots() -> list[str]:
    """``load.discover.fact_roots()`` (no ``--facts``), the strings as given."""
    roots = [bundled_dir()] if os.environ.get(BUNDLED_ENV, "1") != "0" else []
    return roots + [p for p in os.environ.get(FACTS_ENV, "").split(os.pathsep) if p]


def _walk(root: str, suffixes: tuple[str, ...], out: list[str]) -> None:
    """One line per entry below *root* that ``load.discover`` might read (a name ending in
    *suffixes*, in any case, or anything that is neither a plain file nor a folder): path,
    size, modification and change times, inode (of what a link points to, so pointing a link
    elsewhere changes its line too; no realpath per file, which costs more than the rest).

    At least as sensitive as ``load.discover``'s walk, never less: an answer is only reused
    when nothing the full program would read has changed. Each folder is entered once
    (a link to a folder above cannot loop).
    """
    try:
        st = os.stat(root)
    except OSError:
        out.append(f"missing\t{root}")
        return
    if not os.path.isdir(root):
        out.append(f"{root}\t{st.st_size}\t{st.st_mtime_ns}\t{st.st_ctime_ns}\t{st.st_ino}")
        return
    found: list[str] = []
    seen = {(st.st_dev, st.st_ino)}
    stack = [root]
    while stack:
        d = stack.pop()
        try:
            entries = list(os.scandir(d))
        except OSError:
            found.append(f"unreadable\t{d}")
            continue
        for e in entries:
            if e.name.startswith(".") or e.name == "__pycache__":
                continue
            try:
                fst = e.stat()
            except OSError:  # a dangling or looping link: discover reports it
                found.append(f"unstatable\t{e.path}")
                continue
            if e.is_dir():
                if (fst.st_dev, fst.st_ino) not in seen:
                    seen.add((fst.st_dev, fst.st_ino))
                    stack.append(e.path)
            elif e.name.lower().endswith(suffixes) or not e.is_file():
                found.append(f"{e.path}\t{fst.st_size}\t{fst.st_mtime_ns}\t{fst.st_ctime_ns}\t{fst.st_ino}")
    found.sort()
    out.extend(found)


def key() -> tuple[str, str]:
    """(file name, key) of the answers for the fact base and program this run would use."""
    roots = fact_roots()
    head = [FORMAT, __version__, sys.version, PACKAGE, *roots]
    lines: list[str] = []
    for root in roots:
        _walk(root, FACT_SUFFIXES, lines)
        try:
            st = os.stat(os.path.join(root, "VERSION"))
            lines.append(f"VERSION\t{root}\t{st.st_size}\t{st.st_mtime_ns}")
        except OSError:
            lines.append(f"no VERSION\t{root}")
    _walk(PACKAGE, (".py",), lines)
    text = "\n".join(head)
    return os.path.join(cache_dir(), f"answers-{zlib.crc32(text.encode()):08x}"), text + "\n" + "\n".join(lines)


# Two files: --version reads the small one only (the completion data is most of the bytes).
PARTS = {"version": ".version.marshal", "completion": ".completion.marshal", "help": ".help.marshal"}


missed: list[str] = []  # the parts this run found missing or stale: the full run writes them again


def load(part: str) -> dict | None:  # type: ignore[type-arg]  # marshal gives plain values
    """The answers (*part*: version, completion or help) left for this fact base and program, or
    None (none, stale or unreadable)."""
    path, want = key()
    data = None
    try:
        fd = os.open(path + PARTS[part], os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        fd = -1
    if fd >= 0:
        try:
            if _private(os.fstat(fd)) and _private(os.stat(os.path.dirname(path))):
                with os.fdopen(fd, "rb") as f:
                    fd = -1
                    body = f.read()
                if len(body) > 4 and zlib.crc32(body[4:]).to_bytes(4, "big") == body[:4]:
                    data = marshal.loads(body[4:])
        except (OSError, EOFError, ValueError, TypeError):
            data = None
        finally:
            if fd >= 0:
                os.close(fd)
    if not isinstance(data, dict) or data.get("key") != want:
        missed.append(part)
        return None
    return data


def save(parts: dict, path: str) -> None:  # type: ignore[type-arg]
    """Write each of *parts* (by name, as ``PARTS``) beside *path*, whole or not at all
    (a temporary file renamed into place)."""
    folder = os.path.dirname(path)
    os.makedirs(folder, mode=0o700, exist_ok=True)
    if not _private(os.stat(folder)):
        return  # a folder others can write to: leave no answers there (store.cache uses none either)
    for part, data in parts.items():
        target = path + PARTS[part]
        tmp = os.path.join(folder, f".tmp-{os.getpid():x}-{part}")
        try:
            body = marshal.dumps(data)
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
            with os.fdopen(fd, "wb") as f:
                f.write(zlib.crc32(body).to_bytes(4, "big") + body)
            os.replace(tmp, target)
        finally:
            if os.path.lexists(tmp):
                os.remove(tmp)


def _private(st: os.stat_result) -> bool:
    """Whether a file or folder is this user's own and nobody else can write to it.

    The answers are printed as they are (completion candidates reach the shell), so a file
    another user could have planted or changed is never read: the same rule as ``store.cache``.
    """
    if hasattr(os, "getuid") and st.st_uid != os.getuid():
        return False
    return not st.st_mode & 0o022


# --- --version ---------------------------------------------------------------------------------


def version_text() -> str | None:
    """What ``--version`` prints, or None when the full program must answer."""
    data = load("version")
    if data is None:
        return None
    return "".join(line + "\n" for line in [f"autoalliances {__version__}", *data["version"]])


def help_screen() -> dict | None:  # type: ignore[type-arg]
    """The root help screen (``render.help.screen``) the last full run left, or None."""
    data = load("help")
    return None if data is None else data["screen"]


# --- completion --------------------------------------------------------------------------------


class Fallback(Exception):
    """The fast path does not model this input: let Typer answer."""


def _split(text: str) -> list[str]:
    """click's ``split_arg_string`` for text without quotes or escapes."""
    if any(c in "'\"\\" or (c.isspace() and c not in _SHLEX_SPACE) for c in text):
        raise Fallback
    for c in _SHLEX_SPACE[1:]:
        text = text.replace(c, " ")
    return [w for w in text.split(" ") if w]


def _words(shell: str, env: dict[str, str]) -> tuple[list[str], str]:
    """(complete words after the program name, the incomplete word), as Typer's classes read them."""
    if shell == "bash":
        cword_text = env.get("COMP_CWORD", "")
        if "COMP_WORDS" not in env or not cword_text.isascii() or not cword_text.isdigit():
            raise Fallback
        cwords, cword = _split(env["COMP_WORDS"]), int(cword_text)
        return cwords[1:cword], cwords[cword] if cword < len(cwords) else ""
    raw = env.get("_TYPER_COMPLETE_ARGS", "")
    args = _split(raw)[1:]
    if args and not raw.endswith(" "):
        return args[:-1], args[-1]
    return args, ""


def _parse(node: dict, words: list[str]) -> tuple[dict, set[str], list[str]]:  # type: ignore[type-arg]
    """Follow click's resilient parsing: (deepest command, names given on the command line, its words)."""
    given: set[str] = set()
    positional = 0
    i = 0
    while i < len(words):
        w = words[i]
        if w == "--":
            raise Fallback
        if w.startswith("-") and w != "-":
            if node["root"]:
                raise Fallback  # --version, --install-completion... run their callbacks while completing
            name, eq, _ = w.partition("=")
            if not name.startswith("--") and len(w) != 2:
                raise Fallback  # -cBM, -abc, -c=BM
            opt = node["by_name"].get(name)
            if opt is None:
                raise Fallback
            pname, is_flag, nargs, special = opt[0], opt[3], opt[5], opt[7]
            if special or nargs != 1:
                raise Fallback
            if is_flag:
                if eq:
                    raise Fallback
                given.add(pname)
            elif eq:
                given.add(pname)
            elif i + 1 < len(words):
                given.add(pname)
                i += 1
            else:
                break  # click stops at an option that lacks its value (resilient parsing)
        elif node["commands"] is not None:
            sub = node["commands"].get(w)
            if sub is None:
                raise Fallback
            return _parse(sub[1], words[i + 1 :])
        else:
            arguments = node["arguments"]
            if positional < len(arguments):
                if arguments[positional][1] != 1:
                    raise Fallback  # nargs=-1 or more: let click spread the values
                given.add(arguments[positional][0])
            positional += 1
        i += 1
    return node, given, words


def _values(how: tuple, incomplete: str, facts: dict) -> list[tuple[str, str | None]]:  # type: ignore[type-arg]
    kind = how[0]
    if kind == "none":
        return []
    if kind == "file":
        return [(incomplete, None)]
    if kind == "choice":
        choices, case_sensitive = how[1], how[2]
        if case_sensitive:
            return [(c, None) for c in choices if c.startswith(incomplete)]
        low = incomplete.lower()
        return [(c, None) for c in choices if c.lower().startswith(low)]
    if kind == "companies":
        out: list[tuple[str, str | None]] = []
        for spellings, help_ in facts["companies"]:
            for s in spellings:
                if s.startswith(incomplete):
                    out.append((s, help_))
                    break
        return out
    if kind == "record_ids":
        import bisect

        ids = facts["ids"]
        end = incomplete + "\uffff"
        start = bisect.bisect_left(ids, (incomplete,))
        picked = []
        for row in ids[start : start + 200]:
            if row[0] >= end:
                break
            picked.append(row)
        return [(id_, type_) for id_, type_, safe in picked if safe and id_.startswith(incomplete)]
    if kind in ("domains", "metrics"):
        return [(v, h) for v, h in facts[kind] if v.startswith(incomplete)]
    raise Fallback


def candidates(data: dict, words: list[str], incomplete: str) -> list[tuple[str, str | None]]:  # type: ignore[type-arg]
    """(value, help) pairs, as click's ``get_completions`` finds them for this shape of command line."""
    if any(w == "--facts" or w.startswith("--facts=") for w in words):
        raise Fallback  # the completers open the fact base these name
    node, given, _ = _parse(data["spec"], words)
    args = list(words)
    if incomplete == "=":
        incomplete = ""
    elif "=" in incomplete and incomplete.startswith("-"):
        name, _, incomplete = incomplete.partition("=")
        args.append(name)
    if "--" not in args and incomplete.startswith("-"):
        return _names(node, given, incomplete)
    if args and args[-1].startswith("-"):  # the last complete word is an option: does it need a value?
        for opt in node["options"]:
            if not opt[3] and args[-1] in opt[1]:
                return _values(opt[6], incomplete, data)
    for name, nargs, how in node["arguments"]:
        if nargs == -1 or name not in given:
            return _values(how, incomplete, data)
    return _names(node, given, incomplete)


def _names(node: dict, given: set[str], incomplete: str) -> list[tuple[str, str | None]]:  # type: ignore[type-arg]
    out: list[tuple[str, str | None]] = []
    if node["commands"] is not None:
        out += [(name, sub[0]) for name, sub in node["commands"].items() if name.startswith(incomplete) and not sub[2]]
    if incomplete and not incomplete[0].isalnum():
        for pname, opts, secondary, _, hidden, _, _, _, multiple, help_ in node["options"]:
            if hidden or (not multiple and pname in given):
                continue
            out += [(n, help_) for n in [*opts, *secondary] if n.startswith(incomplete)]
    return out


def _width(env: dict[str, str]) -> int:
    """A width no larger than the one rich's console would use for Typer's help sanitizer."""
    forced = env.get("TERMINAL_WIDTH")
    if forced:
        if not forced.isdigit():
            raise Fallback
        return int(forced)
    columns = env.get("COLUMNS")
    if columns is not None and columns.isdigit():
        return int(columns)
    width = 80
    for fd in (0, 1, 2):
        try:
            width = min(width, os.get_terminal_size(fd).columns)
        except OSError:  # not a terminal
            continue
    return width


def _plain(text: str, width: int, *, escaped: bool = False) -> str:
    """*text* as Typer's ``rich_render_text`` gives it back: unchanged, or Fallback when rich might change it.

    rich reads ``[`` as markup, ``:name:`` as an emoji (not after zsh's escape: every colon then
    follows a backslash, which no emoji name holds) and wraps at the console's width.
    """
    if "[" in text or not text.isprintable() or (not escaped and text.count(":") > 1):
        raise Fallback
    cells = len(text) if text.isascii() else 2 * len(text)
    if cells >= width:
        raise Fallback
    return text


def _zsh_escape(s: str) -> str:
    return s.replace('"', '""').replace("'", "''").replace("$", "\\$").replace("`", "\\`").replace(":", r"\\:")


def complete(instruction: str, env: dict[str, str]) -> tuple[str, int] | None:
    """(what to print, exit code) for a completion request, or None: the full program answers."""
    shell = {"complete_bash": "bash", "complete_zsh": "zsh", "complete_fish": "fish"}.get(instruction)
    if shell is None:
        return None
    try:
        data = load("completion")
        if data is None or "spec" not in data:
            return None
        words, incomplete = _words(shell, env)
        items = candidates(data, words, incomplete)
        if shell == "bash":
            return "\n".join(v for v, _ in items) + "\n", 0
        width = _width(env)
        if shell == "zsh":
            res = [f'"{_zsh_escape(v)}":"{_plain(_zsh_escape(h), width, escaped=True)}"' if h else f'"{_zsh_escape(v)}"' for v, h in items]
            return (f"_arguments '*: :(({chr(10).join(res)}))'" if res else "_files") + "\n", 0
        action = env.get("_TYPER_COMPLETE_FISH_ACTION", "")
        if action == "is-args":
            return "", 0 if items else 1
        if action != "get-args" or not items:
            return "\n", 0
        return "\n".join(f"{v}\t{_plain(h, width)}" if h else v for v, h in items) + "\n", 0
    except Fallback:
        return None
