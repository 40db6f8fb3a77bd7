"""The CSRF failure page in French, in the site's layout (settings.CSRF_FAILURE_VIEW); the other
error pages are templates/400.html … 500.html, used by Django's default handlers."""

from __future__ import annotations

from django.shortcuts import render


def csrf_failure(request, reason: str = ""):
    # The reason (Django's English diagnostic) is for the logs, not for the person.
    return render(request, "403_csrf.html", status=403)
