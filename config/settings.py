"""Concord's only settings module: everything that differs between machines comes from
the environment (see .env.example), with defaults that are safe for development."""

from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from concord.core.encryption import GENERATE_KEY_COMMAND, key_problems, parse_keys
from config.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("CONCORD_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", default=True)

_DEV_SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"  # noqa: S105 (refused when DEBUG=0)
SECRET_KEY = env_str("SECRET_KEY", "" if not DEBUG else _DEV_SECRET_KEY)
if not DEBUG and (
    len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith("django-insecure")
):
    raise ImproperlyConfigured(
        "SECRET_KEY is missing or weak. With DEBUG=0 set SECRET_KEY to at least 50 random "
        "characters, for example: python -c 'import secrets; print(secrets.token_urlsafe(64))'"
    )

# Encryption at rest (concord.core.encryption): comma-separated Fernet keys, the first
# encrypts and every one decrypts, so a new key goes first and `manage.py rotate_field_key`
# moves everything onto it before the old one is removed.
# The development key decodes to "concord-dev-only-field-key-32byt"; refused when DEBUG=0.
_DEV_FIELD_ENCRYPTION_KEY = "Y29uY29yZC1kZXYtb25seS1maWVsZC1rZXktMzJieXQ="
FIELD_ENCRYPTION_KEYS = parse_keys(
    env_str("FIELD_ENCRYPTION_KEY", "" if not DEBUG else _DEV_FIELD_ENCRYPTION_KEY)
)
if not DEBUG:
    _key_problems = key_problems(FIELD_ENCRYPTION_KEYS)
    if _DEV_FIELD_ENCRYPTION_KEY in FIELD_ENCRYPTION_KEYS:
        _key_problems.append("FIELD_ENCRYPTION_KEY holds the public development key.")
    if _key_problems:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEY is missing or malformed: "
            + " ".join(_key_problems)
            + " With DEBUG=0 set it to one or more comma-separated keys, each made by: "
            + GENERATE_KEY_COMMAND
        )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # First, so that its collectstatic (which skips unserved USWDS files) wins.
    "concord.core",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "csp",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "concord.audit",
    "concord.coalition",
    "concord.agencies",
    "concord.accounts",
    "concord.meetings",
    "concord.membership",
    "concord.directory",
    "concord.referrals",
    "concord.trainings",
    "concord.assistance",
    "concord.awareness",
    "concord.backups",
    "concord.library",
    "concord.forum",
    "concord.reports",
]

MIDDLEWARE = [
    "concord.core.requestid.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "concord.accounts.middleware.SessionLimitsMiddleware",
    "concord.accounts.middleware.RequireMFAMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "concord.core.middleware.NoStoreMiddleware",
]

FORMS_URLFIELD_ASSUME_HTTPS = True
FORM_RENDERER = "concord.core.forms.UswdsFormRenderer"
ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "concord.coalition.context_processors.coalition",
            ],
        },
    },
]

# Database: SQLite in var/ unless DATABASE_URL names another (sqlite:///path or postgres://).
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'concord.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside one writer; IMMEDIATE takes the write lock at BEGIN so
    # concurrent writers queue on the busy timeout instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;"
            " PRAGMA foreign_keys=ON;"
        ),
    }
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env_int("CONN_MAX_AGE", 60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    # The database cache is shared by every worker, so login throttling holds across them.
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "concord_cache",
    },
    # Rendered fragments, in each worker's memory: rebuilt cheaply, and keyed by the
    # directory's revision in the shared cache, so no worker serves an old one.
    "fragments": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "concord-fragments",
        "OPTIONS": {"MAX_ENTRIES": 5000},
    },
}

# Accounts
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "concord.accounts.validators.MaximumLengthValidator"},
]
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:dashboard"
LOGOUT_REDIRECT_URL = "coalition:home"

ACCOUNT_ADAPTER = "concord.accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
# Not "code": whoever reads someone's mailbox must not be able to confirm turning off MFA.
ACCOUNT_REAUTHENTICATION_METHODS = ["password", "mfa"]
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "reauthenticate": "10/m/user",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
# The public membership application: how many applications (or requests for the link)
# one IP address may start in an hour, and one email address in a day.
MEMBERSHIP_RATE_PER_IP = env_int("MEMBERSHIP_RATE_PER_IP", 20)
MEMBERSHIP_RATE_PER_ADDRESS = env_int("MEMBERSHIP_RATE_PER_ADDRESS", 5)
# Public training registrations: how many one IP address may send in an hour, and one
# email address in a day.
TRAININGS_RATE_PER_IP = env_int("TRAININGS_RATE_PER_IP", 30)
TRAININGS_RATE_PER_ADDRESS = env_int("TRAININGS_RATE_PER_ADDRESS", 10)
# Public technical assistance requests: per IP address in an hour, per email address a day.
ASSISTANCE_RATE_PER_IP = env_int("ASSISTANCE_RATE_PER_IP", 10)
ASSISTANCE_RATE_PER_ADDRESS = env_int("ASSISTANCE_RATE_PER_ADDRESS", 5)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env_str("MFA_TOTP_ISSUER", "Concord")
MFA_RECOVERY_CODE_COUNT = 10

# Sessions: server-side, a new key at login (Django does this), an idle timeout and an
# absolute lifetime enforced by SessionLimitsMiddleware.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = env_int("SESSION_ABSOLUTE_SECONDS", 12 * 60 * 60)
SESSION_IDLE_SECONDS = env_int("SESSION_IDLE_SECONDS", 30 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
_secure_cookies = env_bool("SECURE_COOKIES", default=not DEBUG)
SESSION_COOKIE_SECURE = _secure_cookies
CSRF_COOKIE_SECURE = _secure_cookies
if not _secure_cookies:
    # The __Host- prefix needs Secure; without it plain names keep local HTTP working.
    SESSION_COOKIE_NAME = "concord_session"
    CSRF_COOKIE_NAME = "concord_csrf"
else:
    SESSION_COOKIE_NAME = "__Host-concord_session"
    CSRF_COOKIE_NAME = "__Host-concord_csrf"

# Transport and headers (SECURITY.md rule 9).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^health/(ready)?$"]
if env_bool("TRUST_X_FORWARDED_PROTO", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 365 * 24 * 60 * 60
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
# No referrer to other sites. Not "no-referrer": with it browsers send "Origin: null" on
# same-site form posts, and Django's CSRF check refuses every form, the login included.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        # The nonce is sent only on pages that use it: the reports' inline SVG charts
        # carry their stylesheet (issue 9).
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
    }
}

# Languages: English at /, Spanish at /es/; the URL carries the language, never a cookie.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = env_str("TIME_ZONE", "America/Los_Angeles")
USE_TZ = True

# Static files: USWDS and htmx come from node_modules (npm ci), served by WhiteNoise.
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
_USWDS = BASE_DIR / "node_modules" / "@uswds" / "uswds" / "dist"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("uswds/css", _USWDS / "css"),
    ("uswds/js", _USWDS / "js"),
    ("uswds/img", _USWDS / "img"),
    ("uswds/fonts", _USWDS / "fonts"),
    ("htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
    # Client documents: encrypted at rest, random names, never served directly.
    "encrypted": {"BACKEND": "concord.core.storage.EncryptedFileSystemStorage"},
}
MEDIA_ROOT = VAR_DIR / "uploads"
# Outside the web root, and apart from var/private: every file here is a Fernet token.
ENCRYPTED_FILES_ROOT = VAR_DIR / "encrypted"

# Directory imports by upload (issue 5): files wait outside the web root under a random
# name until the background import ends, then are deleted. A ZIP of a tabular package is
# refused past these bounds (zip bombs).
DIRECTORY_IMPORT_DIR = VAR_DIR / "private" / "directory-imports"
DIRECTORY_IMPORT_MAX_BYTES = env_int("DIRECTORY_IMPORT_MAX_BYTES", 50 * 1024 * 1024)
DIRECTORY_IMPORT_MAX_UNPACKED_BYTES = env_int(
    "DIRECTORY_IMPORT_MAX_UNPACKED_BYTES", 500 * 1024 * 1024
)
DIRECTORY_IMPORT_MAX_FILES = env_int("DIRECTORY_IMPORT_MAX_FILES", 100)

# Backups (issue 10): `manage.py backup`, and the nightly task writing here and keeping the
# newest BACKUP_KEEP archives. They hold ciphertext; FIELD_ENCRYPTION_KEY is never in them.
BACKUP_DIR = Path(env_str("CONCORD_BACKUP_DIR", str(VAR_DIR / "backups")))
BACKUP_KEEP = env_int("CONCORD_BACKUP_KEEP", 14)

# Email: real SMTP whenever EMAIL_HOST is set; the console in development otherwise.
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=bool(EMAIL_HOST_USER))
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Concord <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Django's SMTP backend, keeping what the server does not take in a queue (concord/core/mail.py).
EMAIL_BACKEND = (
    "concord.core.mail.QueuedSMTPBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)

# Referrals (issue 6): response times by urgency, consent and retention periods, the idle
# timeout of anyone who handles referrals (SECURITY.md rule 7), the signed form's size cap.
REFERRAL_EMERGENCY_RESPONSE_HOURS = env_int("REFERRAL_EMERGENCY_RESPONSE_HOURS", 2)
REFERRAL_URGENT_RESPONSE_BUSINESS_DAYS = env_int("REFERRAL_URGENT_RESPONSE_BUSINESS_DAYS", 1)
REFERRAL_ROUTINE_RESPONSE_BUSINESS_DAYS = env_int("REFERRAL_ROUTINE_RESPONSE_BUSINESS_DAYS", 3)
REFERRAL_CONSENT_DAYS = env_int("REFERRAL_CONSENT_DAYS", 90)
REFERRAL_RETENTION_DAYS = env_int("REFERRAL_RETENTION_DAYS", 30)
REFERRAL_SESSION_IDLE_SECONDS = env_int("REFERRAL_SESSION_IDLE_SECONDS", 30 * 60)
REFERRAL_CONSENT_MAX_BYTES = env_int("REFERRAL_CONSENT_MAX_BYTES", 10 * 1024 * 1024)

# Certificate checks at /certificates/<code>/ (issue 7): lookups per IP address an hour, so
# nobody can walk through codes.
CERTIFICATE_LOOKUPS_PER_IP = env_int("CERTIFICATE_LOOKUPS_PER_IP", 60)

# Awareness materials (issue 7): a PDF, PNG or JPEG upload's size cap. Stored encrypted,
# which caps files at 20 MB whatever this says.
AWARENESS_MATERIAL_MAX_BYTES = env_int("AWARENESS_MATERIAL_MAX_BYTES", 20 * 1024 * 1024)

# The policies and protocols library (issue 8): the size cap of an uploaded version (PDF,
# DOCX, XLSX, PPTX, PNG or JPEG). Stored encrypted, so 20 MB at most whatever this says;
# the chairs of a document's committee are reminded this many days before its review.
LIBRARY_UPLOAD_MAX_BYTES = env_int("LIBRARY_UPLOAD_MAX_BYTES", 20 * 1024 * 1024)
LIBRARY_REVIEW_REMINDER_DAYS = env_int("LIBRARY_REVIEW_REMINDER_DAYS", 30)
# How long the reports dashboard keeps its rendered figures at most (seconds; 0: never).
# Any change to a record they count renews them at once (concord/reports/cache.py).
REPORTS_CACHE_SECONDS = env_int("REPORTS_CACHE_SECONDS", 300)

# Background work: django-tasks on the database, run by `manage.py db_worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# /health/ready reports the queue stalled when a due task has waited longer than this.
TASK_QUEUE_MAX_WAIT_SECONDS = env_int("TASK_QUEUE_MAX_WAIT_SECONDS", 15 * 60)
# A job still "running" after this long lost its worker; the scheduler queues it again.
TASK_STALE_SECONDS = env_int("TASK_STALE_SECONDS", 60 * 60)

# Structured logs in production (LOG_FORMAT=json, the default with DEBUG=0); plain lines in
# development. Every line carries the request id; none carries personal data (SECURITY.md).
LOG_FORMAT = env_str("LOG_FORMAT", "plain" if DEBUG else "json")
if LOG_FORMAT not in ("plain", "json"):
    raise ImproperlyConfigured("LOG_FORMAT must be plain or json.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "concord.core.requestid.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "{asctime} {levelname} {name} [{request_id}] {message}", "style": "{"},
        # One JSON object a line, for a log collector; python-json-logger adds the extras.
        # "time" is ISO 8601 in UTC: asctime would be the coalition's local time with no offset.
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "{levelname}{name}{request_id}{message}",
            "style": "{",
            "timestamp": "time",
            "rename_fields": {"levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's own console handler would print every line twice beside the root's.
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # Request logs carry full URLs and the 4xx noise of scanners; warnings are enough.
        "django.request": {"level": "ERROR"},
        "django.server": {"level": "WARNING"},
    },
}
