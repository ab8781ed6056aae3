"""How a value the editors inferred is shown: a dagger and a footnote, or, with --stated-only, nothing.

One ``Marks`` per screen or document. ``mark`` puts ``†`` after an inferred
value (``†1``, ``†2``... when the screen gives more than one reason) and keeps
the reason for the footnote "† inferred by the editors: <reason>"; the
character carries the meaning, never a colour alone. With ``stated_only``
the value is hidden instead: ``show`` returns None, list items are dropped,
and a table prints ``HIDDEN`` in its place. With ``markers`` off (CSV, JSON)
values pass unchanged and only hiding applies.

Plain text, no rich: the tables, the Markdown writer and the diagrams share it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from ..model.provenance import reasons, search_aliases
from ..model.records import UNNAMED_PARTNER, Amount
from .text import amount, one_line

DAGGER = "†"
HIDDEN = "(inferred, hidden)"
SEARCH_AID = "(search aid)"
HIDDEN_NOTE = f"{HIDDEN}: a value the editors inferred, left out by --stated-only"


class Marks:
    """The inference markers of one screen, and their footnotes."""

    __slots__ = ("hid", "markers", "numbered", "order", "stated_only")

    def __init__(self, *, stated_only: bool = False, markers: bool = True, numbered: bool = True) -> None:
        self.stated_only = stated_only
        self.markers = markers and not stated_only  # nothing inferred is shown when it is hidden
        self.numbered = numbered
        self.order: list[str] = []  # reasons, in order of first use
        self.hid = False  # was a value replaced by HIDDEN?

    def dagger(self, why: Iterable[str]) -> str:
        """'†' or '†1†3': one mark per reason, numbered in order of first use when the screen has several."""
        out = ""
        for r in why:
            if r not in self.order:
                self.order.append(r)
            out += DAGGER + (str(self.order.index(r) + 1) if self.numbered else "")
        return out

    def hidden(self, rec: object, path: str, *, deep: bool = False) -> bool:
        return self.stated_only and bool(reasons(rec, path, deep=deep))

    def mark(self, rec: object, path: str, text: str, *, deep: bool = False) -> str:
        """*text* with the daggers of the reasons that cover *path* (and its parts, with *deep*)."""
        if not self.markers:
            return text
        why = reasons(rec, path, deep=deep)
        return text + self.dagger(why) if why else text

    def show(self, rec: object, path: str, text: str, *, deep: bool = False) -> str | None:
        """*text* marked, or None when --stated-only hides it."""
        if self.hidden(rec, path, deep=deep):
            return None
        return self.mark(rec, path, text, deep=deep)

    def cell(self, rec: object, path: str, text: str | None, *, deep: bool = False) -> str | None:
        """What a table prints for a value: marked, ``HIDDEN`` in its place, or None when there is none."""
        if text is None:
            return None
        shown = self.show(rec, path, text, deep=deep)
        if shown is None:
            self.hid = True
            return HIDDEN
        return shown

    def items(self, rec: object, name: str, texts: Sequence[str]) -> list[str]:
        """The items of list field *name*, each marked; items --stated-only hides are left out."""
        out = []
        for i, text in enumerate(texts):
            shown = self.show(rec, f"{name}[{i}]", text)
            if shown is not None:
                out.append(shown)
        return out

    def joined(self, rec: object, name: str, texts: Sequence[str], sep: str = ", ") -> str | None:
        """The items joined; ``HIDDEN`` when every item is hidden; None when there are none."""
        if not texts:
            return None
        shown = self.items(rec, name, texts)
        if not shown:
            self.hid = True
            return HIDDEN
        return sep.join(shown)

    def amount(self, rec: object, path: str, a: Amount | None, *, printed: bool = True) -> str:
        """An amount with its marks; with --stated-only an inferred qualifier is dropped and said to be."""
        if a is None:
            return ""
        if self.hidden(rec, path):
            self.hid = True
            return HIDDEN
        if self.stated_only and reasons(rec, f"{path}.qualifier"):
            self.hid = True
            plain = Amount(a.amount, a.unit, a.scale, "exact", a.equivalents, a.as_printed)
            return amount(plain, printed=printed) + " (qualifier inferred, hidden)"
        return self.mark(rec, path, amount(a, printed=printed), deep=True)

    def deal_parties(self, d: Any, name: Callable[[str], str]) -> str:
        """'Toyota† × Tencent': both sides of a deal by name, each marked when the editors inferred it."""
        company = self.cell(d, "company", name(d.company)) or ""
        partners = self.items(d, "partners", [name(p) for p in d.partners])
        if d.partners and not partners:
            self.hid = True
        other = ", ".join(partners) or one_line(d.unnamed_partner or "") or (HIDDEN if d.partners else UNNAMED_PARTNER)
        return f"{company} × {other}"

    def footnotes(self) -> list[str]:
        """'† inferred by the editors: <reason>' for each reason used, then what HIDDEN means if it was printed."""
        lines = [f"{DAGGER}{i if self.numbered else ''} inferred by the editors: {r}" for i, r in enumerate(self.order, 1)]
        if self.hid:
            lines.append(HIDDEN_NOTE)
        return lines


def alias_texts(rec: Any, marks: Marks, number: Any) -> list[str]:
    """A record's aliases for people: 'Ali [1]' for one an article prints (its footnote numbers), 'CPCA (search aid)'.

    *number* gives a source's footnote number. --stated-only leaves the search aids out.
    """
    aids = set(search_aliases(rec))
    out = []
    for a in rec.aliases:
        if a in aids:
            if not marks.stated_only:
                out.append(f"{a} {SEARCH_AID}")
        else:
            out.append(f"{a} [{','.join(str(number(s)) for s in rec.alias_sources[a])}]")
    return out
