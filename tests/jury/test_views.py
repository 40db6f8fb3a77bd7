"""The jury pages as their users see them: access, the table, a student's file and decision,
the pré-jury checks, the deliberation, the PV; and the queries do not grow with the promo."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from datetime import date, timedelta

import openpyxl
import pytest
from django.test import Client
from django.utils import timezone

from juries.models import (
    Absence,
    BipParticipation,
    Evaluation,
    FraudCase,
    Grade,
    JuryDecision,
    JurySession,
    Stage,
)
from tests.browser.conftest import ARTIFACTS
from tests.factories import enrol

from .conftest import PREVIOUS, grade, login, make_jury, promo, student

pytestmark = pytest.mark.django_db

#: Bounds that hold for any number of students (STYLE.md 8); the student page reads one student.
QUERY_BOUNDS = {"": 30, "pre-jury/": 30, "deliberation/": 30, "etudiants/26000001/": 40}


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def badge(rule_id: str) -> str:
    """A motif's or an alert's rule id as the jury pages print it: a link to its entry in the Règlement."""
    return (f'<span class="rule"><a class="rule-link" href="/reglement/#{rule_id}" '
            f'title="Lire la règle {rule_id} du règlement">{rule_id}</a></span>')


# --------------------------------------------------------------------------- access


def test_only_members_president_and_secretariat_open_a_jury(jury, people, client):
    student("26000001", "Martin")
    urls = [f"/jurys/{jury.pk}/", f"/jurys/{jury.pk}/pre-jury/", f"/jurys/{jury.pk}/etudiants/26000001/",
            f"/jurys/{jury.pk}/deliberation/", f"/jurys/{jury.pk}/pv.xlsx"]
    assert client.get(urls[0]).status_code == 302                           # login first
    for who, status in (("outsider", 403), ("teacher", 403), ("member", 200), ("president", 200),
                        ("secretariat", 200)):
        c = login(Client(), people[who])
        assert [c.get(u).status_code for u in urls] == [status] * len(urls), who
    assert login(Client(), people["teacher"]).get("/jurys/").status_code == 403
    listing = text(login(Client(), people["outsider"]).get("/jurys/"))
    assert "Jury du S2 — 2026-2027" not in listing


def test_secretariat_reads_but_does_not_decide_and_members_do_not_deliberate(jury, people):
    student("26000001", "Martin")
    sec = login(Client(), people["secretariat"])
    page = text(sec.get(f"/jurys/{jury.pk}/etudiants/26000001/"))
    assert "Enregistrer la décision" not in page
    assert sec.post(f"/jurys/{jury.pk}/etudiants/26000001/", {"choice": "accepter", "version": 0}).status_code == 403
    member = login(Client(), people["member"])
    assert member.post(f"/jurys/{jury.pk}/deliberer/").status_code == 403
    assert not JurySession.objects.get(pk=jury.pk).is_deliberated and not JuryDecision.objects.exists()


# --------------------------------------------------------------------------- the table


def test_table_shows_codes_averages_charts_and_filters(jury, people):
    promo(10)
    Absence.objects.create(student=JuryDecision.enrolment.field.related_model.objects.get(
        student__numero="26000001", semester__number=2).student,
        start=timezone.make_aware(timezone.datetime(2027, 3, 2, 8)), end=timezone.make_aware(
            timezone.datetime(2027, 3, 2, 12)), declared_at=timezone.make_aware(timezone.datetime(2027, 3, 4, 9)))
    c = login(Client(), people["president"])
    page = text(c.get(f"/jurys/{jury.pk}/"))
    assert "10 étudiants affichés" in page
    for key in ("UE1 S1", "UE3 S2", "C1 N1", "C3 N1"):
        assert f">{key}</a>" in page
    assert page.count("<svg") == 9                                       # 6 UEs + 3 RCUEs
    assert 'class="code code-ADM">ADM</span>' in page and "12,00" in page
    assert 'class="code code-AJ">AJ</span>' in page                     # Nom000, Nom005: weak Qualité
    assert page.count("à décider") == 10
    # Alerts only: the late declaration (A2) of 26000001.
    alerts = text(c.get(f"/jurys/{jury.pk}/?alertes=1"))
    assert "1 étudiant affiché sur 10" in alerts and "Nom001" in alerts
    assert '<a class="rule" href="/reglement/#A2">A2</a>' in alerts        # the rule, a link on the alert line
    # By decision: the two weak students are PASD (2 RCUEs of 3, P2).
    pasd = text(c.get(f"/jurys/{jury.pk}/?decision=PASD"))
    assert "2 étudiants affichés sur 10" in pasd and "Nom000" in pasd and "Nom005" in pasd
    # Sorted by the average of UE1 S1, lowest first.
    rows = re.findall(r"<tr[^>]*><th>(\d+)<th>", text(c.get(f"/jurys/{jury.pk}/?tri=UE1+S1")))
    assert rows[:2] == ["26000000", "26000005"]
    rows = re.findall(r"<tr[^>]*><th>(\d+)<th>", text(c.get(f"/jurys/{jury.pk}/?tri=UE1+S1&sens=desc")))
    assert rows[-2:] == ["26000005", "26000000"] or rows[-2:] == ["26000000", "26000005"]


def test_undecided_filter_and_decision_column(jury, people):
    promo(3)
    c = login(Client(), people["president"])
    c.post(f"/jurys/{jury.pk}/etudiants/26000001/", {"choice": "accepter", "version": 0})
    undecided = text(c.get(f"/jurys/{jury.pk}/?a_decider=1"))
    assert "2 étudiants affichés sur 3" in undecided
    assert re.findall(r"<tr[^>]*><th>(\d+)<th>", undecided) == ["26000000", "26000002"]
    page = text(c.get(f"/jurys/{jury.pk}/"))
    assert 'id="decided-count">1 décidé<' in page                       # a real singular, no "(s)"


@pytest.mark.parametrize("page", ["", "pre-jury/", "deliberation/", "etudiants/26000001/"])
def test_queries_do_not_grow_with_the_number_of_students(jury, people, django_assert_max_num_queries, page):
    c = login(Client(), people["president"])
    url = f"/jurys/{jury.pk}/{page}"
    promo(20)
    c.get(url)
    with django_assert_max_num_queries(QUERY_BOUNDS[page]) as small:
        assert c.get(url).status_code == 200
    promo(40, start=20)
    with django_assert_max_num_queries(QUERY_BOUNDS[page]) as large:
        response = c.get(url)
    assert response.status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)
    if not page:
        assert "60 étudiants affichés" in text(response)


# --------------------------------------------------------------------------- a student's file


def test_student_page_explains_every_average_and_motif(jury, people):
    s, e = student("26000001", "Martin", low={1: {"UE1 S1": "7"}, 2: {"UE1 S2": "7"}},
                   overrides={("R1.01", "DS1"): "ABI", ("R1.02", "DS1"): "ABJ", ("R1.03", "DS2"): "ABS"},
                   missing=())
    FraudCase.objects.create(student=s, date=date(2026, 11, 12), facts="Téléphone pendant le DS1 de R1.03.")
    c = login(Client(), people["member"])
    page = text(c.get(f"/jurys/{jury.pk}/etudiants/26000001/"))
    assert "MARTIN Léa" in page
    assert "Calcul de la moyenne de UE1 S1" in page and "R1.07" in page and "1,5" in page   # coefficient
    assert badge("C3") + ' RCUE Qualité niveau 1 non validé : 8,58 &lt; 10' in page
    assert badge("P2") in page
    assert '<span class="mark mark-ABI">ABI</span>' in page and '<span class="mark mark-ABJ">ABJ</span>' in page
    assert 'ABS</span> → <span class="mark mark-ABI">ABI</span>' in page             # A8 resolved
    assert "Téléphone pendant le DS1" in page and "ouvert" in page                      # F1
    assert "PASD" in page and "Passage de droit" in page
    assert "Pas encore de décision" in page


def test_override_with_reason_is_recorded_and_shown_beside_the_proposal(jury, people):
    student("26000002", "Durand", low={1: {"UE1 S1": "7"}, 2: {"UE1 S2": "7"}})
    c = login(Client(), people["president"])
    url = f"/jurys/{jury.pk}/etudiants/26000002/"
    response = c.post(url, {"choice": "modifier", "rcue_adj": ["C1 N1"], "reason": "", "version": 0})
    assert response.status_code == 400
    assert "Le motif est obligatoire" in text(response) and not JuryDecision.objects.exists()
    response = c.post(url, {"choice": "modifier", "rcue_adj": ["C1 N1"], "version": 0,
                            "reason": "Progression constante, stage de qualité."}, follow=True)
    page = text(response)
    assert "Décision enregistrée pour Léa Durand" in page
    d = JuryDecision.objects.get()
    assert d.overridden and d.decided_by == people["president"] and d.rcue_codes["C1 N1"]["code"] == "ADJ"
    assert "différente de la proposition" in page and "Progression constante" in page
    assert "Marie Curie, le" in page and "(version 1)" in page
    assert re.search(r'Proposition</h3> <p class="big"><span class="code code-PASD">PASD', page)
    assert re.search(r'Décision du jury</h3> <p class="big"><span class="code code-ADM">ADM', page)
    table = text(c.get(f"/jurys/{jury.pk}/"))
    assert "✎ modifiée" in table and '<s class="was">AJ</s>' in table


def test_two_sessions_the_second_decision_on_a_stale_page_is_refused(jury, people):
    student("26000003", "Petit")
    url = f"/jurys/{jury.pk}/etudiants/26000003/"
    first, second = login(Client(), people["president"]), login(Client(), people["member"])
    v1 = re.search(r'name="version" value="(\d+)"', first.get(url).content.decode()).group(1)
    v2 = re.search(r'name="version" value="(\d+)"', second.get(url).content.decode()).group(1)
    assert v1 == v2 == "0"
    assert first.post(url, {"choice": "accepter", "version": v1}).status_code == 302
    response = second.post(url, {"choice": "modifier", "ue_adj": [], "decision_annee": "", "version": v2,
                                 "reason": "x"})
    assert response.status_code == 400
    assert "Marie Curie a enregistré une décision pour PETIT Léa (26000003)" in text(response)
    assert JuryDecision.objects.get().version == 1 and not JuryDecision.objects.get().overridden


# --------------------------------------------------------------------------- pré-jury


def test_prejury_lists_what_the_secretariat_must_settle(maquette, people):
    jury = make_jury(people, number=4)
    now = timezone.now()
    # S2 stage too short; S3 stage ending on the jury date; S4 no stage at all.
    s1, e1 = student("25000001", "Court", semesters=(3, 4))
    Stage.objects.filter(enrolment=e1[4]).update(end=date(2027, 4, 30))
    s2, e2 = student("25000002", "Tardif", semesters=(3, 4))
    Stage.objects.filter(enrolment=e2[4]).update(end=jury.date)
    s3, e3 = student("25000003", "Sansstage", semesters=(3, 4))
    Stage.objects.filter(enrolment=e3[4]).delete()
    # V2 missing grades, E1 a ressource with a single evaluation.
    s4, e4 = student("25000004", "Manque", semesters=(3, 4), missing=("R4.03",))
    Evaluation.objects.create(enseignement=Evaluation.objects.get(annee="2026-2027", label="DS1",
                                                                  enseignement__code="R4.05").enseignement,
                              annee="2026-2027", label="DS3", date=date(2027, 4, 20))
    Grade.objects.filter(evaluation__enseignement__code="R4.04", evaluation__label="DS2").delete()
    Evaluation.objects.filter(enseignement__code="R4.04", label="DS2").delete()
    # A4 pending absence, F1 open fraud case.
    Absence.objects.create(student=s1, start=now - timedelta(hours=30), end=now - timedelta(hours=26),
                           declared_at=now - timedelta(hours=20))
    FraudCase.objects.create(student=s2, date=date(2027, 3, 1), facts="Copie identique à celle d'un voisin.")
    c = login(Client(), people["secretariat"])
    page = text(c.get(f"/jurys/{jury.pk}/pre-jury/"))
    assert "R4.03" in page and "Manque" in page                                        # V2
    assert re.search(r"R4\.05 <span class=\"muted\">Base de données</span> — 4 étudiants", page)  # DS3 ungraded
    assert "<strong>Manque Léa</strong> (25000004) : DS1, DS2" in page
    # Each item leads to the page that fixes it: the grade entry of each missing evaluation…
    for label in ("DS1", "DS2"):
        ev = Evaluation.objects.get(enseignement__code="R4.03", annee="2026-2027", label=label)
        assert f'<a class="fix" href="/secretariat/evaluations/{ev.pk}/saisie/">Saisir R4.03 {label} →</a>' in page
    assert '<a class="fix" href="/secretariat/notes/2026-2027/R4.04/">Évaluations de R4.04 →</a>' in page   # E1
    pending = Absence.objects.get(student=s1)
    assert f'<a class="fix" href="/secretariat/absences/{pending.pk}/">Ouvrir l&#x27;absence →</a>' in page  # A4
    assert '<a class="fix" href="/admin/juries/stage/?q=25000003">Stage dans l&#x27;administration →</a>' in page
    fraud = FraudCase.objects.get(student=s2)
    assert f'<a class="fix" href="/admin/juries/fraudcase/{fraud.pk}/change/">Ouvrir le dossier de fraude →</a>' in page
    # …and a jury member, who cannot fix them, reads the student's page at the jury instead.
    member = text(login(Client(), people["member"]).get(f"/jurys/{jury.pk}/pre-jury/"))
    assert f'<a href="/jurys/{jury.pk}/etudiants/25000004/">Manque Léa</a> (25000004) : DS1, DS2' in member
    assert 'class="fix"' not in member
    assert "R4.04 n&#x27;a qu&#x27;une évaluation ce semestre" in page                 # E1
    assert "stage du S4 trop court" in page and "Court" in page                        # S2
    assert "pas avant le jury du 24/06/2027" in page and "Tardif" in page               # S3
    assert "Sansstage" in page and badge("S4") in page              # S4
    assert "Copie identique" in page                                                   # F1
    assert "28 h" in page or "27 h" in page                                            # A4 delay left
    assert "délai de 48 h non écoulé" in page


def test_prejury_shows_students_at_their_repeat_limit(jury, people):
    s, _ = student("24000001", "Limite", annee=PREVIOUS, low={1: {"UE1 S1": "2", "UE2 S1": "2"},
                                                              2: {"UE1 S2": "2", "UE2 S2": "2"}})
    for n in (1, 2):
        grade(enrol(s, n, redoublement=True), low={f"UE1 S{n}": "2", f"UE2 S{n}": "2"})
    c = login(Client(), people["secretariat"])
    page = text(c.get(f"/jurys/{jury.pk}/pre-jury/"))
    assert f"Limite de redoublement {badge('R2')}" in page and "déjà redoublés" in page and "Limite" in page


def test_prejury_lists_a_bip_with_no_ue_to_count_in(jury, people):
    # M3: « A BIP recorded with no UE to count in … is never silently ignored: it is an alert M3
    # of the jury and a pré-jury check. »
    s, enrolments = student("26000077", "Erasmus", low={})
    BipParticipation.objects.create(enrolment=enrolments[jury.semester.number], title="BIP Lisbonne", grade=15)
    c = login(Client(), people["secretariat"])
    page = text(c.get(f"/jurys/{jury.pk}/pre-jury/"))
    assert f"BIP sans UE où compter {badge('M3')}" in page and "Erasmus" in page
    assert badge("M3") in page


# --------------------------------------------------------------------------- deliberation and PV


def test_deliberation_page_deliberates_then_offers_reopening(jury, people):
    promo(3)
    c = login(Client(), people["president"])
    page = text(c.get(f"/jurys/{jury.pk}/deliberation/"))
    assert 'id="to-accept">3<' in page and "Délibérer et clore le jury" in page
    page = text(c.post(f"/jurys/{jury.pk}/deliberer/", follow=True))
    assert "Jury délibéré : 3 décisions définitives, dont 3 propositions acceptées à la délibération" in page
    assert "Rouvrir le jury" in page and "Délibération</strong> par Marie Curie" in page
    assert text(c.post(f"/jurys/{jury.pk}/rouvrir/", {"reason": ""})).count("obligatoire") >= 1
    page = text(c.post(f"/jurys/{jury.pk}/rouvrir/", {"reason": "Erreur de note en R2.03."}, follow=True))
    assert "Jury rouvert" in page and "Réouverture</strong> par Marie Curie : Erreur de note en R2.03." in page


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils manque")
def test_pv_pdf_names_the_jury_and_every_student_with_codes(jury, people, tmp_path):
    promo(6)
    c = login(Client(), people["president"])
    c.post(f"/jurys/{jury.pk}/etudiants/26000000/", {"choice": "modifier", "rcue_adj": ["C1 N1"], "version": 0,
                                                      "reason": "Décision du jury."})
    c.post(f"/jurys/{jury.pk}/deliberer/")
    response = c.get(f"/jurys/{jury.pk}/pv.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="PV-jury-S2-2026-2027-delibere.pdf"' in response["Content-Disposition"]
    pdf = tmp_path / "pv.pdf"
    pdf.write_bytes(response.content)
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Procès-verbal du jury du semestre S2 — 2026-2027" in out
    assert "Jury réuni le 24/06/2027" in out and "Délibéré le" in out
    assert "Président du jury : Marie Curie" in out and "Paul Langevin" in out
    assert "NOM000" in out and "NOM005" in out and "26000003" in out
    line = next(ln for ln in out.splitlines() if "NOM000" in ln)
    assert "ADJ" in line and "ADM" in line and "jury" in line
    assert "Le président du jury" in out and "Les membres du jury" in out
    assert "PROJET" not in out
    ARTIFACTS.mkdir(exist_ok=True)
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf), str(ARTIFACTS / "pv-jury")],
                   check=True)
    assert (ARTIFACTS / "pv-jury-1.png").exists()


def test_pv_is_a_draft_before_deliberation_and_exists_as_xlsx(jury, people):
    student("26000001", "=HYPERLINK(1)")
    c = login(Client(), people["secretariat"])
    response = c.get(f"/jurys/{jury.pk}/pv.xlsx")
    assert 'filename="PV-jury-S2-2026-2027-projet.xlsx"' in response["Content-Disposition"]
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in ws[1]]
    assert header[:5] == ["numero", "nom", "prenom", "UE1 S1 moyenne", "UE1 S1 code"]
    assert "C3 N1 code" in header and "decision_annee" in header and "ects_acquis" in header
    row = [cell.value for cell in ws[2]]
    # A text cell, which cannot run: no formula, and no stray quote in the name.
    assert row[0] == "26000001" and row[1] == "=HYPERLINK(1)" and ws.cell(2, 2).data_type == "s"
    assert row[header.index("decision_annee")] == "ADM" and row[header.index("ects_acquis")] == 60
    values = [c.value for r in ws.iter_rows() for c in r]
    assert "PROJET — non délibéré" in values and "Marie Curie" in values
