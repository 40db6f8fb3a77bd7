"""import_enrolments: one row per student and semester enrolment (docs/formats.md)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from juries.models import Enrolment, Parcours, Semester, Student
from juries.models.guards import FrozenError
from juries.models.students import numero_validator

from .base import RowReader
from .columns import required
from .errors import ImportFailed, RowError
from .parsing import CellError, parse_annee, parse_bool, parse_semestre
from .tabular import Row

REQUIRED = required("enrolments")
REGIMES = {"FI", "FA", "FC"}
#: docs/reglement.md DEF / DEM: the `statut` column as written in the file -> Enrolment.status.
STATUTS = {
    "INSCRIT": Enrolment.Status.INSCRIT,
    "DEF": Enrolment.Status.DEFAILLANT,
    "DEFAILLANT": Enrolment.Status.DEFAILLANT,
    "DEM": Enrolment.Status.DEMISSION,
    "DEMISSION": Enrolment.Status.DEMISSION,
}


def _numero(text: str) -> str:
    """CONTRACTS.md: `[A-Za-z0-9]{1,20}`, the model's own validator (the numero goes in URLs)."""
    t = text.strip()
    try:
        numero_validator(t)
    except ValidationError:
        raise CellError(f"numéro « {t[:40]} » refusé : 1 à 20 lettres ou chiffres sans accent, "
                        "ni espace, ni barre oblique, ni autre signe") from None
    return t


def _regime(text: str) -> str:
    t = text.strip().upper()
    if t not in REGIMES:
        raise CellError(f"régime « {text.strip()} » inconnu (FI, FA ou FC)")
    return t


def _statut(text: str) -> str:
    t = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().strip().upper()
    if t not in STATUTS:
        raise CellError(f"statut « {text.strip()} » inconnu (inscrit, DEF pour défaillant, DEM pour démission)")
    return STATUTS[t]


@dataclass
class EnrolmentRow:
    line: int
    numero: str
    nom: str
    prenom: str
    email: str
    regime: str
    annee: str
    semester: Semester
    parcours: Parcours
    redoublement: bool
    amenagement: bool
    statut: str | None = None  # None: no `statut` column, the stored status is kept


def validate(rows: list[Row]) -> tuple[list[EnrolmentRow], list[RowError]]:
    errors: list[RowError] = []
    parcours_by_code: dict[str, list[Parcours]] = {}
    for p in Parcours.objects.select_related("formation"):
        parcours_by_code.setdefault(p.code.upper(), []).append(p)
    semesters = {(s.formation_id, s.number): s for s in Semester.objects.all()}
    out: list[EnrolmentRow] = []
    seen: dict[tuple[str, str, int], int] = {}
    for row in rows:
        r = RowReader(row, errors)
        numero = r.cell("numero", _numero)
        nom = r.cell("nom")
        prenom = r.cell("prenom")
        email = r.cell("email", required=False, default="")
        regime = r.cell("regime", _regime, required=False, default="FI")
        annee = r.cell("annee", parse_annee)
        semestre = r.cell("semestre", parse_semestre)
        code = (row.get("parcours") or "OSC").upper()
        candidates = parcours_by_code.get(code, [])
        parcours = candidates[0] if len(candidates) == 1 else None
        if parcours is None:
            r.fail("parcours" if "parcours" in row.values else None,
                   f"parcours « {code} » inconnu" if not candidates else f"parcours « {code} » ambigu")
        redoublement = r.cell("redoublement", parse_bool, required=False, default=False)
        amenagement = r.cell("amenagement", parse_bool, required=False, default=False)
        statut = (r.cell("statut", _statut, required=False, default=Enrolment.Status.INSCRIT)
                  if "statut" in row.values else None)
        if email and "@" not in email:
            r.fail("email", f"adresse « {email} » invalide")
        if not r.ok:
            continue
        assert parcours is not None  # an unknown or ambiguous parcours failed the row
        semester = semesters.get((parcours.formation_id, semestre))
        if semester is None:
            r.fail("semestre", f"le semestre {semestre} n'existe pas dans la maquette (charger la maquette)")
            continue
        key = (numero, annee, semestre)
        if key in seen:
            r.fail(None, f"doublon de la ligne {seen[key]} (même étudiant, année et semestre)")
            continue
        seen[key] = row.line
        out.append(EnrolmentRow(row.line, numero, nom, prenom, email, regime, annee, semester, parcours,
                                redoublement, amenagement, statut))
    _check_repeats(out, errors)
    return out, errors


def _check_repeats(rows: list[EnrolmentRow], errors: list[RowError]) -> None:
    """R3 [interp] — a second enrolment in a semester must carry the `redoublement` flag."""
    numeros = {r.numero for r in rows}
    stored: dict[tuple[str, int], set[str]] = {}
    for numero, annee, number in Enrolment.objects.filter(student__numero__in=numeros).values_list(
        "student__numero", "annee", "semester__number"
    ):
        stored.setdefault((numero, number), set()).add(annee)
    in_file: dict[tuple[str, int], set[str]] = {}
    for r in rows:
        in_file.setdefault((r.numero, r.semester.number), set()).add(r.annee)
    for r in rows:
        years = stored.get((r.numero, r.semester.number), set()) | in_file[(r.numero, r.semester.number)]
        earlier = sorted(y for y in years if y < r.annee)
        if earlier and not r.redoublement:
            errors.append(RowError(
                r.line, None,
                f"R3 : {r.numero} était déjà inscrit en S{r.semester.number} en {earlier[-1]} ; "
                "une seconde inscription doit porter redoublement = 1",
            ))


def apply(rows: list[EnrolmentRow], report) -> None:
    students = {s.numero: s for s in Student.objects.filter(numero__in={r.numero for r in rows})}
    enrolments = {
        (e.student.numero, e.annee, e.semester_id): e
        for e in Enrolment.objects.filter(student__numero__in={r.numero for r in rows}).select_related("student")
    }
    refused: list[RowError] = []  # E3: what a deliberated relevé prints (models/students.py)
    for r in rows:
        student = students.get(r.numero)
        student_changed = False
        if student is None:
            student = Student.objects.create(numero=r.numero, nom=r.nom, prenom=r.prenom, email=r.email)
            students[r.numero] = student
            student_changed = True
        elif (student.nom, student.prenom) != (r.nom, r.prenom) or (r.email and student.email != r.email):
            student.nom, student.prenom = r.nom, r.prenom
            student.email = r.email or student.email
            if not _saved(student, r.line, refused):
                continue
            student_changed = True
        wanted = dict(parcours=r.parcours, regime=r.regime, redoublement=r.redoublement, amenagement=r.amenagement)
        if r.statut is not None:
            wanted["status"] = r.statut
        e = enrolments.get((r.numero, r.annee, r.semester.pk))
        label = f"{r.numero} {r.nom} {r.prenom} S{r.semester.number} {r.annee}"
        if e is None:
            Enrolment.objects.create(student=student, annee=r.annee, semester=r.semester, **wanted)
            report.count("nouveau", r.line, label)
            continue
        if any(getattr(e, k) != v for k, v in wanted.items()):
            for k, v in wanted.items():
                setattr(e, k, v)
            if _saved(e, r.line, refused):
                report.count("modifié", r.line, label)
        else:
            report.count("modifié" if student_changed else "inchangé", r.line, label)
    if refused:
        raise ImportFailed(refused)  # nothing is written: the import's transaction rolls back


def _saved(obj, line: int, refused: list[RowError]) -> bool:
    try:
        obj.save()
    except FrozenError as exc:
        refused.append(RowError(line, None, exc.message))
        return False
    return True
