"""Finding 7 of issue 15: download names carry request input (``?groupe=``, a student's name). A
CR/LF, a quote or a path in it must give neither a 500 (BadHeaderError) nor a second parameter in
Content-Disposition; every personal-data download says ``Cache-Control: no-store``."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.urls import reverse

from juries import roles
from juries.http import content_disposition
from tests.factories import ANNEE, StudentFactory, enrol, make_user

HOSTILE = [
    '"\r\nX-Injected: 1',
    'x";filename=evil.html;x="',
    "../../etc/passwd",
]
CONTROL = "G1\x0b\x7f;"  # control characters in a query: finding 6's middleware answers 400 first


def _parameters(header: str) -> list[str]:
    return [p.strip().split("=", 1)[0] for p in header.split(";")]


@pytest.mark.parametrize("value", [*HOSTILE, CONTROL])
def test_a_hostile_name_becomes_one_allow_listed_filename(value):
    header = content_disposition(f"feuille_R1.01_{ANNEE}_{value}.xlsx")
    assert "\r" not in header and "\n" not in header
    assert "/" not in header.split("filename*=")[0]
    assert _parameters(header) in (["attachment", "filename"], ["attachment", "filename", "filename*"])
    fallback = header.split('filename="', 1)[1].split('"', 1)[0]
    assert fallback.startswith("feuille_R1.01_2026-2027") and fallback.endswith(".xlsx")
    assert set(fallback) <= set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")


def test_accents_stay_in_filename_star_with_an_ascii_fallback():
    header = content_disposition("releve_S2_2026-2027_22000001_Bénédicte.pdf")
    assert 'filename="releve_S2_2026-2027_22000001_Benedicte.pdf"' in header
    assert "filename*=UTF-8''" + quote("releve_S2_2026-2027_22000001_Bénédicte.pdf", safe="") in header


@pytest.mark.django_db
@pytest.mark.parametrize("value", HOSTILE)
def test_feuille_download_with_a_hostile_group_is_no_500_and_no_injection(client, maquette, value):
    client.force_login(make_user(roles.SECRETARIAT, "secretaire", is_staff=True))
    enrol(StudentFactory(numero="26000001"), 1, ANNEE, group="G1")
    url = reverse("secretariat:feuille", args=[ANNEE, "R1.01"]) + "?groupe=" + quote(value, safe="")
    response = client.get(url)
    assert "X-Injected" not in response.headers
    if any(ord(c) < 32 for c in value):
        # CR/LF in a query: finding 6's middleware refuses the request (400) before any query.
        assert response.status_code == 400
        return
    assert response.status_code == 200
    header = response["Content-Disposition"]
    assert "X-Injected" not in response.headers and "\n" not in header
    assert _parameters(header)[:2] == ["attachment", "filename"] and "evil.html" not in _parameters(header)
    assert "/" not in header.split("filename*=")[0]
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.django_db
def test_etat_des_absences_export_with_a_hostile_group(client, maquette):
    client.force_login(make_user(roles.SECRETARIAT, "secretaire", is_staff=True))
    response = client.get(reverse("secretariat:etat_absences"), {
        "annee": ANNEE, "semestre": 1, "groupe": 'x";filename=a.html', "format": "csv"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="etat-absences_S1_{ANNEE}_x-filename-a.html.csv"'
    assert response["Cache-Control"] == "private, no-store"
