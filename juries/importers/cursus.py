"""import_stages, import_mobility, import_absences (docs/formats.md)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from juries.models import Absence, Enrolment, Mobility, Stage, Student

from .base import RowReader
from .columns import required
from .errors import RowError
from .parsing import CellError, parse_annee, parse_bool, parse_date, parse_datetime, parse_semestre
from .tabular import Row

STAGE_REQUIRED = required("stages")
MOBILITY_REQUIRED = required("mobility")
ABSENCE_REQUIRED = required("absences")
MOTIFS = {c.value for c in Absence.Reason}


def _enrolments_for(rows: list[Row]) -> dict[tuple[str, str, int], Enrolment]:
    return {
        (e.student.numero, e.annee, e.semester.number): e
        for e in Enrolment.objects.filter(student__numero__in={r.get("numero") for r in rows}).select_related(
            "student", "semester"
        )
    }


def _enrolment(r: RowReader, enrolments: dict, allowed: tuple[int, ...], rule: str = "") -> tuple | None:
    numero = r.cell("numero")
    annee = r.cell("annee", parse_annee)
    semestre = r.cell("semestre", lambda t: parse_semestre(t, allowed))
    if not (numero and annee and semestre):
        return None
    e = enrolments.get((numero, annee, semestre))
    if e is None:
        r.fail("numero", f"l'étudiant {numero} n'est pas inscrit en S{semestre} {annee}")
        return None
    return e, (numero, annee, semestre)


@dataclass
class StageRow:
    line: int
    enrolment: Enrolment
    start: date
    end: date
    company: str
    abroad: bool


def validate_stages(rows: list[Row]):
    errors: list[RowError] = []
    enrolments = _enrolments_for(rows)
    out: list[StageRow] = []
    seen: dict[tuple, int] = {}
    for row in rows:
        r = RowReader(row, errors)
        found = _enrolment(r, enrolments, (4, 6))
        start = r.cell("debut", parse_date)
        end = r.cell("fin", parse_date)
        company = r.cell("entreprise", required=False, default="")
        abroad = r.cell("etranger", parse_bool, required=False, default=False)
        if start and end and end < start:
            r.fail("fin", "la fin du stage précède son début")
        if not r.ok or found is None:
            continue
        if found[1] in seen:
            r.fail(None, f"doublon de la ligne {seen[found[1]]} (même étudiant, année et semestre)")
            continue
        seen[found[1]] = row.line
        out.append(StageRow(row.line, found[0], start, end, company, abroad))
    return out, errors


def apply_stages(rows: list[StageRow], report) -> None:
    existing = {s.enrolment_id: s for s in Stage.objects.filter(enrolment__in=[r.enrolment for r in rows])}
    for r in rows:
        wanted = dict(start=r.start, end=r.end, company=r.company, abroad=r.abroad)
        label = f"stage {r.enrolment.student.numero} S{r.enrolment.semester.number} {r.enrolment.annee}"
        _upsert(existing.get(r.enrolment.pk), Stage, dict(enrolment=r.enrolment), wanted, report, r.line, label)


@dataclass
class MobilityRow:
    line: int
    enrolment: Enrolment
    institution: str


def validate_mobility(rows: list[Row]):
    errors: list[RowError] = []
    enrolments = _enrolments_for(rows)
    out: list[MobilityRow] = []
    seen: dict[tuple, int] = {}
    for row in rows:
        r = RowReader(row, errors)
        semestre_text = row.get("semestre").strip()
        if semestre_text in ("1", "2"):
            r.fail("semestre", "M1 : une mobilité d'études se fait en BUT2 ou BUT3 (semestres 3 à 6)")
            continue
        found = _enrolment(r, enrolments, (3, 4, 5, 6))
        institution = r.cell("etablissement")
        if not r.ok or found is None:
            continue
        if found[1] in seen:
            r.fail(None, f"doublon de la ligne {seen[found[1]]} (même étudiant, année et semestre)")
            continue
        seen[found[1]] = row.line
        out.append(MobilityRow(row.line, found[0], institution))
    return out, errors


def apply_mobility(rows: list[MobilityRow], report) -> None:
    existing = {m.enrolment_id: m for m in Mobility.objects.filter(enrolment__in=[r.enrolment for r in rows])}
    for r in rows:
        label = f"mobilité {r.enrolment.student.numero} S{r.enrolment.semester.number} {r.enrolment.annee}"
        _upsert(existing.get(r.enrolment.pk), Mobility, dict(enrolment=r.enrolment),
                dict(institution=r.institution), report, r.line, label)


@dataclass
class AbsenceRow:
    line: int
    student: Student
    start: datetime
    end: datetime
    declared_at: datetime
    justificatif_at: datetime | None
    reason: str
    channel: str | None


def _motif(text: str) -> str:
    t = text.strip().lower() or Absence.Reason.AUTRE.value
    if t not in MOTIFS:
        raise CellError(f"motif « {text.strip()} » inconnu ({', '.join(sorted(MOTIFS))})")
    return t


def _channel(text: str) -> str:
    t = text.strip().lower()
    allowed = {c.value for c in Absence.Channel}
    if t not in allowed:
        raise CellError(f"canal « {text.strip()} » inconnu ({', '.join(sorted(allowed))})")
    return t


def validate_absences(rows: list[Row]):
    errors: list[RowError] = []
    students = {s.numero: s for s in Student.objects.filter(numero__in={r.get("numero") for r in rows})}
    out: list[AbsenceRow] = []
    seen: dict[tuple, int] = {}
    for row in rows:
        r = RowReader(row, errors)
        numero = r.cell("numero")
        start = r.cell("debut", parse_datetime)
        end = r.cell("fin", parse_datetime)
        declared = r.cell("declaree_le", parse_datetime)
        justif = r.cell("justificatif_le", parse_datetime, required=False)
        reason = r.cell("motif", _motif, required=False, default=Absence.Reason.AUTRE.value)
        channel = r.cell("canal", _channel, required=False)
        student = students.get(numero) if numero else None
        if numero and student is None:
            r.fail("numero", f"étudiant {numero} inconnu")
        if start and end and end < start:
            r.fail("fin", "la fin de l'absence précède son début")
        if not r.ok:
            continue
        assert student is not None  # `numero` is required and was found, or the row failed
        key = (numero, start)
        if key in seen:
            r.fail(None, f"doublon de la ligne {seen[key]} (même étudiant et même début)")
            continue
        seen[key] = row.line
        out.append(AbsenceRow(row.line, student, start, end, declared, justif, reason, channel))
    return out, errors


def apply_absences(rows: list[AbsenceRow], report) -> None:
    existing = {
        (a.student_id, a.start): a for a in Absence.objects.filter(student__in={r.student for r in rows})
    }
    for r in rows:
        wanted = dict(end=r.end, declared_at=r.declared_at, justificatif_at=r.justificatif_at, reason=r.reason)
        if r.channel:
            wanted["channel"] = r.channel
        label = f"absence {r.student.numero} {r.start:%d/%m/%Y %H:%M}"
        _upsert(existing.get((r.student.pk, r.start)), Absence, dict(student=r.student, start=r.start),
                wanted, report, r.line, label)


def _upsert(obj, model, keys: dict, wanted: dict, report, line: int, label: str) -> None:
    if obj is None:
        model.objects.create(**keys, **wanted)
        report.count("nouveau", line, label)
    elif any(getattr(obj, k) != v for k, v in wanted.items()):
        for k, v in wanted.items():
            setattr(obj, k, v)
        obj.save()
        report.count("modifié", line, label)
    else:
        report.count("inchangé", line, label)
