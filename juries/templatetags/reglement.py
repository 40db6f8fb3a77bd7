"""``{% load reglement %}``: a motif's or an alert's rule id becomes a link to the Règlement page.

``{{ motif|rule_link }}``: "C2: UE1 S1 compensée…" → "<a href="/reglement/#C2">C2</a>: UE1 S1 compensée…";
``{{ m.rule_id|rule_link }}``: "C2" → "<a href="/reglement/#C2">C2</a>".
A motif object (the engine's ``Motif``) and a plain string are both accepted; text without a known
leading rule id (one with an entry on the page) is only escaped.
"""

from __future__ import annotations

import re

from django import template
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString

from juries.presenters.reglement import rule_ids

register = template.Library()

# "C2: …" (a motif as the export writes it), "C2 : …", or a bare "C2" (the id printed apart).
LEADING_RULE = re.compile(r"^\s*(?P<id>[A-Z]{1,3}\d?)(?=\s?:|\s*$)")


@register.filter
def rule_link(value) -> SafeString:
    text = str(value if value is not None else "")
    rule_id = getattr(value, "rule_id", None)
    m = LEADING_RULE.match(text)
    if m and m["id"] in rule_ids() and (rule_id is None or rule_id == m["id"]):
        rest = text[m.end():]
        return format_html('<a class="rule-link" href="{}#{}" title="Lire la règle {} du règlement">{}</a>{}',
                           reverse("reglement"), m["id"], m["id"], m["id"], rest)
    return escape(text)
