"""An independent oracle of the règlement (docs REGLEMENT.md, CONTRACTS.md), for differential tests.

Written from the specification only, without reading the product's engine (``juries/rules``):
pure Python, exact averages, no Django. It consumes the very rows the differential test writes to
the CSV files of CONTRACTS.md (``World.apply``), plus what only the admin records (settings, BIP,
fraud cases, the director's repeat authorisations: ``World.settings`` and friends), and returns,
for a semester jury, the same shape as ``jury_proposals --format json`` (``jury``), plus a few
oracle-only keys prefixed with ``_`` (the alert rule ids the jury must see, with their counts).

Readings taken where REGLEMENT.md leaves room (each also noted where it is used):

* an ATT UE shows ``moyenne: null`` (CONTRACTS: null "when there is nothing to average (grades
  still missing ...)"); an RCUE with an ATT, DEF/DEM UE or a UE validated abroad has ``moyenne: null``;
  a DEF/DEM UE shows its average when its grades are complete (they are on record), else null;
* the jury date of an *earlier* year, when a later jury recomputes it, is that year's default
  (30 June of its second calendar year) unless ``import_decisions`` recorded one;
* A5 alternant = régime ``FA`` only (``FC``, formation continue, is not treated as alternance);
* R2: repeating at an even jury repeats the year's two semesters; it is allowed when neither
  of them has a ``redoublement`` enrolment yet and (flagged enrolments so far) + 2 <= max; a
  director's authorisation for the academic year of that repeat lifts both limits (RED); the
  alert R2 is raised when the proposal is NAR;
* R3 x M1: a UE validated abroad (no average) and enrolled again in a repeated year keeps its
  validation abroad (no average shown, M1 for its RCUE) unless the new attempt validates it by
  itself (average >= 10 and, for S4/S6, a validated stage), whose average then becomes its average
  (code ADM): "the better of the old and new averages" when there is no old average;
* V3 "computed exactly with decimal.Decimal": a Decimal division is not exact (1/3.5 has no finite
  decimal expansion and a 28-digit context turns an exact 9.995 into 9.99499...9), so grades,
  weights and coefficients are Decimals on input and every average is an exact
  ``fractions.Fraction``; only the shown / compared value is rounded, half-up to 2 decimals;
* alerts, one per object: E1 one per ressource of the jury's semester with < 2 evaluations (none
  for a semester validated abroad); V2 one per ATT UE listed; A2 one per late declaration among
  the absences of the jury's semester; A8 one per explicit ABI of the listed semesters on a
  justified day; S2/S3/S4 one per failed stage rule; R2 one when NAR; F1 one per open fraud
  case dated on or before the jury; M3 one per BIP of the listed semesters with no UE to count in;
* ABI_SCOPE "enseignement": a missing grade still makes the enseignement incomplete (V1) first;
* F2: an exclusion runs on the jury's date when start <= date <= end (no end: definitive) and it
  is not "avec sursis";
* M3: the BIP counts in its UE in the academic year of the enrolment it is recorded on.
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

# Every rule id of REGLEMENT.md (the bold ids of its bullet lists), and the DEF / DEM section.
RULE_IDS = frozenset(
    "A1 A2 A3 A4 A5 A6 A7 A8 A9 S1 S2 S3 S4 E1 E2 E3 V1 V2 V3 V4 V5 V6 C1 C2 C3 C4 "
    "P1 P2 P3 P4 P5 R1 R2 R3 R4 D1 D2 M1 M2 M3 F1 F2 DEF DEM".split()
)
RULE_PREFIX = re.compile(r"^([A-Z][0-9]|DEF|DEM):")

ACQUIRED = frozenset({"ADM", "CMP", "ADSUP", "ADJ"})
VALIDATED_RCUE = frozenset({"ADM", "ADJ"})
# A5: the reasons the Code du travail accepts for an alternant.
A5_MOTIFS = frozenset({"maladie", "deces", "mariage_pacs_naissance", "convocation"})
ALTERNANT_REGIMES = frozenset({"FA"})
STAGE_SEMESTERS = (4, 6)  # S1: the stage is attached to every UE of S4 and of S6
EXCLUSIONS = frozenset({"exclusion_etablissement", "exclusion_definitive", "exclusion_tous",
                        "exclusion_tous_definitive"})  # F2
# CONTRACTS import_decisions: passage follows the year code
PASSAGE_OF = {"ADM": True, "PASD": True, "PAS1NCI": True, "RED": False, "NAR": False, "DEF": False,
              "DEM": False, "ABAN": False, "EXCLU": False}
BIP_COEF = Fraction(3)  # M3


@dataclass
class Settings:
    """The [interp] settings of REGLEMENT.md, with its defaults."""

    abi_scope: str = "evaluation"  # A6
    abj_policy: str = "neutralise"  # A7
    rcue_weights: str = "equal"  # C3
    p2_counts: str = "average"  # P2
    stage_min_weeks_s4: int | None = 10  # S2
    stage_min_weeks_s6: int | None = None
    bip_ue: str = ""  # M3, e.g. "UE4 S5"
    max_repeats: int = 4  # R2
    justification_hours: int = 48  # A4
    even_semester_start: str = "01/02"  # CONTRACTS absences
    odd_semester_start: str = "01/09"

    def stage_min_weeks(self, sem: int) -> int | None:
        return self.stage_min_weeks_s4 if sem == 4 else self.stage_min_weeks_s6


def q2(x: Fraction | Decimal) -> Decimal:
    """V3: what is shown and compared, from the exact value: 2 decimals, half-up."""
    f = Fraction(x)
    n = (abs(f) * 100 + Fraction(1, 2)).__floor__()
    return Decimal(-n if f < 0 else n).scaleb(-2)


def fmt(x: Fraction | None) -> str | None:
    return None if x is None else str(q2(x))


def annee_start(annee: str) -> int:
    return int(annee.split("-")[0])


def annee_of(y: int) -> str:
    return f"{y}-{y + 1}"


def default_jury_date(annee: str) -> date:
    """CONTRACTS: 30 June of the academic year's second calendar year."""
    return date(annee_start(annee) + 1, 6, 30)


def _day_month(text: str) -> tuple[int, int]:
    d, m = text.split("/")
    return int(d), int(m)


def semester_period(annee: str, sem: int, settings: Settings | None = None) -> tuple[date, date]:
    """CONTRACTS (absences): odd semester 1 September - 31 January, even 1 February - 31 August
    (the two starts are settings: each semester ends the day before the next one starts)."""
    s = settings or Settings()
    y = annee_start(annee)
    od, om = _day_month(s.odd_semester_start)
    ed, em = _day_month(s.even_semester_start)
    if sem % 2:
        return date(y, om, od), date(y + 1, em, ed) - timedelta(days=1)
    return date(y + 1, em, ed), date(y + 1, om, od) - timedelta(days=1)


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


def parse_ue(text: str) -> tuple[int, int] | None:
    m = re.fullmatch(r"\s*UE\s*(\d)\s*S\s*(\d)\s*", text or "", re.IGNORECASE)
    return (int(m.group(1)), int(m.group(2))) if m else None


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
    statut: str = "inscrit"  # CONTRACTS import_enrolments: inscrit, DEF, DEM

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
    # M3: (annee, sem) of the enrolment -> Bip
    bips: dict[tuple[str, int], Bip] = field(default_factory=dict)
    frauds: list[Fraud] = field(default_factory=list)  # F1, F2
    authorisations: list[str] = field(default_factory=list)  # R2: academic year of the repeat allowed
    # CONTRACTS import_decisions: (annee, sem) -> {objet: (code, moyenne)}; objet ("ue", (c, s)),
    # ("rcue", c) or ("annee", None)
    decisions: dict[tuple[str, int], dict[tuple, tuple[str, Decimal | None]]] = field(default_factory=dict)


@dataclass
class Bip:
    grade: Decimal | None
    ue: tuple[int, int] | None  # the UE recorded with the BIP (None: the setting BIP_UE, if any)


@dataclass
class Fraud:
    day: date
    closed: bool = False
    sanction: str = ""
    start: date | None = None
    end: date | None = None
    sursis: bool = False

    def excludes_on(self, day: date) -> bool:
        # F2: an exclusion runs from its start to its end (none: definitive), unless avec sursis
        if self.sanction not in EXCLUSIONS or self.sursis:
            return False
        start = self.start or self.day
        return start <= day and (self.end is None or day <= self.end)


def _flag(v) -> bool:
    return str(v or "0").strip() in ("1", "oui", "true", "True")


class World:
    """The oracle's copy of what the imports put on record."""

    def __init__(self, maquette: Maquette | None = None):
        self.maquette = maquette or Maquette()
        self.students: dict[str, Student] = {}
        # (code, annee) -> {label: [weight, date|None]}
        self.evaluations: dict[tuple[str, str], dict[str, list]] = {}
        self.settings = Settings()
        self.jury_dates: dict[tuple[str, int], date] = {}  # recorded by import_decisions (date_jury)

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
                statut=((r.get("statut") or "").strip() or "inscrit"),
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

    def _apply_decisions(self, rows):
        for r in rows:
            st = self.students[r["numero"]]
            jury = (r["annee"], int(r["semestre"]))
            objet = r["objet"].strip()
            if objet.lower() == "annee":
                key = ("annee", None)
            elif parse_ue(objet):
                key = ("ue", parse_ue(objet))
            else:
                m = re.fullmatch(r"C(\d)\s*N(\d)", objet.strip(), re.IGNORECASE)
                key = ("rcue", int(m.group(1)))
            moy = (r.get("moyenne") or "").strip()
            st.decisions.setdefault(jury, {})[key] = (r["code"].strip(), Decimal(moy.replace(",", ".")) if moy else None)
            if (r.get("date_jury") or "").strip():
                self.jury_dates[jury] = date.fromisoformat(r["date_jury"].strip())

    # -- what only the admin records (the harness writes it with the ORM too)
    def set_settings(self, **kw):
        for k, v in kw.items():
            if not hasattr(self.settings, k):
                raise AttributeError(k)
            setattr(self.settings, k, v)

    def add_bip(self, numero: str, annee: str, sem: int, grade, ue: str | None):
        self.students[numero].bips[(annee, sem)] = Bip(None if grade is None else Decimal(str(grade)), parse_ue(ue or ""))

    def add_fraud(self, numero: str, fraud: Fraud):
        self.students[numero].frauds.append(fraud)

    def add_authorisation(self, numero: str, annee: str):
        self.students[numero].authorisations.append(annee)


# ----------------------------------------------------------------------------------------------
# Absences (A4, A5, A8)


def regime_at(student: Student, day: date, settings: Settings) -> str:
    """A5: the régime of the enrolment whose semester covers the day."""
    for e in student.enrolments.values():
        lo, hi = semester_period(e.annee, e.sem, settings)
        if lo <= day <= hi:
            return e.regime
    return "FI"


def is_justified(student: Student, a: Absence, settings: Settings) -> bool:
    if regime_at(student, a.debut.date(), settings) in ALTERNANT_REGIMES and a.motif not in A5_MOTIFS:
        return False  # A5
    if a.justificatif_le is None:
        return False  # A3
    # A4: in time when deposit <= declaration + the delay, in elapsed hours (earlier: in time)
    return elapsed(a.declaree_le, a.justificatif_le) <= timedelta(hours=settings.justification_hours)


def justified_on(student: Student, day: date, settings: Settings) -> bool:
    """A8: a justified absence whose [début, fin] intersects that calendar day."""
    return any(a.debut.date() <= day <= a.fin.date() and is_justified(student, a, settings)
               for a in student.absences.values())


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
    alert_ids: list[str]
    deliberated: bool


class StudentComputation:
    def __init__(self, world: World, student: Student, annee: str, sem: int, jury_date: date | None,
                 number=Fraction):
        # `number`: Fraction (exact, V3); Decimal only to *emulate* an inexact implementation
        # (28-digit decimal context) when the differential test classifies a known product bug
        self.number = number
        self.w = world
        self.m = world.maquette
        self.cfg = world.settings
        self.st = student
        self.target = (annee_start(annee), sem)
        self.jury_date = jury_date or world.jury_dates.get((annee, sem)) or default_jury_date(annee)
        self.target_annee = annee
        self.state: dict[tuple[int, int], UEState] = {}
        self.steps: list[Step] = []

    def jury_day(self, annee: str, sem: int) -> date:
        if (annee_start(annee), sem) == self.target:
            return self.jury_date
        return self.w.jury_dates.get((annee, sem)) or default_jury_date(annee)

    # -- V1, A6, A7
    def ens_average(self, annee: str, sem: int, code: str):
        evals = self.w.evaluations.get((code, annee), {})
        if not evals:
            return MISSING
        N = self.number
        num = den = N(0)
        abi = False
        for label, (weight, day) in evals.items():
            note = self.st.grades.get((annee, sem, code, label))
            if note is None:
                return MISSING
            if note == "ABS":  # A8
                note = "ABJ" if (day is not None and justified_on(self.st, day, self.cfg)) else "ABI"
            if note == "ABJ":
                if self.cfg.abj_policy == "pending":
                    return MISSING  # A7 alternative: waits for a replacement grade
                continue  # A7 neutralised
            if note == "ABI":
                abi = True
            value = N(0) if note == "ABI" else N(note)  # A6, per evaluation
            num += N(weight) * value
            den += N(weight)
        if abi and self.cfg.abi_scope == "enseignement":
            return N(0)  # A6 alternative: the whole enseignement average is 0
        if den == 0:
            return ALL_ABJ
        return num / den

    def bip_for(self, annee: str, key: tuple[int, int]) -> Bip | None:
        """M3: the BIP of that academic year that counts in that UE."""
        for (a, _s), bip in self.st.bips.items():
            if a == annee and self.bip_ue(bip) == key:
                return bip
        return None

    def bip_ue(self, bip: Bip) -> tuple[int, int] | None:
        return bip.ue or parse_ue(self.cfg.bip_ue)

    # -- V2 (+ M3)
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
        bip = self.bip_for(annee, key)
        if bip is not None and bip.grade is not None:  # M3: an extra SAÉ element of coefficient 3
            num += N(BIP_COEF) * N(bip.grade)
            den += N(BIP_COEF)
        return num / den

    # -- S1-S4
    def stage_check(self, annee: str, sem: int, jury_day: date) -> list[str]:
        """The rule ids that fail for the stage of semester `sem` at the jury of `annee` ([] = validated)."""
        y = annee_start(annee)
        for (a, s), stage in self.st.stages.items():
            if s == sem and annee_start(a) < y:
                if not self._stage_failures(stage, self.jury_day(a, s)):
                    return []  # S1 [interp]: validated in an earlier year, stays validated
        stage = self.st.stages.get((annee, sem))
        if stage is None:
            return ["S4"]  # S4: no stage recorded for this year (an earlier failed one does not count)
        return self._stage_failures(stage, jury_day)

    def _stage_failures(self, stage: Stage, jury_day: date) -> list[str]:
        fails = []
        weeks = self.cfg.stage_min_weeks(stage.sem)
        if weeks is not None and stage.fin < stage.debut + timedelta(days=7 * weeks - 3):
            fails.append("S2")
        if stage.fin >= jury_day:
            fails.append("S3")
        return fails

    def may_repeat(self, e: Enrolment) -> bool:
        """R2 (+ the director's authorisation for the academic year of that repeat)."""
        flagged = [x for x in self.st.enrolments.values() if x.redoublement and x.order <= e.order]
        repeated = {x.sem for x in flagged}
        sems = (e.sem - 1, e.sem)
        if not any(s in repeated for s in sems) and len(flagged) + 2 <= self.cfg.max_repeats:
            return True
        return annee_of(annee_start(e.annee) + 1) in self.st.authorisations

    def excluded(self, jury_day: date) -> bool:
        return any(f.excludes_on(jury_day) for f in self.st.frauds)  # F2

    def run(self) -> Step:
        enrolments = sorted(
            (e for e in self.st.enrolments.values() if e.order <= self.target), key=lambda e: e.order
        )
        if not enrolments or enrolments[-1].order != self.target:
            raise ValueError(f"{self.st.numero} is not enrolled in {self.target}")
        for e in enrolments:
            self.steps.append(self.step(e))
        return self.steps[-1]

    def _set(self, key, code: str, moyenne) -> None:
        cur = self.state.get(key)
        self.state[key] = UEState(code in ACQUIRED, code, moyenne, mobility=bool(cur and cur.mobility and
                                                                                    code == "ADM"))

    def step(self, e: Enrolment) -> Step:
        annee, sem = e.annee, e.sem
        jury_day = self.jury_day(annee, sem)
        mobility = (annee, sem) in self.st.mobility
        decided = self.st.decisions.get((annee, sem), {})
        stage_fails: list[str] = []
        if sem in STAGE_SEMESTERS and not mobility:
            stage_fails = self.stage_check(annee, sem, jury_day)
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
            if e.statut in ("DEF", "DEM") and not new.acquired:
                # DEF / DEM: what is acquired stays acquired (V4), the rest of the semester is DEF/DEM
                new = UEState(False, e.statut, new.moyenne)
            self.state[key] = new
        # CONTRACTS import_decisions: the UEs the jury decided (ADSUP possibly on an earlier UE)
        for (kind, key), (code, moy) in sorted(decided.items(), key=lambda kv: str(kv[0])):
            if kind == "ue":
                cur = self.state.get(key)
                self._set(key, code, Fraction(moy) if moy is not None else (cur.moyenne if cur else None))

        rcues: list[RCUEResult] = []
        adsup: list[tuple[int, int]] = []
        decision: str | None = None
        passage: bool | None = True  # P1
        alert_ids: list[str] = list(stage_fails)
        dead = e.statut in ("DEF", "DEM")
        if sem % 2 == 0:
            if (annee, sem - 1) not in self.st.enrolments:
                raise ValueError(f"{self.st.numero}: {annee} S{sem} without S{sem - 1}")
            for comp in self.m.comps_of_year(sem // 2):
                rcues.append(self.rcue(comp, sem, decided, stage_fails, adsup))
            named = decided.get(("annee", None))
            if named:
                decision = named[0]
            elif self.excluded(jury_day):
                decision = "EXCLU"  # F2
            elif dead:
                decision = e.statut
            elif any(r.code == "ATT" for r in rcues):
                decision = "ATJ"
            else:
                decision = self.year_code(e, rcues)
                if decision == "NAR":
                    alert_ids.append("R2")
            passage = None if decision == "ATJ" else PASSAGE_OF.get(decision, True)
            if sem == 6:
                passage = None  # P5
        else:
            named = decided.get(("annee", None))
            if named:
                decision = named[0]
            elif self.excluded(jury_day):
                decision = "EXCLU"
            elif dead:
                decision = e.statut
            if decision is not None:
                passage = PASSAGE_OF.get(decision, True)
        listed = keys if sem % 2 else [u.key for u in self.m.ues_of(sem - 1)] + keys
        listed = sorted(set(listed) | set(adsup) | {k for (kind, k) in decided if kind == "ue"},
                        key=lambda k: (k[1], k[0]))
        alert_ids += ["V2" for k in listed if self.state[k].code == "ATT"]
        return Step(annee, sem, listed, adsup, rcues, decision, passage, stage_fails, alert_ids, bool(decided))

    def rcue(self, comp: int, sem: int, decided: dict, stage_fails: list[str], adsup: list) -> RCUEResult:
        k_odd, k_even = (comp, sem - 1), (comp, sem)
        odd, even = self.state[k_odd], self.state[k_even]
        level = self.m.ues[k_even].level
        moy = None
        if not (odd.mobility or even.mobility) and odd.moyenne is not None and even.moyenne is not None \
                and not {odd.code, even.code} & {"ATT", "DEF", "DEM"}:
            if self.cfg.rcue_weights == "ects":  # C3 alternative
                wo, we = Fraction(self.m.ues[k_odd].ects), Fraction(self.m.ues[k_even].ects)
            else:
                wo = we = Fraction(1)
            N = self.number
            moy = (N(wo) * odd.moyenne + N(we) * even.moyenne) / N(wo + we)
        named = decided.get(("rcue", comp))
        if named:
            code = named[0]
            if named[1] is not None:
                moy = Fraction(named[1])
            if code in VALIDATED_RCUE:
                # C3: a validated RCUE acquires both its UEs; V5: one the jury validated (ADJ) makes
                # its UEs below 10 ADJ (a UE the jury named keeps the code it was given)
                for k in (k_odd, k_even):
                    if not self.state[k].acquired and ("ue", k) not in decided:
                        self._set(k, "CMP" if code == "ADM" else "ADJ", self.state[k].moyenne)
        elif odd.mobility or even.mobility:  # M1 [interp]
            other = odd if even.mobility else even
            code = "ATT" if other.code == "ATT" else ("ADM" if other.acquired else "AJ")
        elif {odd.code, even.code} & {"DEF", "DEM"}:
            code = "AJ"  # DEF / DEM: no average, compensates nothing
        elif odd.code == "ATT" or even.code == "ATT":
            code = "ATT"  # V2
        elif odd.acquired and even.acquired:
            # V5: "la validation des deux UE du niveau" validates the RCUE, whatever their codes
            code = "ADM" if moy is None or q2(moy) >= TEN else "ADJ"
        else:
            blocked = bool(stage_fails)  # S1 (C2: an RCUE held back by the stage compensates nothing)
            if not blocked and q2(moy) >= TEN:
                code = "ADM"
                for k in (k_odd, k_even):
                    if not self.state[k].acquired:
                        self._set(k, "CMP", self.state[k].moyenne)  # C2
            else:
                code = "AJ"
        if code in VALIDATED_RCUE:  # V5: the lower levels of that competence, in one step
            for (c, s), ue in sorted(self.m.ues.items(), key=lambda kv: (kv[0][1], kv[0][0])):
                if c == comp and ue.level < level:
                    cur = self.state.get((c, s))  # never attempted (direct entry): not acquired
                    if cur is None or not cur.acquired:
                        self.state[(c, s)] = UEState(True, "ADSUP", cur.moyenne if cur else None)
                        adsup.append((c, s))
        return RCUEResult(comp, level, moy, code)

    def year_code(self, e: Enrolment, rcues: list[RCUEResult]) -> str:
        sem = e.sem
        all_valid = all(r.code in VALIDATED_RCUE for r in rcues)
        if self.cfg.p2_counts == "validated":
            n_ok = sum(r.code in VALIDATED_RCUE for r in rcues)
        else:  # P2 "la moyenne a été obtenue": average >= 10, or validated (ADJ, ADM by M1)
            n_ok = sum((r.moyenne is not None and q2(r.moyenne) >= TEN) or r.code in VALIDATED_RCUE for r in rcues)
        below8 = any(r.moyenne is not None and r.code != "ADJ" and q2(r.moyenne) < EIGHT for r in rcues)
        p2 = 2 * n_ok > len(rcues) and not below8
        p3 = True
        if sem == 4:
            p3 = all(self.state.get(u.key) is not None and self.state[u.key].acquired
                     for s in (1, 2) for u in self.m.ues_of(s))
        may = self.may_repeat(e)
        if sem == 6:  # P5
            return "ADM" if all_valid else ("RED" if may else "NAR")
        if all_valid and p3:
            return "ADM"
        if p2 and p3:
            return "PASD"
        return "RED" if may else "NAR"

    # -- the export row
    def row(self) -> dict:
        last = self.run()
        annee, sem = last.annee, last.sem
        cfg = self.cfg
        ues = []
        for k in last.ues:
            s = self.state[k]
            ue = self.m.ues[k]
            ues.append({"ue": ue.name, "moyenne": None if s.mobility else fmt(s.moyenne), "code": s.code,
                        "ects": ue.ects if s.acquired else 0})
        rcues = [{"competence": r.comp, "niveau": r.level, "moyenne": fmt(r.moyenne), "code": r.code}
                 for r in last.rcues]
        ects = sum(self.m.ues[k].ects for k, s in self.state.items() if s.acquired)
        dut = all(self.state.get(u.key) and self.state[u.key].acquired for s in range(1, 5) for u in self.m.ues_of(s))
        but = all(self.state.get(u.key) and self.state[u.key].acquired for s in range(1, 7) for u in self.m.ues_of(s))
        lo, hi = semester_period(annee, sem, cfg)
        counted = [a for a in self.st.absences.values() if lo <= a.debut.date() <= hi]
        just = sum(1 for a in counted if is_justified(self.st, a, cfg))
        alert_ids = list(last.alert_ids)
        jury_day = self.jury_date
        # A4 [interp]: a declaration after the first day of absence is shown to the jury (A2)
        alert_ids += ["A2" for a in counted if a.declaree_le.date() > a.debut.date()]
        listed_sems = (sem,) if sem % 2 else (sem - 1, sem)
        if (annee, sem) not in self.st.mobility:
            for code in self.m.codes(sem):
                if self.m.kind[code] == "ressource" and len(self.w.evaluations.get((code, annee), {})) < 2:
                    alert_ids.append("E1")
        for (a, s, code, label), note in self.st.grades.items():
            if a == annee and s in listed_sems and note == "ABI":
                day = self.w.evaluations[(code, a)][label][1]
                if day is not None and justified_on(self.st, day, cfg):
                    alert_ids.append("A8")
        alert_ids += ["F1" for f in self.st.frauds if not f.closed and f.day <= jury_day]
        alert_ids += ["M3" for (a, s), bip in self.st.bips.items()
                      if a == annee and s in listed_sems and self.bip_ue(bip) is None]
        return {
            "numero": self.st.numero,
            "nom": self.st.nom,
            "prenom": self.st.prenom,
            "etat": "delibere" if last.deliberated else "proposition",
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
    etat = "delibere" if rows and all(r["etat"] == "delibere" for r in rows) else "proposition"
    return {"annee": annee, "semestre": sem, "etat": etat, "etudiants": rows}
