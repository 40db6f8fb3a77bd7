"""« Mes notes »: a student sees their own grades of published evaluations only, the promotion's
figures, provisional UE averages from published grades, a later change with its date, their
absences judged (A4), and « ce qu'il te faut »; publishing is recorded in the evaluation's history."""

from __future__ import annotations

import re
from datetime import date, datetime
from html import unescape

import pytest
from django.urls import reverse

from juries.models import Evaluation, Grade
from juries.services.publication import set_published
from tests.factories import PARIS, AbsenceFactory, deliberate, make_jury

from .conftest import MISSING_CODE, SECRET, UNPUBLISHED_CODE, evaluation

pytestmark = pytest.mark.django_db

S2 = "/mes-releves/notes/2026-2027/S2/"


def shown_grades(html: str) -> list[str]:
    return re.findall(r'<strong class="grade">([^<]+)</strong>', html)


def test_urls():
    assert reverse("portal:notes") == "/mes-releves/notes/"
    assert reverse("portal:notes_semester", kwargs={"annee": "2026-2027", "semester": 2}) == S2
    assert reverse("secretariat:publication", args=[7]) == "/secretariat/evaluations/7/publication/"


def test_student_sees_only_published_grades_and_only_their_own(client, promo):
    client.force_login(promo["lea_user"])
    html = client.get(S2).content.decode()
    # Léa's published grades, all 10,00; her unpublished 17,25 nowhere, nor Bruno's own grades.
    grades = shown_grades(html)
    published_with_grade = Evaluation.objects.filter(
        enseignement__semester__number=2, published_at__isnull=False).exclude(enseignement__code=MISSING_CODE).count()
    assert grades == ["10,00"] * published_with_grade
    assert "17,25" not in html and "Barbier" not in html and "26000702" not in html and "Chevalier" not in html
    assert "pas encore publiée" in html and "non saisie" in html
    # The promotion's figures at R2.03: Léa 10, Bruno 15.75, Chloé 12; at R2.01 only two grades: not shown.
    assert "moy. 12,58<br><small class=\"muted\">min 10,00 · max 15,75<br>3 notes" in html
    r201 = html[html.index("<h3>R2.01"):html.index("<h3>R2.02")]
    assert "moins de 3 notes" in r201 and "14,50" not in r201
    # Provisional averages from published grades only: 10,00 everywhere (17,25 would raise them).
    ues = re.findall(r'<td class="left sticky-col">(UE\d S2)</td><td>([^<]+)</td>', html)
    assert ues == [("UE1 S2", "10,00"), ("UE2 S2", "10,00"), ("UE3 S2", "10,00")]


def test_bruno_sees_his_grades_not_leas(client, promo):
    client.force_login(promo["bruno_user"])
    html = client.get(S2).content.decode()
    assert "15,75" in shown_grades(html) and "Aubert" not in html and "10,00" not in shown_grades(html)


def test_default_page_is_the_latest_semester_and_other_semesters_are_404(client, promo):
    client.force_login(promo["lea_user"])
    assert "S2 2026-2027" in client.get("/mes-releves/notes/").content.decode()
    assert client.get("/mes-releves/notes/2025-2026/S1/").status_code == 404
    assert client.get("/mes-releves/notes/2026-2027/S3/").status_code == 404


def test_nothing_until_published_then_withdrawn_again(client, promo):
    ev = evaluation(UNPUBLISHED_CODE)
    client.force_login(promo["lea_user"])
    assert "17,25" not in client.get(S2).content.decode()
    set_published(evaluation=ev, published=True, by=promo["secretariat"])
    assert "17,25" in shown_grades(client.get(S2).content.decode())
    set_published(evaluation=ev, published=False, by=promo["secretariat"])
    assert "17,25" not in client.get(S2).content.decode()


def test_a_published_grade_changed_later_shows_its_new_value_and_date(client, promo):
    client.force_login(promo["lea_user"])
    assert "modifiée le" not in client.get(S2).content.decode()
    grade = Grade.objects.get(enrolment__student=promo["lea"], evaluation=evaluation("R2.03"))
    grade.value = "13.5"
    grade.save()
    changed = Grade.history.filter(id=grade.pk).latest("history_date").history_date.astimezone(PARIS)
    html = client.get(S2).content.decode()
    assert "13,50" in shown_grades(html)
    assert f"modifiée le {changed:%d/%m/%Y}<br>à {changed:%H:%M}" in html
    assert html.count("modifiée le") == 1


def test_ce_qu_il_te_faut_from_published_grades(client, promo):
    """V4/C2/C3/P2: Léa has 10 everywhere published; R2.01 (not graded) and R2.02 (not published)
    are still to come: 9,90 on them brings each UE of S2 to 9,995…, shown 10,00 (V3), which acquires
    it, its RCUE with S1's 10 and the passage; 9,89 would not."""
    client.force_login(promo["lea_user"])
    html = client.get(S2).content.decode()
    besoins = html[html.index('id="besoins"'):html.index('id="moyennes"')]
    assert "Ce qu'il te faut" in besoins
    assert besoins.count("au moins 9,90 sur 20") == 3 + 3 + 1  # UEs of S2, RCUEs, passage
    assert "à chacune des 2 évaluations à venir (R2.01, R2.02)" in besoins
    assert besoins.count("déjà acquis") == 3  # the UEs of S1
    assert "Passage en S3" in besoins


def test_no_needs_once_deliberated(client, promo):
    deliberate(make_jury(2))
    client.force_login(promo["lea_user"])
    assert 'id="besoins"' not in client.get(S2).content.decode()


def test_absences_with_their_status_and_why(client, promo):
    AbsenceFactory(student=promo["lea"], day=date(2027, 3, 10), declared_at=datetime(2027, 3, 10, 8, tzinfo=PARIS))
    client.force_login(promo["lea_user"])
    html = client.get(S2).content.decode()
    section = html[html.index('id="absences"'):]
    assert "10/03/2027" in section and "Injustifiée" in section and "A4" in section
    assert "1 absence injustifiée" in section


def test_portal_index_links_to_mes_notes(client, promo):
    client.force_login(promo["lea_user"])
    assert reverse("portal:notes") in client.get("/mes-releves/").content.decode()


# --------------------------------------------------------------------------- publication


def test_publication_by_the_teacher_recorded_in_history(client, promo):
    ev = evaluation("R2.03")
    set_published(evaluation=ev, published=False, by=promo["secretariat"])
    client.force_login(promo["teacher"])
    response = client.post(f"/secretariat/evaluations/{ev.pk}/publication/", {"action": "publier"})
    assert response.status_code == 302 and response["Location"] == f"/secretariat/evaluations/{ev.pk}/saisie/"
    ev.refresh_from_db()
    assert ev.published_at is not None and ev.published_by == promo["teacher"]
    last = ev.history.latest("history_date")
    assert last.published_at == ev.published_at and last.history_user == promo["teacher"]
    assert last.history_change_reason == "publication des notes"
    page = client.get(f"/secretariat/evaluations/{ev.pk}/saisie/").content.decode()
    assert "Retirer la publication" in page and "Publiée" in page


def test_publication_refused_to_another_teacher_and_to_get(client, promo):
    ev = evaluation(UNPUBLISHED_CODE)
    client.force_login(promo["teacher"])  # teaches R2.03, not R2.02
    assert client.post(f"/secretariat/evaluations/{ev.pk}/publication/", {"action": "publier"}).status_code == 403
    client.force_login(promo["secretariat"])
    assert client.get(f"/secretariat/evaluations/{ev.pk}/publication/").status_code == 405
    ev.refresh_from_db()
    assert ev.published_at is None


def test_publishing_after_deliberation_is_allowed(client, promo):
    """E3 freezes grades, not their publication."""
    deliberate(make_jury(2))
    ev = evaluation(UNPUBLISHED_CODE)
    client.force_login(promo["secretariat"])
    client.post(f"/secretariat/evaluations/{ev.pk}/publication/", {"action": "publier"})
    ev.refresh_from_db()
    assert ev.published_at is not None
    client.force_login(promo["lea_user"])
    assert SECRET.replace(".", ",") in client.get(S2).content.decode()


def test_teacher_and_jury_have_no_mes_notes(client, promo):
    client.force_login(promo["teacher"])
    assert client.get(S2).status_code == 403


def test_query_count_does_not_grow_with_evaluations(client, promo, django_assert_max_num_queries):
    client.force_login(promo["lea_user"])
    with django_assert_max_num_queries(60):
        client.get(S2)


# --------------------------------------------------------------------------- the jury's student page


def test_jury_student_page_shows_what_the_student_needs_with_rule_links(client, promo):
    """The jury sees every grade entered, published or not: only R2.01 is still to come for Léa."""
    jury = make_jury(promo, number=2)
    client.force_login(promo["secretariat"])
    html = client.get(f"/jurys/{jury.pk}/etudiants/26000701/").content.decode()
    besoins = html[html.index('id="besoins"'):html.index('id="motifs"')]
    assert "Ce qu'il lui faut" in besoins and "à l'évaluation à venir (R2.01)" in unescape(besoins)
    assert 'href="/reglement/#C2"' in besoins and 'href="/reglement/#P2"' in besoins
    assert "déjà acquis" in besoins


def test_jury_student_page_without_anything_to_come_has_no_needs(client, promo):
    jury = make_jury(promo, number=2)
    client.force_login(promo["secretariat"])
    assert 'id="besoins"' not in client.get(f"/jurys/{jury.pk}/etudiants/26000702/").content.decode()


def _pdf_text(content: bytes) -> str:
    from io import BytesIO

    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages)


def test_the_provisional_releve_a_student_downloads_carries_no_unpublished_grade(client, promo):
    """The same rule as « Mes notes »: R2.02's unpublished 17,25 reaches no average of Léa's relevé."""
    client.force_login(promo["lea_user"])
    response = client.get("/mes-releves/2026-2027/S2/releve.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = _pdf_text(response.content)
    assert "17,25" not in text and "provisoire" in text.lower()
    # Published, R2.02's grade counts again (its average appears on the relevé).
    set_published(evaluation=Evaluation.objects.get(enseignement__code=UNPUBLISHED_CODE), published=True,
                  by=promo["secretariat"])
    assert "17,25" in _pdf_text(client.get("/mes-releves/2026-2027/S2/releve.pdf").content)
