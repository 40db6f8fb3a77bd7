"""Downloads of personal data (PV, feuille, état des absences, relevés, exports): one place that
names the file and tells caches not to keep it.

A download name often carries request input (a group from ``?groupe=``, a student's name), so it is
rebuilt from an allow-list of characters: a CR/LF or a quote can neither break the header (500) nor
add a parameter to it, and a path (``../``) is flattened. RFC 6266: ``filename`` holds an ASCII
fallback, ``filename*`` the UTF-8 name (accents kept).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from urllib.parse import quote

from django.http import HttpResponse, HttpResponseBase

MAX_NAME = 150
_NOT_ALLOWED = re.compile(r"[^\w.\-]+")  # \w: letters (accented included), digits, underscore
_NOT_ASCII = re.compile(r"[^A-Za-z0-9._\-]+")
_DOTS = re.compile(r"\.{2,}")
NO_STORE = "private, no-store"


def _clean(name: str, pattern: re.Pattern[str]) -> str:
    name = pattern.sub("-", name)
    name = _DOTS.sub(".", name)
    name = re.sub(r"-{2,}", "-", name).strip("-._")
    if len(name) > MAX_NAME:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: MAX_NAME - len(ext) - 1] + dot + ext) if dot and len(ext) <= 5 else name[:MAX_NAME]
    return name or "document"


def safe_filename(name: str) -> str:
    """The name with every character outside letters, digits, ``.``, ``-`` and ``_`` replaced by ``-``."""
    return _clean(unicodedata.normalize("NFC", name), _NOT_ALLOWED)


def ascii_filename(name: str) -> str:
    """The ASCII fallback: accents dropped (é → e), then the same allow-list without non-ASCII letters."""
    decomposed = unicodedata.normalize("NFKD", safe_filename(name))
    return _clean(decomposed.encode("ascii", "ignore").decode("ascii"), _NOT_ASCII)


def content_disposition(name: str) -> str:
    fallback = ascii_filename(name)
    utf8 = safe_filename(name)
    if utf8 == fallback:
        return f'attachment; filename="{fallback}"'
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(utf8, safe='')}"


def as_download(response: HttpResponseBase, filename: str) -> HttpResponseBase:
    """Sets the response's download name (allow-listed) and forbids any cache to keep it."""
    response["Content-Disposition"] = content_disposition(filename)
    response["Cache-Control"] = NO_STORE
    return response


def download(content: bytes | str, *, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    as_download(response, filename)
    return response


def no_store(view):
    """For views that send personal data without a download helper (previews, JSON status)."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Cache-Control"] = NO_STORE
        return response

    return wrapped


class NoStoreDownloadsMiddleware:
    """Every attachment the site sends (the admin's exports included) is kept by no cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.get("Content-Disposition", "").startswith("attachment"):
            response["Cache-Control"] = NO_STORE
        return response
