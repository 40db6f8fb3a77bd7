"""Issue 13 on the jury's pages, as a jury president or member meets it: alert texts on the table's
rows, the filters kept between the table and a student, previous / next within the filtered list,
the deliberation's last look at RED / NAR / ATJ / EXCLU, one way to record PAS1NCI, a form that
comes back as it was sent, decision wording after deliberation, French plurals."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date, datetime

import pytest
from django.test import Client
from django.utils import timezone

from juries.models import Evaluation, JuryDecision, JurySession, Student
from tests.factories import PARIS, AbsenceFactory

from .conftest import login, make_jury, promo, student

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def numeros(page: str) -> list[str]:
    """The students of the jury table, in its order (a row starts with its numero)."""
    return re.findall(r'<tr(?: class="[^"]*")?><th>(\d+)<th>', page)


# --------------------------------------------------------------------------- the table


def test_an_alert_is_read_on_its_row_not_in_a_tooltip(jury, people):
    promo(3)
    AbsenceFactory(student=Student.objects.get(numero="26000001"), day=date(2027, 3, 2),
                   declared_at=datetime(2027, 3, 4, 9, tzinfo=PARIS))
    page = text(login(Client(), people["member"]).get(f"/jurys/{jury.pk}/"))
    line = re.search(r'<tr class="alert-line" data-alerts-of="26000001">(.*?)</tr>', page).group(1)
    assert "Absence du 02/03/2027 déclarée tardivement" in line                  # the text, capitalised
    assert 'href="/reglement/#A2"' in line                                        # the id, a link
    assert 'title="A2' not in page and "alert_text" not in page
    assert page.count('class="alert-line"') == 1                                  # only rows with alerts
    # The table scrolls in its own frame; the identity cells stay in view.
    assert '<div class="table-scroll table-wrap"' in page
    assert '<tr><th>26000000<th><a href=etudiants/26000000/>' in page           # row headers, sticky (jury.css)


def test_filters_and_sort_go_to_the_student_and_back(jury, people):
    promo(5)
    c = login(Client(), people["president"])
    for numero in ("26000001", "26000003"):
        c.post(f"/jurys/{jury.pk}/etudiants/{numero}/", {"choice": "accepter", "version": 0})
    table = text(c.get(f"/jurys/{jury.pk}/?a_decider=1&tri=numero&sens=desc"))
    assert numeros(table) == ["26000004", "26000002", "26000000"]
    # The filters and sort, carried once by the table: static/jury.js adds them to every student's
    # link (tests/browser/test_jury.py follows one).
    assert table.count('data-kept="?a_decider=1&amp;tri=numero&amp;sens=desc"') == 1
    assert "<a href=etudiants/26000002/>" in table

    page = text(c.get(f"/jurys/{jury.pk}/etudiants/26000002/?a_decider=1&tri=numero&sens=desc"))
    assert (f'href="/jurys/{jury.pk}/?a_decider=1&amp;tri=numero&amp;sens=desc" id="back-to-table">'
            "← Tableau du jury") in page
    # Previous / next walk the filtered list in its order: 26000003 (decided) is skipped.
    assert f'href="/jurys/{jury.pk}/etudiants/26000004/?a_decider=1&amp;tri=numero&amp;sens=desc" rel="prev"' in page
    assert f'href="/jurys/{jury.pk}/etudiants/26000000/?a_decider=1&amp;tri=numero&amp;sens=desc" rel="next"' in page
    assert 'id="list-position">2 sur 3<' in page
    assert (f'<a href="/jurys/{jury.pk}/?a_decider=1&amp;tri=numero&amp;sens=desc" class="active" '
            'aria-current="page">Tableau du jury</a>') in page                  # the tab keeps them too

    # Deciding from there comes back to the same filtered place; the student, now decided, has left
    # the list but still gets its neighbours in it.
    response = c.post(f"/jurys/{jury.pk}/etudiants/26000002/?a_decider=1&tri=numero&sens=desc",
                      {"choice": "accepter", "version": 0})
    assert response.status_code == 302
    assert response["Location"] == f"/jurys/{jury.pk}/etudiants/26000002/?a_decider=1&tri=numero&sens=desc"
    page = text(c.get(response["Location"]))
    assert "Hors de la liste filtrée (2 étudiants)" in page
    assert 'etudiants/26000004/?a_decider=1&amp;tri=numero&amp;sens=desc" rel="prev"' in page
    assert 'etudiants/26000000/?a_decider=1&amp;tri=numero&amp;sens=desc" rel="next"' in page

    # Without filters the whole promo, by name, as before.
    plain = text(c.get(f"/jurys/{jury.pk}/etudiants/26000002/"))
    assert f'href="/jurys/{jury.pk}/" id="back-to-table"' in plain
    assert 'etudiants/26000001/" rel="prev"' in plain and 'etudiants/26000003/" rel="next"' in plain


def test_counts_are_written_in_real_french(jury, people):
    promo(2)
    c = login(Client(), people["president"])
    c.post(f"/jurys/{jury.pk}/etudiants/26000000/", {"choice": "modifier", "rcue_adj": ["C1 N1"], "version": 0,
                                                      "reason": "Progression."})
    page = text(c.get(f"/jurys/{jury.pk}/"))
    assert 'id="decided-count">1 décidé (dont 1 modifié)<' in page
    assert "2 étudiants affichés" in page and "(s)" not in page
    assert "<h1>Jury du S2 — 2026-2027</h1>" in page and "<title>Jury du S2 — 2026-2027" in page


# --------------------------------------------------------------------------- deliberation


def test_deliberation_lists_the_proposals_it_would_seal_and_warns_on_another_day(jury, people):
    promo(2)
    student("26000050", "Faible", base="5")                           # every RCUE failed: RED
    student("26000051", "Absent", missing=("R2.01",))                 # a grade missing: ATJ
    student("26000052", "Decide", base="5")
    c = login(Client(), people["president"])
    c.post(f"/jurys/{jury.pk}/etudiants/26000052/", {"choice": "accepter", "version": 0})
    page = text(c.get(f"/jurys/{jury.pk}/deliberation/"))
    review = re.search(r'<div class="warning review" id="to-review">(.*?)</div> </div>', page).group(1)
    assert "2 propositions à regarder avant de délibérer" in review
    assert re.findall(r'data-numero="(\d+)"', review) == ["26000051", "26000050"]   # by name
    assert (f'<a href="/jurys/{jury.pk}/etudiants/26000050/#decision">FAIBLE Léa</a></td><td>26000050</td>'
            in review) and "Redoublement proposé" in review
    assert '<span class="code code-ATJ">ATJ</span>' in review
    assert "26000052" not in review and "26000000" not in review                # decided / PASD-ADM
    # The jury is set for 24/06/2027: deliberating today is said before, in the page and the confirm.
    assert "Ce n'est pas le jour du jury :</strong> le jury est prévu le 24/06/2027" in page
    assert "Attention : le jury est prévu le 24/06/2027, pas aujourd&#x27;hui." in page
    assert "2 propositions RED, NAR, ATJ ou EXCLU sans décision." in page
    assert "4 propositions sans décision seront acceptées" in page


def test_no_date_warning_on_the_jury_s_day(maquette, people):
    jury = make_jury(people, jury_date=timezone.localdate())
    promo(1)
    page = text(login(Client(), people["president"]).get(f"/jurys/{jury.pk}/deliberation/"))
    assert "Ce n'est pas le jour du jury" not in page and 'id="to-review"' not in page
    assert "1 proposition sans décision sera acceptée" in page


# --------------------------------------------------------------------------- the decision form


def test_pas1nci_is_recorded_one_way_only(jury, people):
    student("26000050", "Faible", base="5")
    page = text(login(Client(), people["president"]).get(f"/jurys/{jury.pk}/etudiants/26000050/"))
    assert 'name="passage"' not in page
    assert '<option value="PAS1NCI">PAS1NCI — Passage par décision de jury avec un niveau non validé</option>' in page
    assert page.count("PAS1NCI —") == 1


def test_the_form_comes_back_as_it_was_sent(jury, people):
    student("26000002", "Durand", low={1: {"UE1 S1": "7"}, 2: {"UE1 S2": "7"}})
    c = login(Client(), people["president"])
    url = f"/jurys/{jury.pk}/etudiants/26000002/"
    # An error (no reason): only the RCUE is ticked again, "décision différente" still chosen.
    page = text(c.post(url, {"choice": "modifier", "rcue_adj": ["C1 N1"], "reason": "", "version": 0}))
    assert "Le motif est obligatoire" in page
    assert re.search(r'name="rcue_adj" value="C1 N1"[^>]*checked', page)
    assert not re.search(r'name="ue_adj"[^>]*checked', page)
    assert re.search(r'name="choice" value="modifier"[^>]*checked', page)
    # Saved: the RCUE's ADJ makes its UEs ADJ (recorded), yet the form shows what the jury ticked.
    c.post(url, {"choice": "modifier", "rcue_adj": ["C1 N1"], "reason": "Progression.", "version": 0})
    assert JuryDecision.objects.get().ue_codes["UE1 S1"]["code"] == "ADJ"
    page = text(c.get(url))
    assert re.search(r'name="rcue_adj" value="C1 N1"[^>]*checked', page)
    assert not re.search(r'name="ue_adj"[^>]*checked', page)
    assert "Progression.</textarea>" in page


# --------------------------------------------------------------------------- after deliberation


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils manque")
def test_after_deliberation_a_repeat_reads_as_a_decision(jury, people, tmp_path):
    student("26000050", "Faible", base="5")
    c = login(Client(), people["president"])

    def pv() -> str:
        pdf = tmp_path / "pv.pdf"
        pdf.write_bytes(c.get(f"/jurys/{jury.pk}/pv.pdf").content)
        return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                              check=True).stdout

    before = pv()
    assert "PROJET" in before and "Redoublement proposé" in before
    assert "Redoublement proposé" in text(c.get(f"/jurys/{jury.pk}/etudiants/26000050/"))
    c.post(f"/jurys/{jury.pk}/deliberer/")
    assert JurySession.objects.get(pk=jury.pk).is_deliberated
    after = pv()
    assert "PROJET" not in after and "RED Redoublement" in after and "proposé" not in after
    for url in (f"/jurys/{jury.pk}/", f"/jurys/{jury.pk}/etudiants/26000050/", f"/jurys/{jury.pk}/deliberation/"):
        page = text(c.get(url))
        assert "Redoublement proposé" not in page, url
    assert 'title="Redoublement"' in text(c.get(f"/jurys/{jury.pk}/"))
    assert "par Marie Curie : 1 étudiant, 1 proposition acceptée à la délibération" in text(
        c.get(f"/jurys/{jury.pk}/deliberation/"))                          # the journal, in real French too
    assert "Redoublement</p>" in text(c.get(f"/jurys/{jury.pk}/etudiants/26000050/"))


# --------------------------------------------------------------------------- pré-jury


def test_an_abi_on_a_justified_day_leads_to_that_grade_s_entry(jury, people):
    s, _ = student("26000060", "Marque", overrides={("R2.01", "DS1"): "ABI"})
    day = Evaluation.objects.get(enseignement__code="R2.01", annee="2026-2027", label="DS1").date
    AbsenceFactory(student=s, day=day, justified=True)
    page = text(login(Client(), people["secretariat"]).get(f"/jurys/{jury.pk}/pre-jury/"))
    items = re.search(r'<h4 id="absences-alerts">.*?</ul>', page).group(0)
    ev = Evaluation.objects.get(enseignement__code="R2.01", annee="2026-2027", label="DS1")
    assert "<strong>Marque Léa</strong> (26000060)" in items and 'href="/reglement/#A8"' in items
    assert f'<a class="fix" href="/secretariat/evaluations/{ev.pk}/saisie/">Saisir R2.01 DS1 →</a>' in items
