"""Settings of the QLIO jury application, read from the environment (docs/exploitation.md)."""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = os.environ.get("DJANGO_DEBUG", "1") not in ("0", "false", "False", "")

_DEV_SECRET_KEY = "dev-only-insecure-key-qlio-jury-never-in-production"
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", _DEV_SECRET_KEY)
if not DEBUG and (SECRET_KEY == _DEV_SECRET_KEY or len(SECRET_KEY) < 40):
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY doit être défini (au moins 40 caractères) quand DJANGO_DEBUG=0."
    )

ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "import_export",
    "simple_history",
    "axes",
    "django_tasks",
    "django_tasks.backends.database",
    "juries",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "juries.middleware.RefuseControlCharactersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    "juries.middleware.ContentSecurityPolicyMiddleware",
    "juries.http.NoStoreDownloadsMiddleware",
]

ROOT_URLCONF = "qlio.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "juries.context.nav",
            ],
        },
    },
]

WSGI_APPLICATION = "qlio.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A deferred SQLite transaction that reads then writes fails at once with "database is locked"
    # when another writer got there first; IMMEDIATE takes the write lock at BEGIN, so the second
    # save waits (up to the timeout, in seconds) and then sees the first one's version: the same
    # French conflict message as on PostgreSQL.
    DATABASES["default"].setdefault("OPTIONS", {}).update({
        "transaction_mode": "IMMEDIATE",
        "timeout": int(os.environ.get("QLIO_SQLITE_TIMEOUT", "20")),
    })

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fr"
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
FIXTURE_DIRS = [BASE_DIR / "fixtures"]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sessions expire after 8 hours of inactivity and when the browser closes.
SESSION_COOKIE_AGE = int(os.environ.get("DJANGO_SESSION_AGE", str(8 * 3600)))
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# django-axes: lock an account+IP after 5 failed logins for 30 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = os.environ.get("AXES_ENABLED", "1") == "1"
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"

# Uploaded spreadsheets: refused above this size (bytes).
QLIO_MAX_UPLOAD_BYTES = int(os.environ.get("QLIO_MAX_UPLOAD_BYTES", str(5 * 1024 * 1024)))
QLIO_MAX_IMPORT_ROWS = int(os.environ.get("QLIO_MAX_IMPORT_ROWS", "100000"))
# Seconds of CPU one uploaded file may take to be read (juries.importers.tabular.ParseBudget).
QLIO_IMPORT_TIME_BUDGET = float(os.environ.get("QLIO_IMPORT_TIME_BUDGET", "20"))
# Relevé batches (PDFs, ZIP, merged PDF) go in <QLIO_RELEVES_DIR>/qlio-releves/ (the system's
# temporary folder when empty); folders 0700, files 0600.
QLIO_RELEVES_DIR = os.environ.get("QLIO_RELEVES_DIR", "")
# Background work (relevé batches, decision letters): Django's tasks API (django-tasks backport),
# stored in the database and run by `manage.py worker` (make run starts it; docker-compose has a
# worker service). QLIO_TASKS_BACKEND=django_tasks.backends.immediate.ImmediateBackend runs them in
# the request instead (no worker needed, the page waits).
TASKS = {"default": {"BACKEND": os.environ.get("QLIO_TASKS_BACKEND", "django_tasks.backends.database.DatabaseBackend")}}
# The means and delay of appeal printed on decision letters (empty: the French default of
# juries/presenters/lettre.py, recours gracieux / contentieux within two months).
QLIO_LETTRE_RECOURS = os.environ.get("QLIO_LETTRE_RECOURS", "")
DATA_UPLOAD_MAX_MEMORY_SIZE = QLIO_MAX_UPLOAD_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = QLIO_MAX_UPLOAD_BYTES
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20000

IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True

# The CSRF failure page in French, in the site's layout (the other error pages are templates).
CSRF_FAILURE_VIEW = "juries.views.errors.csrf_failure"

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = os.environ.get("DJANGO_SECURE_SSL_REDIRECT", "1") == "1"
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    # Cookies travel over HTTPS only; DJANGO_SECURE_COOKIES=0 is for the local load benchmark alone.
    SESSION_COOKIE_SECURE = os.environ.get("DJANGO_SECURE_COOKIES", "1") == "1"
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# Production: a cache shared by every gunicorn worker (relevé PDFs, verification throttling).
if not DEBUG:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.environ.get("QLIO_CACHE_DIR", str(BASE_DIR / "var" / "cache")),
            "TIMEOUT": 24 * 3600,
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    }

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}

# E-mail (password reset): DJANGO_EMAIL_URL or EMAIL_HOST & co., the console by default
# (qlio/email_url.py, docs/exploitation.md).
from qlio.email_url import email_settings as _email_settings  # noqa: E402

try:
    globals().update(_email_settings(os.environ))
except ValueError as _exc:
    raise ImproperlyConfigured(str(_exc)) from None
DEFAULT_FROM_EMAIL = (os.environ.get("DJANGO_DEFAULT_FROM_EMAIL") or os.environ.get("DEFAULT_FROM_EMAIL")
                      or "QLIO Jury <ne-pas-repondre@iut-rodez.fr>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
PASSWORD_RESET_TIMEOUT = int(os.environ.get("DJANGO_PASSWORD_RESET_TIMEOUT", str(24 * 3600)))
QLIO_PASSWORD_RESET_LIMIT = int(os.environ.get("QLIO_PASSWORD_RESET_LIMIT", "5"))  # requests per address and hour

# Sign-in with the university's CAS (ENT) through django-cas-ng: off unless QLIO_CAS_SERVER_URL is
# set (juries/auth_cas.py, docs/exploitation.md). Local accounts keep working either way.
INSTALLED_APPS.append("django_cas_ng")
AUTHENTICATION_BACKENDS.append("juries.auth_cas.CASBackend")
CAS_SERVER_URL = os.environ.get("QLIO_CAS_SERVER_URL", "").strip()
CAS_VERSION = os.environ.get("QLIO_CAS_VERSION", "3").strip() or "3"
QLIO_CAS_STUDENT_ATTRIBUTE = os.environ.get("QLIO_CAS_STUDENT_ATTRIBUTE", "").strip()
CAS_CREATE_USER = False  # an unknown CAS identity gets no account
CAS_APPLY_ATTRIBUTES_TO_USER = False
CAS_REDIRECT_URL = "home"
CAS_IGNORE_REFERER = True
CAS_LOGIN_MSG = None
CAS_LOGGED_MSG = None
CAS_LOGIN_URL_NAME = "cas_login"
