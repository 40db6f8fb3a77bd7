"""Secretariat space: the landing page and the permission checks shared by its pages.

Least privilege (juries/roles.py): the Secrétariat reaches everything here; a teacher
only the grades of the enseignements they are responsible for (Enseignement.teachers); Jury and
Étudiant nothing. Anonymous users are sent to the login page, others without the right get 403.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import render

from juries import roles
from juries.importers.parsing import ANNEE_RE
from juries.models import Enrolment, Enseignement, Evaluation


def secretariat_required(view):
    """Secrétariat only: login page for anonymous users, 403 for the others."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not roles.is_secretariat(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def grades_space_required(view):
    """Secrétariat or Enseignant (each page then checks the enseignement itself)."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not (roles.is_secretariat(request.user) or roles.is_teacher(request.user)):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def can_grade(user, enseignement: Enseignement) -> bool:
    """A teacher grades only the enseignements they are responsible for."""
    if roles.is_secretariat(user):
        return True
    return roles.is_teacher(user) and enseignement.teachers.filter(pk=user.pk).exists()


def check_can_grade(user, enseignement: Enseignement) -> None:
    if not can_grade(user, enseignement):
        raise PermissionDenied


def known_years() -> list[str]:
    return sorted(set(Enrolment.objects.order_by().values_list("annee", flat=True).distinct()), reverse=True)


def gradable_enseignements(user):
    """Enseignements graded directly (a SAÉ split by competence is graded through its parts)."""
    qs = Enseignement.objects.filter(parts__isnull=True).select_related("semester").order_by("semester__number", "code")
    if not roles.is_secretariat(user):
        qs = qs.filter(teachers=user)
    return qs


@grades_space_required
def index(request):
    years = known_years()
    annee = request.GET.get("annee") or (years[0] if years else "")
    if not ANNEE_RE.fullmatch(annee):  # it goes into every link of the page (a URL segment)
        annee = years[0] if years else ""
    enseignements = list(gradable_enseignements(request.user)) if annee else []
    counts = dict(
        Evaluation.objects.filter(annee=annee, enseignement__in=enseignements).order_by()
        .values("enseignement_id").annotate(n=Count("id")).values_list("enseignement_id", "n")
    )
    by_semester: dict[int, list] = {}
    for e in enseignements:
        by_semester.setdefault(e.semester.number, []).append({"ens": e, "evaluations": counts.get(e.pk, 0)})
    return render(request, "secretariat/index.html", {
        "years": years, "annee": annee, "semesters": sorted(by_semester.items()),
        "is_secretariat": roles.is_secretariat(request.user), "section": "notes",
    })
