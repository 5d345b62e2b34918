"""Django settings for Cívica: the one place where configuration is read.

Every value comes from an environment variable through the typed helpers in
:mod:`civica.env`; ``docs/settings.md`` documents each one. Two deployment modes exist:

* ``local`` (default): the embedded setup. SQLite and keys live in the workspace
  (``CIVICA_HOME``); missing keys are generated there on first use.
* ``production``: everything security-relevant must be given explicitly; the system checks in
  :mod:`civica.core.checks` refuse to start otherwise.
"""

from __future__ import annotations

import importlib.util
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from civica import workspace
from civica.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent
CIVICA_HOME = workspace.home()
workspace.private_files()

CIVICA_DEPLOYMENT = env_str("CIVICA_DEPLOYMENT", "local").lower()
PRODUCTION = CIVICA_DEPLOYMENT == "production"

DEBUG = env_bool("CIVICA_DEBUG", False)

# In local mode a missing key is generated once and kept in the workspace. In production it
# must come from the environment: a placeholder that Django accepts but check civica.E002
# refuses stands in for a missing one, so the operator sees the check's message.
SECRET_KEY = env_str("CIVICA_SECRET_KEY") or (
    "django-insecure-missing-CIVICA_SECRET_KEY"
    if PRODUCTION
    else workspace.read_or_create_secret(CIVICA_HOME / "secret_key", workspace.new_secret_key)
)
CIVICA_ENCRYPTION_KEYS = env_list("CIVICA_ENCRYPTION_KEYS") or (
    []
    if PRODUCTION
    else [workspace.read_or_create_secret(CIVICA_HOME / "encryption_key", workspace.new_fernet_key)]
)

# The key of the blind indexes (HMAC-SHA256) that find a person by CURP or birth date without
# decrypting: it is not an encryption key and never rotates with them (rotating it means
# recomputing every index, see docs/participants.md).
CIVICA_INDEX_KEY = env_str("CIVICA_INDEX_KEY") or (
    ""
    if PRODUCTION
    else workspace.read_or_create_secret(CIVICA_HOME / "index_key", workspace.new_secret_key)
)

# The key of the audit log's hash chain (civica.audit.chain): kept out of the database, so
# whoever can write the table cannot forge a chain that verifies.
CIVICA_AUDIT_KEY = env_str("CIVICA_AUDIT_KEY") or (
    ""
    if PRODUCTION
    else workspace.read_or_create_secret(CIVICA_HOME / "audit_key", workspace.new_secret_key)
)

ALLOWED_HOSTS = env_list("CIVICA_ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CIVICA_CSRF_TRUSTED_ORIGINS")
# Addresses of the HTTPS proxy in front of `civica serve`: only from these are the
# X-Forwarded-Proto and X-Forwarded-For headers believed (the protocol, so that HTTPS is not
# redirected again in a loop; the client's address, for the audit log and log-in lock-outs).
CIVICA_TRUSTED_PROXIES = env_list("CIVICA_TRUSTED_PROXIES")
CIVICA_WEB_WORKERS = env_int("CIVICA_WEB_WORKERS", 1 if not PRODUCTION else 4, minimum=1)

INSTALLED_APPS = [
    # Without autodiscovery at start: civica/urls.py registers the admin modules when the
    # URLs load (pages, `civica serve`, the system checks), so a CLI call does not import
    # every app's admin (issue 19).
    "django.contrib.admin.apps.SimpleAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "knox",
    "axes",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "django_tasks_db",
    "civica.core",
    "civica.accounts",
    "civica.organizations",
    "civica.territory",
    "civica.audit",
    "civica.official",
    "civica.incidents",
    "civica.interventions",
    "civica.problems",
    "civica.monitoring",
    "civica.participants",
    "civica.justice",
    "civica.police",
    "civica.reinsertion",
    "civica.jobs",
    "civica.web",
    "civica.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "civica.web.security.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "civica.web.middleware.LanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "civica.audit.middleware.RequestContextMiddleware",
    # Last, as django-axes asks: it turns a refused log-in into the lock-out answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "civica.urls"
WSGI_APPLICATION = "civica.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "civica.web.context_processors.civica",
            ],
        },
    },
]

_default_database = f"sqlite:///{CIVICA_HOME / 'civica.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or _default_database, conn_max_age=0, conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets web readers continue while an import writes; the busy timeout makes a second
    # writer wait instead of failing at once.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# django-axes counts failed log-ins (web and /api/token/) per account and, separately, per
# address; past the limit both are refused until the cool-off ends or `civica users unlock`.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("CIVICA_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("CIVICA_LOGIN_LOCKOUT_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "civica.accounts.lockout.response"
AXES_CLIENT_IP_CALLABLE = "civica.audit.middleware.client_ip"
AXES_VERBOSE = False
# API tokens (django-rest-knox): stored as SHA-512 digests, valid for a limited time,
# revoked when the password changes (accounts.models.User.save).
REST_KNOX = {
    "TOKEN_TTL": timedelta(hours=env_int("CIVICA_API_TOKEN_HOURS", 24 * 30, minimum=1)),
    "AUTH_HEADER_PREFIX": "Token",
    "AUTO_REFRESH": False,
}
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

LANGUAGE_CODE = "es-mx"
LANGUAGES = [("es-mx", _("Spanish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Form widgets render dates in ISO first, as <input type="date"> requires (civica/formats/).
FORMAT_MODULE_PATH = ["civica.formats"]
TIME_ZONE = env_str("CIVICA_TIME_ZONE", "America/Mexico_City")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Leaflet's files come from the django-leaflet package; only its static folder is used (its
# Django app would pull in GeoDjango and GDAL), so the folder is found without importing it.
STATICFILES_DIRS = [
    Path(location) / "static"
    for location in (importlib.util.find_spec("leaflet").submodule_search_locations or [])
]
# Production serves the output of `python -m django collectstatic`; locally WhiteNoise reads the
# app folders directly.
STATIC_ROOT = (env_str("CIVICA_STATIC_ROOT") or str(CIVICA_HOME / "static")) if PRODUCTION else None
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Without collectstatic (local mode) WhiteNoise serves straight from the app folders.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "knox.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Cívica API",
    "DESCRIPTION": "Territory, records and statistics of Cívica. Every endpoint applies the "
    "requesting user's role and territorial scope.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("CIVICA_SESSION_SECONDS", 8 * 3600, minimum=300)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("CIVICA_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("CIVICA_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if CIVICA_TRUSTED_PROXIES:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Where the demo finds official files when no --data folder is given (see civica.demo).
CIVICA_DEMO_DATA_URL = env_str("CIVICA_DEMO_DATA_URL")
CIVICA_DATA_DIR = env_str("CIVICA_DATA_DIR")
# Parquet snapshots of official statistics (see civica.warehouse.store).
CIVICA_WAREHOUSE_DIR = env_str("CIVICA_WAREHOUSE_DIR") or str(CIVICA_HOME / "warehouse")
# Basemap tiles for incident maps, e.g. https://tile.example.org/{z}/{x}/{y}.png; empty: maps
# draw polygons and points on a plain background (works offline).
CIVICA_TILE_URL = env_str("CIVICA_TILE_URL")
CIVICA_TILE_ATTRIBUTION = env_str("CIVICA_TILE_ATTRIBUTION")
# Where `civica fetch sesnsp` downloads from when no URL is given.
CIVICA_SESNSP_URL = env_str("CIVICA_SESNSP_URL")
# Aggregate outputs (fact sheet, indicator tables, DHIS2) suppress counts of people below this.
CIVICA_SUPPRESSION_THRESHOLD = env_int("CIVICA_SUPPRESSION_THRESHOLD", 5, minimum=1)

# Long work (permutation tests, evaluations, PDFs, imports) runs as background jobs through
# Django's task framework (the django-tasks backport). The embedded default keeps the queue in
# the database, so no server is needed; `rq` puts it on Redis for workers on several machines.
# The same @task code runs on both (see docs/jobs.md).
CIVICA_JOBS_BACKEND = env_str("CIVICA_JOBS_BACKEND", "database").lower()
CIVICA_REDIS_URL = env_str("CIVICA_REDIS_URL", "redis://127.0.0.1:6379/0")
# Whether `civica serve` and `civica demo` start a worker beside the web server (database
# backend only: an RQ deployment runs its workers as their own services).
CIVICA_JOBS_AUTOSTART_WORKER = env_bool("CIVICA_JOBS_AUTOSTART_WORKER", True)
if CIVICA_JOBS_BACKEND == "rq":
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    RQ_QUEUES = {"default": {"URL": CIVICA_REDIS_URL, "DEFAULT_TIMEOUT": 3600}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("CIVICA_LOG_LEVEL", "WARNING")},
}
