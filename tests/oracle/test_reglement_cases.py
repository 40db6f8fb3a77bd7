"""Built cases for the amended règlement, each through the public commands and against the oracle.

One test per reading REGLEMENT.md settled (V5, P2, R2, M3, DEF / DEM), per kind of record only the
admin writes (BIP, fraud, the director's authorisation, the settings) and per decision taken over
with ``import_decisions`` (CONTRACTS.md). Each first checks that the oracle lands on the case it is
meant to build (the seed's words are quoted beside it), then that the product agrees on every fact.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from .cases import Y1, Y2, Y3, Y4, good_year, rcue, run_year, ue
from .cohorts import Book
from .harness import Harness

pytestmark = pytest.mark.django_db

def level1_qualite_failed(h: Harness, book: Book, *numeros: str) -> None:
    """BUT1 with Qualité niveau 1 at 7/20 (RCUE AJ) and the other two validated: PASD."""
    for n in numeros:
        book.enrol(n, Y1, (1, 2))
        book.semester(n, Y1, 1, 12, per_ue={1: 7})
        book.semester(n, Y1, 2, 12, per_ue={1: 7})
    run_year(h, book, Y1, 1)
    for n in numeros:
        assert h.student(n, Y1, 2)[1]["decision_annee"] == "PASD"


# ---------------------------------------------------------------------------------------------
# V5 — « La validation des deux unités d'enseignement du niveau d'une compétence emporte la
# validation de l'ensemble des UE du niveau inférieur »


def test_v5_two_ues_validated_by_the_jury_validate_the_level_below(h, book):
    """Issue 12, departure 2: ADJ on UE1 S3 and UE1 S4 make C1 N2 ADJ and UE1 S1/S2 ADSUP (then P3 holds).

    Kills the mutant "V5 only for an ADM RCUE": C1 N2 is ADJ here, never ADM."""
    n = "31000001"
    level1_qualite_failed(h, book, n)
    book.enrol(n, Y2, (3, 4))
    book.semester(n, Y2, 3, 13, per_ue={1: 7})  # UE1 S3 = 8.88
    book.semester(n, Y2, 4, 9, per_ue={1: 6, 2: 13, 3: 13, 4: 13})  # UE1 S4 = 8.14
    book.good_stage(n, Y2, 4)
    good_year(book, "31000002", Y2, 2)
    book.decision(n, Y2, 3, "UE1 S3", "ADJ")
    book.decision(n, Y2, 4, "UE1 S4", "ADJ")
    run_year(h, book, Y2, 2)
    p, o = h.student(n, Y2, 4)
    assert ue(o, "UE1 S3")["code"] == ue(o, "UE1 S4")["code"] == "ADJ"
    assert rcue(o, 1)["code"] == "ADJ" and rcue(o, 1)["moyenne"] == "8.51"
    assert ue(o, "UE1 S4")["moyenne"] == "8.14"  # ADJ on a UE the grades do not validate
    assert ue(o, "UE1 S1") == {"ue": "UE1 S1", "moyenne": "8.50", "code": "ADSUP", "ects": 10}
    assert ue(o, "UE1 S2")["code"] == "ADSUP"
    assert o["decision_annee"] == "ADM" and o["passage"] is True and o["dut"] is True and o["ects_acquis"] == 120
    assert o["etat"] == "delibere"
    h.assert_no_diff()


def test_v5_an_rcue_adj_makes_its_ues_below_10_adj_and_the_level_below_adsup(h, book):
    """« an RCUE validated by the jury (ADJ) makes its UEs below 10 ADJ » — and V5 applies to it."""
    n = "31000011"
    level1_qualite_failed(h, book, n)
    book.enrol(n, Y2, (3, 4))
    book.semester(n, Y2, 3, 13, per_ue={1: 7})  # UE1 S3 = 8.88
    book.semester(n, Y2, 4, 9, per_ue={1: 6, 2: 13, 3: 13, 4: 13})  # UE1 S4 = 8.14
    book.good_stage(n, Y2, 4)
    good_year(book, "31000012", Y2, 2)
    book.decision(n, Y2, 4, "C1 N2", "ADJ")
    run_year(h, book, Y2, 2)
    _, o = h.student(n, Y2, 4)
    assert rcue(o, 1)["code"] == "ADJ"
    assert ue(o, "UE1 S3")["code"] == ue(o, "UE1 S4")["code"] == "ADJ"
    assert ue(o, "UE1 S4")["ects"] == 7
    assert ue(o, "UE1 S1")["code"] == ue(o, "UE1 S2")["code"] == "ADSUP"
    assert o["decision_annee"] == "ADM"
    # the later jury is unchanged by what came after; the deliberated one shows the jury's codes
    h.jury(Y2, 4)
    h.assert_no_diff()


def test_pas1nci_imported_then_v5_and_p3_at_the_s4_jury(h, book):
    """A BUT1 jury moved the student on (PAS1NCI) with two levels not validated; BUT2 validates them (V5)."""
    n, other = "31000021", "31000022"
    book.enrol(n, Y1, (1, 2))
    book.semester(n, Y1, 1, 12, per_ue={2: 6, 3: 6})
    book.semester(n, Y1, 2, 12, per_ue={2: 6, 3: 6})
    run_year(h, book, Y1, 1)
    assert h.student(n, Y1, 2)[1]["decision_annee"] == "RED"
    book.decision(n, Y1, 2, "annee", "PAS1NCI")
    h.load_all(book.take())
    h.jury(Y1, 2)
    p, o = h.student(n, Y1, 2)
    assert o["decision_annee"] == "PAS1NCI" and o["passage"] is True and o["etat"] == "delibere"
    good_year(book, n, Y2, 2)
    good_year(book, other, Y2, 2)
    run_year(h, book, Y2, 2)
    _, o = h.student(n, Y2, 4)
    assert ue(o, "UE2 S1")["code"] == "ADSUP" and o["decision_annee"] == "ADM" and o["dut"] is True
    assert o["etat"] == "proposition"
    h.assert_no_diff()


def test_taking_over_a_but2_student_from_the_decisions_of_another_system(h, book):
    """CONTRACTS import_decisions: no grades on record for BUT1, every UE, RCUE and the year named."""
    n = "31000031"
    good_year(book, "31000032", Y1, 1)  # the evaluations of the year exist (no E1 for n)
    book.enrol(n, Y1, (1, 2))
    for name, code, moy in (("UE1 S1", "ADM", "12.50"), ("UE2 S1", "AJ", "8.40"), ("UE3 S1", "ADM", "11")):
        book.decision(n, Y1, 1, name, code, moy)
    for name, code, moy in (("UE1 S2", "ADM", "13"), ("UE2 S2", "ADM", "12.60"), ("UE3 S2", "ADM", "10.50"),
                            ("UE2 S1", "CMP", "8.40"), ("C1 N1", "ADM", "12.75"), ("C2 N1", "ADM", "10.50"),
                            ("C3 N1", "ADM", "10.75"), ("annee", "ADM", None)):
        book.decision(n, Y1, 2, name, code, moy)
    h.load_all(book.take())
    h.jury(Y1, 1)
    h.jury(Y1, 2)
    p, o = h.student(n, Y1, 2)
    assert ue(o, "UE2 S1") == {"ue": "UE2 S1", "moyenne": "8.40", "code": "CMP", "ects": 10}
    assert o["decision_annee"] == "ADM" and o["ects_acquis"] == 60 and o["etat"] == "delibere"
    assert h.last[(Y1, 2)][1]["etat"] == "proposition"  # 31000032 has not been deliberated
    good_year(book, n, Y2, 2)
    run_year(h, book, Y2, 2)
    _, o = h.student(n, Y2, 4)
    assert o["decision_annee"] == "ADM" and o["dut"] is True and o["ects_acquis"] == 120
    h.assert_no_diff()


def test_imported_moyenne_is_kept_by_r3_in_a_repeated_year(h, book):
    n = "31000041"
    good_year(book, "31000042", Y1, 1)
    book.enrol(n, Y1, (1, 2))
    book.semester(n, Y1, 1, 8, per_ue={1: 9})  # UE1 S1 = 8.70
    book.semester(n, Y1, 2, 8, per_ue={1: 9})
    book.decision(n, Y1, 1, "UE1 S1", "ADJ", "9.60")
    run_year(h, book, Y1, 1)
    _, o = h.student(n, Y1, 2)
    assert ue(o, "UE1 S1")["code"] == "ADJ" and o["decision_annee"] == "RED"
    book.enrol(n, Y2, (1, 2), redoublement=True)
    book.semester(n, Y2, 1, 8, per_ue={1: 9.2})  # UE1 S1 = 8.84 < 9.60 imported
    book.semester(n, Y2, 2, 12, per_ue={1: 12})
    good_year(book, "31000043", Y2, 1)
    run_year(h, book, Y2, 1)
    _, o = h.student(n, Y2, 1)
    assert ue(o, "UE1 S1") == {"ue": "UE1 S1", "moyenne": "9.60", "code": "ADJ", "ects": 10}
    h.assert_no_diff()


# ---------------------------------------------------------------------------------------------
# DEF / DEM — a UE at ≥ 10 is « définitivement acquise et capitalisée »


def test_def_keeps_the_ues_above_10_and_codes_the_others_def(h, book):
    """Issue 12, departure 3 (every UE at 11.40 in S1, défaillant), and a mixed S1 (8/20, a grade missing)."""
    full, mixed = "31000051", "31000052"
    good_year(book, "31000050", Y1, 1)
    book.enrol(full, Y1, (1,), statut="DEF")
    book.semester(full, Y1, 1, "11.40")
    book.enrol(mixed, Y1, (1,), statut="DEF")
    book.semester(mixed, Y1, 1, 12, per_ue={2: 8}, skip=[("R1.11", "E2")])
    h.load_all(book.take())
    h.jury(Y1, 1)
    _, o = h.student(full, Y1, 1)
    assert [(u["code"], u["ects"]) for u in o["ues"]] == [("ADM", 10)] * 3
    assert o["decision_annee"] == "DEF" and o["passage"] is False and o["ects_acquis"] == 30
    _, o = h.student(mixed, Y1, 1)
    assert [u["code"] for u in o["ues"]] == ["ADM", "DEF", "DEF"] and o["ects_acquis"] == 10
    h.assert_no_diff()


def test_dem_at_the_even_jury(h, book):
    """DEM in S2: the acquired UEs stay, the others DEM; an RCUE with a DEM UE is AJ with no average."""
    n = "31000061"
    book.enrol(n, Y1, (1,))
    book.enrol(n, Y1, (2,), statut="DEM")
    book.semester(n, Y1, 1, 12, per_ue={2: 9})
    book.semester(n, Y1, 2, 12, per_ue={2: 13, 3: 7})
    good_year(book, "31000062", Y1, 1)
    run_year(h, book, Y1, 1)
    _, o = h.student(n, Y1, 1)
    assert o["decision_annee"] is None and o["passage"] is True
    _, o = h.student(n, Y1, 2)
    assert ue(o, "UE3 S2")["code"] == "DEM" and ue(o, "UE3 S2")["ects"] == 0
    # C2 N1 has no DEM UE (UE2 S2 at 13 stays acquired): it is validated by its average, UE2 S1 compensated
    assert ue(o, "UE2 S1")["code"] == "CMP" and rcue(o, 2)["code"] == "ADM"
    assert rcue(o, 3) == {"competence": 3, "niveau": 1, "moyenne": None, "code": "AJ"}
    assert rcue(o, 1)["code"] == "ADM"
    assert o["decision_annee"] == "DEM" and o["passage"] is False
    h.assert_no_diff()


# ---------------------------------------------------------------------------------------------
# M3 — the BIP, its UE (the record's, else the setting BIP_UE), or the alert M3


def test_bip_counts_in_the_ue_recorded_with_it(h, book):
    n, missing = "31000071", "31000072"
    for x in (n, missing):
        book.enrol(x, Y1, (1, 2))
        book.semester(x, Y1, 1, 12)
        book.semester(x, Y1, 2, 12)
    h.load_all(book.take())
    h.bip(n, Y1, 2, "18", ue="UE1 S2")
    h.bip(missing, Y1, 2, None, ue="UE1 S2")  # no grade yet: left out, not ATT
    h.jury(Y1, 1)
    h.jury(Y1, 2)
    _, o = h.student(n, Y1, 2)
    assert ue(o, "UE1 S2")["moyenne"] == "13.38"  # (10 × 12 + 3 × 18) / 13
    _, o = h.student(missing, Y1, 2)
    assert ue(o, "UE1 S2")["moyenne"] == "12.00" and ue(o, "UE1 S2")["code"] == "ADM"
    h.assert_no_diff()


def test_bip_setting_is_the_default_ue_and_a_bip_with_no_ue_is_alert_m3(h, book):
    setting, own, none = "31000081", "31000082", "31000083"
    for x in (setting, own, none):
        book.enrol(x, Y1, (1, 2))
        book.semester(x, Y1, 1, 12)
        book.semester(x, Y1, 2, 12)
    h.load_all(book.take())
    h.bip(none, Y1, 2, "4")
    h.jury(Y1, 2)
    _, o = h.student(none, Y1, 2)
    assert o["_alert_ids"] == ["M3"] and ue(o, "UE3 S2")["moyenne"] == "12.00"
    h.settings(bip_ue="UE3 S2")
    h.bip(setting, Y1, 2, "4")
    h.bip(own, Y1, 2, "4", ue="UE2 S2")
    h.jury(Y1, 2)
    _, o = h.student(setting, Y1, 2)
    assert ue(o, "UE3 S2")["moyenne"] == "10.15" and o["_alert_ids"] == []  # (120 + 12) / 13
    _, o = h.student(own, Y1, 2)
    assert ue(o, "UE2 S2")["moyenne"] == "10.15" and ue(o, "UE3 S2")["moyenne"] == "12.00"
    _, o = h.student(none, Y1, 2)
    assert ue(o, "UE3 S2")["moyenne"] == "10.15" and o["_alert_ids"] == []  # the setting now applies
    h.assert_no_diff()


# ---------------------------------------------------------------------------------------------
# F1 / F2 — fraud: the open case is shown, a running exclusion is EXCLU (odd jury too)


def test_fraud_open_case_and_exclusion(h, book):
    open_, excl, sursis, over = "31000091", "31000092", "31000093", "31000094"
    for x in (open_, excl, sursis, over):
        good_year(book, x, Y1, 1)
    h.load_all(book.take())
    h.fraud(open_, date(2026, 11, 11))
    h.fraud(excl, date(2026, 11, 12), closed=True, sanction="exclusion_etablissement",
            start=date(2027, 1, 10), end=date(2028, 1, 9))
    h.fraud(sursis, date(2026, 11, 13), closed=True, sanction="exclusion_etablissement",
            start=date(2027, 1, 10), end=date(2028, 1, 9), sursis=True)
    h.fraud(over, date(2026, 11, 14), closed=True, sanction="exclusion_etablissement",
            start=date(2026, 12, 1), end=date(2027, 3, 1))
    h.jury(Y1, 1)
    h.jury(Y1, 2)
    _, o = h.student(open_, Y1, 2)
    assert o["_alert_ids"] == ["F1"] and o["decision_annee"] == "ADM"
    for s in (1, 2):
        _, o = h.student(excl, Y1, s)
        assert o["decision_annee"] == "EXCLU" and o["passage"] is False and o["_alert_ids"] == []
    assert h.student(sursis, Y1, 2)[1]["decision_annee"] == "ADM"
    assert h.student(over, Y1, 2)[1]["decision_annee"] == "ADM"
    h.assert_no_diff()


def test_exclusion_overrides_atj_and_def(h, book):
    atj, dead = "31000101", "31000102"
    good_year(book, "31000100", Y1, 1)
    book.enrol(atj, Y1, (1, 2))
    book.semester(atj, Y1, 1, 12, skip=[("R1.07", "E2")])
    book.semester(atj, Y1, 2, 12)
    book.enrol(dead, Y1, (1, 2), statut="DEF")
    book.semester(dead, Y1, 1, 12)
    h.load_all(book.take())
    for x in (atj, dead):
        h.fraud(x, date(2027, 1, 5), closed=True, sanction="exclusion_definitive", start=date(2027, 2, 1))
    h.jury(Y1, 1)
    h.jury(Y1, 2)
    for x in (atj, dead):
        _, o = h.student(x, Y1, 2)
        assert o["decision_annee"] == "EXCLU" and o["passage"] is False
    h.assert_no_diff()


# ---------------------------------------------------------------------------------------------
# R2 — « Le directeur de l'IUT peut autoriser un redoublement supplémentaire en cas de force majeure »


def test_r2_the_directors_authorisation_lifts_both_limits(h, book):
    """Issue 12, departure 1: 4 repeats used (BUT1 flagged, BUT2 repeated), BUT2 failed again."""
    auth, plain = "31000111", "31000112"
    for x in (auth, plain):
        good_year(book, x, Y1, 1, redoublement=True)  # a flagged first enrolment: 2 repeats
    run_year(h, book, Y1, 1)
    for x in (auth, plain):
        book.enrol(x, Y2, (3, 4))
        book.semester(x, Y2, 3, 6)
        book.semester(x, Y2, 4, 6)
        book.good_stage(x, Y2, 4)
    run_year(h, book, Y2, 2)
    for x in (auth, plain):
        assert h.student(x, Y2, 4)[1]["decision_annee"] == "RED"  # 2 + 2 <= 4
        book.enrol(x, Y3, (3, 4), redoublement=True)
        book.semester(x, Y3, 3, 7)
        book.semester(x, Y3, 4, 7)
    h.load_all(book.take())
    h.authorisation(auth, Y4, date(2029, 6, 12))
    h.jury(Y3, 3)
    h.jury(Y3, 4)
    _, o = h.student(plain, Y3, 4)
    assert o["decision_annee"] == "NAR" and o["_alert_ids"] == ["R2"]
    _, o = h.student(auth, Y3, 4)
    assert o["decision_annee"] == "RED" and o["passage"] is False and o["_alert_ids"] == []
    h.assert_no_diff()


# ---------------------------------------------------------------------------------------------
# P2 — « la moyenne a été obtenue » (default "average"), alternative "validated"


def test_p2_counts_averages_by_default_and_validated_rcues_as_the_alternative(h, book):
    """Issue 12, departure 4: every RCUE at 13,00, the S4 stage ended on the jury's date (S3)."""
    n = "31000121"
    good_year(book, n, Y1, 1)
    run_year(h, book, Y1, 1)
    book.enrol(n, Y2, (3, 4))
    book.semester(n, Y2, 3, 13)
    book.semester(n, Y2, 4, 13)
    book.stage(n, Y2, 4, date(2028, 4, 3), date(2028, 6, 30))
    run_year(h, book, Y2, 2)
    _, o = h.student(n, Y2, 4)
    assert all(r["code"] == "AJ" and r["moyenne"] == "13.00" for r in o["rcues"])
    assert o["decision_annee"] == "PASD" and o["passage"] is True and o["_alert_ids"] == ["S3"]
    h.settings(p2_counts="validated")
    h.jury(Y2, 4)
    _, o = h.student(n, Y2, 4)
    assert o["decision_annee"] == "RED" and o["passage"] is False
    h.assert_no_diff()


def test_p2_an_adj_rcue_is_not_tested_against_8(h, book):
    n = "31000131"
    good_year(book, "31000132", Y1, 1)
    book.enrol(n, Y1, (1, 2))
    book.semester(n, Y1, 1, 12, per_ue={1: 3})
    book.semester(n, Y1, 2, 12, per_ue={1: 3})
    book.decision(n, Y1, 2, "C1 N1", "ADJ")
    run_year(h, book, Y1, 1)
    _, o = h.student(n, Y1, 2)
    assert rcue(o, 1)["code"] == "ADJ" and float(rcue(o, 1)["moyenne"]) < 8
    assert ue(o, "UE1 S1")["code"] == "ADJ" and o["decision_annee"] == "ADM"
    h.assert_no_diff()


# ---------------------------------------------------------------------------------------------
# A2 — « un imprévu le jour même » : a declaration on the absence's first day is in time


def test_a2_a_declaration_on_the_first_day_is_not_late(h, book):
    """Kills the mutant "A2 counts a declaration made on the absence's first day as late"."""
    n = "31000141"
    good_year(book, n, Y1, 1)
    same_day = datetime(2026, 11, 16, 8)
    book.absence(n, same_day, same_day.replace(hour=18), same_day.replace(hour=17, minute=30),
                 same_day + timedelta(hours=20))
    multi = datetime(2026, 11, 23, 10)  # a three-day absence declared on its first evening
    book.absence(n, multi, multi + timedelta(days=2), multi.replace(hour=23, minute=50))
    late = datetime(2026, 12, 7, 8)  # declared the next morning: late
    book.absence(n, late, late.replace(hour=12), late + timedelta(days=1, hours=1))
    run_year(h, book, Y1, 1)
    _, o = h.student(n, Y1, 1)
    assert o["_alert_ids"] == ["A2"] and o["absences"] == {"justifiees": 1, "injustifiees": 2}
    h.assert_no_diff()


# ---------------------------------------------------------------------------------------------
# Each setting's alternative value


def test_settings_abi_scope_and_abj_policy(h, book):
    abi, abj = "31000151", "31000152"
    good_year(book, "31000150", Y1, 1)
    book.enrol(abi, Y1, (1,))
    book.semester(abi, Y1, 1, 11, per_code={"R1.07": ("ABI", 20)})
    book.enrol(abj, Y1, (1,))
    book.semester(abj, Y1, 1, 11, per_code={"R1.08": ("ABJ", 15)})
    h.load_all(book.take())
    h.jury(Y1, 1)
    assert ue(h.student(abi, Y1, 1)[1], "UE1 S1")["moyenne"] == "10.85"  # R1.07 = 10
    assert ue(h.student(abj, Y1, 1)[1], "UE1 S1")["moyenne"] == "11.60"  # R1.08 = 15
    h.settings(abi_scope="enseignement", abj_policy="pending")
    h.jury(Y1, 1)
    _, o = h.student(abi, Y1, 1)
    assert ue(o, "UE1 S1")["moyenne"] == "9.35"  # R1.07 = 0
    _, o = h.student(abj, Y1, 1)
    assert ue(o, "UE1 S1")["code"] == "ATT" and o["_alert_ids"] == ["V2"]
    h.assert_no_diff()


def test_settings_rcue_weights_ects(h, book):
    n = "31000161"
    good_year(book, n, Y1, 1)
    run_year(h, book, Y1, 1)
    book.enrol(n, Y2, (3, 4))
    book.semester(n, Y2, 3, 10, per_ue={4: 18})  # UE4 S3 = 14.67 (6 ECTS)
    book.semester(n, Y2, 4, 10, per_ue={4: 2})  # UE4 S4 = 6.44 (9 ECTS)
    book.good_stage(n, Y2, 4)
    run_year(h, book, Y2, 2)
    _, o = h.student(n, Y2, 4)
    equal = rcue(o, 4)
    h.settings(rcue_weights="ects")
    h.jury(Y2, 4)
    _, o = h.student(n, Y2, 4)
    assert equal == {"competence": 4, "niveau": 1, "moyenne": "10.56", "code": "ADM"}
    assert rcue(o, 4) == {"competence": 4, "niveau": 1, "moyenne": "9.73", "code": "AJ"}
    assert ue(o, "UE4 S4")["code"] == "AJ" and o["decision_annee"] == "PASD"
    h.assert_no_diff()


def test_settings_stage_min_weeks(h, book):
    s4, s6 = "31000171", "31000172"
    for x in (s4, s6):
        good_year(book, x, Y1, 1)
    run_year(h, book, Y1, 1)
    good_year(book, s4, Y2, 2, stage_weeks=10)
    good_year(book, s6, Y2, 2, stage_weeks=12)
    run_year(h, book, Y2, 2)
    good_year(book, s6, Y3, 3, stage_weeks=6)
    h.load_all(book.take())
    h.settings(stage_min_weeks_s4=12, stage_min_weeks_s6=8)
    h.jury(Y2, 4)
    h.jury(Y3, 5)
    h.jury(Y3, 6)
    _, o = h.student(s4, Y2, 4)
    assert o["_stage_failures"] == ["S2"] and ue(o, "UE1 S4")["code"] == "AJ"
    _, o = h.student(s6, Y3, 6)
    assert o["_stage_failures"] == ["S2"] and o["decision_annee"] == "RED" and o["but"] is False
    h.assert_no_diff()


def test_settings_max_repeats(h, book):
    n = "31000181"
    good_year(book, n, Y1, 1, redoublement=True)  # 2 repeats used
    run_year(h, book, Y1, 1)
    book.enrol(n, Y2, (3, 4))
    book.semester(n, Y2, 3, 6)
    book.semester(n, Y2, 4, 6)
    book.good_stage(n, Y2, 4)
    h.load_all(book.take())
    h.settings(max_repeats=3)
    h.jury(Y2, 4)
    _, o = h.student(n, Y2, 4)
    assert o["decision_annee"] == "NAR" and o["_alert_ids"] == ["R2"]
    h.assert_no_diff()


def test_settings_justification_delay_and_semester_starts(h, book):
    n = "31000191"
    good_year(book, n, Y1, 1)
    d = datetime(2026, 11, 16, 8)  # justificatif 60 h after the declaration
    book.absence(n, d, d.replace(hour=18), d.replace(hour=7), d + timedelta(hours=59))
    feb = datetime(2027, 2, 10, 8)  # between 1 and 15 February
    book.absence(n, feb, feb.replace(hour=18), feb.replace(hour=7))
    run_year(h, book, Y1, 1)
    assert h.student(n, Y1, 1)[1]["absences"] == {"justifiees": 0, "injustifiees": 1}
    assert h.student(n, Y1, 2)[1]["absences"] == {"justifiees": 0, "injustifiees": 1}
    h.settings(justification_hours=72, even_semester_start="15/02", odd_semester_start="25/08")
    h.jury(Y1, 1)
    h.jury(Y1, 2)
    assert h.student(n, Y1, 1)[1]["absences"] == {"justifiees": 1, "injustifiees": 1}
    assert h.student(n, Y1, 2)[1]["absences"] == {"justifiees": 0, "injustifiees": 0}
    h.assert_no_diff()
