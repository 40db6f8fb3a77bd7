"""Template context: which spaces the navigation bar shows to this user."""

from juries import roles


def nav(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": {}}
    return {
        "nav": {
            "secretariat": roles.is_secretariat(user),
            "teacher": roles.is_teacher(user),
            "jury": roles.is_secretariat(user) or roles.is_jury_member(user),
            "student": roles.is_student(user),
        }
    }
