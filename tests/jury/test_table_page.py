"""The jury table as its readers get it (issue "Performance II"): every mark in a cell of its own,
what the codes mean said once, the page light enough for 150 students, names escaped."""

from __future__ import annotations

import re

from django.test import Client

from juries.models import Student

from .conftest import login, promo


def page_of(client, url: str) -> str:
    return client.get(url).content.decode()


def row_of(page: str, numero: str) -> str:
    """The HTML of a student's row, up to the next row."""
    return re.search(rf"<tr(?: class=\"[^\"]*\")?><th>{numero}<th>(.*?)(?=<tr|</tbody>)", page, re.S).group(1)


def test_a_row_shows_each_average_with_its_code_and_the_codes_are_explained_once(jury, people):
    promo(6)                                             # 26000000, 26000005: weak Qualité (UE1 S1, UE1 S2 at 7)
    page = page_of(login(Client(), people["member"]), f"/jurys/{jury.pk}/")
    weak, fine = row_of(page, "26000000"), row_of(page, "26000001")
    # The weak UE: its average and its code, coloured by its family (non acquis).
    assert re.search(r"<td class=ko>\u2007?\d,\d\d AJ", weak)
    # ADM, the usual code, goes without saying: the average alone, the legend says what it means.
    assert re.search(r"<td>12,00<td>", fine) and " ADM<td>" not in fine
    assert "Admis, une moyenne sans code" in page
    assert '<span class="code code-AJ">AJ</span> Ajourné' in page
    # No tooltip repeats the code's label on every cell any more.
    assert 'title="UE1 S1 : Admis"' not in page and "UE1 S1 : Admis" not in page
    # The year's proposal and the link to the student (relative: the table is at /jurys/<pk>/).
    assert "<a href=etudiants/26000001/>Nom001</a> P1" in fine and "<td>ADM<td>à décider" in fine


def test_the_page_stays_light_as_the_promo_grows(jury, people):
    c = login(Client(), people["president"])
    promo(10)
    small = len(page_of(c, f"/jurys/{jury.pk}/").encode())
    promo(40, start=10)
    large = len(page_of(c, f"/jurys/{jury.pk}/").encode())
    # 40 more students, no alert: a row is its numero, name, 9 averages and a few codes (~250 bytes).
    assert (large - small) / 40 < 330, (small, large)
    assert small < 20_000


def test_names_and_reasons_are_escaped_in_the_rows(jury, people):
    promo(2)
    Student.objects.filter(numero="26000001").update(nom="<b>Nom</b>", prenom='"P" & <i>')
    c = login(Client(), people["president"])
    c.post(f"/jurys/{jury.pk}/etudiants/26000000/", {"choice": "modifier", "rcue_adj": ["C1 N1"], "version": 0,
                                                      "reason": "<script>alert(1)</script>"})
    page = page_of(c, f"/jurys/{jury.pk}/")
    assert "<b>Nom</b>" not in page and "&lt;b&gt;Nom&lt;/b&gt;</a> &quot;P&quot; &amp; &lt;i&gt;" in page
    assert "<script>alert" not in page and 'title="&lt;script&gt;alert(1)&lt;/script&gt;">✎ modifiée' in page
    # The decision: who and when in its tooltip, the changed RCUE keeps the struck proposal.
    decided = row_of(page, "26000000")
    assert re.search(r'<td class=\w+ title="par Marie Curie le \d\d/\d\d/\d{4} à \d\d:\d\d">PASD|'
                     r'<td title="par Marie Curie le \d\d/\d\d/\d{4} à \d\d:\d\d">ADM', decided), decided
    assert '<s class="was">AJ</s>' in decided
