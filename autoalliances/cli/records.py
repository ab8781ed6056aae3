"""``company`` and ``show``: one company's dossier, one record in full."""

from __future__ import annotations

from .run import FACTS, OUTPUT, Shared, command


@command(OUTPUT, FACTS, options={"name": "company_name"})
def company(opts: Shared, name: str) -> None:
    """Everything known about one company: deals on both sides, models, systems, figures.

    Example: autoalliances company BMW
    """
    from ..render.emit import emit_dossier

    emit_dossier(opts.registry().dossier(name), opts.format, fields=opts.fields)


@command(OUTPUT, FACTS, options={"id_": "record_id"})
def show(opts: Shared, id_: str) -> None:
    """One record in full, with its sources, conflicts and what refers to it.

    Example: autoalliances show bmw-alibaba-ai-cockpit
    """
    from ..render.emit import emit_record

    emit_record(opts.registry().record_view(id_), opts.format, fields=opts.fields)
