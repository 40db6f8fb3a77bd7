"""§5-5 Diplomas: D1 (DUT, 120 first ECTS), D2 (BUT, 180 ECTS)."""

from __future__ import annotations

import pytest

from juries.rules.codes import Code

from .builders import cursus, enrol, propose, student


@pytest.mark.parametrize(
    ("semester", "dut", "but", "ects"),
    [
        pytest.param(2, False, False, 60, id="after-s2"),
        pytest.param(3, False, False, 90, id="after-s3"),
        pytest.param(4, True, False, 120, id="after-s4-dut"),
        pytest.param(6, True, True, 180, id="after-s6-but"),
    ],
)
def test_d1_d2_diplomas_after_each_jury(semester, dut, but, ects):
    p = propose(student(*cursus(6)), semester)
    assert (p.dut, p.but, p.ects_acquis) == (dut, but, ects)
    c = p.as_contract()
    assert (c["dut"], c["but"], c["ects_acquis"]) == (dut, but, ects)


def test_d1_dut_by_compensation():
    stu = student(enrol(1, "10", specific={1: "8"}), enrol(2, "10", specific={1: "14"}), enrol(3), enrol(4))
    p = propose(stu, 4)
    assert p.dut is True
    assert "D1: DUT : les 120 premiers ECTS sont acquis" in p.as_contract()["motifs"]


def test_d2_but_not_awarded_with_an_ue_missing():
    p = propose(student(*cursus(5), enrol(6, "4")), 6)
    assert (p.decision_annee, p.but, p.dut) == (Code.RED, False, True)
