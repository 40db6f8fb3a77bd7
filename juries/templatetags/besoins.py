"""« Ce qu'il te faut » on the jury's student page: ``{% besoins_du_jury sf as needs %}``.

A tag rather than a line of the view, so that the page (owned elsewhere) needs only one include:
it reads the student file's own engine inputs and runs no query.
"""

from __future__ import annotations

from django import template

from juries.presenters.notes import NeedRow, need_rows
from juries.rules.needs import compute_needs

register = template.Library()


@register.simple_tag
def besoins_du_jury(sf) -> list[NeedRow]:
    """The rows for the student of ``sf`` (a StudentFile) at its jury; empty once deliberated or
    when nothing is still to come."""
    if sf is None or sf.jury.is_deliberated:
        return []
    inputs = sf.inputs
    needs = compute_needs(maquette=inputs.maquette, student=sf.student, annee=inputs.annee,
                          semester=inputs.semester, jury_date=inputs.jury_date, settings=inputs.settings)
    return need_rows(needs) if needs.any_pending else []
