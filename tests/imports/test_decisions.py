"""import_decisions (CONTRACTS.md): taking over the deliberated decisions of earlier juries.

A department that starts with the application in 2026-2027 brings the decisions of its BUT2
students' BUT1: they stand as deliberated (R3), later juries build on them, the grades of a
deliberated (student, jury) are frozen (E3), and the export says who is deliberated.
"""

from __future__ import annotations

import io
import json
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from juries.models import Evaluation, Grade, JuryDecision, JurySession, Stage
from juries.models.guards import FrozenError
from juries.roles import SECRETARIAT, ensure_roles
from juries.selectors.jury import load_formation
from juries.services.decisions import deliberate
from tests.factories import StudentFactory, enrol, grade_all, graded_enseignements, make_user, semester

pytestmark = pytest.mark.django_db

BUT1 = "2025-2026"
BUT2 = "2026-2027"
HEADER = "numero;annee;semestre;objet;code;moyenne;date_jury\n"


def run(command: str, *args) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(command, *[str(a) for a in args], stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


def write(tmp_path, text: str, name: str = "decisions.csv"):
    p = tmp_path / name
    p.write_bytes(text.encode("utf-8"))
    return p


def import_text(tmp_path, text: str, name: str = "decisions.csv") -> tuple[int, str, str]:
    return run("import_decisions", write(tmp_path, HEADER + text, name))


def proposals(annee: str, semestre: int) -> dict:
    code, out, err = run("jury_proposals", "--annee", annee, "--semestre", semestre)
    assert code == 0, err
    return json.loads(out)


def student_of(contract: dict, numero: str) -> dict:
    return next(s for s in contract["etudiants"] if s["numero"] == numero)


def codes(student: dict) -> dict[str, str]:
    out = {u["ue"]: u["code"] for u in student["ues"]}
    out |= {f"C{r['competence']} N{r['niveau']}": r["code"] for r in student["rcues"]}
    return out


def but1_rows(numero: str, *, ue: dict | None = None, rcue: dict | None = None, annee: str = "ADM",
              date_jury: str = "") -> str:
    """Every decision of the S2 jury of BUT1 (the six UEs, three RCUEs, the year)."""
    ue = {f"UE{c} S{s}": ("ADM", "12.00") for s in (1, 2) for c in (1, 2, 3)} | (ue or {})
    rcue = {f"C{c} N1": ("ADM", "12.00") for c in (1, 2, 3)} | (rcue or {})
    lines = [f"{numero};{BUT1};2;{k};{code};{moy};{date_jury}" for k, (code, moy) in ue.items()]
    lines += [f"{numero};{BUT1};2;{k};{code};{moy};{date_jury}" for k, (code, moy) in rcue.items()]
    lines.append(f"{numero};{BUT1};2;annee;{annee};;{date_jury}")
    return "\n".join(lines) + "\n"


@pytest.fixture
def but2_student(maquette):
    """A BUT2 student of 2026-2027 whose BUT1 (2025-2026) predates the application: no grades."""
    s = StudentFactory(numero="22000001", nom="Martin", prenom="Léa")
    for number, annee in ((1, BUT1), (2, BUT1), (3, BUT2), (4, BUT2)):
        enrol(s, number, annee)
    return s


# --------------------------------------------------------------------------- taking over BUT1


def test_a_but2_students_imported_but1_stands_and_the_next_juries_build_on_it(but2_student, tmp_path):
    text = but1_rows("22000001", ue={"UE2 S1": ("ADM", "10.40")}, date_jury="25/06/2026")
    code, out, err = import_text(tmp_path, text)
    assert code == 0, err
    assert "10 créations, 0 modification, 0 ligne inchangée" in out

    jury = JurySession.objects.get(annee=BUT1, semester__number=2)
    assert str(jury.date) == "2026-06-25" and not jury.is_deliberated  # deliberated per student
    decision = JuryDecision.objects.get()
    assert decision.deliberated_at is not None and decision.source == "reprise"
    assert decision.source_file == "decisions.csv"
    assert decision.reason == "reprise : décision délibérée hors de l'application, fichier « decisions.csv »"
    assert decision.decided_by.username == "reprise-import"

    s2 = proposals(BUT1, 2)
    student = student_of(s2, "22000001")
    assert s2["etat"] == "delibere" and student["etat"] == "delibere"
    assert student["decision_annee"] == "ADM" and student["passage"] is True
    assert {"ue": "UE2 S1", "moyenne": "10.40", "code": "ADM", "ects": 10} in student["ues"]
    assert student["ects_acquis"] == 60

    # The BUT2 jury starts from the BUT1 decisions (no grade of BUT1 on record): 60 ECTS carried.
    s3 = student_of(proposals(BUT2, 3), "22000001")
    assert s3["etat"] == "proposition"
    assert s3["ects_acquis"] == 60


def test_imported_rcue_compensates_an_unnamed_ue_computed_from_the_s1_jury(but2_student, tmp_path):
    s1 = "\n".join(f"22000001;{BUT1};1;UE{c} S1;{code};{moy};" for c, code, moy in
                   ((1, "ADM", "12.00"), (2, "AJ", "8.50"), (3, "ADM", "11.00"))) + "\n"
    s2 = "\n".join(f"22000001;{BUT1};2;UE{c} S2;ADM;12.00;" for c in (1, 2, 3)) + "\n"
    s2 += "\n".join(f"22000001;{BUT1};2;C{c} N1;ADM;{moy};" for c, moy in ((1, "12.00"), (2, "10.25"),
                                                                           (3, "11.50"))) + "\n"
    s2 += f"22000001;{BUT1};2;annee;ADM;;\n"
    code, out, err = import_text(tmp_path, s1 + s2)
    assert code == 0, err
    student = student_of(proposals(BUT1, 2), "22000001")
    ue2 = next(u for u in student["ues"] if u["ue"] == "UE2 S1")
    # UE2 S1 is not named at the S2 jury: the engine computes it with the named RCUE (C2: CMP).
    assert ue2 == {"ue": "UE2 S1", "moyenne": "8.50", "code": "CMP", "ects": 10}
    assert student["ects_acquis"] == 60
    assert JuryDecision.objects.get(jury__semester__number=2).ue_codes["UE2 S1"] == {"code": "CMP",
                                                                                     "moyenne": "8.50"}
    s1_export = proposals(BUT1, 1)
    assert s1_export["etat"] == "delibere" and student_of(s1_export, "22000001")["decision_annee"] is None
    assert student_of(proposals(BUT2, 3), "22000001")["ects_acquis"] == 60
    # two juries in one file, each building on the other: re-importing it still changes nothing
    code, out, err = import_text(tmp_path, s1 + s2)
    assert code == 0 and "0 création, 0 modification, 10 lignes inchangées" in out, err


def test_a_but2_student_with_but1_grades_on_record(maquette, tmp_path):
    s = StudentFactory(numero="22000002")
    e1, e2 = enrol(s, 1, BUT1), enrol(s, 2, BUT1)
    enrol(s, 3, BUT2)
    grade_all(e1, "12")
    grade_all(e2, "9")
    # Only the year is named: every UE and RCUE comes from the grades (UE S2 at 9 compensated).
    code, out, err = import_text(tmp_path, f"22000002;{BUT1};2;annee;ADM;;\n")
    assert code == 0, err
    student = student_of(proposals(BUT1, 2), "22000002")
    assert student["etat"] == "delibere" and student["decision_annee"] == "ADM"
    assert codes(student)["UE1 S2"] == "CMP" and codes(student)["C1 N1"] == "ADM"
    decision = JuryDecision.objects.get()
    assert decision.ue_codes["UE1 S2"] == {"code": "CMP", "moyenne": "9.00"}
    assert decision.rcue_codes["C1 N1"] == {"code": "ADM", "moyenne": "10.50"}
    assert student_of(proposals(BUT2, 3), "22000002")["ects_acquis"] == 60


def test_a_moyenne_given_is_the_average_kept(maquette, tmp_path):
    s = StudentFactory(numero="22000003")
    e1, e2 = enrol(s, 1, BUT1), enrol(s, 2, BUT1)
    grade_all(e1, "12")
    grade_all(e2, "12")
    code, _, err = import_text(tmp_path, f"22000003;{BUT1};2;UE1 S2;ADM;14.00;\n22000003;{BUT1};2;annee;ADM;;\n")
    assert code == 0, err
    student = student_of(proposals(BUT1, 2), "22000003")
    ue = next(u for u in student["ues"] if u["ue"] == "UE1 S2")
    assert ue["moyenne"] == "14.00"
    rcue = next(r for r in student["rcues"] if r["competence"] == 1)
    assert rcue["moyenne"] == "13.00"  # C3: (12 + 14) / 2, the kept average used


def test_two_ues_imported_adj_validate_their_rcue_and_the_level_below(but2_student, tmp_path):
    """V5 — « La validation des deux unités d'enseignement du niveau d'une compétence emporte la
    validation de l'ensemble des UE du niveau inférieur »."""
    code, _, err = import_text(tmp_path, but1_rows("22000001", ue={"UE1 S1": ("AJ", "8.00"), "UE1 S2": ("AJ", "8.00")},
                                                   rcue={"C1 N1": ("AJ", "8.00")}, annee="PASD"))
    assert code == 0, err
    e3, e4 = (but2_student.enrolments.get(semester__number=n) for n in (3, 4))
    grade_all(e3, "8")
    grade_all(e4, "8")
    code, _, err = import_text(tmp_path, f"22000001;{BUT2};4;UE1 S3;ADJ;;\n22000001;{BUT2};4;UE1 S4;ADJ;;\n",
                               name="s4.csv")
    assert code == 0, err
    got = codes(student_of(proposals(BUT2, 4), "22000001"))
    assert got["UE1 S3"] == "ADJ" and got["UE1 S4"] == "ADJ"
    assert got["C1 N2"] == "ADJ"
    assert got["UE1 S1"] == "ADSUP" and got["UE1 S2"] == "ADSUP"


# --------------------------------------------------------------------------- contract properties


def test_reimporting_the_same_file_changes_nothing(but2_student, tmp_path):
    path = write(tmp_path, HEADER + but1_rows("22000001"))
    assert run("import_decisions", path)[0] == 0
    before = list(JuryDecision.objects.values())
    history = JuryDecision.history.count()
    code, out, err = run("import_decisions", path)
    assert code == 0, err
    assert "0 création, 0 modification, 10 lignes inchangées" in out
    assert list(JuryDecision.objects.values()) == before
    assert JuryDecision.history.count() == history
    assert JurySession.objects.count() == 1


def test_one_wrong_row_writes_nothing(but2_student, tmp_path):
    text = but1_rows("22000001") + f"22000001;{BUT1};2;UE9 S2;ADM;;\n"
    code, out, err = import_text(tmp_path, text)
    assert code == 1 and out == ""
    assert "ligne 12, colonne objet : UE9 S2 n'est pas une UE de la maquette" in err
    assert "rien n'a été enregistré" in err
    assert not JuryDecision.objects.exists() and not JurySession.objects.exists()


def test_dry_run_writes_nothing(but2_student, tmp_path):
    code, out, err = run("import_decisions", write(tmp_path, HEADER + but1_rows("22000001")), "--dry-run")
    assert code == 0, err
    assert "aperçu, rien n'est enregistré" in out
    assert not JuryDecision.objects.exists() and not JurySession.objects.exists()


def test_the_user_option_records_who_imported(but2_student, tmp_path):
    user = make_user(username="secretaire")
    code, _, err = run("import_decisions", write(tmp_path, HEADER + but1_rows("22000001")), "--user", "secretaire")
    assert code == 0, err
    decision = JuryDecision.objects.get()
    assert decision.decided_by == user
    assert {h.history_user for h in JuryDecision.history.all()} == {user}
    with pytest.raises(CommandError, match="Utilisateur « personne » inconnu"):
        run("import_decisions", write(tmp_path, HEADER + but1_rows("22000001")), "--user", "personne")


def test_the_export_etat_is_per_student_and_delibere_when_every_student_is(but2_student, tmp_path):
    other = StudentFactory(numero="22000009")
    enrol(other, 1, BUT1)
    enrol(other, 2, BUT1)
    assert import_text(tmp_path, but1_rows("22000001"))[0] == 0
    s2 = proposals(BUT1, 2)
    assert s2["etat"] == "proposition"
    assert student_of(s2, "22000001")["etat"] == "delibere"
    assert student_of(s2, "22000009")["etat"] == "proposition"
    assert import_text(tmp_path, but1_rows("22000009"), name="autre.csv")[0] == 0
    s2 = proposals(BUT1, 2)
    assert s2["etat"] == "delibere"
    assert {s["etat"] for s in s2["etudiants"]} == {"delibere"}


def test_the_grades_of_a_deliberated_student_are_frozen(maquette, tmp_path):
    s, other = StudentFactory(numero="22000002"), StudentFactory(numero="22000003")
    e2, o2 = enrol(s, 2, BUT1), enrol(other, 2, BUT1)
    e1 = enrol(s, 1, BUT1)
    grade_all(e1, "12")
    grade_all(e2, "12")
    grade_all(o2, "12")
    assert import_text(tmp_path, f"22000002;{BUT1};2;annee;ADM;;\n")[0] == 0
    grade = Grade.objects.filter(enrolment=e2).first()
    grade.value = Decimal("3")
    with pytest.raises(FrozenError, match="E3 : le jury du S2 2025-2026 a délibéré"):
        grade.save()
    with pytest.raises(FrozenError):
        Grade.objects.filter(enrolment=e2).update(value=Decimal("3"))
    with pytest.raises(FrozenError):
        Grade.objects.filter(enrolment=e2).delete()
    retake = Evaluation.objects.create(enseignement=grade.evaluation.enseignement, annee=BUT1, label="rattrapage")
    with pytest.raises(FrozenError):
        Grade.objects.bulk_create([Grade(enrolment=e2, evaluation=retake, value=Decimal("15"))])
    Grade.objects.create(enrolment=o2, evaluation=retake, value=Decimal("15"))  # not deliberated: accepted
    # the other student of that jury is not deliberated, nor the S1 jury: their grades change
    Grade.objects.filter(enrolment=o2).update(value=Decimal("3"))
    Grade.objects.filter(enrolment=e1).update(value=Decimal("3"))
    # and the recorded decision itself is frozen
    decision = JuryDecision.objects.get()
    decision.decision_annee = "RED"
    with pytest.raises(FrozenError):
        decision.save()
    with pytest.raises(FrozenError):
        JuryDecision.objects.filter(pk=decision.pk).update(decision_annee="RED")
    with pytest.raises(FrozenError):
        JuryDecision.objects.filter(pk=decision.pk).delete()


def test_an_app_jury_holding_imported_decisions_can_still_deliberate(maquette, tmp_path):
    president = make_user(username="presidente")
    s, other = StudentFactory(numero="22000002"), StudentFactory(numero="22000003")
    for st in (s, other):
        grade_all(enrol(st, 1, BUT1), "12")
        grade_all(enrol(st, 2, BUT1), "12")
    assert import_text(tmp_path, f"22000002;{BUT1};2;annee;ADM;;\n")[0] == 0
    jury = JurySession.objects.get()
    jury.president = president
    jury.save()
    deliberate(jury=jury, by=president)
    s2 = proposals(BUT1, 2)
    assert s2["etat"] == "delibere" and {x["etat"] for x in s2["etudiants"]} == {"delibere"}


# --------------------------------------------------------------------------- refusals


REFUSALS = [
    pytest.param(f"22000001;{BUT1};2;UE1 S1;ADM;12;\n22000001;{BUT1};2;UE1 S1;ADM;12;\n",
                 "ligne 3 : doublon de la ligne 2 (même étudiant, jury et objet)", id="duplicate"),
    pytest.param(f"22000001;{BUT1};2;UE1 S3;ADM;12;\n",
                 "ligne 2, colonne objet : UE1 S3 n'est pas une UE du jury du S2 (UE du S1 et du S2", id="ue-other-year"),
    pytest.param(f"22000001;{BUT1};2;C1 N2;ADM;12;\n",
                 "ligne 2, colonne objet : C1 N2 n'est pas un RCUE du jury du S2 (BUT1)", id="rcue-other-year"),
    pytest.param(f"22000001;{BUT2};3;UE1 S1;ADM;12;\n",
                 "ligne 2, colonne objet : UE1 S1 n'est pas une UE du jury du S3 (UE du S3)", id="ue-earlier-odd"),
    pytest.param(f"22000001;{BUT2};4;UE1 S2;ADM;12;\n",
                 "ligne 2, colonne objet : UE1 S2 n'est pas une UE du jury du S4 (UE du S3 et du S4 ; une UE "
                 "d'une année précédente seulement en ADSUP)", id="earlier-ue-not-adsup"),
    pytest.param(f"22000001;{BUT2};4;UE1 S4;ADSUP;12;\n",
                 "ligne 2, colonne code : ADSUP : une UE d'un niveau inférieur", id="adsup-own-year"),
    pytest.param(f"22000001;{BUT1};1;C1 N1;ADM;12;\n",
                 "ligne 2, colonne objet : pas de RCUE au jury d'un semestre impair", id="rcue-odd"),
    pytest.param(f"22000001;{BUT1};1;UE1 S1;CMP;9;\n",
                 "ligne 2, colonne code : CMP à un jury de semestre impair", id="cmp-odd"),
    pytest.param(f"22000001;{BUT1};1;UE1 S1;ADSUP;9;\n",
                 "ligne 2, colonne code : ADSUP à un jury de semestre impair", id="adsup-odd"),
    pytest.param(f"22000001;{BUT1};1;annee;ADM;;\n",
                 "ligne 2, colonne code : ADM au jury d'un semestre impair : pas de décision d'année (P1), "
                 "seulement DEF, DEM, EXCLU", id="year-odd"),
    pytest.param(f"22000001;{BUT1};2;C1 N1;CMP;;\n",
                 "ligne 2, colonne code : CMP n'est pas un code de RCUE (ADM, ADJ, AJ)", id="rcue-code"),
    pytest.param(f"22000001;{BUT1};2;UE1 S1;PASD;;\n",
                 "ligne 2, colonne code : PASD n'est pas un code d'UE", id="ue-code"),
    pytest.param(f"22000001;{BUT1};2;annee;ATJ;;\n",
                 "ligne 2, colonne code : ATJ n'est pas une décision d'année", id="year-code"),
    pytest.param(f"22000001;{BUT1};2;annee;XYZ;;\n", "ligne 2, colonne code : code « XYZ » inconnu", id="unknown-code"),
    pytest.param(f"22000001;{BUT1};2;UEx;ADM;;\n", "ligne 2, colonne objet : objet « UEx » inconnu", id="objet"),
    pytest.param(f"22000001;{BUT1};2;UE1 S1;ADM;21;\n",
                 "ligne 2, colonne moyenne : moyenne 21 hors de l'intervalle 0 à 20", id="moyenne"),
    pytest.param(f"22000001;{BUT1};2;annee;ADM;12;\n",
                 "ligne 2, colonne moyenne : pas de moyenne pour la décision d'année", id="year-moyenne"),
    pytest.param(f"99999999;{BUT1};2;annee;ADM;;\n",
                 "ligne 2, colonne numero : l'étudiant 99999999 n'est pas inscrit en S2 2025-2026", id="not-enrolled"),
    pytest.param(f"22000001;{BUT1};2;annee;ADM;;2026-06-25\n22000001;{BUT1};2;UE1 S1;ADM;12;2026-06-26\n",
                 "ligne 3, colonne date_jury : deux dates pour le jury du S2 2025-2026 : 25/06/2026 (ligne 2) "
                 "et 26/06/2026", id="two-dates"),
    pytest.param(f"22000001;{BUT1};2;annee;ADM;;\n",
                 "ligne 2 : 22000001, jury du S2 2025-2026 : aucune note enregistrée pour ce jury ; une décision "
                 "délibérée ne peut pas rester en attente, le fichier doit donner aussi : UE1 S1, UE2 S1, UE3 S1, "
                 "UE1 S2, UE2 S2, UE3 S2, C1 N1, C2 N1, C3 N1\n", id="no-grades-names-everything"),
]


@pytest.mark.parametrize("text, message", REFUSALS)
def test_refusals_name_the_line_the_column_and_the_reason(but2_student, tmp_path, text, message):
    code, out, err = import_text(tmp_path, text)
    assert code == 1
    assert message in err, err
    assert not JuryDecision.objects.exists() and not JurySession.objects.exists()


def test_pasd_is_refused_at_s6(maquette, tmp_path):
    s = StudentFactory(numero="22000001")
    enrol(s, 6, BUT2)
    code, _, err = import_text(tmp_path, f"22000001;{BUT2};6;annee;PASD;;\n")
    assert code == 1
    assert "ligne 2, colonne code : PASD au jury du S6 : il n'y a pas de semestre suivant (P5)" in err


def test_adj_on_a_ue_whose_grades_give_adm_is_refused(maquette, tmp_path):
    s = StudentFactory(numero="22000002")
    grade_all(enrol(s, 1, BUT1), "12")
    grade_all(enrol(s, 2, BUT1), "12")
    code, _, err = import_text(tmp_path, f"22000002;{BUT1};2;UE1 S2;ADJ;;\n")
    assert code == 1
    assert "ligne 2, colonne code : ADJ impossible : les notes enregistrées donnent ADM à UE1 S2 (moyenne 12,00)" in err


def test_a_year_adm_with_an_rcue_aj_is_refused(but2_student, tmp_path):
    code, _, err = import_text(tmp_path, but1_rows("22000001", rcue={"C2 N1": ("AJ", "9.00")},
                                                   ue={"UE2 S1": ("AJ", "9.00"), "UE2 S2": ("AJ", "9.00")}))
    assert code == 1
    assert "ligne 11, colonne code : ADM demande tous les RCUE de l'année validés : C2 N1 (AJ) ne l'est pas" in err


def test_a_jury_deliberated_in_the_application_is_refused(maquette, tmp_path):
    president = make_user(username="presidente")
    s = StudentFactory(numero="22000002")
    grade_all(enrol(s, 1, BUT1), "12")
    grade_all(enrol(s, 2, BUT1), "12")
    jury = JurySession.objects.create(formation=load_formation(), semester=semester(2), annee=BUT1,
                                      date="2026-06-25", president=president)
    deliberate(jury=jury, by=president)
    code, _, err = import_text(tmp_path, f"22000002;{BUT1};2;annee;ADM;;\n")
    assert code == 1
    assert ("ligne 2 : le jury du S2 2025-2026 a délibéré dans l'application : ses décisions sont définitives "
            "(E3)") in err


def test_a_row_changing_a_recorded_decision_is_refused(but2_student, tmp_path):
    assert import_text(tmp_path, but1_rows("22000001"))[0] == 0
    before = list(JuryDecision.objects.values())
    code, _, err = import_text(tmp_path, but1_rows("22000001", annee="PASD"), name="corrige.csv")
    assert code == 1
    assert ("ligne 11, colonne code : annee : PASD change la décision déjà délibérée pour 22000001 au jury du S2 "
            "2025-2026 (ADM) ; rouvrir d'abord cette décision dans l'application") in err
    assert list(JuryDecision.objects.values()) == before


def test_a_stored_jury_date_differing_from_the_file_is_refused(but2_student, tmp_path):
    assert import_text(tmp_path, but1_rows("22000001", date_jury="2026-06-25"))[0] == 0
    code, _, err = import_text(tmp_path, but1_rows("22000001", date_jury="2026-06-30"))
    assert code == 1
    assert "colonne date_jury : le jury du S2 2025-2026 est enregistré à la date du 25/06/2026, pas du 30/06/2026" in err


def test_an_odd_semester_def_is_accepted(but2_student, tmp_path):
    rows = "\n".join(f"22000001;{BUT1};1;UE{c} S1;DEF;;" for c in (1, 2, 3)) + f"\n22000001;{BUT1};1;annee;DEF;;\n"
    code, _, err = import_text(tmp_path, rows)
    assert code == 0, err
    student = student_of(proposals(BUT1, 1), "22000001")
    assert student["decision_annee"] == "DEF" and student["passage"] is False
    assert {u["code"] for u in student["ues"]} == {"DEF"}


def test_french_dates_and_xlsx(but2_student, tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    for line in (HEADER + but1_rows("22000001", date_jury="25/06/2026")).splitlines():
        ws.append(line.split(";"))
    path = tmp_path / "decisions.xlsx"
    wb.save(path)
    code, out, err = run("import_decisions", path)
    assert code == 0, err
    assert str(JurySession.objects.get().date) == "2026-06-25"


# --------------------------------------------------------------------------- the admin import


def test_admin_import_previews_then_confirms(client, but2_student):
    ensure_roles()
    secretary = make_user(SECRETARIAT, username="secretaire", is_staff=True)
    client.force_login(secretary)
    url = reverse("admin:juries_jurydecision_contract_import")
    changelist = client.get(reverse("admin:juries_jurydecision_changelist")).content.decode()
    assert url in changelist
    data = (HEADER + but1_rows("22000001")).encode()
    preview = client.post(url, {"fichier": SimpleUploadedFile("reprise-but1.csv", data)})
    assert preview.status_code == 200, preview.content.decode()[-3000:]
    html = preview.content.decode()
    assert "Décisions de jury (reprise) : 10 créations" in html and "aperçu" in html
    assert not JuryDecision.objects.exists() and not JurySession.objects.exists()
    done = client.post(url, {"step": "confirm", "token": preview.context["token"]})
    assert done.status_code == 302
    decision = JuryDecision.objects.get()
    assert decision.decided_by == secretary and decision.source_file == "reprise-but1.csv"
    assert {h.history_user for h in JuryDecision.history.all()} == {secretary}
    again = client.post(url, {"fichier": SimpleUploadedFile("reprise-but1.csv", data)})
    assert "0 création, 0 modification, 10 lignes inchangées" in again.content.decode()


def test_admin_import_errors_are_french_and_write_nothing(client, but2_student):
    client.force_login(make_user(username="admin", is_superuser=True, is_staff=True))
    url = reverse("admin:juries_jurydecision_contract_import")
    data = (HEADER + f"22000001;{BUT1};1;C1 N1;ADM;12;\n").encode()
    response = client.post(url, {"fichier": SimpleUploadedFile("d.csv", data)})
    assert response.status_code == 400
    assert "ligne 2, colonne objet : pas de RCUE au jury d&#x27;un semestre impair" in response.content.decode()
    assert not JuryDecision.objects.exists()


def test_admin_import_is_not_offered_to_a_teacher(client, but2_student):
    ensure_roles()
    teacher = make_user("Enseignant", username="prof", is_staff=True)
    client.force_login(teacher)
    response = client.get(reverse("admin:juries_jurydecision_contract_import"))
    assert response.status_code in (302, 403)


def _but2_graded(student, value: str) -> None:
    """BUT1 imported with competence 1 not validated, then BUT2 graded `value` everywhere, stage done."""
    e3, e4 = (student.enrolments.get(semester__number=n) for n in (3, 4))
    grade_all(e3, value)
    grade_all(e4, value)
    Stage.objects.create(enrolment=e4, start=date(2027, 4, 5), end=date(2027, 6, 11))


def test_adsup_of_an_earlier_ue_is_written_at_the_jury_that_made_it(but2_student, tmp_path):
    text = but1_rows("22000001", ue={"UE1 S1": ("AJ", "8.00"), "UE1 S2": ("AJ", "8.00")},
                     rcue={"C1 N1": ("AJ", "8.00")}, annee="PASD")
    assert import_text(tmp_path, text)[0] == 0
    _but2_graded(but2_student, "12")
    code, out, err = import_text(tmp_path, f"22000001;{BUT2};4;UE1 S1;ADSUP;;\n22000001;{BUT2};4;annee;ADM;;\n",
                                 name="s4.csv")
    assert code == 0, err
    got = codes(student_of(proposals(BUT2, 4), "22000001"))
    assert got["UE1 S1"] == "ADSUP" and got["UE1 S2"] == "ADSUP" and got["C1 N2"] == "ADM"


def test_adsup_without_the_level_above_validated_is_refused(but2_student, tmp_path):
    text = but1_rows("22000001", ue={"UE1 S1": ("AJ", "8.00"), "UE1 S2": ("AJ", "8.00")},
                     rcue={"C1 N1": ("AJ", "8.00")}, annee="PASD")
    assert import_text(tmp_path, text)[0] == 0
    _but2_graded(but2_student, "9")
    code, _, err = import_text(tmp_path, f"22000001;{BUT2};4;UE1 S1;ADSUP;;\n", name="s4.csv")
    assert code == 1
    assert ("ligne 2, colonne code : UE1 S1 : ADSUP demande le niveau supérieur validé à ce jury (V5 : RCUE de la "
            "compétence 1) ; il est AJ") in err


def test_a_code_the_reglement_cannot_record_is_refused(but2_student, tmp_path):
    """V4 — an acquired UE is never lost: AJ at the S2 jury for a UE the S1 jury gave ADM."""
    s1 = "\n".join(f"22000001;{BUT1};1;UE{c} S1;ADM;12.00;" for c in (1, 2, 3)) + "\n"
    assert import_text(tmp_path, s1)[0] == 0
    code, _, err = import_text(tmp_path, but1_rows("22000001", ue={"UE1 S1": ("AJ", "12.00")}), name="s2.csv")
    assert code == 1
    assert "ligne 2, colonne code : UE1 S1 : AJ ne peut pas être enregistré, le règlement donne ADM" in err


def test_a_ue_left_waiting_by_missing_grades_must_be_named(maquette, tmp_path):
    s = StudentFactory(numero="22000002")
    grade_all(enrol(s, 1, BUT1), "12")
    e2 = enrol(s, 2, BUT1)
    missing = graded_enseignements(2)[0].code
    grade_all(e2, "12", overrides={missing: None})
    code, _, err = import_text(tmp_path, f"22000002;{BUT1};2;annee;ADM;;\n")
    assert code == 1
    assert ("ligne 2 : 22000002, jury du S2 2025-2026 : notes manquantes (ATT) ; une décision délibérée ne peut pas "
            "rester en attente, le fichier doit donner aussi : UE") in err
    assert not JuryDecision.objects.exists()
