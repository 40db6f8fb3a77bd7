"""import_decisions: the decisions of juries that deliberated before the application (docs/formats.md).

One row per student, jury (numero, annee, semestre) and objet (`UE1 S1`, `C1 N1`, `annee`). The
file makes each (student, jury) it names deliberated: the named decisions go through the engine
exactly as a jury's overrides in the browser (EnrolmentIn.deliberated), so that the objects the
file does not name take the code the engine computes with the named ones (V5 ADSUP, C2 CMP,
ECTS, passage), and the whole result is recorded as that student's deliberated decision.
Juries are settled in chronological order, each one building on the earlier ones of the file.
Over 400 lines because docs/formats.md's refusals are checked here, each where it can be named
(cell, row, engine result): splitting them would scatter one contract over several modules.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils import timezone

from juries.models import Enrolment, Formation, Grade, JuryDecision, JurySession
from juries.models.history import attribute_change
from juries.rules.codes import VALIDATED_RCUE_CODES, Code
from juries.rules.french import date_fr, moyenne_fr
from juries.rules.inputs import DeliberatedIn, DeliberatedRCUE, DeliberatedUE, StudentIn
from juries.rules.results import StudentProposal
from juries.selectors.jury import (
    JuryInputs,
    RcueKey,
    decision_to_input,
    default_jury_date,
    load_formation,
    load_maquette,
)
from juries.selectors.proposals import jury_proposals, proposal_of, with_decision
from juries.services.decisions import decision_codes

from .base import RowReader
from .columns import required
from .errors import RowError
from .parsing import CellError, parse_annee, parse_date, parse_semestre
from .tabular import Row

REQUIRED = required("decisions")
YEAR = "annee"

UE_CODES = (Code.ADM, Code.CMP, Code.ADSUP, Code.ADJ, Code.AJ, Code.DEF, Code.DEM)
RCUE_CODES = (Code.ADM, Code.ADJ, Code.AJ)
YEAR_CODES = (Code.ADM, Code.PASD, Code.PAS1NCI, Code.RED, Code.NAR, Code.DEF, Code.DEM, Code.ABAN, Code.EXCLU)
ODD_YEAR_CODES = (Code.DEF, Code.DEM, Code.EXCLU)
PASSING = (Code.ADM, Code.PASD, Code.PAS1NCI)

_UE_RE = re.compile(r"^UE\s*(\d+)\s*[-_ ]?\s*S\s*(\d+)$")
_RCUE_RE = re.compile(r"^C\s*(\d+)\s*[-_ ]?\s*N\s*(\d+)$")
_MOYENNE_RE = re.compile(r"^\d{1,2}([.,]\d{1,2})?$")


def reason_for(filename: str) -> str:
    """docs/reglement.md, decision codes: an imported decision says « reprise » and the file's name."""
    return f"reprise : décision délibérée hors de l'application, fichier « {filename} »"


# --------------------------------------------------------------------------- cells


@dataclass(frozen=True)
class Objet:
    kind: str  # "ue", "rcue", "annee"
    key: str  # "UE1 S1", "C1 N1", "annee"
    competence: int = 0
    number: int = 0  # the UE's semester, or the RCUE's level


def parse_objet(text: str) -> Objet:
    t = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().strip().upper()
    if t == "ANNEE":
        return Objet("annee", YEAR)
    if m := _UE_RE.match(t):
        c, s = int(m.group(1)), int(m.group(2))
        return Objet("ue", f"UE{c} S{s}", c, s)
    if m := _RCUE_RE.match(t):
        c, n = int(m.group(1)), int(m.group(2))
        return Objet("rcue", str(RcueKey(c, n)), c, n)
    raise CellError(f"objet « {text.strip()} » inconnu : une UE (UE1 S1), un RCUE (C1 N1) ou « annee »")


def parse_code(text: str) -> Code:
    t = text.strip().upper()
    try:
        return Code(t)
    except ValueError:
        raise CellError(f"code « {text.strip()} » inconnu") from None


def parse_moyenne(text: str) -> Decimal:
    t = text.strip().replace(" ", "").replace("\u00a0", "")
    if not _MOYENNE_RE.fullmatch(t):
        raise CellError(f"« {text.strip()} » n'est pas une moyenne : un nombre de 0 à 20, 2 décimales au plus")
    value = Decimal(t.replace(",", "."))
    if value > 20:
        raise CellError(f"moyenne {text.strip()} hors de l'intervalle 0 à 20")
    return value


def _allowed(codes) -> str:
    return ", ".join(str(c) for c in codes)


# --------------------------------------------------------------------------- rows and plans


@dataclass
class DecisionRow:
    line: int
    row: Row
    numero: str
    annee: str
    semestre: int
    objet: Objet
    code: Code
    moyenne: Decimal | None
    date_jury: date | None
    enrolment: Enrolment


@dataclass
class StudentJury:
    """What the file says for one student at one jury, and what it makes of it."""

    enrolment: Enrolment
    annee: str
    semestre: int
    rows: list[DecisionRow] = field(default_factory=list)
    fields: dict = field(default_factory=dict)  # the JuryDecision fields to record
    existing: JuryDecision | None = None
    action: str = "nouveau"

    @property
    def first_line(self) -> int:
        return min(r.line for r in self.rows)

    @property
    def numero(self) -> str:
        return self.rows[0].numero


@dataclass
class Plan:
    students: list[StudentJury]
    juries: dict[tuple[str, int], date | None]  # (annee, semestre) -> date_jury of the file
    sessions: dict[tuple[str, int], JurySession]
    formation: Formation


def jury_name(annee: str, semestre: int) -> str:
    return f"jury du S{semestre} {annee}"


def validate(rows: list[Row]) -> tuple[Plan | None, list[RowError]]:
    errors: list[RowError] = []
    formation = load_formation()
    if formation is None:
        return None, [RowError(None, None, "La maquette n'est pas chargée (loaddata maquette_but_qlio_osc).")]
    index = load_maquette(formation).index
    final = index.final_semester
    numeros = {row.get("numero") for row in rows}
    enrolments = {
        (e.student.numero, e.annee, e.semester.number): e
        for e in Enrolment.objects.filter(student__numero__in=numeros, semester__formation=formation)
        .select_related("student", "semester")
    }
    sessions = {
        (j.annee, j.semester.number): j
        for j in JurySession.objects.filter(formation=formation).select_related("semester")
    }
    parsed: list[DecisionRow] = []
    seen: dict[tuple, int] = {}
    dates: dict[tuple[str, int], tuple[date, int]] = {}
    for row in rows:
        r = RowReader(row, errors)
        numero = r.cell("numero")
        annee = r.cell("annee", parse_annee)
        semestre = r.cell("semestre", parse_semestre)
        objet = r.cell("objet", parse_objet)
        code = r.cell("code", parse_code)
        moyenne = r.cell("moyenne", parse_moyenne, required=False)
        date_jury = r.cell("date_jury", parse_date, required=False)
        enrolment = None
        if numero and annee and semestre:
            enrolment = enrolments.get((numero, annee, semestre))
            if enrolment is None:
                r.fail("numero", f"l'étudiant {numero} n'est pas inscrit en S{semestre} {annee}")
            session = sessions.get((annee, semestre))
            if session is not None and session.is_deliberated:
                r.fail(None, f"le {jury_name(annee, semestre)} a délibéré dans l'application : ses décisions "
                             "sont définitives (E3) ; rouvrir le jury dans l'application pour les modifier")
        if semestre and objet is not None:
            _check_objet(r, objet, code, semestre, index, final)
        if objet is not None and objet.kind == "annee" and moyenne is not None:
            r.fail("moyenne", "pas de moyenne pour la décision d'année (seulement pour une UE ou un RCUE)")
        if not r.ok:
            continue
        assert enrolment is not None  # numero, annee and semestre are required and the enrolment found, or the row failed
        key = (numero, annee, semestre, objet.key)
        if key in seen:
            r.fail(None, f"doublon de la ligne {seen[key]} (même étudiant, jury et objet)")
            continue
        seen[key] = row.line
        if date_jury is not None:
            jury = (annee, semestre)
            earlier = dates.get(jury)
            stored = sessions.get(jury)
            if earlier is not None and earlier[0] != date_jury:
                r.fail("date_jury", f"deux dates pour le {jury_name(annee, semestre)} : {date_fr(earlier[0])} "
                                    f"(ligne {earlier[1]}) et {date_fr(date_jury)}")
                continue
            if stored is not None and stored.date != date_jury:
                r.fail("date_jury", f"le {jury_name(annee, semestre)} est enregistré à la date du "
                                    f"{date_fr(stored.date)}, pas du {date_fr(date_jury)}")
                continue
            dates.setdefault(jury, (date_jury, row.line))
        parsed.append(DecisionRow(row.line, row, numero, annee, semestre, objet, code, moyenne, date_jury, enrolment))

    groups: dict[tuple[str, str, int], StudentJury] = {}
    for d in parsed:
        g = groups.setdefault((d.numero, d.annee, d.semestre), StudentJury(d.enrolment, d.annee, d.semestre))
        g.rows.append(d)
    juries = {(g.annee, g.semestre): dates.get((g.annee, g.semestre), (None, 0))[0] for g in groups.values()}
    plan = Plan(students=list(groups.values()), juries=juries, sessions=sessions, formation=formation)
    if not errors:
        _settle(plan, errors)
    return plan, errors


def _check_objet(r: RowReader, objet: Objet, code: Code | None, semestre: int, index, final: int) -> None:
    """An objet of that jury, with a code it can take there (docs/formats.md's refusals)."""
    odd = semestre % 2 == 1
    year = (semestre + 1) // 2
    jury_ues = (semestre,) if odd else (semestre - 1, semestre)
    shown = " et du S".join(str(s) for s in jury_ues)
    if objet.kind == "ue":
        if objet.key not in index.ue_by_key:
            r.fail("objet", f"{objet.key} n'est pas une UE de la maquette")
            return
        if code is not None and code not in UE_CODES:
            r.fail("code", f"{code} n'est pas un code d'UE ({_allowed(UE_CODES)})")
            return
        earlier = objet.number < min(jury_ues)
        if odd and code in (Code.CMP, Code.ADSUP):
            r.fail("code", f"{code} à un jury de semestre impair : la compensation et la validation par le "
                           "niveau supérieur se décident au jury du semestre pair (C4, V5)")
        elif earlier and code == Code.ADSUP:
            pass  # V5: an earlier year's UE made ADSUP by this jury is written at this jury
        elif objet.number not in jury_ues:
            r.fail("objet", f"{objet.key} n'est pas une UE du jury du S{semestre} (UE du S{shown}"
                            + (" ; une UE d'une année précédente seulement en ADSUP)" if not odd else ")"))
        elif code == Code.ADSUP:
            r.fail("code", f"ADSUP : une UE d'un niveau inférieur (année précédente) acquise à ce jury par "
                           f"la validation du niveau supérieur (V5), pas {objet.key}")
    elif objet.kind == "rcue":
        if odd:
            r.fail("objet", f"pas de RCUE au jury d'un semestre impair (C4 : le RCUE {objet.key} se décide au "
                            f"jury du S{semestre + 1})")
            return
        if (objet.competence, objet.number) not in index.rcues_by_year.get(year, ()):
            r.fail("objet", f"{objet.key} n'est pas un RCUE du jury du S{semestre} (BUT{year})")
            return
        if code is not None and code not in RCUE_CODES:
            r.fail("code", f"{code} n'est pas un code de RCUE ({_allowed(RCUE_CODES)})")
    else:
        if code is None:
            return
        if code not in YEAR_CODES:
            r.fail("code", f"{code} n'est pas une décision d'année ({_allowed(YEAR_CODES)})")
        elif odd and code not in ODD_YEAR_CODES:
            r.fail("code", f"{code} au jury d'un semestre impair : pas de décision d'année (P1), seulement "
                           f"{_allowed(ODD_YEAR_CODES)}")
        elif semestre == final and code in (Code.PASD, Code.PAS1NCI):
            r.fail("code", f"{code} au jury du S{final} : il n'y a pas de semestre suivant (P5)")


# --------------------------------------------------------------------------- through the engine


def _deliberated_in(g: StudentJury, final: int) -> DeliberatedIn:
    ues, rcues, year = [], [], None
    for d in g.rows:
        if d.objet.kind == "ue":
            ues.append(DeliberatedUE(ue=d.objet.key, code=d.code, moyenne=d.moyenne))
        elif d.objet.kind == "rcue":
            rcues.append(DeliberatedRCUE(competence=d.objet.competence, level=d.objet.number, code=d.code,
                                         moyenne=d.moyenne))
        else:
            year = d.code
    passage = None
    if year is not None and g.semestre != final:
        passage = year in PASSING
    return DeliberatedIn(ues=tuple(sorted(ues, key=lambda u: u.ue)),
                         rcues=tuple(sorted(rcues, key=lambda r: (r.competence, r.level))),
                         decision_annee=year, passage=passage)


def _recorded(fields: dict) -> DeliberatedIn:
    """The decision as the selector will read it back once stored (averages as recorded)."""
    return decision_to_input(JuryDecision(ue_codes=fields["ue_codes"], rcue_codes=fields["rcue_codes"],
                                          decision_annee=fields["decision_annee"], passage=fields["passage"]))


def _with_file(student: StudentIn, settled: dict[tuple[str, int], DeliberatedIn]) -> StudentIn:
    for (annee, semestre), deliberated in settled.items():
        student = with_decision(student, annee, semestre, deliberated)
    return student


def _settle(plan: Plan, errors: list[RowError]) -> None:
    """Each (student, jury) through the engine, juries in chronological order."""
    by_jury: dict[tuple[str, int], list[StudentJury]] = defaultdict(list)
    for g in plan.students:
        by_jury[(g.annee, g.semestre)].append(g)
    enrolment_ids = [g.enrolment.pk for g in plan.students]
    graded = set(Grade.objects.filter(enrolment_id__in=enrolment_ids).values_list("enrolment_id", flat=True)
                 .distinct())
    existing = {
        (d.enrolment_id, d.jury.annee, d.jury.semester.number): d
        for d in JuryDecision.objects.filter(enrolment_id__in=enrolment_ids).select_related("jury__semester")
    }
    settled: dict[str, dict[tuple[str, int], DeliberatedIn]] = defaultdict(dict)
    order = sorted(by_jury, key=lambda k: (k[0], (k[1] + 1) // 2, k[1]))
    for annee, semestre in order:
        groups = by_jury[(annee, semestre)]
        inputs = jury_proposals(annee=annee, semester=semestre, jury_date=plan.juries.get((annee, semestre)),
                                formation=plan.formation, numeros=[g.numero for g in groups]).inputs
        students = {s.numero: s for s in inputs.students}
        for g in sorted(groups, key=lambda g: g.numero):
            g.existing = existing.get((g.enrolment.pk, annee, semestre))
            student = _with_file(students[g.numero], settled[g.numero])
            fields = _settle_one(inputs, student, g, g.enrolment.pk in graded, errors)
            if fields is not None:
                g.fields = fields
                settled[g.numero][(annee, semestre)] = _recorded(fields)


def _settle_one(inputs: JuryInputs, student: StudentIn, g: StudentJury, graded: bool,
                errors: list[RowError]) -> dict | None:
    final = inputs.maquette.index.final_semester
    pure = proposal_of(inputs, student, None)
    result = proposal_of(inputs, student, _deliberated_in(g, final))
    count = len(errors)
    _check_against_grades(g, pure, errors)
    _check_result(g, result, graded, inputs, errors)
    if len(errors) > count:
        return None
    fields = decision_codes(result)
    if g.existing is not None:
        if not _same(g.existing, fields):
            _refuse_change(g, g.existing, fields, errors)
            return None
        g.action = "inchangé" if g.existing.deliberated_at is not None else "modifié"
    fields |= {"proposal": result.as_contract()}
    return fields


def _ue_of(result: StudentProposal, key: str):
    return next((u for u in result.ues if u.ue == key), None)


def _rcue_of(result: StudentProposal, key: str):
    return next((r for r in result.rcues if str(RcueKey(r.competence, r.level)) == key), None)


def _fail(errors: list[RowError], d: DecisionRow, key: str | None, message: str) -> None:
    errors.append(RowError(d.line, d.row.column(key) if key else None, message,
                           cell=d.row.cell(key) if key else None))


def _check_against_grades(g: StudentJury, pure: StudentProposal, errors: list[RowError]) -> None:
    """ADJ on a UE whose grades on record give ADM: the jury had nothing to decide."""
    for d in g.rows:
        if d.objet.kind == "ue" and d.code == Code.ADJ:
            ue = _ue_of(pure, d.objet.key)
            if ue is not None and ue.code == Code.ADM:
                _fail(errors, d, "code", f"ADJ impossible : les notes enregistrées donnent ADM à {d.objet.key} "
                                         f"(moyenne {moyenne_fr(ue.moyenne)})")


def _check_result(g: StudentJury, result: StudentProposal, graded: bool, inputs: JuryInputs,
                  errors: list[RowError]) -> None:
    index = inputs.maquette.index
    even = g.semestre % 2 == 0
    named = {d.objet.key: d for d in g.rows}
    # The engine keeps what the règlement says (V4: an acquired UE is never lost): a named code
    # it cannot record as such is refused rather than silently changed.
    for d in g.rows:
        if d.objet.kind == "ue":
            got = _ue_of(result, d.objet.key)
        elif d.objet.kind == "rcue":
            got = _rcue_of(result, d.objet.key)
        else:
            continue
        if got is not None and got.code != d.code:
            why = "; ".join(str(m) for m in got.motifs) or "règle du moteur"
            _fail(errors, d, "code", f"{d.objet.key} : {d.code} ne peut pas être enregistré, le règlement donne "
                                     f"{got.code} ({why})")
        if d.code == Code.ADSUP:
            above = next((r for r in result.rcues if r.competence == d.objet.competence), None)
            if above is None or above.code not in VALIDATED_RCUE_CODES:
                state = f"il est {above.code}" if above is not None else "il n'est pas à ce jury"
                _fail(errors, d, "code", f"{d.objet.key} : ADSUP demande le niveau supérieur validé à ce jury "
                                         f"(V5 : RCUE de la compétence {d.objet.competence}) ; {state}")
    year_row = named.get(YEAR)
    if year_row is not None and year_row.code == Code.ADM:
        failed = [r for r in result.rcues if r.code not in VALIDATED_RCUE_CODES]
        if failed:
            listed = ", ".join(f"{str(RcueKey(r.competence, r.level))} ({r.code})" for r in failed)
            _fail(errors, year_row, "code", f"ADM demande tous les RCUE de l'année validés : {listed} ne l'est pas")
    missing: list[str] = []
    if not graded:
        # No grade on record for that jury: the file gives every decision of it (nothing to compute).
        missing += [u.key for u in index.ues_by_semester.get(g.semestre, ()) if u.key not in named]
        if even:
            missing += [str(RcueKey(*k)) for k in index.rcues_by_year.get((g.semestre + 1) // 2, ())
                        if str(RcueKey(*k)) not in named]
            if YEAR not in named:
                missing.append(YEAR)
    for u in result.ues:
        if u.code == Code.ATT and u.ue not in named and u.ue not in missing:
            missing.append(u.ue)
    for r in result.rcues:
        key = str(RcueKey(r.competence, r.level))
        if r.code == Code.ATT and key not in named and key not in missing:
            missing.append(key)
    if result.decision_annee == Code.ATJ and YEAR not in missing:
        missing.append(YEAR)
    if missing:
        missing.sort(key=_objet_order)
        cause = "aucune note enregistrée pour ce jury" if not graded else "notes manquantes (ATT)"
        errors.append(RowError(
            g.first_line, None,
            f"{g.numero}, {jury_name(g.annee, g.semestre)} : {cause} ; une décision délibérée ne peut pas rester "
            f"en attente, le fichier doit donner aussi : {', '.join(missing)}",
        ))


def _objet_order(key: str) -> tuple:
    """UEs by semester then competence, then RCUEs, then the year (the export's order)."""
    if key == YEAR:
        return (2, 0, 0)
    objet = parse_objet(key)
    return (0 if objet.kind == "ue" else 1, objet.number if objet.kind == "ue" else objet.competence,
            objet.competence if objet.kind == "ue" else objet.number)


def _same(existing: JuryDecision, fields: dict) -> bool:
    return (existing.ue_codes == fields["ue_codes"] and existing.rcue_codes == fields["rcue_codes"]
            and existing.decision_annee == fields["decision_annee"] and existing.passage == fields["passage"])


def _refuse_change(g: StudentJury, existing: JuryDecision, fields: dict, errors: list[RowError]) -> None:
    """A row that changes a decision already recorded for that (student, jury) is refused."""
    before = {**existing.ue_codes, **existing.rcue_codes}
    after = {**fields["ue_codes"], **fields["rcue_codes"]}
    how = "délibérée" if existing.deliberated_at is not None else "enregistrée"
    named = False
    for d in g.rows:
        if d.objet.kind == "annee":
            old, new = existing.decision_annee or "aucune", fields["decision_annee"] or "aucune"
        else:
            old_v, new_v = before.get(d.objet.key) or {}, after.get(d.objet.key) or {}
            old = " ".join(x for x in (old_v.get("code"), moyenne_fr(_dec(old_v.get("moyenne")))) if x) or "aucune"
            new = " ".join(x for x in (new_v.get("code"), moyenne_fr(_dec(new_v.get("moyenne")))) if x) or "aucune"
        if old != new:
            named = True
            _fail(errors, d, "code", f"{d.objet.key} : {new} change la décision déjà {how} pour {g.numero} au "
                                     f"{jury_name(g.annee, g.semestre)} ({old}) ; rouvrir d'abord cette décision "
                                     "dans l'application")
    if not named:
        errors.append(RowError(
            g.first_line, None,
            f"{g.numero}, {jury_name(g.annee, g.semestre)} : ces lignes changent la décision déjà {how} "
            "(codes calculés différents) ; rouvrir d'abord cette décision dans l'application",
        ))


def _dec(text: str | None) -> Decimal | None:
    return Decimal(text) if text else None


# --------------------------------------------------------------------------- writes


def apply(plan: Plan, report, *, user, filename: str) -> None:
    """Creates the missing jury sessions, then records each (student, jury) as deliberated."""
    now = timezone.now()
    semesters = {s.number: s for s in plan.formation.semesters.all()}
    sessions = dict(plan.sessions)
    for (annee, semestre), when in sorted(plan.juries.items()):
        if (annee, semestre) in sessions:
            continue
        session = JurySession(formation=plan.formation, semester=semesters[semestre], annee=annee,
                              date=when or default_jury_date(annee), president=user)
        attribute_change(session, by=user, reason=reason_for(filename))
        session.save()
        sessions[(annee, semestre)] = session
    for g in sorted(plan.students, key=lambda g: (g.annee, g.semestre, g.numero)):
        jury = sessions[(g.annee, g.semestre)]
        if g.action != "inchangé":
            _record(g, jury, user=user, filename=filename, now=now)
        for d in sorted(g.rows, key=lambda d: d.line):
            moyenne = f" {moyenne_fr(d.moyenne)}" if d.moyenne is not None else ""
            report.count(g.action, d.line, f"{g.numero} {jury_name(g.annee, g.semestre)} : {d.objet.key} "
                                           f"{d.code}{moyenne}")


def _record(g: StudentJury, jury: JurySession, *, user, filename: str, now) -> None:
    values = g.fields | {
        "overridden": False, "reason": reason_for(filename), "decided_by": user, "deliberated_at": now,
        "source": "reprise", "source_file": filename[:255],
    }
    decision = g.existing
    if decision is None:
        decision = JuryDecision(jury=jury, enrolment=g.enrolment, version=1, **values)
    else:  # a decision recorded in the browser at that (open) jury, with the same codes
        for name, value in values.items():
            setattr(decision, name, value)
        decision.version += 1
    attribute_change(decision, by=user, reason=reason_for(filename))
    decision.save()
