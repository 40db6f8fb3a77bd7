"""The relevé PDF: what a reader sees (pdftotext), for an ADM, a CMP/PASD, a RED and an ABI case,
provisional before the deliberation and official, with its verification code, after."""

from __future__ import annotations

import re
from datetime import date

import pytest

from juries.models import Releve
from juries.pdf.releve import render_releve_pdf
from juries.presenters.releve import facts_digest, releve_for
from juries.services.releve_codes import issue_releve_codes

from .conftest import (
    add_absence,
    add_evaluation,
    but1_student,
    deliberate,
    full_text,
    has_watermark,
    make_jury,
    overrides,
    pdf_pages,
    pdf_text,
)

pytestmark = pytest.mark.django_db

CODE_RE = re.compile(r"QLIO-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}")


def releve_text(student, semester: int, tmp_path, name: str = "releve") -> tuple[str, object, bytes]:
    enrolment = student.enrolments.get(semester__number=semester)
    doc = releve_for(enrolment)
    pdf = render_releve_pdf(doc, verify_url="https://jury.example.fr/releves/verifier/")
    assert pdf.startswith(b"%PDF-")
    return pdf_text(pdf, tmp_path, name), doc, pdf


def squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_adm_official_releve_shows_every_fact_and_its_verification_code(maquette, tmp_path):
    student = but1_student("26000101", "Lefèvre", "Zoé", ine="1234567890A")
    deliberate(make_jury(2))
    text, doc, pdf = releve_text(student, 2, tmp_path)
    flat = squeeze(text)
    # establishment, formation, parcours, semester, year
    for expected in ("IUT de Rodez", "BUT Qualité, Logistique Industrielle et Organisation", "Parcours OSC",
                     "Relevé de notes", "Semestre 2 — année universitaire 2026-2027"):
        assert expected in flat
    # identity
    for expected in ("LEFÈVRE", "Zoé", "26000101", "1234567890A", "Formation initiale"):
        assert expected in flat
    # UEs of S2 in detail, S1 as decided by this jury, RCUEs and the year decision
    assert "UE1 S2 — Qualité (niveau 1) 12,00 ADM Admis 10 / 10 ECTS" in flat
    assert "UE3 S2 — Organisation (niveau 1) 12,00 ADM Admis 10 / 10 ECTS" in flat
    assert "R2.08 Mesure et surveillance de la conformité 12,00 1,5" in flat
    assert "SAÉ2.02" in flat
    assert re.search(r"UE1 S1 Qualité \(niveau 1\) 2026-2027 12,00 ADM Admis 10 / 10", flat)
    assert re.search(r"C1 — Qualité 1 12,00 ADM Admis", flat)
    assert "Décision de l'année : ADM — Admis" in flat
    assert "Passage en S3 : autorisé" in flat
    assert "ECTS obtenus au semestre : 30 / 30" in flat
    assert "ECTS acquis dans le cursus (total) : 60" in flat
    assert "Absences du semestre (état des absences) : 0 justifiée, 0 injustifiée" in flat
    # the jury, and official: a code, no watermark
    assert "Jury du semestre 2 réuni le 24/06/2027, présidé par Marc Lacombe" in flat
    assert "PROVISOIRE" not in text and "provisoire" not in flat
    assert "PROVISOIRE" not in full_text(pdf, tmp_path)
    row = Releve.objects.get(enrolment_id=doc.enrolment_id)
    assert CODE_RE.fullmatch(row.code)
    assert text.count(row.code) == pdf_pages(pdf, tmp_path) >= 1  # on every page
    assert "https://jury.example.fr/releves/verifier/" in flat
    assert row.digest == facts_digest(doc.facts) and len(row.digest) == 64


def test_cmp_and_pasd_provisional_releve_says_so_on_every_page(maquette, tmp_path):
    # UE1 S1 9.20 compensated by UE1 S2 12.00 (RCUE 10.60); RCUE 2 at 9.50 not validated but ≥ 8:
    # two RCUEs of three validated, none below 8 → PASD (P2).
    student = but1_student("26000102", "Durand", "Hugo",
                           s1=overrides(1, ue1="8", ue2="8"), s2=overrides(2, ue2="8"))
    make_jury(2)
    text, doc, pdf = releve_text(student, 2, tmp_path)
    flat = squeeze(text)
    assert re.search(r"UE1 S1 Qualité \(niveau 1\) 2026-2027 9,20 CMP Acquis par compensation 10 / 10", flat)
    assert re.search(r"UE2 S1 Logistique \(niveau 1\) 2026-2027 9,20 AJ Ajourné 0 / 10", flat)
    assert "UE2 S2 — Logistique (niveau 1) 9,80 AJ Ajourné 0 / 10 ECTS" in flat
    assert re.search(r"C1 — Qualité 1 10,60 ADM Admis", flat)
    assert re.search(r"C2 — Logistique 1 9,50 AJ Ajourné", flat)
    # provisional: the proposed PASD is the jury's to decide, the student reads no year decision
    assert "Décision de l'année" not in flat and "PASD" not in flat and "Passage en S3" not in flat
    assert "Semestre 2 — unités d'enseignement (résultats provisoires)" in flat
    assert "ECTS obtenus au semestre : 20 / 30" in flat
    assert "ECTS acquis dans le cursus (total) : 40" in flat
    # provisional: watermark and sentence on every page, no code, nothing issued
    pages = pdf_pages(pdf, tmp_path)
    assert has_watermark(pdf, tmp_path, pages)
    sentence = "Relevé PROVISOIRE : document sans valeur officielle, le jury n'a pas encore délibéré"
    assert full_text(pdf, tmp_path).count(sentence) == pages
    assert "Document provisoire : le jury du 24/06/2027 n'a pas encore délibéré" in flat
    assert not CODE_RE.search(text)
    assert not doc.official and not Releve.objects.exists()


def test_red_official_releve_shows_the_rcue_below_8_and_no_passage(maquette, tmp_path):
    # UE3 S1 6.40 and UE3 S2 7.60: RCUE 3 at 7.00 < 8 → P2 fails → RED (first attempt, R2).
    student = but1_student("26000103", "Petit", "Nina", s1=overrides(1, ue3="4"), s2=overrides(2, ue3="4"))
    deliberate(make_jury(2))
    text, doc, _ = releve_text(student, 2, tmp_path)
    flat = squeeze(text)
    assert "UE3 S2 — Organisation (niveau 1) 7,60 AJ Ajourné 0 / 10 ECTS" in flat
    assert re.search(r"UE3 S1 Organisation \(niveau 1\) 2026-2027 6,40 AJ Ajourné 0 / 10", flat)
    assert re.search(r"C3 — Organisation 1 7,00 AJ Ajourné", flat)
    # deliberated: the wording of a decision, not of a proposal
    assert "Décision de l'année : RED — Redoublement" in flat and "proposé" not in flat
    assert "Passage en S3 : non autorisé" in flat
    assert "ECTS acquis dans le cursus (total) : 40" in flat
    assert doc.official and doc.code in text and "PROVISOIRE" not in text


def test_abi_and_abj_evaluations_are_marked_and_absences_counted(maquette, tmp_path):
    # S1 (odd semester): no RCUE, no year decision. R1.07 gets a second evaluation missed without
    # justification (ABI counts 0: average 6.00, A6); R1.08 one missed with a justificatif (ABJ,
    # neutralised: average stays 12.00, A7); R1.09 one marked ABS on a justified day → ABJ (A8).
    student = but1_student("26000104", "Roux", "Adam", with_s2=False)
    add_evaluation(student, 1, "R1.07", "DS2", mark="ABI", when=date(2026, 10, 5))
    add_evaluation(student, 1, "R1.08", "DS2", mark="ABJ", when=date(2026, 10, 6))
    add_evaluation(student, 1, "R1.09", "Oral", mark="ABS", when=date(2026, 10, 7))
    add_absence(student, date(2026, 10, 7), justified=True)
    add_absence(student, date(2026, 10, 5), justified=False)
    make_jury(1, when=date(2027, 1, 28))
    text, doc, _ = releve_text(student, 1, tmp_path)
    flat = squeeze(text)
    assert re.search(r"R1\.07 [^0-9]+ 6,00 1,5 ABI : DS2 du 05/10/2026", flat)
    assert re.search(r"R1\.08 [^0-9]+ 12,00 1,5 ABJ : DS2 du 06/10/2026", flat)
    assert re.search(r"R1\.09 [^0-9]+ 12,00 1,5 ABJ : Oral du 07/10/2026", flat)
    # UE1 S1 = (6 × 0.5 × 12 + 1.5 × 6 + 1.5 × 12 + 4 × 12) / 10 = 11.10
    assert "UE1 S1 — Qualité (niveau 1) 11,10 ADM Admis 10 / 10 ECTS" in flat
    assert "Décision de l'année" not in flat and "RCUE" not in flat
    assert "1 justifiée, 1 injustifiée" in flat
    assert "ABI = absence injustifiée" in flat
    assert "Jury du semestre 1 réuni le 28/01/2027" in flat
    assert "document sans valeur officielle" in text


def test_without_a_recorded_jury_the_releve_is_provisional_with_the_default_date(maquette, tmp_path):
    student = but1_student("26000105", "Blanc", with_s2=False)
    text, doc, _ = releve_text(student, 1, tmp_path)
    assert not doc.official
    assert "Jury du semestre 1 non encore enregistré (date prévue : 30/06/2027)" in squeeze(text)
    assert "document sans valeur officielle" in text


def test_official_code_is_stable_and_digest_follows_the_facts(maquette, tmp_path):
    student = but1_student("26000106", "Morel")
    jury = deliberate(make_jury(2))
    enrolment = student.enrolments.get(semester__number=2)
    issued = Releve.objects.get()  # by the deliberation
    first = releve_for(enrolment)
    again = releve_for(enrolment)
    assert first.code == again.code == issued.code and first.digest == again.digest == issued.digest
    assert Releve.objects.count() == 1
    # A change of facts (here the establishment's name): the download prints them under the same
    # code and writes nothing; the next issue (the batch, a new deliberation) records the digest.
    formation = jury.formation
    formation.establishment = "IUT de Rodez — Université Toulouse Capitole"
    formation.save()
    changed = releve_for(enrolment)
    assert changed.code == first.code and changed.digest != first.digest
    assert Releve.objects.get().digest == first.digest
    issue_releve_codes(jury=jury, by=jury.president)
    row = Releve.objects.get()
    assert row.code == first.code and row.digest == changed.digest


def test_a_semester_validated_abroad_shows_no_average_and_names_the_host(maquette, tmp_path):
    from juries.models import Mobility, Student
    from tests.factories import enrol

    student = Student.objects.create(numero="26000107", nom="Vidal", prenom="Jade")
    Mobility.objects.create(enrolment=enrol(student, 3), institution="Universidad de Zaragoza")
    text, doc, _ = releve_text(student, 3, tmp_path)
    flat = squeeze(text)
    assert "UE1 S3 — Qualité (niveau 2) — ADM Admis" in flat
    assert "UE1 S3 validée à l'étranger (Universidad de Zaragoza)" in flat
    assert "ECTS obtenus au semestre : 30 / 30" in flat
