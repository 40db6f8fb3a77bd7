"""The Règlement page and the users' guides ("Aide"), for every signed-in user."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from juries import roles
from juries.presenters.reglement import markdown_html, reglement_page
from juries.selectors.absences import reglement_settings

DOCS = Path(settings.BASE_DIR) / "docs"
#: guide slug -> (title, file in docs/)
GUIDES = {
    "secretariat": ("Guide du secrétariat", "guide-secretariat.md"),
    "jury": ("Guide du jury", "guide-jury.md"),
    "etudiant": ("Guide de l'étudiant·e", "guide-etudiant.md"),
}


@login_required
def reglement(request):
    return render(request, "reglement.html", {"sections": reglement_page(in_force=reglement_settings())})


def guide_of(user) -> str:
    """The guide of the user's role: the secretariat's (teachers enter grades too), the jury's, the student's."""
    if roles.is_secretariat(user) or roles.is_teacher(user):
        return "secretariat"
    if roles.is_student(user):
        return "etudiant"
    return "jury"


@login_required
def aide(request, guide: str = ""):
    guide = guide or guide_of(request.user)
    if guide not in GUIDES:
        raise Http404("Guide inconnu.")
    title, filename = GUIDES[guide]
    text = (DOCS / filename).read_text(encoding="utf-8")
    return render(request, "aide.html", {
        "title": title, "guide": guide, "html": markdown_html(text),
        "guides": [(slug, t) for slug, (t, _f) in GUIDES.items()],
    })
