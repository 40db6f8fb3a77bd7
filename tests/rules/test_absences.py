"""§2 Assiduité: A1-A9."""

from __future__ import annotations

from datetime import timedelta

import pytest

from juries.rules.absences import (
    absence_status,
    declared_late,
    justificatif_in_time,
    resolve_mark,
    semester_period_of,
)
from juries.rules.settings import ReglementSettings

from .builders import D, absence, enrol, paris, propose, student, ue_of

SETTINGS = ReglementSettings()
DECLARED = paris(2026, 11, 10, 10, 0)


@pytest.mark.parametrize(
    ("deposit", "in_time"),
    [
        pytest.param(DECLARED + timedelta(hours=47, minutes=59), True, id="47h59"),
        pytest.param(DECLARED + timedelta(hours=48), True, id="exactly-48h00-is-in-time"),
        pytest.param(DECLARED + timedelta(hours=48, minutes=1), False, id="48h01-is-late"),
        pytest.param(DECLARED - timedelta(days=3), True, id="deposit-before-declaration"),
        pytest.param(None, False, id="no-justificatif"),
    ],
)
def test_a4_justificatif_within_48_hours_after_the_declaration(deposit, in_time):
    a = absence(DECLARED, declared=DECLARED, deposit=deposit)
    assert justificatif_in_time(a, SETTINGS)[0] is in_time


@pytest.mark.parametrize(
    ("declared", "deposit", "in_time"),
    [
        # 25 Oct 2026 the clocks go back: 47 h 30 on the wall are 48 h 30 elapsed.
        pytest.param(
            paris(2026, 10, 24, 10, 0), paris(2026, 10, 26, 9, 30), False, id="october-47h30-wall-is-48h30"
        ),
        pytest.param(
            paris(2026, 10, 24, 10, 0), paris(2026, 10, 26, 9, 0), True, id="october-47h00-wall-is-48h00"
        ),
        # 28 Mar 2027 the clocks go forward: 48 h 30 on the wall are 47 h 30 elapsed.
        pytest.param(
            paris(2027, 3, 26, 10, 0), paris(2027, 3, 28, 10, 30), True, id="march-48h30-wall-is-47h30"
        ),
    ],
)
def test_a4_the_48_hours_are_elapsed_hours_across_clock_changes(declared, deposit, in_time):
    a = absence(declared, declared=declared, deposit=deposit)
    assert justificatif_in_time(a, SETTINGS)[0] is in_time


def test_a4_naive_times_are_europe_paris_wall_clock():
    naive = DECLARED.replace(tzinfo=None)
    a = absence(naive, declared=naive, deposit=naive + timedelta(hours=48))
    assert justificatif_in_time(a, SETTINGS)[0] is True


def test_a3_every_absence_is_unjustified_until_proven():
    status = absence_status(absence(DECLARED), {}, SETTINGS)
    assert status.justified is False


@pytest.mark.parametrize(
    ("regime", "reason", "justified"),
    [
        pytest.param("FA", "maladie", True, id="alternant-illness"),
        pytest.param("FA", "deces", True, id="alternant-death"),
        pytest.param("FA", "mariage_pacs_naissance", True, id="alternant-marriage"),
        pytest.param("FA", "convocation", True, id="alternant-convocation"),
        pytest.param("FA", "autre", False, id="alternant-other-reason-refused"),
        pytest.param("FA", "", False, id="alternant-no-reason-refused"),
        pytest.param("FI", "autre", True, id="fi-any-reason"),
        pytest.param("FC", "autre", True, id="fc-any-reason"),
    ],
)
def test_a5_alternants_only_code_du_travail_reasons(regime, reason, justified):
    a = absence(DECLARED, declared=DECLARED, deposit=DECLARED + timedelta(hours=1), reason=reason)
    status = absence_status(a, {("2026-2027", 1): regime}, SETTINGS)
    assert status.justified is justified


def test_a5_the_regime_is_that_of_the_enrolment_covering_the_absence():
    # FI in BUT1 (2024-2025), FA from S3 (2025-2026): an absence in October 2025 is an alternant's.
    regimes = {("2024-2025", 1): "FI", ("2024-2025", 0): "FI", ("2025-2026", 1): "FA"}
    in_but2 = absence(paris(2025, 10, 6, 8), deposit=paris(2025, 10, 6, 12), reason="autre")
    in_but1 = absence(paris(2025, 3, 6, 8), deposit=paris(2025, 3, 6, 12), reason="autre")
    assert absence_status(in_but2, regimes, SETTINGS).justified is False
    assert absence_status(in_but1, regimes, SETTINGS).justified is True


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        pytest.param((2026, 9, 1), ("2026-2027", 1), id="1-september-odd"),
        pytest.param((2027, 1, 31), ("2026-2027", 1), id="31-january-odd"),
        pytest.param((2027, 2, 1), ("2026-2027", 0), id="1-february-even"),
        pytest.param((2027, 8, 31), ("2026-2027", 0), id="31-august-even"),
    ],
)
def test_a1_semester_periods(day, expected):
    from datetime import date

    assert semester_period_of(date(*day), SETTINGS) == expected


# A2 — « Les absences imprévues doivent être déclarées … le jour même de la première journée
# d'absence » : late only when declared on a later calendar day (Europe/Paris).
@pytest.mark.parametrize(
    ("start", "declared", "late"),
    [
        pytest.param(paris(2024, 10, 7, 8), paris(2024, 10, 7, 8), False, id="at-the-start"),
        pytest.param(paris(2024, 10, 7, 8), paris(2024, 10, 7, 23, 59), False, id="first-day-evening"),
        pytest.param(paris(2024, 10, 7, 8), paris(2024, 10, 1, 9), False, id="foreseeable-declared-before"),
        pytest.param(paris(2024, 10, 8, 0, 30), paris(2024, 10, 8, 9), False, id="paris-day-not-utc-day"),
        pytest.param(paris(2024, 10, 7, 8), paris(2024, 10, 8, 0, 0), True, id="next-day-midnight"),
        pytest.param(paris(2024, 10, 7, 8), paris(2024, 10, 9, 9), True, id="two-days-later"),
    ],
)
def test_a2_declared_on_the_first_day_is_in_time(start, declared, late):
    a = absence(start, declared=declared, deposit=declared + timedelta(hours=1))
    assert declared_late(a, SETTINGS) is late
    p = propose(student(enrol(1), absences=(a,)), 1)
    assert any(m.rule_id == "A2" for m in p.alertes) is late


def test_a2_a_declaration_after_the_first_day_is_accepted_and_shown():
    late = absence(paris(2024, 10, 7, 8), declared=paris(2024, 10, 8, 9), deposit=paris(2024, 10, 9, 9))
    assert declared_late(late, SETTINGS) is True
    status = absence_status(late, {}, SETTINGS)
    assert status.justified is True  # the 48 hours run from the late declaration
    p = propose(student(enrol(1), absences=(late,)), 1)
    assert any(m.rule_id == "A2" for m in p.alertes)


def test_a1_etat_des_absences_counts_the_jury_semester_only():
    justified = absence(paris(2024, 11, 4, 8), deposit=paris(2024, 11, 4, 18))
    unjustified = absence(paris(2024, 12, 2, 8))
    other_semester = absence(paris(2025, 3, 3, 8))
    p = propose(student(enrol(1), absences=(justified, unjustified, other_semester)), 1)
    assert (p.absences_justifiees, p.absences_injustifiees) == (1, 1)
    assert p.as_contract()["absences"] == {"justifiees": 1, "injustifiees": 1}


def test_a9_unjustified_absences_are_shown_without_automatic_penalty():
    p = propose(student(enrol(1), absences=(absence(paris(2024, 12, 2, 8)),)), 1)
    assert "A9: 1 absence injustifiée ce semestre, sans pénalité automatique : le jury peut en tenir compte" in [
        str(m) for m in p.motifs
    ]
    assert ue_of(p, "UE1 S1").moyenne == D(12)


@pytest.mark.parametrize(
    ("spec", "scope", "expected"),
    [
        pytest.param(["14", "ABI"], "evaluation", D(7), id="abi-is-0-for-the-evaluation"),
        pytest.param(["14", "ABI"], "enseignement", D(0), id="abi-scope-enseignement-is-0-for-all"),
    ],
)
def test_a6_abi_counts_as_zero(spec, scope, expected):
    from juries.rules.averages import enseignement_average

    from .builders import grades

    evs = grades(1, codes={"R1.01": spec})
    rows = [e for e in evs if e.enseignement == "R1.01"]
    avg = enseignement_average(rows, frozenset(), ReglementSettings(abi_scope=scope))
    assert avg.moyenne == expected


@pytest.mark.parametrize(
    ("policy", "expected", "status"),
    [
        pytest.param("neutralise", D(14), "ok", id="abj-neutralised"),
        pytest.param("pending", None, "missing", id="abj-pending-is-missing"),
    ],
)
def test_a7_abj_is_left_out_of_the_average(policy, expected, status):
    from juries.rules.averages import enseignement_average

    from .builders import grades

    rows = [e for e in grades(1, codes={"R1.01": ["14", "ABJ"]}) if e.enseignement == "R1.01"]
    avg = enseignement_average(rows, frozenset(), ReglementSettings(abj_policy=policy))
    assert (avg.moyenne, avg.status) == (expected, status)


def test_a7_abj_is_flagged_to_the_jury():
    p = propose(student(enrol(1, codes={"R1.01": ["14", "ABJ"]})), 1)
    assert any(m.rule_id == "A7" and "R1.01" in m.text for m in p.motifs)


def test_a8_abs_resolved_from_the_register():
    from datetime import date

    justified = frozenset({date(2024, 10, 5)})
    assert resolve_mark("ABS", date(2024, 10, 5), justified) == ("ABJ", False)
    assert resolve_mark("ABS", date(2024, 10, 12), justified) == ("ABI", False)
    assert resolve_mark("ABI", date(2024, 10, 5), justified) == ("ABI", True)
    assert resolve_mark("ABJ", date(2024, 10, 12), justified) == ("ABJ", False)
    assert resolve_mark("ABS", None, justified) == (None, False)


@pytest.mark.parametrize(
    ("deposit", "average", "resolved"),
    [
        pytest.param(paris(2024, 10, 6, 9), D(14), "ABJ", id="justificatif-in-time-gives-abj"),
        pytest.param(paris(2024, 10, 9, 9), D(7), "ABI", id="justificatif-late-gives-abi"),
    ],
)
def test_a8_abs_on_an_evaluation_day_follows_the_register(deposit, average, resolved):
    # DS1 of R1.01 is on Saturday 5 October 2024; the absence covers that day.
    a = absence(
        paris(2024, 10, 4, 18), paris(2024, 10, 5, 23, 59), declared=paris(2024, 10, 5, 9), deposit=deposit
    )
    p = propose(student(enrol(1, codes={"R1.01": ["ABS", "14"]}), absences=(a,)), 1)
    r101 = next(e for e in p.enseignements if e.code == "R1.01")
    assert r101.moyenne == average
    assert r101.resolved == (("DS1", resolved),)


def test_a8_explicit_abi_on_a_justified_day_is_an_alert():
    a = absence(paris(2024, 10, 5, 8), declared=paris(2024, 10, 5, 8), deposit=paris(2024, 10, 5, 9))
    p = propose(student(enrol(1, codes={"R1.01": ["ABI", "14"]}), absences=(a,)), 1)
    assert any(m.rule_id == "A8" and "R1.01" in m.text for m in p.alertes)
    assert next(e for e in p.enseignements if e.code == "R1.01").moyenne == D(7)  # kept as entered
