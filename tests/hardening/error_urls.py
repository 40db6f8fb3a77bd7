"""The site's URLs plus views that fail on purpose, for the error-page tests."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.urls import include, path


def boom(request):
    raise RuntimeError("une panne")


def suspicious(request):
    raise SuspiciousOperation("requête suspecte")


def forbidden(request):
    raise PermissionDenied


urlpatterns = [
    path("test-500/", boom),
    path("test-400/", suspicious),
    path("test-403/", forbidden),
    path("", include("qlio.urls")),
]
