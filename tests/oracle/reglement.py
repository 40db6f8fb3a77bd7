"""An independent oracle of the règlement (docs REGLEMENT.md, CONTRACTS.md), for differential tests.

Written from the specification only, without reading the product's engine (``juries/rules``):
pure Python, ``decimal.Decimal`` for every average, no Django. It consumes the very rows the
differential test writes to the CSV files of CONTRACTS.md (``World.apply``) and returns, for a
semester jury, the same shape as ``jury_proposals --format json`` (``jury``), plus a few
oracle-only keys prefixed with ``_`` (the alert rule ids the jury must at least see).

Readings taken where REGLEMENT.md leaves room (each also noted where it is used):

* an ATT UE shows ``moyenne: null`` (CONTRACTS: null "when there is nothing to average (grades
  still missing ...)"); an RCUE with an ATT UE or a UE validated abroad has ``moyenne: null``;
* the jury date of an *earlier* year, when a later jury recomputes it, is that year's default
  (30 June of its second calendar year): nothing records a jury date through the commands;
* A5 alternant = régime ``FA`` only (``FC``, formation continue, is not treated as alternance);
* R2: repeating at an even jury repeats the year's two semesters; it is allowed when neither
  of them has a ``redoublement`` enrolment yet and (flagged enrolments so far) + 2 <= 4;
* R3 x M1: a UE validated abroad (no average) and enrolled again in a repeated year keeps its
  validation abroad (no average shown, M1 for its RCUE) unless the new attempt validates it by
  itself (average >= 10 and, for S4/S6, a validated stage), whose average then becomes its average
  (code ADM): "the better of the old and new averages" when there is no old average;
* V3 "computed exactly with decimal.Decimal": a Decimal division is not exact (1/3.5 has no finite
  decimal expansion and a 28-digit context turns an exact 9.995 into 9.99499...9), so grades,
  weights and coefficients are Decimals on input and every average is an exact
  ``fractions.Fraction``; only the shown / compared value is rounded, half-up to 2 decimals.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, localcontext
from fractions import Fraction
from pathlib import Path
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")
FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "maquette_but_qlio_osc.json"

TEN = Decimal(10)
EIGHT = Decimal(8)

# Every rule id of REGLEMENT.md (the bold ids of its bullet lists).
RULE_IDS = frozenset(
    "A1 A2 A3 A4 A5 A6 A7 A8 A9 S1 S2 S3 S4 E1 E2 E3 V1 V2 V3 V4 V5 V6 C1 C2 C3 C4 "
    "P1 P2 P3 P4 P5 R1 R2 R3 R4 D1 D2 M1 M2 M3 F1 F2".split()
)
RULE_PREFIX = re.compile(r"^([A-Z][0-9]):")

ACQUIRED = frozenset({"ADM", "CMP", "ADSUP", "ADJ"})
# A5: the reasons the Code du travail accepts for an alternant.
A5_MOTIFS = frozenset({"maladie", "deces", "mariage_pacs_naissance", "convocation"})
ALTERNANT_REGIMES = frozenset({"FA"})
JUSTIFICATION_DELAY = timedelta(hours=48)  # A4
STAGE_SEMESTERS = (4, 6)  # S1: the stage is attached to every UE of S4 and of S6
STAGE_MIN_WEEKS = {4: 10, 6: None}  # S2
MAX_REPEATS = 4  # R2


def q2(x: Fraction | Decimal) -> Decimal:
    """V3: what is shown and compared, from the exact value: 2 decimals, half-up."""
    f = Fraction(x)
    n = (abs(f) * 100 + Fraction(1, 2)).__floor__()
    return Decimal(-n if f < 0 else n).scaleb(-2)


def fmt(x: Fraction | None) -> str | None:
    return None if x is None else str(q2(x))


def annee_start(annee: str) -> int:
    return int(annee.split("-")[0])


def default_jury_date(annee: str) -> date:
    """CONTRACTS: 30 June of the academic year's second calendar year."""
    return date(annee_start(annee) + 1, 6, 30)


def semester_period(annee: str, sem: int) -> tuple[date, date]:
    """CONTRACTS (absences): odd semester 1 September - 31 January, even 1 February - 31 August."""
    y = annee_start(annee)
    if sem % 2:
        return date(y, 9, 1), date(y + 1, 1, 31)
    return date(y + 1, 2, 1), date(y + 1, 8, 31)


def parse_note(text: str) -> Decimal | str:
    t = text.strip().upper()
    if t in ("ABI", "ABJ", "ABS"):
        return t
    return Decimal(t.replace(",", "."))


def parse_dt(text: str) -> datetime:
    return datetime.fromisoformat(text.strip())


def elapsed(a: datetime, b: datetime) -> timedelta:
    """Elapsed time from wall-clock a to wall-clock b, Europe/Paris (A4)."""
    return b.replace(tzinfo=PARIS).astimezone(ZoneInfo("UTC")) - a.replace(tzinfo=PARIS).astimezone(ZoneInfo("UTC"))


# ----------------------------------------------------------------------------------------------
# Maquette (plain json of the shipped fixture)


@dataclass(frozen=True)
class UE:
    comp: int
    sem: int
    ects: int
    level: int
    but_year: int

    @property
    def name(self) -> str:
        return f"UE{self.comp} S{self.sem}"

    @property
    def key(self) -> tuple[int, int]:
        return (self.comp, self.sem)


class Maquette:
    def __init__(self, path: Path = FIXTURE):
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        by_model: dict[str, dict[int, dict]] = {}
        for obj in data:
            by_model.setdefault(obj["model"], {})[obj["pk"]] = obj["fields"]
        comps = by_model["juries.competence"]
        levels = by_model["juries.level"]
        sems = by_model["juries.semester"]
        ens = by_model["juries.enseignement"]
        self.ues: dict[tuple[int, int], UE] = {}
        ue_by_pk: dict[int, UE] = {}
        for pk, f in by_model["juries.ue"].items():
            lvl = levels[f["level"]]
            ue = UE(
                comp=comps[f["competence"]]["number"],
                sem=sems[f["semester"]]["number"],
                ects=int(Decimal(f["ects"])),
                level=lvl["number"],
                but_year=lvl["but_year"],
            )
            self.ues[ue.key] = ue
            ue_by_pk[pk] = ue
        self.kind: dict[str, str] = {}
        self.ens_sem: dict[str, int] = {}
        self.parent: dict[str, str | None] = {}
        code_by_pk = {pk: f["code"] for pk, f in ens.items()}
        for f in ens.values():
            self.kind[f["code"]] = f["kind"]
            self.ens_sem[f["code"]] = sems[f["semester"]]["number"]
            self.parent[f["code"]] = code_by_pk.get(f["parent"]) if f["parent"] else None
        self.coefs: dict[tuple[int, int], list[tuple[str, Decimal]]] = {k: [] for k in self.ues}
        for f in by_model["juries.coefficient"].values():
            self.coefs[ue_by_pk[f["ue"]].key].append((code_by_pk[f["enseignement"]], Decimal(f["value"])))
        for lst in self.coefs.values():
            lst.sort()
        self.ues_of_code: dict[str, list[tuple[int, int]]] = {}
        for key, lst in self.coefs.items():
            for code, _ in lst:
                self.ues_of_code.setdefault(code, []).append(key)

    def ues_of(self, sem: int) -> list[UE]:
        return sorted((u for u in self.ues.values() if u.sem == sem), key=lambda u: u.comp)

    def comps_of_year(self, but_year: int) -> list[int]:
        return sorted({u.comp for u in self.ues.values() if u.sem == 2 * but_year})

    def graded_codes(self, sem: int) -> list[str]:
        """The enseignements of a semester that carry a coefficient somewhere (what gets grades)."""
        return sorted(c for c, s in self.ens_sem.items() if s == sem and c in self.ues_of_code)

    def codes(self, sem: int) -> list[str]:
        return sorted(c for c, s in self.ens_sem.items() if s == sem)


# ----------------------------------------------------------------------------------------------
# The world: everything imported, in the shapes of CONTRACTS.md


@dataclass
class Enrolment:
    annee: str
    sem: int
    regime: str = "FI"
    redoublement: bool = False
    amenagement: bool = False

    @property
    def order(self) -> tuple[int, int]:
        return (annee_start(self.annee), self.sem)


@dataclass
class Absence:
    debut: datetime
    fin: datetime
    declaree_le: datetime
    justificatif_le: datetime | None
    motif: str = "autre"


@dataclass
class Stage:
    annee: str
    sem: int
    debut: date
    fin: date
    etranger: bool = False


@dataclass
class Student:
    numero: str
    nom: str = ""
    prenom: str = ""
    enrolments: dict[tuple[str, int], Enrolment] = field(default_factory=dict)
    # (annee, sem, code, evaluation label) -> Decimal | "ABI" | "ABJ" | "ABS"
    grades: dict[tuple[str, int, str, str], Decimal | str] = field(default_factory=dict)
    absences: dict[datetime, Absence] = field(default_factory=dict)
    stages: dict[tuple[str, int], Stage] = field(default_factory=dict)
    mobility: dict[tuple[str, int], str] = field(default_factory=dict)


def _flag(v) -> bool:
    return str(v or "0").strip() in ("1", "oui", "true", "True")


class World:
    """The oracle's copy of what the imports put on record."""

    def __init__(self, maquette: Maquette | None = None):
        self.maquette = maquette or Maquette()
        self.students: dict[str, Student] = {}
        # (code, annee) -> {label: [weight, date|None]}
        self.evaluations: dict[tuple[str, str], dict[str, list]] = {}

    def apply(self, kind: str, rows: list[dict]) -> None:
        getattr(self, f"_apply_{kind}")(rows)

    def _apply_enrolments(self, rows):
        for r in rows:
            st = self.students.setdefault(r["numero"], Student(r["numero"]))
            st.nom, st.prenom = r["nom"], r["prenom"]
            e = Enrolment(
                annee=r["annee"],
                sem=int(r["semestre"]),
                regime=(r.get("regime") or "FI").strip() or "FI",
                redoublement=_flag(r.get("redoublement")),
                amenagement=_flag(r.get("amenagement")),
            )
            st.enrolments[(e.annee, e.sem)] = e

    def _apply_grades(self, rows):
        for r in rows:
            st = self.students[r["numero"]]
            code = r["code"].replace("SAÉ", "SAE").replace(" ", "")
            key = (code, r["annee"])
            ev = self.evaluations.setdefault(key, {}).setdefault(r["evaluation"], [Decimal(1), None])
            if (r.get("coefficient") or "").strip():
                ev[0] = Decimal(r["coefficient"].replace(",", "."))
            if (r.get("date") or "").strip():
                ev[1] = date.fromisoformat(r["date"].strip())
            st.grades[(r["annee"], int(r["semestre"]), code, r["evaluation"])] = parse_note(r["note"])

    def _apply_absences(self, rows):
        for r in rows:
            st = self.students[r["numero"]]
            debut = parse_dt(r["debut"])
            st.absences[debut] = Absence(
                debut=debut,
                fin=parse_dt(r["fin"]),
                declaree_le=parse_dt(r["declaree_le"]),
                justificatif_le=parse_dt(r["justificatif_le"]) if (r.get("justificatif_le") or "").strip() else None,
                motif=(r.get("motif") or "").strip() or "autre",
            )

    def _apply_stages(self, rows):
        for r in rows:
            st = self.students[r["numero"]]
            s = Stage(
                annee=r["annee"],
                sem=int(r["semestre"]),
                debut=date.fromisoformat(r["debut"]),
                fin=date.fromisoformat(r["fin"]),
                etranger=_flag(r.get("etranger")),
            )
            st.stages[(s.annee, s.sem)] = s

    def _apply_mobility(self, rows):
        for r in rows:
            self.students[r["numero"]].mobility[(r["annee"], int(r["semestre"]))] = r.get("etablissement", "")


# ----------------------------------------------------------------------------------------------
# Absences (A4, A5, A8)


def regime_at(student: Student, day: date) -> str:
    """A5: the régime of the enrolment whose semester covers the day."""
    for e in student.enrolments.values():
        lo, hi = semester_period(e.annee, e.sem)
        if lo <= day <= hi:
            return e.regime
    return "FI"


def is_justified(student: Student, a: Absence) -> bool:
    if regime_at(student, a.debut.date()) in ALTERNANT_REGIMES and a.motif not in A5_MOTIFS:
        return False  # A5
    if a.justificatif_le is None:
        return False  # A3
    return elapsed(a.declaree_le, a.justificatif_le) <= JUSTIFICATION_DELAY  # A4 (earlier: in time)


def justified_on(student: Student, day: date) -> bool:
    """A8: a justified absence whose [début, fin] intersects that calendar day."""
    return any(a.debut.date() <= day <= a.fin.date() and is_justified(student, a) for a in student.absences.values())


# ----------------------------------------------------------------------------------------------
# The computation


MISSING = "missing"  # V1/V2: a grade not entered, or no evaluation at all
ALL_ABJ = "all_abj"  # A7: every evaluation neutralised


@dataclass
class UEState:
    acquired: bool
    code: str
    moyenne: Fraction | None
    mobility: bool = False


@dataclass
class RCUEResult:
    comp: int
    level: int
    moyenne: Fraction | None
    code: str


@dataclass
class Step:
    """One semester jury of the student's cursus."""

    annee: str
    sem: int
    ues: list[tuple[int, int]]
    adsup: list[tuple[int, int]]
    rcues: list[RCUEResult]
    decision: str | None
    passage: bool | None
    stage_failures: list[str]
    alert_ids: set[str]


class StudentComputation:
    def __init__(self, world: World, student: Student, annee: str, sem: int, jury_date: date | None,
                 number=Fraction):
        # `number`: Fraction (exact, V3); Decimal only to *emulate* an inexact implementation
        # (28-digit decimal context) when the differential test classifies a known product bug
        self.number = number
        self.w = world
        self.m = world.maquette
        self.st = student
        self.target = (annee_start(annee), sem)
        self.jury_date = jury_date or default_jury_date(annee)
        self.target_annee = annee
        self.state: dict[tuple[int, int], UEState] = {}
        self.steps: list[Step] = []

    # -- V1
    def ens_average(self, annee: str, sem: int, code: str):
        evals = self.w.evaluations.get((code, annee), {})
        if not evals:
            return MISSING
        N = self.number
        num = den = N(0)
        for label, (weight, day) in evals.items():
            note = self.st.grades.get((annee, sem, code, label))
            if note is None:
                return MISSING
            if note == "ABS":
                note = "ABJ" if (day is not None and justified_on(self.st, day)) else "ABI"
            if note == "ABJ":
                continue  # A7 neutralised
            value = N(0) if note == "ABI" else N(note)  # A6, per evaluation
            num += N(weight) * value
            den += N(weight)
        if den == 0:
            return ALL_ABJ
        return num / den

    # -- V2
    def ue_average(self, annee: str, sem: int, key: tuple[int, int]) -> Fraction | None:
        N = self.number
        num = den = N(0)
        incomplete = False
        for code, coef in self.m.coefs[key]:
            avg = self.ens_average(annee, sem, code)
            if avg is MISSING:
                incomplete = True
            elif avg is ALL_ABJ:
                continue
            else:
                num += N(coef) * avg
                den += N(coef)
        if incomplete or den == 0:
            return None
        return num / den

    # -- S1-S4
    def stage_check(self, annee: str, sem: int, jury_day: date) -> list[str]:
        """The rule ids that fail for the stage of semester `sem` at the jury of `annee` ([] = validated)."""
        y = annee_start(annee)
        earlier: list[str] = []
        for (a, s), stage in self.st.stages.items():
            if s == sem and annee_start(a) < y:
                fails = self._stage_failures(stage, default_jury_date(a))
                if not fails:
                    return []  # S1 [interp]: validated in an earlier year, stays validated
                earlier += fails  # an earlier stage that failed S2/S3 does not count either
        stage = self.st.stages.get((annee, sem))
        if stage is None:
            return sorted(set(["S4"] + earlier))  # the alert may name either reason
        return self._stage_failures(stage, jury_day)

    @staticmethod
    def _stage_failures(stage: Stage, jury_day: date) -> list[str]:
        fails = []
        weeks = STAGE_MIN_WEEKS.get(stage.sem)
        if weeks is not None and stage.fin < stage.debut + timedelta(days=7 * weeks - 3):
            fails.append("S2")
        if stage.fin >= jury_day:
            fails.append("S3")
        return fails

    def may_repeat(self, upto: tuple[int, int], sem: int) -> bool:
        flagged = [e for e in self.st.enrolments.values() if e.redoublement and e.order <= upto]
        repeated = {e.sem for e in flagged}
        return (sem - 1) not in repeated and sem not in repeated and len(flagged) + 2 <= MAX_REPEATS

    def run(self) -> Step:
        enrolments = sorted(
            (e for e in self.st.enrolments.values() if e.order <= self.target), key=lambda e: e.order
        )
        if not enrolments or enrolments[-1].order != self.target:
            raise ValueError(f"{self.st.numero} is not enrolled in {self.target}")
        for e in enrolments:
            self.steps.append(self.step(e, enrolments))
        return self.steps[-1]

    def step(self, e: Enrolment, enrolments: list[Enrolment]) -> Step:
        annee, sem = e.annee, e.sem
        is_target = e.order == self.target
        jury_day = self.jury_date if is_target else default_jury_date(annee)
        mobility = (annee, sem) in self.st.mobility
        stage_fails: list[str] = []
        if sem in STAGE_SEMESTERS and not mobility:
            stage_fails = self.stage_check(annee, sem, jury_day)
        alert_ids: set[str] = set()
        if stage_fails:
            alert_ids.add("S*")  # at least one of stage_fails (checked by the test)
        keys = [u.key for u in self.m.ues_of(sem)]
        for key in keys:
            prev = self.state.get(key)
            if mobility:  # M1
                new = UEState(True, "ADM", None, mobility=True)
            elif prev is not None and prev.acquired and e.amenagement:  # R4
                new = prev
            else:
                avg = self.ue_average(annee, sem, key)
                if prev is not None and prev.acquired:  # R3
                    if avg is None:
                        new = prev
                    elif prev.mobility:
                        # R3 x M1 [reading]: a validation abroad has no average; a new average only
                        # replaces it when it would validate the UE itself (>= 10 and, S1, a
                        # validated stage): ADM; else the UE stays validated abroad
                        new = UEState(True, "ADM", avg) if q2(avg) >= TEN and not stage_fails else prev
                    else:
                        best = avg if (prev.moyenne is None or avg > prev.moyenne) else prev.moyenne
                        new = UEState(True, "ADM" if q2(best) >= TEN else prev.code, best)
                elif avg is None:
                    new = UEState(False, "ATT", None)  # V2
                elif stage_fails:
                    new = UEState(False, "AJ", avg)  # S1
                elif q2(avg) >= TEN:
                    new = UEState(True, "ADM", avg)  # V4
                else:
                    new = UEState(False, "AJ", avg)  # C4 (for now)
            self.state[key] = new

        rcues: list[RCUEResult] = []
        adsup: list[tuple[int, int]] = []
        decision: str | None = None
        passage: bool | None = True  # P1
        if sem % 2 == 0:
            if (annee, sem - 1) not in self.st.enrolments:
                raise ValueError(f"{self.st.numero}: {annee} S{sem} without S{sem - 1}")
            for comp in self.m.comps_of_year(sem // 2):
                odd, even = self.state[(comp, sem - 1)], self.state[(comp, sem)]
                level = self.m.ues[(comp, sem)].level
                moy = None
                if odd.mobility or even.mobility:  # M1 [interp]
                    other = odd if even.mobility else even
                    code = "ATT" if other.code == "ATT" else ("ADM" if other.acquired else "AJ")
                elif odd.code == "ATT" or even.code == "ATT":
                    code = "ATT"  # V2
                else:
                    moy = (odd.moyenne + even.moyenne) / 2  # C3 equal weights
                    blocked = bool(stage_fails) and not even.acquired  # S1
                    if not blocked and q2(moy) >= TEN:
                        code = "ADM"
                        for k in ((comp, sem - 1), (comp, sem)):
                            if not self.state[k].acquired:
                                s = self.state[k]
                                self.state[k] = UEState(True, "CMP", s.moyenne)  # C2
                    else:
                        code = "AJ"
                rcues.append(RCUEResult(comp, level, moy, code))
                if code == "ADM":  # V5
                    for (c, s), ue in sorted(self.m.ues.items(), key=lambda kv: (kv[0][1], kv[0][0])):
                        if c == comp and ue.level < level:
                            cur = self.state.get((c, s))  # never attempted (direct entry): not acquired
                            if cur is None or not cur.acquired:
                                self.state[(c, s)] = UEState(True, "ADSUP", cur.moyenne if cur else None)
                                adsup.append((c, s))
            if any(r.code == "ATT" for r in rcues):
                decision, passage = "ATJ", None
            else:
                all_valid = all(r.code == "ADM" for r in rcues)
                n_valid = sum(r.code == "ADM" for r in rcues)
                p2 = 2 * n_valid > len(rcues) and not any(
                    r.moyenne is not None and q2(r.moyenne) < EIGHT for r in rcues
                )
                p3 = True
                if sem == 4:
                    p3 = all(
                        self.state.get(u.key) is not None and self.state[u.key].acquired
                        for s in (1, 2)
                        for u in self.m.ues_of(s)
                    )
                may = self.may_repeat(e.order, sem)
                if sem == 6:  # P5
                    decision = "ADM" if all_valid else ("RED" if may else "NAR")
                    passage = None
                elif all_valid and p3:
                    decision, passage = "ADM", True
                elif p2 and p3:
                    decision, passage = "PASD", True
                else:
                    decision, passage = ("RED" if may else "NAR"), False
                if decision == "NAR":
                    alert_ids.add("R2")
        listed = keys if sem % 2 else [u.key for u in self.m.ues_of(sem - 1)] + keys
        listed = sorted(set(listed) | set(adsup), key=lambda k: (k[1], k[0]))
        if any(self.state[k].code == "ATT" for k in listed):
            alert_ids.add("V2")
        return Step(annee, sem, listed, adsup, rcues, decision, passage, stage_fails, alert_ids)

    # -- the export row
    def row(self) -> dict:
        last = self.run()
        annee, sem = last.annee, last.sem
        ues = []
        for k in last.ues:
            s = self.state[k]
            ue = self.m.ues[k]
            ues.append(
                {
                    "ue": ue.name,
                    "moyenne": None if s.mobility else fmt(s.moyenne),
                    "code": s.code,
                    "ects": ue.ects if s.acquired else 0,
                }
            )
        rcues = [
            {"competence": r.comp, "niveau": r.level, "moyenne": fmt(r.moyenne), "code": r.code}
            for r in last.rcues
        ]
        ects = sum(self.m.ues[k].ects for k, s in self.state.items() if s.acquired)
        dut = all(self.state.get(u.key) and self.state[u.key].acquired for s in range(1, 5) for u in self.m.ues_of(s))
        but = all(self.state.get(u.key) and self.state[u.key].acquired for s in range(1, 7) for u in self.m.ues_of(s))
        lo, hi = semester_period(annee, sem)
        counted = [a for a in self.st.absences.values() if lo <= a.debut.date() <= hi]
        just = sum(1 for a in counted if is_justified(self.st, a))
        alert_ids = set(last.alert_ids)
        alert_ids.discard("S*")
        mobility = (annee, sem) in self.st.mobility
        if any(a.declaree_le.date() > a.debut.date() for a in counted):
            alert_ids.add("A2")  # A4 [interp]: late declaration shown to the jury
        if not mobility:
            for code in self.m.codes(sem):
                if self.m.kind[code] == "ressource" and len(self.w.evaluations.get((code, annee), {})) < 2:
                    alert_ids.add("E1")
            for (a, s, code, label), note in self.st.grades.items():
                if a == annee and s == sem and note == "ABI":
                    day = self.w.evaluations[(code, a)][label][1]
                    if day is not None and justified_on(self.st, day):
                        alert_ids.add("A8")
        return {
            "numero": self.st.numero,
            "nom": self.st.nom,
            "prenom": self.st.prenom,
            "ues": ues,
            "rcues": rcues,
            "decision_annee": last.decision,
            "passage": last.passage,
            "ects_acquis": ects,
            "dut": bool(dut),
            "but": bool(but),
            "absences": {"justifiees": just, "injustifiees": len(counted) - just},
            "_alert_ids": sorted(alert_ids),
            "_stage_failures": list(last.stage_failures),
        }


def student_row(world: World, numero: str, annee: str, sem: int, jury_date: date | None = None,
                number=Fraction) -> dict:
    return StudentComputation(world, world.students[numero], annee, sem, jury_date, number).row()


def student_state(world: World, numero: str, annee: str, sem: int) -> dict[tuple[int, int], UEState]:
    """UE states after the jury (annee, sem) - for generators that need to know what is acquired."""
    comp = StudentComputation(world, world.students[numero], annee, sem, None)
    comp.run()
    return dict(comp.state)


def jury(world: World, annee: str, sem: int, jury_date: date | None = None, *, decimal_digits: int | None = None
         ) -> dict:
    """The proposals of one semester jury, in the shape of CONTRACTS.md's JSON export.

    decimal_digits: not the règlement - emulates averages computed with Decimal divisions in a
    context of that precision (what V3's "exactly" rules out), to recognise a known product bug.
    """
    numeros = sorted(n for n, st in world.students.items() if (annee, sem) in st.enrolments)
    if decimal_digits is None:
        rows = [student_row(world, n, annee, sem, jury_date) for n in numeros]
    else:
        with localcontext() as ctx:
            ctx.prec = decimal_digits
            rows = [student_row(world, n, annee, sem, jury_date, Decimal) for n in numeros]
    return {"annee": annee, "semestre": sem, "etat": "proposition", "etudiants": rows}
