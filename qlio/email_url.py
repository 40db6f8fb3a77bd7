"""The e-mail backend from the environment: ``DJANGO_EMAIL_URL`` or the usual SMTP variables.

Pure (no Django import) so the settings module and the tests read it the same way.

``DJANGO_EMAIL_URL`` schemes: ``smtp://user:password@host:587?tls=1`` (``ssl=1`` for implicit TLS,
``smtps://`` is the same), ``console://`` (printed on the server's output, the default),
``locmem://`` (kept in memory: tests), ``dummy://`` (dropped), ``file:///path/to/folder``.
Without it, ``EMAIL_HOST`` selects SMTP with ``EMAIL_PORT``, ``EMAIL_HOST_USER``,
``EMAIL_HOST_PASSWORD``, ``EMAIL_USE_TLS`` and ``EMAIL_USE_SSL``.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import parse_qs, unquote, urlsplit

_BACKENDS = {
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "smtps": "django.core.mail.backends.smtp.EmailBackend",
    "console": "django.core.mail.backends.console.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
    "dummy": "django.core.mail.backends.dummy.EmailBackend",
    "file": "django.core.mail.backends.filebased.EmailBackend",
}
_TRUE = ("1", "true", "yes", "on")


def _flag(value: str | None) -> bool:
    return (value or "").strip().lower() in _TRUE


def email_settings(environ: Mapping[str, str]) -> dict[str, object]:
    """The EMAIL_* settings the environment asks for; ValueError on an unknown scheme."""
    url = environ.get("DJANGO_EMAIL_URL", "").strip()
    if url:
        return _from_url(url)
    host = environ.get("EMAIL_HOST", "").strip()
    if not host:
        return {"EMAIL_BACKEND": _BACKENDS["console"]}
    use_ssl = _flag(environ.get("EMAIL_USE_SSL"))
    return {
        "EMAIL_BACKEND": _BACKENDS["smtp"],
        "EMAIL_HOST": host,
        "EMAIL_PORT": int(environ.get("EMAIL_PORT") or (465 if use_ssl else 25)),
        "EMAIL_HOST_USER": environ.get("EMAIL_HOST_USER", ""),
        "EMAIL_HOST_PASSWORD": environ.get("EMAIL_HOST_PASSWORD", ""),
        "EMAIL_USE_TLS": _flag(environ.get("EMAIL_USE_TLS")),
        "EMAIL_USE_SSL": use_ssl,
    }


def _from_url(url: str) -> dict[str, object]:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in _BACKENDS:
        raise ValueError(f"DJANGO_EMAIL_URL : schéma inconnu « {scheme} » (smtp, smtps, console, locmem, dummy, file)")
    out: dict[str, object] = {"EMAIL_BACKEND": _BACKENDS[scheme]}
    if scheme == "file":
        out["EMAIL_FILE_PATH"] = unquote(parts.path)
        return out
    if scheme not in ("smtp", "smtps"):
        return out
    query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    use_ssl = scheme == "smtps" or _flag(query.get("ssl"))
    out.update({
        "EMAIL_HOST": parts.hostname or "localhost",
        "EMAIL_PORT": parts.port or (465 if use_ssl else 25),
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_TLS": _flag(query.get("tls")) and not use_ssl,
        "EMAIL_USE_SSL": use_ssl,
    })
    if "timeout" in query:
        out["EMAIL_TIMEOUT"] = int(query["timeout"])
    return out
