"""{% load qlio_auth %}{% cas_enabled as cas %}: whether the login page offers the ENT (CAS)."""

from django import template

from juries.auth_cas import cas_enabled as _cas_enabled

register = template.Library()


@register.simple_tag
def cas_enabled() -> bool:
    return _cas_enabled()
