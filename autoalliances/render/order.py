"""``--sort``, ``--reverse`` and ``--limit``: a listing's records in the order asked for.

Plain data, no rich: the list commands apply it before any format prints.
A sort field is any field name of the records' JSON objects or CSV rows;
dates sort by time (the first day they can mean, finer first), amounts by
their absolute value, text without regard to case, lists by their joined
text; records without a value come last, also with ``--reverse``. The sort
is stable, so records that tie keep the command's own order.
"""

from __future__ import annotations

from typing import Any

from ..errors import UsageError
from ..model.dates import FuzzyDate
from ..model.records import Amount, Change, Record
from ..query.views import Listing
from .flat import columns, flat_row, record_date, summary_row
from .shapes import json_fields


def sort_fields(listing: Listing) -> list[str]:
    """The field names ``--sort`` accepts for a listing: its JSON fields, then its CSV columns."""
    names = json_fields(listing.kind)
    if listing.kind == "mixed":
        names = [*names, "name", "date"]
    if listing.matches is not None:
        names.append("match")
    return list(dict.fromkeys([*names, *columns(listing.kind)]))


def _key(value: Any) -> tuple[int, Any] | None:
    """A comparable key for a value of any field (None: no value, sorts last)."""
    if value is None or (isinstance(value, (str, list, dict)) and not value):
        return None
    if isinstance(value, FuzzyDate):
        return (1, value.sort_key()) if value.known else None
    if isinstance(value, Amount):
        return (0, value.absolute)
    if isinstance(value, Change):
        return _key(value.amount) or _key(value.previous)
    if isinstance(value, bool):
        return (0, int(value))
    if isinstance(value, (int, float)):
        return (0, value)
    if isinstance(value, list):
        return (2, ";".join(str(v) for v in value).casefold())
    return (2, str(value).casefold())


def _value(rec: Record, field: str, listing: Listing, row: dict[str, Any]) -> Any:
    lk = listing.lookups
    if field == "type":
        return rec.TYPE
    if field == "date" and listing.kind == "mixed":
        return record_date(rec)
    if field == "match":
        match = (listing.matches or {}).get(rec.id)
        return match.text if match else None
    if field == "conflicts":
        return lk.conflicts.get(rec.id, [])
    if field != "sources" and field in json_fields(rec.TYPE) and hasattr(rec, field):
        return getattr(rec, field)
    return row.get(field)


def order(listing: Listing, *, sort: str | None = None, reverse: bool = False, limit: int | None = None) -> Listing:
    """*listing* sorted by *sort* (else in its own order), reversed, cut to *limit* records."""
    records = list(listing.records)
    if sort is not None:
        valid = sort_fields(listing)
        if sort not in valid:
            what = "results" if listing.kind == "mixed" else listing.kind + "s"
            raise UsageError(f"--sort: {what} have no field {sort!r}; valid fields: {', '.join(valid)}")
        flat = summary_row if listing.kind == "mixed" else flat_row
        keyed = [(_key(_value(r, sort, listing, flat(r, listing.lookups))), r) for r in records]
        present = [(k, r) for k, r in keyed if k is not None]
        present.sort(key=lambda kr: kr[0], reverse=reverse)
        records = [r for _, r in present] + [r for k, r in keyed if k is None]
    elif reverse:
        records.reverse()
    out = Listing(listing.kind, records, listing.lookups, listing.title)
    out.matches, out.notes = listing.matches, list(listing.notes)
    if limit is not None and len(records) > limit:
        out.records, out.shown_of = records[:limit], len(records)
        out.notes.append(f"showing the first {limit} of {len(records)} (--limit {limit})")
    return out
