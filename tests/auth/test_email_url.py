"""The e-mail backend the environment asks for (qlio/email_url.py): DJANGO_EMAIL_URL, else the
usual EMAIL_* variables, else the console."""

from __future__ import annotations

import pytest

from qlio.email_url import email_settings

SMTP = "django.core.mail.backends.smtp.EmailBackend"


def test_console_by_default():
    assert email_settings({}) == {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}


def test_smtp_url_with_starttls_and_an_escaped_password():
    got = email_settings({"DJANGO_EMAIL_URL": "smtp://jury%40iut.test:p%40ss%3Aw@smtp.iut.test:587?tls=1"})
    assert got == {"EMAIL_BACKEND": SMTP, "EMAIL_HOST": "smtp.iut.test", "EMAIL_PORT": 587,
                   "EMAIL_HOST_USER": "jury@iut.test", "EMAIL_HOST_PASSWORD": "p@ss:w",
                   "EMAIL_USE_TLS": True, "EMAIL_USE_SSL": False}


def test_smtps_is_implicit_tls_on_465():
    got = email_settings({"DJANGO_EMAIL_URL": "smtps://u:p@mail.test"})
    assert (got["EMAIL_PORT"], got["EMAIL_USE_SSL"], got["EMAIL_USE_TLS"]) == (465, True, False)


@pytest.mark.parametrize("url, backend", [
    ("console://", "django.core.mail.backends.console.EmailBackend"),
    ("locmem://", "django.core.mail.backends.locmem.EmailBackend"),
    ("dummy://", "django.core.mail.backends.dummy.EmailBackend"),
])
def test_other_schemes(url, backend):
    assert email_settings({"DJANGO_EMAIL_URL": url}) == {"EMAIL_BACKEND": backend}


def test_file_scheme_keeps_its_folder():
    assert email_settings({"DJANGO_EMAIL_URL": "file:///var/mail/qlio"}) == {
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend", "EMAIL_FILE_PATH": "/var/mail/qlio"}


def test_the_usual_variables_without_a_url():
    got = email_settings({"EMAIL_HOST": "smtp.iut.test", "EMAIL_PORT": "587", "EMAIL_HOST_USER": "jury",
                          "EMAIL_HOST_PASSWORD": "secret", "EMAIL_USE_TLS": "1"})
    assert got == {"EMAIL_BACKEND": SMTP, "EMAIL_HOST": "smtp.iut.test", "EMAIL_PORT": 587,
                   "EMAIL_HOST_USER": "jury", "EMAIL_HOST_PASSWORD": "secret", "EMAIL_USE_TLS": True,
                   "EMAIL_USE_SSL": False}


def test_the_url_wins_and_an_unknown_scheme_is_refused():
    assert email_settings({"DJANGO_EMAIL_URL": "locmem://", "EMAIL_HOST": "smtp.iut.test"})["EMAIL_BACKEND"].endswith(
        "locmem.EmailBackend")
    with pytest.raises(ValueError, match="schéma inconnu"):
        email_settings({"DJANGO_EMAIL_URL": "sendmail://localhost"})
