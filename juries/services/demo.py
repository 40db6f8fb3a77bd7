"""The demo department (and the benchmarks' generator): deterministic, idempotent.

`seed_demo` builds a believable promo for 2026-2027 over BUT1, BUT2 and BUT3, with history for
BUT2/BUT3 students, realistic grades (several evaluations per ressource), ABI/ABJ/ABS, absences
with and without justificatifs, stages (one too short), a mobility semester, a repeating
student, an open fraud case, the jury sessions and three demo accounts.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from juries.models import (
    Absence,
    Coefficient,
    Enrolment,
    Enseignement,
    Evaluation,
    Formation,
    FraudCase,
    Grade,
    JurySession,
    Mobility,
    Parcours,
    Semester,
    Stage,
    Student,
)

PARIS = ZoneInfo("Europe/Paris")
CURRENT = "2026-2027"
NOMS = (
    "Martin Bernard Thomas Petit Robert Richard Durand Dubois Moreau Laurent Simon Michel Lefebvre Leroy "
    "Roux David Bertrand Morel Fournier Girard Bonnet Dupont Lambert Fontaine Rousseau Vincent Muller "
    "Lefevre Faure Andre Mercier Blanc Guerin Boyer Garnier Chevalier Francois Legrand Gauthier Garcia "
    "Perrin Robin Clement Morin Nicolas Henry Roussel Mathieu Gautier Masson Marchand Duval Denis Dumont "
    "Marie Lemaire Noel Meyer Dufour Meunier Brun Blanchard Giraud Joly Riviere Lucas Brunet Gaillard "
    "Barbier Arnaud Martinez Gerard Roche Renard Schmitt Roy Leroux Colin Vidal Caron Picard Roger Fabre "
    "Aubert Lemoine Renaud Dumas Lacroix Olivier Philippe Bourgeois Pierre Benoit Rey Leclerc Payet"
).split()
PRENOMS = (
    "Léa Emma Chloé Manon Camille Inès Jade Louise Lina Zoé Sarah Clara Lucie Anaïs Mathilde Juliette "
    "Lucas Hugo Louis Nathan Théo Enzo Jules Gabriel Arthur Raphaël Tom Mathis Noah Paul Maël Baptiste "
    "Clément Antoine Maxime Alexandre Quentin Thomas Romain Yanis Adam Sacha Nina Eva Romane Margaux"
).split()
ENTREPRISES = (
    "Bosch Rodez", "RAGT Semences", "Sopave", "Andros", "Lactalis", "SAM Technologies", "MecaRodez",
    "Safran Figeac", "Ratier-Figeac", "Airbus Toulouse", "Leclerc Logistique", "Geodis", "Fenwick",
)


def years_before(annee: str, n: int) -> str:
    start = int(annee[:4]) - n
    return f"{start}-{start + 1}"


@dataclass
class DemoResult:
    students: int = 0
    grades: int = 0
    accounts: list[tuple[str, str, str]] = field(default_factory=list)


@dataclass
class _Plan:
    numero: str
    nom: str
    prenom: str
    ability: float
    enrolments: list[tuple[str, int, str, bool]]  # (annee, semester, regime, redoublement)


def _ability_for(rng: random.Random) -> float:
    return min(17.5, max(4.0, rng.gauss(11.6, 2.4)))


def _round_grade(x: float) -> Decimal:
    x = min(20.0, max(0.0, x))
    return (Decimal(round(x * 4)) / 4).quantize(Decimal("0.01"))


def _plans(rng: random.Random, n: int, years: tuple[int, ...]) -> list[_Plan]:
    shares = {1: 0.40, 2: 0.33, 3: 0.27}
    total_share = sum(shares[y] for y in years)
    plans: list[_Plan] = []
    for idx, year in enumerate(years):
        count = round(n * shares[year] / total_share) if idx < len(years) - 1 else n - len(plans)
        entry = int(CURRENT[:4]) - (year - 1)
        for k in range(count):
            numero = f"{entry % 100:02d}{k + 1:06d}"
            ability = _ability_for(rng)
            nom, prenom = rng.choice(NOMS), rng.choice(PRENOMS)
            enrolments = []
            for y in range(1, year + 1):
                annee = years_before(CURRENT, year - y)
                regime = "FI" if y == 1 or rng.random() < 0.15 else "FA"
                enrolments += [(annee, 2 * y - 1, regime, False), (annee, 2 * y, regime, False)]
            plans.append(_Plan(numero, nom, prenom, ability, enrolments))
    # One repeating BUT1 student: S1/S2 failed in 2025-2026, repeated in 2026-2027 (R2, R3).
    if 1 in years and plans:
        rep = plans[min(3, len(plans) - 1)]
        rep.ability = 8.2
        prev = years_before(CURRENT, 1)
        rep.enrolments = [(prev, 1, "FI", False), (prev, 2, "FI", False), (CURRENT, 1, "FI", True), (CURRENT, 2, "FI", True)]
    return plans


class DemoBuilder:
    def __init__(self, *, students: int = 150, seed: int = 2026, years: tuple[int, ...] = (1, 2, 3),
                 evaluations_per_ressource: int = 4, with_history: bool = True):
        self.rng = random.Random(seed)
        self.n = students
        self.years = years
        self.evals_per_ressource = evaluations_per_ressource
        self.with_history = with_history

    @transaction.atomic
    def build(self) -> DemoResult:
        result = DemoResult()
        formation = Formation.objects.get(code="BUT-QLIO")
        parcours = Parcours.objects.get(formation=formation, code="OSC")
        semesters = {s.number: s for s in Semester.objects.filter(formation=formation)}
        gradable: dict[int, list[Enseignement]] = {}
        graded_ids = set(Coefficient.objects.filter(value__gt=0).values_list("enseignement_id", flat=True))
        for e in Enseignement.objects.filter(formation=formation).order_by("code"):
            if e.pk in graded_ids:
                gradable.setdefault(e.semester_id, []).append(e)
        by_number = {num: gradable.get(s.pk, []) for num, s in semesters.items()}
        plans = _plans(self.rng, self.n, self.years)
        if not self.with_history:
            for p in plans:
                p.enrolments = [e for e in p.enrolments if e[0] == CURRENT]
        existing = set(Student.objects.filter(numero__in=[p.numero for p in plans]).values_list("numero", flat=True))

        # Evaluations per (enseignement, annee): common to every student (V1).
        years_needed = sorted({e[0] for p in plans for e in p.enrolments})
        eval_specs: dict[tuple[int, str], list[tuple[str, Decimal, date]]] = {}
        difficulty: dict[int, float] = {}
        for num, ens_list in sorted(by_number.items()):
            for ens in ens_list:
                difficulty[ens.pk] = self.rng.gauss(0, 1.2)
                for annee in years_needed:
                    eval_specs[(ens.pk, annee)] = self._evaluations(ens, num, annee)
        stored_evals = {
            (e.enseignement_id, e.annee, e.label): e
            for e in Evaluation.objects.filter(annee__in=years_needed, enseignement__formation=formation)
        }
        new_evals = [
            Evaluation(enseignement_id=ens_id, annee=annee, label=label, weight=w, date=d)
            for (ens_id, annee), specs in eval_specs.items()
            for (label, w, d) in specs
            if (ens_id, annee, label) not in stored_evals
        ]
        Evaluation.objects.bulk_create(new_evals, batch_size=2000)
        evals = {
            (e.enseignement_id, e.annee, e.label): e
            for e in Evaluation.objects.filter(annee__in=years_needed, enseignement__formation=formation)
        }

        new_students = [Student(numero=p.numero, nom=p.nom, prenom=p.prenom,
                                email=f"{_ascii(p.prenom)}.{_ascii(p.nom)}.{p.numero[-4:]}@etu.example.fr")
                        for p in plans if p.numero not in existing]
        Student.objects.bulk_create(new_students, batch_size=2000)
        students = {s.numero: s for s in Student.objects.filter(numero__in=[p.numero for p in plans])}
        new_enrolments = [
            Enrolment(student=students[p.numero], annee=annee, semester=semesters[sem], parcours=parcours,
                      regime=regime, redoublement=red, group=f"G{1 + int(p.numero[-2:]) % 3}")
            for p in plans if p.numero not in existing for (annee, sem, regime, red) in p.enrolments
        ]
        Enrolment.objects.bulk_create(new_enrolments, batch_size=2000)
        enrolments = {
            (e.student_id, e.annee, e.semester.number): e
            for e in Enrolment.objects.filter(student__in=students.values()).select_related("semester")
        }

        grades: list[Grade] = []
        absences: list[Absence] = []
        stages: list[Stage] = []
        for p in plans:
            # Draw for every student, written or not, so the generator's sequence never depends on the database.
            student = students[p.numero]
            skip = p.numero in existing
            for annee, sem, regime, _red in p.enrolments:
                enrolment = enrolments[(student.pk, annee, sem)]
                drift = self.rng.gauss(0, 1.0)
                for ens in by_number.get(sem, []):
                    for label, _w, when in eval_specs[(ens.pk, annee)]:
                        value, mark = self._grade(p.ability + drift + difficulty[ens.pk], annee)
                        if value is None and mark == "":
                            continue
                        if not skip:
                            grades.append(Grade(enrolment=enrolment, evaluation=evals[(ens.pk, annee, label)],
                                                value=value, mark=mark))
                            if len(grades) >= 50000:
                                Grade.objects.bulk_create(grades, batch_size=5000)
                                result.grades += len(grades)
                                grades = []
                            if mark in ("ABS", "ABJ", "ABI") and when:
                                absences.append(self._absence_for(student, when, justified=(mark != "ABI"), regime=regime))
                if sem in (4, 6):
                    stage = self._stage(enrolment, annee, sem)
                    if not skip:
                        stages.append(stage)
            n_abs = self.rng.choice((0, 0, 1, 1, 2, 3))
            for _ in range(n_abs):
                day = date(int(CURRENT[:4]), 9, 7) + timedelta(days=self.rng.randrange(0, 70))
                a = self._absence_for(student, day, justified=self.rng.random() < 0.6, regime="FI")
                if not skip:
                    absences.append(a)
        Grade.objects.bulk_create(grades, batch_size=5000)
        result.grades += len(grades)
        seen_abs = set(Absence.objects.filter(student__in=students.values()).values_list("student_id", "start"))
        unique_abs = []
        for a in absences:
            if (a.student_id, a.start) not in seen_abs:
                seen_abs.add((a.student_id, a.start))
                unique_abs.append(a)
        Absence.objects.bulk_create(unique_abs, batch_size=2000)
        Stage.objects.bulk_create(stages, batch_size=2000)
        result.students = len(new_students)
        if self.n <= 500 and new_students:
            self._specials(plans, students, enrolments)
        self._juries(formation, semesters, result)
        return result

    def _evaluations(self, ens: Enseignement, semester: int, annee: str) -> list[tuple[str, Decimal, date]]:
        start_year = int(annee[:4])
        base = date(start_year, 9, 15) if semester % 2 else date(start_year + 1, 2, 10)
        if ens.kind == Enseignement.Kind.RESSOURCE:
            n = self.evals_per_ressource
            # E1 — one ressource with a single evaluation, so the pré-jury check has something to show.
            if ens.code in ("R2.03", "R4.05") and annee == CURRENT:
                n = 1
        elif ens.kind == Enseignement.Kind.SAE:
            n = 2
        else:
            n = 1
        labels_by_kind: dict[str, list[str]] = {
            Enseignement.Kind.RESSOURCE: ["DS1", "TP noté", "DS2", "Oral", "Projet", "Quiz"],
            Enseignement.Kind.SAE: ["Livrable", "Soutenance", "Rapport"],
            Enseignement.Kind.STAGE: ["Évaluation du stage"],
            Enseignement.Kind.PORTFOLIO: ["Portfolio"],
        }
        labels = labels_by_kind[ens.kind]
        out = []
        for i in range(n):
            label = labels[i] if i < len(labels) else f"Évaluation {i + 1}"
            weight = Decimal("2") if label in ("DS2", "Soutenance", "Rapport") else Decimal("1")
            out.append((label, weight, base + timedelta(days=14 * i + (sum(map(ord, ens.code)) % 5))))
        return out

    def _grade(self, mean: float, annee: str) -> tuple[Decimal | None, str]:
        r = self.rng.random()
        if annee == CURRENT and r < 0.0003:
            return None, ""  # not graded yet: V2 ATT
        if r < 0.006:
            return None, "ABI"
        if r < 0.010:
            return None, "ABJ"
        if r < 0.012:
            return None, "ABS"
        return _round_grade(self.rng.gauss(mean, 2.8)), ""

    def _absence_for(self, student: Student, day: date, *, justified: bool, regime: str) -> Absence:
        start = datetime.combine(day, time(8, 0), tzinfo=PARIS)
        end = datetime.combine(day, time(12 if self.rng.random() < 0.5 else 18, 0), tzinfo=PARIS)
        declared = start + timedelta(hours=self.rng.choice((0, 1, 2, 26)))
        justif = None
        if justified:
            justif = declared + timedelta(hours=self.rng.choice((2, 20, 30, 47)))
        elif self.rng.random() < 0.3:
            justif = declared + timedelta(hours=self.rng.choice((50, 72, 120)))  # A4: too late
        reason = self.rng.choice(("maladie", "maladie", "convocation", "autre", "deces"))
        hours = Decimal((end - start).seconds // 3600)
        return Absence(student=student, start=start, end=end, declared_at=declared,
                       channel=self.rng.choice(("email", "telephone", "ecrit")), justificatif_at=justif,
                       reason=reason, hours=hours, employer_informed=(regime == "FA" and justif is not None))

    def _stage(self, enrolment: Enrolment, annee: str, sem: int) -> Stage:
        y2 = int(annee[5:])
        start = date(y2, 3, 29) if sem == 4 else date(y2, 2, 1)
        while start.weekday() != 0:
            start += timedelta(days=1)
        weeks = 10 + self.rng.randrange(0, 3) if sem == 4 else 16 + self.rng.randrange(0, 4)
        end = start + timedelta(days=7 * weeks - 3)
        return Stage(enrolment=enrolment, start=start, end=end, company=self.rng.choice(ENTREPRISES),
                     abroad=self.rng.random() < 0.05)

    def _specials(self, plans, students, enrolments) -> None:
        """A too-short stage (S2), a mobility semester (M1) and an open fraud case (F1)."""
        but2 = [p for p in plans if any(e[1] == 4 and e[0] == CURRENT for e in p.enrolments)]
        if but2:
            s = students[but2[1 % len(but2)].numero]
            Stage.objects.filter(enrolment=enrolments[(s.pk, CURRENT, 4)]).update(
                end=date(int(CURRENT[5:]), 5, 21))  # about 7 weeks: S2 alert
        but3 = [p for p in plans if any(e[1] == 5 and e[0] == CURRENT for e in p.enrolments)]
        if but3:
            s = students[but3[2 % len(but3)].numero]
            Mobility.objects.get_or_create(enrolment=enrolments[(s.pk, CURRENT, 5)],
                                           defaults={"institution": "Universidad de Zaragoza"})
        if plans:
            s = students[plans[7 % len(plans)].numero]
            FraudCase.objects.get_or_create(
                student=s, date=date(int(CURRENT[:4]), 11, 11),
                defaults={"facts": "Usage d'un téléphone pendant le DS1 de R1.03.", "referred": True},
            )

    def _juries(self, formation, semesters, result: DemoResult) -> None:
        User = get_user_model()
        groups = {name: Group.objects.get_or_create(name=name)[0] for name in ("Secrétariat", "Enseignant", "Jury", "Étudiant")}
        accounts = [
            ("secretariat", "secretariat-qlio-2026", "Secrétariat", "Sophie", "Vidal"),
            ("president", "president-qlio-2026", "Jury", "Marc", "Lacombe"),
            ("etudiant", "etudiant-qlio-2026", "Étudiant", "", ""),
        ]
        users = {}
        for username, password, group, first, last in accounts:
            user, created = User.objects.get_or_create(username=username, defaults={"first_name": first, "last_name": last})
            if created:
                user.set_password(password)
                user.is_staff = group == "Secrétariat"
                user.save()
            user.groups.add(groups[group])
            users[username] = user
            result.accounts.append((username, password, group))
        # The demo student account is the first BUT2 student (history, stage to come).
        student = Student.objects.filter(numero__startswith=f"{(int(CURRENT[:4]) - 1) % 100:02d}").order_by("numero").first()
        if student and student.user_id is None:
            student.user = users["etudiant"]
            student.save()
        for num, sem in semesters.items():
            y2 = int(CURRENT[5:])
            when = date(y2, 1, 28) if num % 2 else date(y2, 6, 24)
            jury, _ = JurySession.objects.get_or_create(
                formation=formation, semester=sem, annee=CURRENT,
                defaults={"date": when, "president": users["president"]},
            )
            jury.members.add(users["president"])


def _ascii(text: str) -> str:
    import unicodedata

    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
