"""A jury reading « C3 » on a student's page reaches the rule's entry in the Règlement in one click."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from .conftest import login, student

pytestmark = pytest.mark.django_db

RULE_LINK = re.compile(r'<span class="rule"><a class="rule-link" href="/reglement/#(?P<id>[A-Z]+\d*)"[^>]*>'
                       r"(?P=id)</a></span>")


def test_the_student_page_links_each_motif_s_rule_to_its_entry_in_the_reglement(jury, people):
    # A weak Qualité: RCUE C1 N1 not validated (C3), passage with a level missing (P2).
    student("26000001", "Martin", low={1: {"UE1 S1": "7"}, 2: {"UE1 S2": "7"}})
    c = login(Client(), people["member"])
    page = c.get(f"/jurys/{jury.pk}/etudiants/26000001/").content.decode()
    linked = {m["id"] for m in RULE_LINK.finditer(page)}
    assert {"C3", "P2"} <= linked
    # No rule id left as a bare badge: every one printed is a link.
    assert not re.search(r'<span class="rule">[A-Z]+\d*</span>', page)
    # Each link lands on an entry of the Règlement page.
    reglement = c.get("/reglement/").content.decode()
    assert not [rule_id for rule_id in linked if f'id="{rule_id}"' not in reglement]
