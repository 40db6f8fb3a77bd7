"""Sign-in with the university's CAS (the ENT), through django-cas-ng; off unless
``QLIO_CAS_SERVER_URL`` is set (docs/exploitation.md).

A CAS identity only ever opens an account that already exists: by username first (staff whose
local login is their ENT login), else, for a student, by the student number the CAS server
releases in the attribute named by ``QLIO_CAS_STUDENT_ATTRIBUTE``. Nobody gets an account made for
them by signing in (``CAS_CREATE_USER`` is False): the secretariat links accounts, and the unknown
are told so in French.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt
from django_cas_ng.backends import CASBackend as _CASBackend
from django_cas_ng.signals import cas_user_authenticated
from django_cas_ng.utils import get_cas_client
from django_cas_ng.views import LoginView as _LoginView

from juries.models import Student

#: Why the last CAS sign-in of a request failed, for the French page (set on the request).
REFUSAL = "_qlio_cas_refusal"


def cas_enabled() -> bool:
    return bool(getattr(settings, "CAS_SERVER_URL", None))


def _first(value) -> str:
    if isinstance(value, list | tuple):
        value = value[0] if value else ""
    return str(value or "").strip()


def linked_user(username: str, attributes: dict | None):
    """The existing account a CAS identity opens, or None: by username, else by student number."""
    User = get_user_model()
    user = User._default_manager.filter(username=username).first()
    if user is not None:
        return user
    attribute = getattr(settings, "QLIO_CAS_STUDENT_ATTRIBUTE", "")
    numero = _first((attributes or {}).get(attribute)) if attribute else ""
    if numero:
        student = Student.objects.filter(numero=numero, user__isnull=False).select_related("user").first()
        if student is not None:
            return student.user
    return None


class CASBackend(_CASBackend):
    """django-cas-ng's backend, with the account found by ``linked_user`` and never created."""

    def authenticate(self, request: HttpRequest, ticket: str, service: str):  # type: ignore[override]
        if not cas_enabled():
            return None
        client = get_cas_client(service_url=service, request=request)
        username, attributes, pgtiou = client.verify_ticket(ticket)
        if not username:
            setattr(request, REFUSAL, ("ticket", ""))
            return None
        username = self.clean_username(username)
        user = linked_user(username, attributes)
        if user is None or not self.user_can_authenticate(user):
            setattr(request, REFUSAL, ("unknown" if user is None else "inactive", username))
            return None
        cas_user_authenticated.send(sender=self, user=user, created=False, username=username,
                                    attributes=attributes, pgtiou=pgtiou, ticket=ticket, service=service,
                                    request=request)
        return user


class LoginView(_LoginView):
    """The CAS round trip at /cas/connexion/: 404 while CAS is off, a French page when refused."""

    # The CAS server posts its single sign-out requests here, without a CSRF token (as django-cas-ng).
    @method_decorator(csrf_exempt)
    def dispatch(self, request, *args, **kwargs):
        if not cas_enabled():
            raise Http404("La connexion par l'ENT n'est pas activée.")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        try:
            return super().get(request)
        except PermissionDenied:
            reason, username = getattr(request, REFUSAL, ("ticket", ""))
            return render(request, "registration/cas_refused.html", {"reason": reason, "cas_username": username},
                          status=403)


login = LoginView.as_view()
