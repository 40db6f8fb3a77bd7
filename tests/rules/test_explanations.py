"""REGLEMENT.md "Explanations": every motif and alert is a French sentence a president can read
aloud — decimal comma, real plurals, labels not stored values, the cause named — built in one
place (explanations.py) from the data the engine returns."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from juries.rules.codes import AbsenceReason, Code, Sanction
from juries.rules.explanations import known_sentences
from juries.rules.inputs import DeliberatedIn, DeliberatedUE, MobilityIn, StageIn
from juries.rules.motifs import Motif, motif
from juries.rules.settings import ReglementSettings

from .builders import D, absence, cursus, enrol, exclusion, paris, propose, student, ue_of

RULES = Path(__file__).resolve().parents[2] / "juries" / "rules"

#: Stored values that must never reach a sentence (labels are shown instead).
RAW_VALUES = {str(v) for v in Sanction} | {str(v) for v in AbsenceReason if v != AbsenceReason.MALADIE} | {
    "defaillant",
    "demission",
}


def _late_abi_student(**kwargs):
    # DS2 of R1.01 on Saturday 12 October 2024: absent, justificatif 50 h 30 after the declaration.
    a = absence(
        paris(2024, 10, 12, 8),
        declared=paris(2024, 10, 12, 8),
        deposit=paris(2024, 10, 14, 10, 30),
        **kwargs,
    )
    return student(enrol(1, codes={"R1.01": ["14", "ABI"], "SAE1.01": ["12", "ABS"]}), absences=(a,))


def test_a6_an_evaluation_counted_0_names_the_evaluation_the_absence_and_why():
    p = propose(_late_abi_student(), 1)
    assert (
        "A6: R1.01 « DS2 » du 12/10/2024 comptée 0 : absence du 12/10/2024 injustifiée, justificatif "
        "déposé 50 h 30 après la déclaration, au-delà des 48 h" in p.as_contract()["motifs"]
    )
    # An ABS resolved to ABI by the register (A8) names the same absence; SAÉ with its accent.
    assert any(m.startswith("A6: SAÉ1.01 « DS2 » du 12/10/2024 comptée 0") for m in p.as_contract()["motifs"])


def test_a6_an_alternant_s_absence_names_the_motif_not_accepted():
    a = absence(
        paris(2024, 10, 12, 8), declared=paris(2024, 10, 12, 8), deposit=paris(2024, 10, 12, 12), reason="autre"
    )
    p = propose(student(enrol(1, regime="FA", codes={"R1.01": ["14", "ABI"]}), absences=(a,)), 1)
    assert (
        "A6: R1.01 « DS2 » du 12/10/2024 comptée 0 : absence du 12/10/2024 injustifiée, motif « autre motif » "
        "non recevable pour un alternant" in p.as_contract()["motifs"]
    )


def test_a6_an_abi_without_an_absence_on_record_says_so():
    p = propose(student(enrol(1, codes={"R1.01": ["14", "ABI"]})), 1)
    assert (
        "A6: R1.01 « DS2 » du 12/10/2024 comptée 0 : ABI saisie sans absence injustifiée enregistrée ce jour-là"
        in p.as_contract()["motifs"]
    )


@pytest.mark.parametrize(
    ("new", "text"),
    [
        pytest.param(
            "8",
            "R3: UE1 S1 acquise en 2024-2025 (CMP, 8,60) : nouvelle moyenne égale (8,60), l'ancienne est conservée",
            id="tie",
        ),
        pytest.param(
            "7",
            "R3: UE1 S1 acquise en 2024-2025 (CMP, 8,60) : meilleure que la nouvelle moyenne 7,90, conservée",
            id="old-better",
        ),
    ],
)
def test_r3_a_tie_says_the_two_averages_were_equal(new, text):
    # UE1 S1 8,6 compensated in 2024-2025; the repeat gives (30 + 7 × new) / 10 with default 10.
    first = (enrol(1, "10", specific={1: "8", 2: "5", 3: "5"}), enrol(2, "10", specific={1: "14", 2: "6", 3: "6"}))
    repeat = enrol(1, "10", annee="2025-2026", redoublement=True, specific={1: new})
    ue = ue_of(propose(student(*first, repeat), 1, "2025-2026"), "UE1 S1")
    assert text in [str(m) for m in ue.motifs]


def test_f2_the_sanction_is_read_as_its_label():
    p = propose(student(*cursus(2), fraud_cases=(exclusion(date(2025, 5, 1), date(2027, 4, 30)),)), 2)
    assert (
        "F2: exclusion de l'établissement depuis le 01/05/2025, jusqu'au 30/04/2027 : décision EXCLU"
        in p.as_contract()["motifs"]
    )


def test_motif_is_data_and_reads_id_colon_sentence():
    m = motif("C3", "c3_valide", label="Qualité niveau 1", moyenne=D("10.405"))
    assert (m.rule_id, m.data) == ("C3", {"label": "Qualité niveau 1", "moyenne": D("10.405")})
    assert str(m) == "C3: RCUE Qualité niveau 1 validé : 10,41 ≥ 10"
    assert m == Motif("C3", "c3_valide", (("label", "Qualité niveau 1"), ("moyenne", D("10.405"))))


def _every_case():
    s4 = {"specific": {1: "4"}}
    yield propose(student(enrol(1, "10", specific={1: "8"}), enrol(2, "10", specific={1: "14"})), 2)
    yield propose(student(enrol(1, "10", specific={1: "5"}), enrol(2, "10", specific={1: "6"})), 2)
    yield propose(student(enrol(1, "10", specific={1: "7"}), enrol(2, "10", specific={1: "8"})), 2)
    yield propose(student(*cursus(3), enrol(4, "13", stage=StageIn(date(2026, 3, 2), date(2026, 4, 1)))), 4)
    yield propose(student(*cursus(3), enrol(4, "9", stage=None, **s4)), 4)
    yield propose(student(*cursus(5), enrol(6, "4")), 6)
    yield propose(student(*cursus(6)), 6)
    yield propose(student(*cursus(2), enrol(3, evaluations=(), mobility=MobilityIn("Valencia")), enrol(4)), 4)
    yield propose(student(enrol(1, codes={"R1.01": ["14", "ABJ"], "R1.07": ["ABJ", "ABJ"]})), 1)
    yield propose(student(enrol(1, codes={"R1.01": [None, "12"]}), enrol(2, codes={"R2.03": ["12"]})), 2)
    yield propose(student(enrol(1, "8", status="defaillant")), 1)
    yield propose(student(enrol(1, "12"), enrol(2, "8", status="demission")), 2)
    yield propose(_late_abi_student(reason="mariage_pacs_naissance"), 1)
    yield propose(
        student(enrol(1), absences=(absence(paris(2024, 10, 7, 8), declared=paris(2024, 10, 9, 9)),) * 2), 1
    )
    yield propose(student(*cursus(2), fraud_cases=(exclusion(date(2025, 5, 1), None),)), 2)
    decided = DeliberatedIn(ues=(DeliberatedUE("UE1 S3", Code.ADJ), DeliberatedUE("UE1 S4", Code.ADJ)))
    yield propose(
        student(
            enrol(1, "10", specific={1: "7"}),
            enrol(2, "10", specific={1: "8"}),
            enrol(3, specific={1: "6"}),
            enrol(4, deliberated=decided, **s4),
        ),
        4,
    )
    yield propose(student(*cursus(4), enrol(5, "10")), 5, settings=ReglementSettings(bip_ue="UE4 S5"))


@pytest.mark.parametrize("index", range(17))
def test_every_motif_is_a_sentence_read_aloud(index):
    p = list(_every_case())[index]
    for text in (*p.as_contract()["motifs"], *p.as_contract()["alertes"]):
        rule, _, sentence = text.partition(": ")
        assert re.fullmatch(r"[A-Z][0-9]|DEF|DEM", rule), text
        assert not re.search(r"(?<![\w.])\d+\.\d", sentence), f"decimal point: {text}"
        assert "(s)" not in sentence and "(e)" not in sentence, f"fake plural: {text}"
        assert not RAW_VALUES & set(re.findall(r"[a-z_]+", sentence)), f"stored value: {text}"
        assert "SAE" not in sentence, f"SAÉ without its accent: {text}"


def test_every_sentence_is_used_by_a_rule_and_every_rule_s_sentence_exists():
    sources = "\n".join(p.read_text(encoding="utf-8") for p in RULES.glob("*.py") if p.name != "explanations.py")
    used = set(re.findall(r'motif\(\s*[^,]+,\s*"([a-z0-9_]+)"', sources))
    assert used == known_sentences()
