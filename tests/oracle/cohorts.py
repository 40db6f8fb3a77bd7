"""Rows for the CSV imports of CONTRACTS.md: a builder for hand-made cases, a random cohort generator.

Everything here produces plain dicts of strings, one per CSV row, with the column names of
CONTRACTS.md; the differential test writes them to files, imports them with the product's
commands and hands the very same dicts to the oracle (``reglement.World.apply``).
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from .reglement import Maquette, UEState

HEADERS = {
    "enrolments": ["numero", "nom", "prenom", "email", "regime", "annee", "semestre", "parcours", "redoublement",
                   "amenagement", "statut"],
    "grades": ["numero", "annee", "semestre", "code", "evaluation", "coefficient", "date", "note"],
    "absences": ["numero", "debut", "fin", "declaree_le", "justificatif_le", "motif"],
    "stages": ["numero", "annee", "semestre", "debut", "fin", "entreprise", "etranger"],
    "mobility": ["numero", "annee", "semestre", "etablissement"],
    "decisions": ["numero", "annee", "semestre", "objet", "code", "moyenne", "date_jury"],
}
OPTIONAL = {"enrolments": ("statut",), "decisions": ("moyenne", "date_jury")}
# Import order inside one batch: a grade needs its enrolment; ABS is resolved whatever the order;
# a decision is taken on what is on record.
KINDS = ("enrolments", "mobility", "stages", "grades", "absences", "decisions")

MOTIFS = ("maladie", "deces", "mariage_pacs_naissance", "convocation", "autre", "")
LABELS = ("E1", "E2", "E3")


def annee_of(y: int) -> str:
    return f"{y}-{y + 1}"


def eval_date(annee: str, sem: int, index: int) -> date:
    """A fixed calendar for the hand-made cases: evaluation `index` (0-based) of a semester."""
    y = int(annee[:4])
    if sem % 2:
        return date(y, 10, 5) + timedelta(weeks=5 * index)
    return date(y + 1, 3, 8) + timedelta(weeks=5 * index)


def note_text(x, comma: bool = False) -> str:
    if isinstance(x, str):
        return x
    t = str(Decimal(str(x)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
    return t.replace(".", ",") if comma else t


def iso(dt: datetime) -> str:
    return dt.strftime("%Y-%m-%dT%H:%M")


class Book:
    """Rows for hand-made cases, batched in the order they are imported."""

    def __init__(self, maquette: Maquette):
        self.m = maquette
        self.rows: dict[str, list[dict]] = defaultdict(list)

    def take(self) -> dict[str, list[dict]]:
        rows, self.rows = dict(self.rows), defaultdict(list)
        return rows

    def enrol(self, numero: str, annee: str, sems, *, regime="FI", redoublement=False, amenagement=False,
              nom="Nom", prenom="Prénom", statut=""):
        for sem in sems:
            self.rows["enrolments"].append({
                "numero": numero, "nom": nom, "prenom": prenom, "email": "", "regime": regime, "annee": annee,
                "semestre": str(sem), "parcours": "OSC", "redoublement": "1" if redoublement else "0",
                "amenagement": "1" if amenagement else "0", "statut": statut,
            })

    def specific_codes(self, sem: int, comp: int) -> list[str]:
        """The enseignements that count in that UE only."""
        return [c for c, keys in self.m.ues_of_code.items() if keys == [(comp, sem)]]

    def semester(self, numero: str, annee: str, sem: int, default, *, per_ue: dict | None = None,
                 per_code: dict | None = None, labels=("E1", "E2"), skip=(), weights=None):
        """Grades for every graded enseignement of a semester.

        default / per_ue[comp] (for the enseignements of that UE only) / per_code[code]: one note for
        every evaluation, or a tuple with one note per label. `skip` leaves (code, label) or code out.
        """
        per_ue, per_code = per_ue or {}, per_code or {}
        value_of = {}
        for comp, v in per_ue.items():
            for code in self.specific_codes(sem, comp):
                value_of[code] = v
        value_of.update(per_code)
        for code in self.m.graded_codes(sem):
            if code in skip:
                continue
            v = value_of.get(code, default)
            for i, label in enumerate(labels):
                if (code, label) in skip:
                    continue
                note = v[i] if isinstance(v, tuple) else v
                self.rows["grades"].append({
                    "numero": numero, "annee": annee, "semestre": str(sem), "code": code, "evaluation": label,
                    "coefficient": str((weights or {}).get(label, 1)), "date": eval_date(annee, sem, i).isoformat(),
                    "note": note_text(note),
                })

    def grade(self, numero, annee, sem, code, label, note, *, index=0, coefficient="1"):
        self.rows["grades"].append({
            "numero": numero, "annee": annee, "semestre": str(sem), "code": code, "evaluation": label,
            "coefficient": coefficient, "date": eval_date(annee, sem, index).isoformat(), "note": note_text(note),
        })

    def stage(self, numero: str, annee: str, sem: int, debut: date, fin: date, *, etranger=False):
        self.rows["stages"].append({
            "numero": numero, "annee": annee, "semestre": str(sem), "debut": debut.isoformat(),
            "fin": fin.isoformat(), "entreprise": "ACME", "etranger": "1" if etranger else "0",
        })

    def good_stage(self, numero: str, annee: str, sem: int, weeks: int = 10):
        y = int(annee[:4]) + 1
        debut = date(y, 4, 5)
        self.stage(numero, annee, sem, debut, debut + timedelta(days=7 * weeks - 3))

    def mobility(self, numero: str, annee: str, sem: int):
        self.rows["mobility"].append({"numero": numero, "annee": annee, "semestre": str(sem),
                                      "etablissement": "Universidad de Zaragoza"})

    def decision(self, numero: str, annee: str, sem: int, objet: str, code: str, moyenne=None):
        """A row of import_decisions (CONTRACTS.md): taking over an earlier jury's decision."""
        self.rows["decisions"].append({"numero": numero, "annee": annee, "semestre": str(sem), "objet": objet,
                                       "code": code, "moyenne": "" if moyenne is None else note_text(moyenne)})

    def absence(self, numero: str, debut: datetime, fin: datetime, declaree_le: datetime,
                justificatif_le: datetime | None = None, motif: str = "maladie"):
        self.rows["absences"].append({
            "numero": numero, "debut": iso(debut), "fin": iso(fin), "declaree_le": iso(declaree_le),
            "justificatif_le": iso(justificatif_le) if justificatif_le else "", "motif": motif,
        })


# ----------------------------------------------------------------------------------------------
# Random cohorts


@dataclass
class SimStudent:
    numero: str
    nom: str
    prenom: str
    start: int  # first academic year
    ability: float
    level: int = 1  # BUT year of the next enrolment
    repeating: bool = False
    first_flagged: bool = False  # R3 [interp]: a flagged first enrolment (first attempt predates the app)
    amenagement: bool = False
    active: bool = True
    had_mobility: bool = False
    regime: str = "FI"
    statut: str = ""  # DEF / DEM on this year's even (and maybe odd) enrolment: the last year
    statut_odd: bool = False
    mobility: set = field(default_factory=set)
    history: list = field(default_factory=list)  # (annee, sem, decision)


class CohortGenerator:
    """Students over six semesters and several years, driven by the oracle's decisions.

    Grades with several weighted evaluations per enseignement, ABI / ABJ / ABS / missing grades,
    absences (late declarations, 48 h limits, the October clock change, alternants' motifs),
    repeats with the redoublement flag (and a few flagged first enrolments), aménagement, S4/S6
    stages (valid, too short, ending on or after the jury date, missing, exact boundaries), mobility
    semesters, direct entries in BUT2, and a few students moved on by a jury decision after RED
    (recorded with ``import_decisions`` when `decisions`, else not recorded at all), and with
    `statuts` a few défaillants / démissionnaires (DEF / DEM) in their last year.
    """

    def __init__(self, maquette: Maquette, seed: int, n_students: int, first_numero: int, *,
                 decisions: bool = False, statuts: bool = False):
        self.m = maquette
        self.rng = random.Random(seed)
        self.seed = seed
        self.decisions = decisions
        self.statuts = statuts
        self.decision_rows: list[dict] = []
        first_year = 2026
        self.students: list[SimStudent] = []
        for i in range(n_students):
            r = self.rng.random()
            self.students.append(SimStudent(
                numero=str(first_numero + i),
                nom=f"Nom{seed}x{i}",
                prenom=self.rng.choice(["Léa", "Hugo", "Zoé", "Noé", "Inès", "Éloïse"]),
                start=first_year + (1 if r < 0.2 else 0),
                ability=self.rng.uniform(8.0, 15.0),
                first_flagged=self.rng.random() < 0.05,
            ))
            if self.rng.random() < 0.05:  # direct entry in BUT2 (no BUT1 record)
                self.students[-1].level = 2
        self.evals: dict[tuple[str, str], list[tuple[str, str, str]]] = {}  # (code, annee) -> (label, w, date)
        self.missing: dict[tuple[str, str], list[dict]] = defaultdict(list)  # (numero, annee) -> rows
        self.enrolled: dict[str, dict[str, SimStudent]] = defaultdict(dict)  # annee -> numero -> student
        self.used_starts: dict[str, set] = defaultdict(set)

    # -- the year's enrolments and mobility
    def year_rows(self, y: int) -> dict[str, list[dict]]:
        annee = annee_of(y)
        rows = defaultdict(list)
        for s in self.students:
            if not s.active or s.start > y:
                continue
            level = s.level
            flag = s.repeating or (s.first_flagged and y == s.start)
            if s.repeating:
                s.amenagement = self.rng.random() < 0.4
            else:
                s.amenagement = False
            if level >= 2 and not s.repeating and self.rng.random() < 0.15:
                s.regime = self.rng.choice(["FA", "FI", "FC"])
            elif level == 1:
                s.regime = "FI"
            elif s.regime == "FI" and self.rng.random() < 0.6:
                s.regime = "FA"
            s.mobility = set()
            if level >= 2 and not s.repeating:
                r = self.rng.random()
                if r < 0.06:
                    s.mobility = {2 * level - 1}
                elif r < 0.11:
                    s.mobility = {2 * level}
                elif r < 0.13:
                    s.mobility = {2 * level - 1, 2 * level}
            if s.mobility:
                s.had_mobility = True
            if self.statuts and self.rng.random() < 0.05:
                s.statut = self.rng.choice(["DEF", "DEM"])
                s.statut_odd = self.rng.random() < 0.3
            for sem in (2 * level - 1, 2 * level):
                statut = s.statut if s.statut and (sem % 2 == 0 or s.statut_odd) else ""
                rows["enrolments"].append({
                    "numero": s.numero, "nom": s.nom, "prenom": s.prenom, "email": f"{s.numero}@etu.example.fr",
                    "regime": s.regime, "annee": annee, "semestre": str(sem), "parcours": "OSC",
                    "redoublement": "1" if flag else "0", "amenagement": "1" if s.amenagement else "0",
                    "statut": statut,
                })
                if sem in s.mobility:
                    rows["mobility"].append({"numero": s.numero, "annee": annee, "semestre": str(sem),
                                             "etablissement": "Politecnico di Torino"})
            self.enrolled[annee][s.numero] = s
        return dict(rows)

    # -- evaluations common to every student of a year
    def _evaluations(self, code: str, annee: str, sem: int) -> list[tuple[str, str, str]]:
        key = (code, annee)
        if key not in self.evals:
            kind = self.m.kind[code]
            if kind == "ressource":
                n = 1 if self.rng.random() < 0.04 else self.rng.choice([2, 2, 3])
            elif kind == "sae":
                n = self.rng.choice([1, 2])
            else:
                n = 1
            lo, hi = (date(int(annee[:4]), 9, 20), date(int(annee[:4]) + 1, 1, 20)) if sem % 2 else \
                (date(int(annee[:4]) + 1, 2, 8), date(int(annee[:4]) + 1, 6, 12))
            evs = []
            for i in range(n):
                day = lo + timedelta(days=self.rng.randrange((hi - lo).days))
                w = self.rng.choice(["1", "1", "1", "2", "0.5", "1.5", "3"])
                evs.append((f"{'Stage' if kind == 'stage' else 'Eval'} {i + 1}", w, day.isoformat()))
            self.evals[key] = evs
        return self.evals[key]

    def _note(self, s: SimStudent, offset: float) -> str:
        g = self.rng.gauss(s.ability + offset, 2.5)
        g = min(20.0, max(0.0, g))
        if self.rng.random() < 0.5:
            g = round(g * 2) / 2
        return note_text(g, comma=self.rng.random() < 0.3)

    # -- one semester's grades, absences, stages
    def semester_rows(self, y: int, parity: int, states: dict[str, dict[tuple[int, int], UEState]]) -> dict:
        """`states`: for each student, the UE states before this year (to leave out, under aménagement,
        the enseignements of UEs already acquired)."""
        annee = annee_of(y)
        rows = defaultdict(list)
        for s in self.enrolled[annee].values():
            sem = 2 * s.level - (1 if parity else 0)
            if sem in s.mobility:
                continue
            acquired = {k for k, st in states.get(s.numero, {}).items() if st.acquired}
            year_offset = self.rng.gauss(0, 1.5)
            codes = self.m.graded_codes(sem)
            # grades kept but never averaged (portfolio of an odd semester, no coefficient)
            odd_portfolio = [c for c in self.m.codes(sem) if self.m.kind[c] == "portfolio" and c not in codes]
            if odd_portfolio and self.rng.random() < 0.3:
                codes = codes + odd_portfolio
            for code in codes:
                ues = self.m.ues_of_code.get(code, [])
                if s.amenagement and ues and all(k in acquired for k in ues) and self.rng.random() < 0.5:
                    continue  # R4: not enrolled in those UEs
                offset = year_offset + self.rng.gauss(0, 2)
                for label, w, day in self._evaluations(code, annee, sem):
                    r = self.rng.random()
                    if r < 0.02:
                        note = "ABI"
                    elif r < 0.04:
                        note = "ABJ"
                    elif r < 0.07:
                        note = "ABS"
                    else:
                        note = self._note(s, offset)
                    written = code
                    if code.startswith("SAE") and self.rng.random() < 0.2:  # MAQUETTE: SAÉ1.01, SAÉ 1.01
                        written = code.replace("SAE", self.rng.choice(["SAÉ", "SAÉ "]))
                    row = {"numero": s.numero, "annee": annee, "semestre": str(sem), "code": written,
                           "evaluation": label, "coefficient": w, "date": day, "note": note}
                    if note == "ABS" or (note == "ABI" and self.rng.random() < 0.5):
                        if self.rng.random() < 0.7:
                            rows["absences"].append(self._absence(s, date.fromisoformat(day), y, parity))
                    if self.rng.random() < 0.012 and not (s.repeating and self.m.kind[code] == "stage"):
                        self.missing[(s.numero, annee)].append(row)  # entered later (after an ATJ)
                        continue
                    rows["grades"].append(row)
            for _ in range(self.rng.choice([0, 0, 1, 2, 3])):
                rows["absences"].append(self._absence(s, self._random_day(y, parity), y, parity))
            if sem in (4, 6):
                stage = self._stage(s, annee, sem, states.get(s.numero, {}))
                if stage:
                    rows["stages"].append(stage)
        rows["absences"] = [a for a in rows["absences"] if a]
        return dict(rows)

    def _random_day(self, y: int, parity: int) -> date:
        lo, hi = (date(y, 9, 1), date(y + 1, 1, 31)) if parity else (date(y + 1, 2, 1), date(y + 1, 8, 31))
        return lo + timedelta(days=self.rng.randrange((hi - lo).days + 1))

    def _absence(self, s: SimStudent, day: date, y: int, parity: int) -> dict | None:
        rng = self.rng
        start = datetime.combine(day, datetime.min.time()).replace(hour=rng.choice([8, 10, 13, 14]))
        for _ in range(5):
            if start not in self.used_starts[s.numero]:
                break
            start += timedelta(minutes=7)
        else:
            return None
        self.used_starts[s.numero].add(start)
        fin = start.replace(hour=18) + timedelta(days=rng.choice([0, 0, 0, 1, 2]))
        r = rng.random()
        if r < 0.12:  # late declaration (A2 / A4 interp)
            declared = start.replace(hour=9, minute=15) + timedelta(days=rng.choice([1, 2, 3]))
        elif r < 0.25:  # foreseeable, declared beforehand
            declared = start.replace(hour=16) - timedelta(days=rng.choice([1, 5]))
        else:
            declared = start.replace(hour=7, minute=45)
        r = rng.random()
        if r < 0.25:
            justif = None
        elif r < 0.55:
            justif = declared + timedelta(minutes=rng.randrange(1, 47 * 60))
        elif r < 0.65:
            justif = declared + timedelta(hours=48)  # exactly 48 h on the wall clock
        elif r < 0.75:
            justif = declared + timedelta(hours=48, minutes=1)
        elif r < 0.85:
            justif = declared + timedelta(days=rng.choice([3, 6]))
        else:
            justif = declared - timedelta(hours=rng.choice([2, 30]))
        # October clock change of that academic year: declared Friday 10:00, deposited on Sunday
        # 47 h / 47 h 30 / 48 h later on the wall clock, i.e. 48 h / 48 h 30 / 49 h elapsed (A4)
        if parity and rng.random() < 0.08:
            sunday = date(y, 10, 31)
            while sunday.weekday() != 6:
                sunday -= timedelta(days=1)
            start2 = datetime.combine(sunday - timedelta(days=2), datetime.min.time()).replace(hour=8)
            if start2 not in self.used_starts[s.numero]:
                self.used_starts[s.numero].discard(start)
                self.used_starts[s.numero].add(start2)
                start, fin = start2, start2.replace(hour=18)
                declared = start.replace(hour=10)
                justif = declared + timedelta(hours=rng.choice([47, 48]), minutes=rng.choice([0, 30]))
        # never a wall-clock time of the clock-change hour (refused at entry, A4)
        if justif is not None and justif.hour == 2:
            justif += timedelta(hours=2)
        return {"numero": s.numero, "debut": iso(start), "fin": iso(fin), "declaree_le": iso(declared),
                "justificatif_le": iso(justif) if justif else "", "motif": rng.choice(MOTIFS)}

    def _stage(self, s: SimStudent, annee: str, sem: int, before: dict) -> dict | None:
        rng = self.rng
        y = int(annee[:4]) + 1
        if s.repeating and rng.random() < 0.3:
            return None  # S1 interp: a stage validated in an earlier year stays validated
        debut = date(y, 3, 1) + timedelta(days=rng.randrange(0, 40))
        r = rng.random()
        if r < 0.62:
            fin = debut + timedelta(days=7 * rng.choice([10, 11, 12]) - 3)
        elif r < 0.69:
            fin = debut + timedelta(days=7 * 9 - 3)  # too short for S4 (S6 has no minimum)
        elif r < 0.74:
            fin = debut + timedelta(days=66)  # one day short of 10 weeks
        elif r < 0.79:
            fin = debut + timedelta(days=67)  # exactly 10 weeks (Monday to Friday)
        elif r < 0.85:
            fin = date(y, 6, 30)  # ends on the default jury date: S3
        elif r < 0.90:
            fin = date(y, 7, rng.choice([3, 17]))  # prolonged past the jury: S3
        elif r < 0.93:
            fin = date(y, 6, 29)  # the day before the jury
        else:
            return None  # no stage recorded: S4
        return {"numero": s.numero, "annee": annee, "semestre": str(sem), "debut": debut.isoformat(),
                "fin": fin.isoformat(), "entreprise": "Bosch Rodez", "etranger": "1" if rng.random() < 0.15 else "0"}

    def take_decisions(self) -> list[dict]:
        rows, self.decision_rows = self.decision_rows, []
        return rows

    def fill_missing(self, numero: str, annee: str) -> list[dict]:
        return self.missing.pop((numero, annee), [])

    def advance(self, numero: str, annee: str, decision: str | None, passage) -> None:
        """After the even jury: next year's level from the oracle's decision."""
        s = self.enrolled[annee][numero]
        s.history.append((annee, decision))
        if s.statut:
            s.active = False
        elif decision in ("ADM", "PASD") and passage:
            s.level += 1
            s.repeating = False
        elif decision == "ADM" and s.level == 3:
            s.active = False  # graduated
        elif decision == "RED" and s.level < 3 and self.rng.random() < 0.12:
            if self.decisions:  # the jury moved the student on: PAS1NCI, taken over by import_decisions
                self.decision_rows.append({"numero": numero, "annee": annee, "semestre": str(2 * s.level),
                                           "objet": "annee", "code": "PAS1NCI"})
            s.level += 1
            s.repeating = False
        elif decision == "RED":
            s.repeating = True
        else:  # NAR, or still waiting (ATJ) once the missing grades are in
            s.active = False
        if s.level > 3:
            s.active = False
