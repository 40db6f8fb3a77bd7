"""The admin: imports through the shared service (preview, confirm, all or nothing), exports in the
CONTRACTS.md columns with formulas neutralised, the grade form's optimistic locking."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from juries.models import Absence, Enrolment, Grade, Mobility, Stage, Student
from juries.services.absences import declare_absence
from tests.factories import StudentFactory, enrol

from .conftest import ANNEE

pytestmark = pytest.mark.django_db

GRADES_CSV = (
    "numero;annee;semestre;code;evaluation;coefficient;date;note\n"
    "26000001;2026-2027;1;R1.01;DS1;1;2026-10-05;12,5\n"
    "26000002;2026-2027;1;R1.01;DS1;1;2026-10-05;ABS\n"
)


def _upload(client, model: str, content: bytes | str, name="fichier.csv"):
    data = content.encode() if isinstance(content, str) else content
    return client.post(reverse(f"admin:juries_{model}_contract_import"),
                       {"fichier": SimpleUploadedFile(name, data)})


def _confirm(client, model: str, token: str):
    return client.post(reverse(f"admin:juries_{model}_contract_import"), {"step": "confirm", "token": token})


def test_grade_import_preview_then_confirm_all_or_nothing(client, secretary, promo):
    client.force_login(secretary)
    preview = _upload(client, "grade", GRADES_CSV)
    assert preview.status_code == 200
    html = preview.content.decode()
    assert "Notes : 2 créations" in html and "aperçu, rien n&#x27;est enregistré" in html
    assert not Grade.objects.exists()
    done = _confirm(client, "grade", preview.context["token"])
    assert done.status_code == 302
    assert Grade.objects.count() == 2
    assert {h.history_user for h in Grade.history.all()} == {secretary}
    # re-importing the same file changes nothing (idempotent)
    again = _upload(client, "grade", GRADES_CSV)
    assert "0 création, 0 modification, 2 lignes inchangées" in again.content.decode()


def test_import_errors_are_french_and_name_the_line_and_column(client, secretary, promo):
    client.force_login(secretary)
    bad = GRADES_CSV.replace("12,5", "12,555").replace("26000002", "99999999")
    response = _upload(client, "grade", bad)
    html = response.content.decode()
    assert response.status_code == 400
    assert "ligne 2, colonne note : « 12,555 » n&#x27;est pas une note" in html
    assert "ligne 3, colonne numero : l&#x27;étudiant 99999999 n&#x27;est pas inscrit en S1 2026-2027" in html
    assert "rien n'a été enregistré" in html
    assert "token" not in response.context or not response.context.get("token")
    assert not Grade.objects.exists()


def test_a_forged_or_reused_token_is_refused(client, secretary, promo):
    client.force_login(secretary)
    assert _confirm(client, "grade", "../../etc/passwd").status_code == 400
    preview = _upload(client, "grade", GRADES_CSV)
    token = preview.context["token"]
    assert _confirm(client, "grade", token).status_code == 302
    assert _confirm(client, "grade", token).status_code == 400  # used once


@pytest.mark.parametrize("model, content, check", [
    ("enrolment", "numero;nom;prenom;annee;semestre;regime\n26000050;Petit;Zoé;2026-2027;3;FA\n",
     lambda: Enrolment.objects.get(student__numero="26000050").regime == "FA"),
    ("student", "numero,nom,prenom,annee,semestre\n26000051,Roux,Tom,2026-2027,1\n",
     lambda: Student.objects.filter(numero="26000051").exists()),
    ("absence", "numero;debut;fin;declaree_le;justificatif_le;motif\n"
                "26000001;2026-10-05 08:00;2026-10-05 12:00;2026-10-05 08:30;2026-10-06 09:00;maladie\n",
     lambda: Absence.objects.get().reason == "maladie"),
    ("stage", "numero;annee;semestre;debut;fin;entreprise\n26000060;2026-2027;4;2027-04-05;2027-06-11;Bosch\n",
     lambda: Stage.objects.get().company == "Bosch"),
    ("mobility", "numero;annee;semestre;etablissement\n26000060;2026-2027;4;Zaragoza\n",
     lambda: Mobility.objects.get().institution == "Zaragoza"),
])
def test_every_contract_import_is_reachable_from_its_admin(client, secretary, promo, model, content, check):
    enrol(StudentFactory(numero="26000060"), 4, ANNEE)
    client.force_login(secretary)
    preview = _upload(client, model, content)
    assert preview.status_code == 200, preview.content.decode()[-2000:]
    assert _confirm(client, model, preview.context["token"]).status_code == 302
    assert check()


def test_the_changelist_shows_the_import_and_export_buttons(client, secretary):
    client.force_login(secretary)
    html = client.get(reverse("admin:juries_grade_changelist")).content.decode()
    assert reverse("admin:juries_grade_contract_import") in html and reverse("admin:juries_grade_export") in html


def _export(client, model: str, fmt: int, query: str = ""):
    """fmt: 0 = CSV (;), 1 = XLSX."""
    return client.post(reverse(f"admin:juries_{model}_export") + query, {"format": str(fmt)})


def test_grade_export_uses_the_contract_columns_and_reimports_unchanged(client, secretary, promo, ds1):
    Grade.objects.create(enrolment=promo[0], evaluation=ds1, value=Decimal("12.5"))
    Grade.objects.create(enrolment=promo[1], evaluation=ds1, mark="ABS")
    client.force_login(secretary)
    response = _export(client, "grade", 0)
    assert response.status_code == 200
    content = response.content
    assert content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["numero", "annee", "semestre", "code", "evaluation", "coefficient", "date", "note"]
    assert sorted(rows[1:]) == [["26000001", ANNEE, "1", "R1.01", "DS1", "1", "2026-10-05", "12,50"],
                                ["26000002", ANNEE, "1", "R1.01", "DS1", "1", "2026-10-05", "ABS"]]
    preview = _upload(client, "grade", content, "notes.csv")
    assert "0 création, 0 modification, 2 lignes inchangées" in preview.content.decode()


def test_export_respects_the_changelist_filters(client, secretary, promo, ds1):
    Grade.objects.create(enrolment=promo[0], evaluation=ds1, value=Decimal("12.5"))
    Grade.objects.create(enrolment=promo[2], evaluation=ds1, value=Decimal("8"))
    client.force_login(secretary)
    response = _export(client, "grade", 0, "?enrolment__group=G2")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert [r[0] for r in rows[1:]] == ["26000003"]


def test_absence_export_writes_paris_wall_clock_times(client, secretary, promo):
    declare_absence(student=promo[0].student, start=datetime(2026, 10, 5, 8), end=datetime(2026, 10, 5, 12),
                    declared_at=datetime(2026, 10, 5, 8, 30), justificatif_at=datetime(2026, 10, 6, 9),
                    channel="telephone", reason="maladie", by=secretary)
    client.force_login(secretary)
    rows = list(csv.reader(io.StringIO(_export(client, "absence", 0).content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:6] == ["numero", "debut", "fin", "declaree_le", "justificatif_le", "motif"]
    assert rows[1][:7] == ["26000001", "2026-10-05 08:00", "2026-10-05 12:00", "2026-10-05 08:30", "2026-10-06 09:00",
                           "maladie", "telephone"]


FORMULAS = ["=1+1", "+33 6 12", "-2", "@SUM(A1)"]


@pytest.mark.parametrize("fmt", [0, 1], ids=["csv", "xlsx"])
def test_exports_neutralise_cells_that_a_spreadsheet_would_run(client, secretary, maquette, fmt):
    for i, text in enumerate(FORMULAS):
        StudentFactory(numero=f"2607000{i}", nom=text, prenom=text)
    client.force_login(secretary)
    response = _export(client, "student", fmt)
    if fmt == 0:
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
        assert sorted(r[2] for r in rows[1:]) == sorted("'" + t for t in FORMULAS)
    else:
        # XLSX: a text cell cannot run, so the name is exported as it is, without a stray quote.
        ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
        rows = [[c.value for c in r] for r in ws.iter_rows()]
        assert all(c.data_type != "f" for r in ws.iter_rows() for c in r)
        assert sorted(r[2] for r in rows[1:]) == sorted(FORMULAS)


def test_grade_admin_change_is_refused_when_someone_saved_in_between(client, secretary, promo, ds1):
    grade = Grade.objects.create(enrolment=promo[0], evaluation=ds1, value=Decimal("10"))
    url = reverse("admin:juries_grade_change", args=[grade.pk])
    client.force_login(secretary)
    form = {"enrolment": promo[0].pk, "evaluation": ds1.pk, "value": "11", "mark": "", "version": "1"}
    Grade.objects.filter(pk=grade.pk).update(value=Decimal("15"), version=2)  # a colleague, meanwhile
    response = client.post(url, form)
    assert response.status_code == 200 and "modifiée par quelqu&#x27;un d&#x27;autre" in response.content.decode()
    grade.refresh_from_db()
    assert grade.value == Decimal("15")
    response = client.post(url, {**form, "version": "2"})
    assert response.status_code == 302
    grade.refresh_from_db()
    assert (grade.value, grade.version) == (Decimal("11"), 3)


def test_grade_admin_refuses_a_grade_and_a_mark_together(client, secretary, promo, ds1):
    client.force_login(secretary)
    response = client.post(reverse("admin:juries_grade_add"),
                           {"enrolment": promo[0].pk, "evaluation": ds1.pk, "value": "11", "mark": "ABI", "version": "1"})
    assert "pas les deux" in response.content.decode()
    assert not Grade.objects.exists()


@pytest.mark.parametrize("value, mark, message", [
    ("21", "", "note 21 hors de l&#x27;intervalle 0 à 20"),
    ("", "", "note vide : une note de 0 à 20, ou ABI, ABJ, ABS"),
    ("", "ABS", "A8 : ABS demande la date de l&#x27;évaluation"),
])
def test_grade_admin_gives_the_import_s_french_messages(client, secretary, promo, r101, value, mark, message):
    """The admin form, the imports and the grade entry share one validation: same faults, same words."""
    from juries.models import Evaluation

    undated = Evaluation.objects.create(enseignement=r101, annee=ANNEE, label="TP noté", date=None)
    client.force_login(secretary)
    response = client.post(reverse("admin:juries_grade_add"), {"enrolment": promo[0].pk, "evaluation": undated.pk,
                                                               "value": value, "mark": mark, "version": "1"})
    assert response.status_code == 200 and message in response.content.decode()
    assert not Grade.objects.exists()


def test_grade_admin_change_keeps_the_bulk_loaded_state_in_the_history(client, secretary, promo, ds1):
    """A grade loaded without history (bulk, demo) and changed in the admin shows old → new."""
    Grade.objects.bulk_create([Grade(enrolment=promo[0], evaluation=ds1, value=Decimal("9"))])
    grade = Grade.objects.get()
    client.force_login(secretary)
    response = client.post(reverse("admin:juries_grade_change", args=[grade.pk]),
                           {"enrolment": promo[0].pk, "evaluation": ds1.pk, "value": "12", "mark": "", "version": "1"})
    assert response.status_code == 302
    grade.refresh_from_db()
    assert (grade.value, grade.version) == (Decimal("12"), 2)
    history = list(Grade.history.filter(id=grade.pk).order_by("history_date"))
    assert [h.value for h in history] == [Decimal("9"), Decimal("12")]
    assert history[-1].history_user == secretary


def test_grade_changelist_is_fast_and_shows_the_a8_resolution(client, secretary, maquette, r101,
                                                               django_assert_max_num_queries):
    from juries.models import Evaluation

    ev = Evaluation.objects.create(enseignement=r101, annee=ANNEE, label="DS", date=date(2026, 10, 5))
    for i in range(120):
        e = enrol(StudentFactory(numero=f"2608{i:04d}"), 1, ANNEE, group=f"G{i % 3}")
        Grade.objects.create(enrolment=e, evaluation=ev, mark="ABS" if i % 10 == 0 else "",
                             value=None if i % 10 == 0 else Decimal("10"))
    client.force_login(secretary)
    url = reverse("admin:juries_grade_changelist")
    client.get(url)
    with django_assert_max_num_queries(20):
        response = client.get(url + "?evaluation__annee=2026-2027&enrolment__group=G0")
    assert response.status_code == 200 and "ABS → ABI" in response.content.decode()


def test_the_enseignement_filter_lists_the_enseignements_of_the_chosen_semester(client, secretary, promo, ds1):
    from juries.models import Semester

    Grade.objects.create(enrolment=promo[0], evaluation=ds1, value=Decimal("12"))
    client.force_login(secretary)
    url = reverse("admin:juries_grade_changelist")
    html = client.get(url).content.decode()
    assert "choisir d&#x27;abord un semestre" in html and "R1.02 Expression" not in html
    s1 = Semester.objects.get(number=1)
    html = client.get(url, {"enrolment__semester__id__exact": s1.pk}).content.decode()
    assert "R1.02 Expression" in html and "R2.01" not in html
    html = client.get(url, {"enrolment__semester__id__exact": s1.pk, "enseignement": ds1.enseignement_id}).content.decode()
    assert "12,00" in html


def test_the_admin_home_lists_each_import_once_with_its_template_files(client, secretary, promo):
    client.force_login(secretary)
    html = client.get(reverse("admin:index")).content.decode()
    assert 'id="imports"' in html and "<caption>Importer</caption>" in html
    for kind, model in (("enrolments", "enrolment"), ("grades", "grade"), ("absences", "absence"),
                        ("stages", "stage"), ("mobility", "mobility")):
        url = reverse(f"admin:juries_{model}_contract_import")
        assert html.count(f'href="{url}"') == 1 and f'id="import-{kind}"' in html
        for fmt in ("xlsx", "csv"):
            assert reverse(f"admin:juries_{model}_contract_template", args=[fmt]) in html
    # One page per import: the grade import is the grades', the enrolment import the enrolments'.
    for shared in ("evaluation", "student"):
        assert reverse(f"admin:juries_{shared}_contract_import") not in html
    evaluations = client.get(reverse("admin:juries_evaluation_changelist")).content.decode()
    assert reverse("admin:juries_grade_contract_import") in evaluations
    assert reverse("admin:juries_evaluation_contract_import") not in evaluations
    students = client.get(reverse("admin:juries_student_changelist")).content.decode()
    assert reverse("admin:juries_enrolment_contract_import") in students


def test_the_decisions_import_is_listed_for_who_creates_jury_sessions_only(client, secretary, teacher, promo):
    from django.contrib.auth.models import Permission

    client.force_login(secretary)  # the Secrétariat creates the jury sessions (juries/roles.py)
    html = client.get(reverse("admin:index")).content.decode()
    assert 'id="import-decisions"' in html and reverse("admin:juries_jurydecision_contract_template", args=["xlsx"]) in html
    teacher.is_staff = True
    teacher.save()
    teacher.user_permissions.add(*Permission.objects.filter(codename__in=["view_grade", "add_grade", "change_grade"]))
    client.force_login(teacher)
    html = client.get(reverse("admin:index")).content.decode()
    assert 'id="import-grades"' in html and 'id="import-decisions"' not in html and 'id="import-absences"' not in html
