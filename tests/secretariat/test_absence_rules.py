"""A4 / A5 / A8 as tables, through the secretariat's service: the absence is declared with
Europe/Paris wall-clock times (services.absences.declare_absence), stored, read back and judged
by the selector (A3-A5 rules), and ABS grades are resolved from that register (A8)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from juries.models import Evaluation, Grade
from juries.selectors import absences as selectors
from juries.services import absences as service
from juries.services.grade_entry import entry_sheet
from tests.factories import StudentFactory, enrol

from .conftest import ANNEE

pytestmark = pytest.mark.django_db


def dt(text: str) -> datetime:
    """A naive wall-clock time, as typed in the form (Europe/Paris)."""
    return datetime.strptime(text, "%Y-%m-%d %H:%M")


def _declare(student, *, start, declared, deposit=None, reason="maladie", end=None, by=None):
    return service.declare_absence(
        student=student, start=dt(start), end=dt(end or start.replace("08:00", "12:00")), declared_at=dt(declared),
        justificatif_at=dt(deposit) if deposit else None, channel="email", reason=reason, hours=Decimal("4"), by=by)


# --------------------------------------------------------------------------- A4


A4_CASES = [
    # (declared, deposit, justified)
    ("2026-10-05 08:00", "2026-10-07 08:00", True),    # exactly 48 h 00: in time
    ("2026-10-05 08:00", "2026-10-07 08:01", False),   # 48 h 01: late
    ("2026-10-05 08:00", "2026-10-05 17:30", True),    # same day
    ("2026-10-05 08:00", "2026-10-03 09:00", True),    # deposited before the declaration
    ("2026-10-05 08:00", None, False),                 # never deposited (A3)
    # October clock change (Sunday 25 October 2026, 03:00 → 02:00): wall time lies by one hour.
    ("2026-10-24 10:00", "2026-10-26 09:00", True),    # 47 h on the wall = 48 h 00 elapsed
    ("2026-10-24 10:00", "2026-10-26 09:01", False),   # 48 h 01 elapsed
    ("2026-10-24 10:00", "2026-10-26 09:30", False),   # 47 h 30 on the wall = 48 h 30 elapsed
    ("2026-10-24 10:00", "2026-10-26 10:00", False),   # 48 h on the wall = 49 h elapsed
    # March clock change (Sunday 28 March 2027, 02:00 → 03:00).
    ("2027-03-27 10:00", "2027-03-29 11:00", True),    # 49 h on the wall = 48 h 00 elapsed
    ("2027-03-27 10:00", "2027-03-29 11:01", False),
]


@pytest.mark.parametrize("declared, deposit, justified", A4_CASES, ids=[
    "48h00-in-time", "48h01-late", "same-day", "before-declaration", "no-justificatif",
    "october-dst-47h-wall-48h-elapsed", "october-dst-48h01", "october-dst-47h30-wall-is-48h30", "october-dst-48h-wall",
    "march-dst-49h-wall-48h-elapsed", "march-dst-48h01",
])
def test_a4_justificatif_within_48_elapsed_hours(maquette, declared, deposit, justified):
    student = StudentFactory(numero="26000100")
    start = declared[:10] + " 08:00"
    enrol(student, 1, ANNEE) if start < "2027-02-01" else enrol(student, 2, ANNEE)
    _declare(student, start=start, declared=declared, deposit=deposit)
    [j] = selectors.student_register(student=student).absences
    assert j.justified is justified
    assert j.status.motifs[0].rule_id == "A4"


@pytest.mark.parametrize("field, moment, message", [
    ("declared_at", "2026-10-25 02:30", "ambiguë"),          # the hour the clocks go back happens twice
    ("justificatif_at", "2027-03-28 02:30", "n'existe pas"),  # the hour the clocks skip
], ids=["october-ambiguous", "march-nonexistent"])
def test_a4_a_wall_clock_time_that_is_ambiguous_or_does_not_exist_is_refused(maquette, field, moment, message):
    student = StudentFactory(numero="26000101")
    times = {"start": "2026-10-24 08:00", "declared_at": "2026-10-24 09:00", "justificatif_at": None}
    times[field] = moment
    with pytest.raises(service.AbsenceRefused) as exc:
        service.declare_absence(student=student, start=dt(times["start"]), end=dt("2026-10-24 12:00"),
                                declared_at=dt(times["declared_at"]),
                                justificatif_at=dt(times["justificatif_at"]) if times["justificatif_at"] else None,
                                channel="telephone", reason="maladie", by=None)
    assert message in exc.value.errors[field]


def test_a4_a_justificatif_deposited_later_turns_the_absence_justified(maquette, secretary):
    student = StudentFactory(numero="26000102")
    enrol(student, 1, ANNEE)
    absence = _declare(student, start="2026-11-02 08:00", declared="2026-11-02 08:30")
    assert not selectors.judged_absence(absence=absence).justified
    service.deposit_justificatif(absence=absence, deposited_at=dt("2026-11-04 08:30"), by=secretary)
    assert selectors.judged_absence(absence=absence).justified


# --------------------------------------------------------------------------- A5


A5_CASES = [
    # (regime, reason, justified)
    ("FA", "maladie", True),
    ("FA", "deces", True),
    ("FA", "mariage_pacs_naissance", True),
    ("FA", "convocation", True),
    ("FA", "autre", False),   # not a reason of the Code du travail, whatever the document
    ("FI", "autre", True),    # A5 applies to alternants only
    ("FC", "autre", True),
]


@pytest.mark.parametrize("regime, reason, justified", A5_CASES, ids=[f"{r}-{m}" for r, m, _ in A5_CASES])
def test_a5_alternants_only_code_du_travail_reasons(maquette, regime, reason, justified):
    student = StudentFactory(numero="26000200")
    enrol(student, 1, ANNEE, regime=regime)
    _declare(student, start="2026-10-12 08:00", declared="2026-10-12 08:15", deposit="2026-10-13 10:00", reason=reason)
    [j] = selectors.student_register(student=student).absences
    assert j.justified is justified
    if regime == "FA":
        assert [m.rule_id for m in j.status.motifs] == ["A4", "A5"]


def test_a5_the_regime_is_that_of_the_enrolment_covering_the_absence(maquette):
    """FI in BUT1 (2025-2026), FA from S3 (2026-2027): the same reason judged differently."""
    student = StudentFactory(numero="26000201")
    enrol(student, 1, "2025-2026", regime="FI")
    enrol(student, 2, "2025-2026", regime="FI")
    enrol(student, 3, ANNEE, regime="FA")
    _declare(student, start="2025-11-03 08:00", declared="2025-11-03 08:10", deposit="2025-11-03 16:00", reason="autre")
    _declare(student, start="2026-11-03 08:00", declared="2026-11-03 08:10", deposit="2026-11-03 16:00", reason="autre")
    register = selectors.student_register(student=student)
    by_year = {j.absence.start.year: (j.regime, j.justified) for j in register.absences}
    assert by_year == {2025: ("FI", True), 2026: ("FA", False)}


# --------------------------------------------------------------------------- A8


A8_CASES = [
    # (grade mark, evaluation day, absence (start, end, deposit) or None, resolved mark, alert)
    ("ABS", date(2026, 10, 5), ("2026-10-05 08:00", "2026-10-05 12:00", "2026-10-06 09:00"), "ABJ", False),
    ("ABS", date(2026, 10, 5), ("2026-10-05 08:00", "2026-10-05 12:00", "2026-10-08 09:00"), "ABI", False),  # late
    ("ABS", date(2026, 10, 5), None, "ABI", False),
    ("ABS", date(2026, 10, 5), ("2026-10-06 08:00", "2026-10-06 12:00", "2026-10-06 09:00"), "ABI", False),  # other day
    ("ABS", date(2026, 10, 7), ("2026-10-05 08:00", "2026-10-09 18:00", "2026-10-05 10:00"), "ABJ", False),  # spans it
    ("ABS", date(2026, 10, 6), ("2026-10-05 20:00", "2026-10-06 00:30", "2026-10-05 21:00"), "ABJ", False),  # Paris day
    ("ABS", None, ("2026-10-05 08:00", "2026-10-05 12:00", "2026-10-06 09:00"), None, False),  # no date: unresolved
    ("ABI", date(2026, 10, 5), ("2026-10-05 08:00", "2026-10-05 12:00", "2026-10-06 09:00"), "ABI", True),
    ("ABJ", date(2026, 10, 5), None, "ABJ", False),  # explicit ABJ kept as entered
]


@pytest.mark.parametrize("mark, day, absence, resolved, alert", A8_CASES, ids=[
    "abs-justified-day-is-abj", "abs-late-justificatif-is-abi", "abs-no-absence-is-abi", "abs-other-day-is-abi",
    "abs-multi-day-absence-is-abj", "abs-paris-calendar-day", "abs-without-date-unresolved",
    "explicit-abi-on-justified-day-alert", "explicit-abj-kept",
])
def test_a8_abs_resolved_from_the_register(maquette, r101, mark, day, absence, resolved, alert):
    student = StudentFactory(numero="26000300")
    enrolment = enrol(student, 1, ANNEE)
    if absence:
        start, end, deposit = absence
        service.declare_absence(student=student, start=dt(start), end=dt(end), declared_at=dt(start),
                                justificatif_at=dt(deposit), channel="email", reason="maladie", by=None)
    evaluation = Evaluation.objects.create(enseignement=r101, annee=ANNEE, label="DS", date=day)
    Grade.objects.create(enrolment=enrolment, evaluation=evaluation, mark=mark)
    [row] = entry_sheet(evaluation=evaluation).rows
    shown = row.resolved if mark == "ABS" else mark
    assert (shown, row.alert) == (resolved, alert)


def test_a8_an_alternant_abs_with_a_non_allowed_reason_resolves_to_abi(maquette, r101):
    student = StudentFactory(numero="26000301")
    enrolment = enrol(student, 1, ANNEE, regime="FA")
    service.declare_absence(student=student, start=dt("2026-10-05 08:00"), end=dt("2026-10-05 18:00"),
                            declared_at=dt("2026-10-05 07:30"), justificatif_at=dt("2026-10-05 17:00"),
                            channel="telephone", reason="autre", by=None)
    evaluation = Evaluation.objects.create(enseignement=r101, annee=ANNEE, label="DS", date=date(2026, 10, 5))
    Grade.objects.create(enrolment=enrolment, evaluation=evaluation, mark="ABS")
    [row] = entry_sheet(evaluation=evaluation).rows
    assert row.resolved == "ABI"


# --------------------------------------------------------------------------- A1 summary


def test_a1_summary_counts_and_hours_per_semester(maquette):
    student = StudentFactory(numero="26000400")
    enrol(student, 1, ANNEE)
    enrol(student, 2, ANNEE, regime="FA")
    _declare(student, start="2026-10-05 08:00", declared="2026-10-05 08:00", deposit="2026-10-06 08:00")  # J, 4 h
    _declare(student, start="2026-10-12 08:00", declared="2026-10-13 09:00")  # NJ, declared late (A2)
    service.declare_absence(student=student, start=dt("2026-12-01 08:00"), end=dt("2026-12-01 10:00"),
                            declared_at=dt("2026-12-01 08:00"), channel="email", reason="autre", by=None)  # NJ, no hours
    _declare(student, start="2027-03-01 08:00", declared="2027-03-01 08:00", deposit="2027-03-01 09:00",
             reason="autre")  # S2, alternant, reason not allowed: NJ
    s1, s2 = selectors.student_register(student=student).semesters[::-1]
    assert (s1.label, s1.justified, s1.unjustified, s1.hours_justified, s1.hours_unjustified, s1.without_hours) == (
        "S1 2026-2027", 1, 2, Decimal("4"), Decimal("4"), 1)
    assert [m.rule_id for m in s1.alerts] == ["A2"]
    assert (s2.label, s2.justified, s2.unjustified) == ("S2 2026-2027", 0, 1)


def test_a1_etat_des_absences_for_a_jury_in_a_bounded_number_of_queries(maquette, django_assert_max_num_queries):
    for i in range(12):
        s = StudentFactory(numero=f"2600050{i:02d}")
        enrol(s, 1, ANNEE, group="G1" if i % 2 else "G2")
        _declare(s, start="2026-10-05 08:00", declared="2026-10-05 08:00", deposit="2026-10-06 08:00" if i % 3 else None)
    with django_assert_max_num_queries(6):
        rows = selectors.etat_des_absences(annee=ANNEE, semester=1)
    assert len(rows) == 12
    assert sum(r.summary.justified for r in rows) == 8 and sum(r.summary.unjustified for r in rows) == 4
