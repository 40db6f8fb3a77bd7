"""The landing page: what each role can open."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse

from juries import roles


def _link(name: str, title: str, text: str, *args):
    try:
        return {"url": reverse(name, args=args), "title": title, "text": text}
    except NoReverseMatch:
        return None


@login_required
def home(request):
    user = request.user
    links = []
    if roles.is_secretariat(user):
        links += [
            _link("secretariat:index", "Secrétariat", "Feuilles de notes, saisie, absences, imports"),
            _link("admin:index", "Administration", "Étudiants, inscriptions, notes, stages, historique"),
            _link("releves:index", "Relevés de notes", "Relevés d'un jury : ZIP, PDF à imprimer, vérification"),
        ]
    if roles.is_secretariat(user) or roles.is_jury_member(user):
        links.append(_link("jury:list", "Jurys", "Tableaux de jury, délibération, PV"))
    if roles.is_teacher(user):
        links.append(_link("secretariat:index", "Mes enseignements", "Feuilles de notes et saisie"))
    if roles.is_student(user):
        links.append(_link("portal:index", "Mes relevés de notes", "Semestres et relevés PDF"))
    return render(request, "juries/home.html", {"links": [x for x in links if x], "name": _greeting_name(user)})


def _greeting_name(user) -> str:
    """The student's own name, else the account's: a student's account is often just a login."""
    if roles.is_student(user):
        return f"{user.student.prenom} {user.student.nom}".strip() or roles.display_name(user)
    return roles.display_name(user)
