"""Roles as groups with least privilege (issue: secretariat, teachers, jury, students).

The groups and their model permissions are (re)created after every `migrate`.
"""

from __future__ import annotations

SECRETARIAT = "Secrétariat"
ENSEIGNANT = "Enseignant"
JURY = "Jury"
ETUDIANT = "Étudiant"

_DAILY = ("student", "enrolment", "evaluation", "grade", "absence", "stage", "mobility",
          "bipparticipation", "fraudcase", "repeatauthorisation", "jurysession")
_MAQUETTE = ("formation", "parcours", "competence", "level", "semester", "ue", "enseignement",
             "coefficient", "reglementsettings")

ROLE_PERMISSIONS: dict[str, list[str]] = {
    SECRETARIAT: [f"{a}_{m}" for m in _DAILY for a in ("add", "change", "delete", "view")]
    + [f"view_{m}" for m in _MAQUETTE] + ["change_reglementsettings", "view_jurydecision", "view_releve"],
    ENSEIGNANT: ["view_evaluation", "add_evaluation", "change_evaluation", "view_grade", "add_grade",
                 "change_grade", "view_enseignement", "view_student", "view_enrolment"],
    JURY: [],
    ETUDIANT: [],
}


def ensure_roles(**kwargs) -> None:
    from django.contrib.auth.models import Group, Permission

    perms = {p.codename: p for p in Permission.objects.filter(content_type__app_label="juries")}
    for name, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set([perms[c] for c in codenames if c in perms])


def in_group(user, name: str) -> bool:
    if not user.is_authenticated:
        return False
    cache = getattr(user, "_qlio_groups", None)
    if cache is None:
        cache = set(user.groups.values_list("name", flat=True))
        user._qlio_groups = cache
    return name in cache


def is_secretariat(user) -> bool:
    return user.is_superuser or in_group(user, SECRETARIAT)


def is_teacher(user) -> bool:
    return in_group(user, ENSEIGNANT)


def is_jury_member(user) -> bool:
    return in_group(user, JURY)


def is_student(user) -> bool:
    return in_group(user, ETUDIANT) and hasattr(user, "student")


def display_name(user) -> str:
    """How a person is named on pages, PDFs and messages: the full name, else the login."""
    return user.get_full_name() or user.username
