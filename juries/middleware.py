"""Security headers that Django does not set by itself."""

from django.conf import settings
from django.core.exceptions import SuspiciousOperation

CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; "
    "script-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'self'; "
    "form-action 'self'"
)


class ContentSecurityPolicyMiddleware:
    """Adds a Content-Security-Policy and a Permissions-Policy header to every response."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = getattr(settings, "QLIO_CONTENT_SECURITY_POLICY", CSP)

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.policy)
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response


# C0 control characters and DEL. A NUL reaches PostgreSQL as a DataError (500), CR/LF end up in
# headers; no page of the site takes one in a URL. Form bodies keep tab, CR and LF (textareas).
_CONTROLS = "".join(chr(c) for c in range(0x20)) + "\x7f"
_CONTROLS_IN_FORMS = _CONTROLS.replace("\t", "").replace("\r", "").replace("\n", "")
_URL_TABLE = str.maketrans("", "", _CONTROLS)
_FORM_TABLE = str.maketrans("", "", _CONTROLS_IN_FORMS)


class ControlCharacterRefused(SuspiciousOperation):
    """A request carrying a control character: a 400 (Django's handler400) before any query."""


class OutOfRangeNumberRefused(SuspiciousOperation):
    """An admin filter given a number no identifier can be: a 400."""


def _has(text: str, table: dict) -> bool:
    return len(text.translate(table)) != len(text)


# The admin's list filters put a query value straight into a foreign-key lookup, which Django
# does not bound as it bounds an integer field's: `?enseignement=99999999999999999999` was an
# OverflowError on SQLite, a DataError on PostgreSQL (500). No identifier is that large; the
# search box (`q`) is text and keeps any number.
_BIGGEST_ID = 2**63 - 1


def _out_of_range_number(value: str) -> bool:
    return len(value) > 18 and value.isascii() and value.isdigit() and int(value) > _BIGGEST_ID


class RefuseControlCharactersMiddleware:
    """Refuses (400) a request whose path, query string or form fields carry a control character,
    or whose admin filter is a number beyond any identifier.

    Placed before every middleware that may query the database (sessions, authentication, axes),
    so a NUL never reaches a query, whatever the database.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _has(request.path, _URL_TABLE) or any(
            _has(key, _URL_TABLE) or any(_has(v, _URL_TABLE) for v in values)
            for key, values in request.GET.lists()
        ):
            raise ControlCharacterRefused("Control character in the URL.")
        if request.path.startswith("/admin/") and any(
            key != "q" and any(_out_of_range_number(v) for v in values) for key, values in request.GET.lists()
        ):
            raise OutOfRangeNumberRefused("Out-of-range number in an admin filter.")
        if request.method == "POST" and request.content_type in (
            "application/x-www-form-urlencoded", "multipart/form-data",
        ):
            for key, values in request.POST.lists():
                if _has(key, _URL_TABLE) or any(_has(v, _FORM_TABLE) for v in values):
                    raise ControlCharacterRefused("Control character in a form field.")
            for f in request.FILES.values():
                if _has(f.name or "", _URL_TABLE):
                    raise ControlCharacterRefused("Control character in a file name.")
        return self.get_response(request)
