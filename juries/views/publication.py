"""« Publier / Retirer la publication » on the grade entry page (POST only)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from juries.models import Evaluation
from juries.services.publication import set_published
from juries.views.secretariat import check_can_grade, grades_space_required


@grades_space_required
@require_POST
def publication(request, evaluation_id: int):
    """The secretariat, or a teacher of the evaluation's enseignement, publishes or withdraws it."""
    evaluation = get_object_or_404(Evaluation.objects.select_related("enseignement"), pk=evaluation_id)
    check_can_grade(request.user, evaluation.enseignement)
    publish = request.POST.get("action") == "publier"
    changed = set_published(evaluation=evaluation, published=publish, by=request.user)
    if not changed:
        messages.info(request, "Rien à faire : l'évaluation était déjà " + ("publiée." if publish else "non publiée."))
    elif publish:
        messages.success(request, f"« {evaluation.label} » est publiée : les étudiants voient leur note dans « Mes notes ».")
    else:
        messages.success(request, f"Publication de « {evaluation.label} » retirée : les étudiants ne voient plus ces notes.")
    return redirect("secretariat:saisie", evaluation_id=evaluation.pk)
