"""``company`` and ``show``: one company's dossier, one record in full."""

from __future__ import annotations

from . import options as o
from .run import FACTS, OUTPUT, Shared, command


@command(OUTPUT, FACTS)
def company(opts: Shared, name: o.CompanyArg) -> None:
    """Everything known about one company: deals on both sides, models, systems, figures.

    Example: autoalliances company BMW
    """
    from ..render.emit import emit_dossier

    emit_dossier(opts.registry().dossier(name), opts.format, fields=opts.fields)


@command(OUTPUT, FACTS)
def show(opts: Shared, id_: o.RecordArg) -> None:
    """One record in full, with its sources, conflicts and what refers to it.

    Example: autoalliances show bmw-alibaba-ai-cockpit
    """
    from ..render.emit import emit_record

    emit_record(opts.registry().record_view(id_), opts.format, fields=opts.fields)
