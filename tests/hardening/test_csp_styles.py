"""Finding 10 of issue 15 (last part): the CSP allowed ``style-src 'unsafe-inline'``. The site's
styles are in static files now; the policy forbids inline styles and the pages carry none."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from juries import roles
from tests.factories import make_user

pytestmark = pytest.mark.django_db

INLINE = re.compile(r"<style|\sstyle=", re.I)


def test_the_policy_has_no_unsafe_inline(client):
    policy = client.get(reverse("login"))["Content-Security-Policy"]
    assert "unsafe-inline" not in policy and "style-src 'self'" in policy


@pytest.mark.parametrize("role", [roles.SECRETARIAT, roles.JURY, roles.ENSEIGNANT, roles.ETUDIANT])
def test_pages_carry_no_inline_style(client, maquette, role):
    assert not INLINE.search(client.get(reverse("login")).content.decode())
    assert not INLINE.search(client.get(reverse("releves:verify_form")).content.decode())
    client.force_login(make_user(role, "quelqu-un", is_staff=role == roles.SECRETARIAT))
    for url in (reverse("home"), reverse("reglement"), reverse("aide")):
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        html = response.content.decode()
        found = INLINE.search(html)
        assert not found, (url, html[found.start() - 200: found.start() + 200] if found else "")
