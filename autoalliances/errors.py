"""One error hierarchy for the whole package, with the exit code each maps to.

The CLI turns these into a one-line message on stderr and the exit code in one
place (``cli.main``); library callers catch them like any exception.
"""

from __future__ import annotations

# Exit codes, documented in the README.
EXIT_OK = 0
EXIT_INTERNAL = 1  # a bug: an exception we did not expect
EXIT_USAGE = 2  # bad usage or an unknown name (click uses 2 for usage too)
EXIT_DATA = 3  # invalid fact data
EXIT_OUTPUT = 4  # cannot write an output file (missing folder, unwritable); an existing one without --force is 2


class AutoAlliancesError(Exception):
    """Base class: a printable, expected failure."""

    exit_code = EXIT_INTERNAL


class UsageError(AutoAlliancesError):
    """The user asked for something that cannot be answered as asked."""

    exit_code = EXIT_USAGE


class UnknownNameError(UsageError):
    """A name or id that matches no record; carries close matches."""

    def __init__(self, what: str, name: str, suggestions: list[str], elsewhere: list[tuple[str, str]] | None = None) -> None:
        self.what = what
        self.name = name
        self.suggestions = suggestions
        self.elsewhere = elsewhere or []  # (id, type) of records of other types that the name stands for
        if self.elsewhere:
            id_, type_ = self.elsewhere[0]
            others = "".join(f", {t} {i!r}" for i, t in self.elsewhere[1:])
            msg = f"{name!r} is a {type_}, not a {what}{' (it also names' + others[1:] + ')' if others else ''}: autoalliances show {id_}"
        else:
            msg = f"unknown {what} {name!r}"
            if suggestions:
                msg += "; did you mean " + ", ".join(repr(s) for s in suggestions) + "?"
        super().__init__(msg)


class OutputError(AutoAlliancesError):
    """An output file cannot be written."""

    exit_code = EXIT_OUTPUT


class OutputExistsError(OutputError):
    """The output file exists and --force was not given: a usage error, so exit 2."""

    exit_code = EXIT_USAGE

    def __init__(self, path: str) -> None:
        self.path = path
        super().__init__(f"{path} already exists; use --force to overwrite it")


class FactError:
    """One problem in one fact file, located as ``file:line: field: message``."""

    __slots__ = ("field", "line", "message", "path")

    def __init__(self, path: str, line: int | None, field: str | None, message: str) -> None:
        self.path = path
        self.line = line
        self.field = field
        self.message = message

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"

    def __repr__(self) -> str:
        return f"FactError({str(self)!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FactError) and str(self) == str(other)

    def __hash__(self) -> int:
        return hash(str(self))


def in_file_order(errors: list[FactError]) -> list[FactError]:
    """*errors* sorted by file, then line (a problem without a line first), as an editor lists them."""
    return sorted(errors, key=lambda e: (e.path, e.line or 0, e.field or "", e.message))


class FactDataError(AutoAlliancesError):
    """The fact files are invalid; holds every error found in one run."""

    exit_code = EXIT_DATA

    def __init__(self, errors: list[FactError]) -> None:
        self.errors = in_file_order(errors)
        n = len(errors)
        super().__init__(f"{n} error{'s' if n != 1 else ''} in fact files")


class CacheDamaged(AutoAlliancesError):
    """A cache file failed while it was read (corrupt page, row that does not decode or match its
    checksum). The command line discards the file and answers from a fresh build; only a library
    caller ever sees this."""

    def __init__(self, path: object, reason: str) -> None:
        self.path = path
        super().__init__(f"the cache file {path} is damaged ({reason}); delete it and run again")
