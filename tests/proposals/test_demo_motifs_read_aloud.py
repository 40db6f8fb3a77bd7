"""REGLEMENT.md "Explanations": every motif and alert of the demo promo's CSV export reads as French.

The demo promo (seed_demo: three years with history, ABI/ABJ/ABS, late justificatifs, stages, a
mobility, a repeat, a fraud case) exported with `jury_proposals --format csv` for every jury of the
year: no number with a decimal point, no "(s)" plural, no stored value instead of its label.
"""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.core.management import call_command

from juries.models import Absence, FraudCase

pytestmark = pytest.mark.django_db

#: Stored values that must never reach a sentence (their labels must): sanctions, absence
#: motifs and enrolment statuts — except a value that is itself a word of its label
#: (« avertissement », « autre motif », « convocation »).
RAW_VALUES = {
    value for value, label in (*FraudCase.Sanction.choices, *Absence.Reason.choices)
    if value not in re.findall(r"\w+", str(label).lower())
} | {"defaillant", "demission"}


@pytest.fixture(scope="module")
def demo_exports(django_db_setup, django_db_blocker, tmp_path_factory):
    """Every jury of 2026-2027 of a 60-student demo promo, as the secretariat exports it."""
    out = tmp_path_factory.mktemp("demo")
    with django_db_blocker.unblock():
        from django.db import transaction

        with transaction.atomic():
            call_command("loaddata", "maquette_but_qlio_osc", verbosity=0)
            call_command("seed_demo", students=60, stdout=io.StringIO())
            files = {}
            for semestre in range(1, 7):
                path = out / f"S{semestre}.csv"
                call_command("jury_proposals", annee="2026-2027", semestre=semestre, format="csv", output=str(path))
                files[semestre] = path.read_bytes().decode("utf-8-sig")
            transaction.set_rollback(True)
    return files


def sentences(text: str):
    for row in csv.DictReader(io.StringIO(text), delimiter=";"):
        for column in ("motifs", "alertes"):
            for item in filter(None, (row[column] or "").split(" | ")):
                yield row["numero"], item


@pytest.mark.parametrize("semestre", range(1, 7), ids=[f"S{s}" for s in range(1, 7)])
def test_every_motif_and_alert_of_the_demo_reads_aloud(demo_exports, semestre):
    lines = list(sentences(demo_exports[semestre]))
    assert lines, "the demo promo has motifs at every jury"
    for numero, text in lines:
        rule, sep, sentence = text.partition(": ")
        assert sep and re.fullmatch(r"[A-Z][0-9]|DEF|DEM", rule), f"{numero}: {text}"
        assert not re.search(r"(?<![\w.])\d+\.\d", sentence), f"{numero}, decimal point: {text}"
        assert "(s)" not in sentence and "(e)" not in sentence, f"{numero}, fake plural: {text}"
        assert not RAW_VALUES & set(re.findall(r"\w+", sentence)), f"{numero}, stored value: {text}"
        assert not re.search(r"\bSAE\d", sentence), f"{numero}, SAÉ without its accent: {text}"
