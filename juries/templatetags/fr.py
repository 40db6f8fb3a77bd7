"""French formatting for templates: ``{% load fr %}`` then ``{{ ue.moyenne|moyenne }}``.

Thin filters over ``juries.rules.french`` (the one place a number becomes text); plurals in
templates use Django's own ``pluralize`` or ``{% blocktranslate count %}``.
"""

from __future__ import annotations

from django import template

from juries.rules import french

register = template.Library()


@register.filter
def moyenne(value, empty: str = "") -> str:
    """12.5 → "12,50" (V3 half-up); None → ``empty``."""
    return french.moyenne_fr(value, empty)


@register.filter
def nombre(value, empty: str = "") -> str:
    """Coefficients, ECTS, hours: 3.50 → "3,5", 10.0 → "10"."""
    return french.nombre_fr(value, empty)


@register.filter
def date_fr(value, empty: str = "") -> str:
    return french.date_fr(value, empty)


@register.filter
def enseignement(code: str) -> str:
    """ "SAE2.04" → "SAÉ2.04"."""
    return french.enseignement_label(code or "")


@register.simple_tag
def compte(count: int, singular: str, plural_form: str = "") -> str:
    """{% compte n "absence injustifiée" %} → "2 absences injustifiées"."""
    return french.plural(int(count), singular, plural_form or None)
