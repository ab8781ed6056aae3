"""What a company filter covers: the company, its units, the systems they make, and for a joint
venture the deals behind it.

Plain functions over a ``Store``: the registry resolves the name, these
find the records. With ``stated_only`` a link the editors inferred (a
parent, a reference) does not count.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..model.records import Company, Deal, Figure, Model, R
from ..store.db import Store
from .stated import stated_values

# (its units, the ids a record must name to be about the company, a joint venture's extra deals)
About = tuple[list[str], list[str], list[str]]


def units(store: Store, root: str, *, stated_only: bool = False) -> list[str]:
    """*root* and the ids of the companies below it (joint ventures, units), at any depth."""
    out, todo = [root], [root]
    while todo:
        cur = todo.pop()
        children = store.ids_with("ref", [cur], "company")
        if stated_only and children:  # a parent link the editors inferred does not count
            found = store.get_many(children)
            children = [c for c in children if cur in stated_values(found[c], "ref")]
        for child in children:
            if child not in out:
                out.append(child)
                todo.append(child)
    return out


def about_refs(store: Store, company: Company, *, stated_only: bool = False) -> About:
    """What a record must name to be about *company*, and a joint venture's extra deals.

    For a joint venture, deals also include the one that set it up (a
    ``joint-venture`` deal between its parents) and its parents' deals over
    the systems its own models and figures are about (FAW-Audi's five
    models with the Audi-Huawei driver assistance).
    """
    below = units(store, company.id, stated_only=stated_only)
    refs = [*below, *store.ids_with("party", below, "system")]
    extra: list[str] = []
    if company.kind == "joint-venture" and company.parents:
        used = {x for r in store.find(Model, {"party": below}) for x in [*r.systems, r.platform] if x}
        used |= {f.system for f in store.find(Figure, {"party": below}) if f.system}
        parents = set(company.parents)
        for deal in store.find(Deal, {"party": list(parents)}):
            parties = set(deal.parties)
            if (deal.kind == "joint-venture" and parties <= parents and len(parties) > 1) or used & set(deal.systems):
                extra.append(deal.id)
    return below, refs, extra


def about_ids(store: Store, type_: str, about: About) -> list[str]:
    """Ids of the records of *type_* that name one of *about*'s refs (deals: and its extra deals)."""
    _, refs, extra = about
    out = store.ids_with("ref", refs, type_)
    return out + [d for d in extra if d not in out] if type_ == "deal" else out


def records_of(store: Store, cls: type[R], ids: Sequence[str]) -> list[R]:
    """The records of *ids* that are of type *cls*, in the order of *ids*."""
    found = store.get_many(ids)
    return [r for i in ids if isinstance(r := found.get(i), cls)]


def about_records(store: Store, cls: type[R], about: About, *, stated_only: bool = False) -> list[R]:
    """The records of *cls* about the company; with stated_only, only those that name it (or a
    unit, or one of their systems) through a stated reference."""
    found = records_of(store, cls, about_ids(store, cls.TYPE, about))
    if not stated_only:
        return found
    _, refs, extra = about
    keep = set(refs)
    return [r for r in found if not r.inferred or r.id in extra or stated_values(r, "ref") & keep]
