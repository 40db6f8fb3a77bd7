"""A BUT1 promotion of three with S2 partly published: Léa (the signed-in student), Bruno, Chloé."""

from __future__ import annotations

from decimal import Decimal

import pytest

from juries import roles
from juries.models import Enseignement, Evaluation
from juries.services.publication import set_published
from tests.factories import but1_student, make_user

#: Léa's S2: every grade 10, R2.01 not graded yet, R2.02 graded 17.25 but not published.
UNPUBLISHED_CODE = "R2.02"
SECRET = "17.25"
MISSING_CODE = "R2.01"


@pytest.fixture
def promo(maquette, people):
    lea_user = make_user(roles.ETUDIANT, "lea")
    bruno_user = make_user(roles.ETUDIANT, "bruno")
    lea = but1_student("26000701", "Aubert", "Léa", user=lea_user, base="10",
                       s2={UNPUBLISHED_CODE: SECRET, MISSING_CODE: None})
    bruno = but1_student("26000702", "Barbier", "Bruno", user=bruno_user, base="14.5",
                         s2={"R2.03": "15.75"})
    but1_student("26000703", "Chevalier", "Chloé", base="12")
    teacher = people["teacher"]
    Enseignement.objects.get(code="R2.03").teachers.add(teacher)
    for ev in Evaluation.objects.filter(annee="2026-2027").exclude(enseignement__code=UNPUBLISHED_CODE):
        set_published(evaluation=ev, published=True, by=people["secretariat"])
    return {"lea": lea, "bruno": bruno, "lea_user": lea_user, "bruno_user": bruno_user, **people}


def evaluation(code: str) -> Evaluation:
    return Evaluation.objects.get(annee="2026-2027", enseignement__code=code, label="DS1")


D = Decimal
