"""§6 Mobility: M1 (semester validated abroad), M3 (BIP); M2 is in test_stage."""

from __future__ import annotations

import pytest

from juries.rules.codes import Code
from juries.rules.inputs import BipIn, MobilityIn
from juries.rules.settings import ReglementSettings

from .builders import D, cursus, enrol, propose, rcue_of, student, ue_of

ABROAD = MobilityIn("Universidad de Valencia")


def test_m1_a_semester_validated_abroad_gives_every_ue_and_its_ects_without_average():
    stu = student(*cursus(2), enrol(3, evaluations=(), mobility=ABROAD))
    p = propose(stu, 3)
    assert [(u["ue"], u["moyenne"], u["code"], u["ects"]) for u in p.as_contract()["ues"]] == [
        ("UE1 S3", None, "ADM", 8),
        ("UE2 S3", None, "ADM", 8),
        ("UE3 S3", None, "ADM", 8),
        ("UE4 S3", None, "ADM", 6),
    ]
    assert p.ects_acquis == 90


def test_m1_rcue_with_a_ue_abroad_is_adm_when_the_other_is_acquired_else_aj():
    # UE4 S4 = (5 × 12 + 4 × 4) / 9 = 8,44: not acquired, and it cannot be compensated.
    stu = student(*cursus(2), enrol(3, evaluations=(), mobility=ABROAD), enrol(4, specific={4: "4"}))
    p = propose(stu, 4)
    assert (rcue_of(p, 1).code, rcue_of(p, 1).moyenne) == (Code.ADM, None)
    assert (rcue_of(p, 4).code, rcue_of(p, 4).moyenne) == (Code.AJ, None)
    assert ue_of(p, "UE4 S4").code == Code.AJ
    # P2: 3 of 4 validated, the RCUE without average is not tested against 8.
    assert (p.decision_annee, p.passage) == (Code.PASD, True)


def test_m1_rcue_with_a_ue_abroad_is_att_when_the_other_is_att():
    stu = student(
        *cursus(2), enrol(3, evaluations=(), mobility=ABROAD), enrol(4, codes={"R4.07": [None, "12"]})
    )
    p = propose(stu, 4)
    assert rcue_of(p, 1).code == Code.ATT
    assert (p.decision_annee, p.passage) == (Code.ATJ, None)


def test_m1_a_ue_validated_abroad_shows_no_average_even_if_acquired_before():
    first = (enrol(3, "6", specific={1: "16"}), enrol(4, "6"))  # UE1 S3 = (15 + 88) / 8 = 12,875
    again = enrol(3, evaluations=(), annee="2026-2027", redoublement=True, mobility=ABROAD)
    p = propose(student(*cursus(2), *first, again), 3, "2026-2027")
    assert (ue_of(p, "UE1 S3").code, ue_of(p, "UE1 S3").moyenne) == (Code.ADM, None)


def test_m1_a_mobility_in_but1_is_ignored_and_flagged():
    p = propose(student(enrol(1, mobility=ABROAD)), 1)
    assert ue_of(p, "UE1 S1").moyenne == D(12)
    assert any(m.rule_id == "M1" for m in p.alertes)


# M3 — « La participation au BIP est prise en compte dans l'évaluation des compétences à
# hauteur de 3 crédits ECTS » : an extra SAÉ-pole element of coefficient 3 in the UE recorded
# with the BIP, else the department's setting; a BIP with no UE to count in is an alert.
@pytest.mark.parametrize(
    ("bip_ue", "setting", "counted_in", "alert"),
    [
        pytest.param("UE4 S5", None, "UE4 S5", None, id="its-own-ue"),
        pytest.param(None, "UE4 S5", "UE4 S5", None, id="the-setting-by-default"),
        pytest.param("UE2 S5", "UE4 S5", "UE2 S5", None, id="its-own-ue-before-the-setting"),
        pytest.param(
            None,
            None,
            None,
            "M3: BIP « Lean in Europe » du S5 sans UE où compter (ni sur la participation, ni dans les "
            "paramètres) : non compté",
            id="no-ue-is-an-alert",
        ),
        pytest.param(
            "UE1 S3",
            None,
            None,
            "M3: BIP « Lean in Europe » du S5 enregistré pour UE1 S3, qui n'est pas une UE du S5 : non compté",
            id="a-ue-of-another-semester-is-an-alert",
        ),
    ],
)
def test_m3_a_bip_counts_with_coefficient_3_in_its_ue(bip_ue, setting, counted_in, alert):
    settings = ReglementSettings(bip_ue=setting)
    bip = BipIn(grade=D(20), ue=bip_ue, title="Lean in Europe")
    p = propose(student(*cursus(4), enrol(5, "10", bip=bip)), 5, settings=settings)
    for ue in ("UE1 S5", "UE2 S5", "UE3 S5", "UE4 S5"):
        # UE4 S5: (9 × 10 + 3 × 20) / 12 = 12,5; UE2 S5: (7 × 10 + 3 × 20) / 10 = 13
        expected = {"UE4 S5": D("12.5"), "UE2 S5": D(13)}.get(ue, D(10)) if ue == counted_in else D(10)
        assert ue_of(p, ue).moyenne == expected, ue
    alerts = [str(m) for m in p.alertes if m.rule_id == "M3"]
    assert alerts == ([] if alert is None else [alert])
    if counted_in == "UE4 S5":
        assert f"M3: BIP compté dans {counted_in} (coefficient 3) : 20,00" in [str(m) for m in p.motifs]


def test_m3_a_missing_bip_grade_does_not_make_the_ue_att():
    settings = ReglementSettings(bip_ue="UE4 S5")
    bip = BipIn(grade=None, title="Lean in Europe")
    p = propose(student(*cursus(4), enrol(5, "10", bip=bip)), 5, settings=settings)
    assert (ue_of(p, "UE4 S5").code, ue_of(p, "UE4 S5").moyenne) == (Code.ADM, D(10))
    assert not [m for m in p.alertes if m.rule_id == "M3"]
