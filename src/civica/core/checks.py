"""Start-up checks that refuse a misconfigured deployment.

Ids are stable (``civica.E001`` …) so operators can search for them in ``docs/settings.md``.
Errors are raised for every deployment in production mode, and for ``check --deploy``.
"""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

from civica.core.crypto import invalid_keys

_INSECURE_PREFIX = "django-insecure"


def _production() -> bool:
    return bool(getattr(settings, "PRODUCTION", False))


@register(Tags.security, deploy=True)
def check_production_settings(app_configs=None, **kwargs):
    """Production mode must not run with development defaults."""
    if not _production():
        return []
    errors = []
    if settings.DEBUG:
        errors.append(
            Error(
                "CIVICA_DEBUG is on in production: pages would show tracebacks and settings.",
                hint="Unset CIVICA_DEBUG or set it to false.",
                id="civica.E001",
            )
        )
    if (
        not settings.SECRET_KEY
        or settings.SECRET_KEY.startswith(_INSECURE_PREFIX)
        or len(set(settings.SECRET_KEY)) < 5
        or len(settings.SECRET_KEY) < 50
    ):
        errors.append(
            Error(
                "CIVICA_SECRET_KEY is missing or weak in production.",
                hint="Set CIVICA_SECRET_KEY to a random string of at least 50 characters, e.g. "
                "the output of: python -c 'import secrets; print(secrets.token_urlsafe(50))'.",
                id="civica.E002",
            )
        )
    if not settings.CIVICA_ENCRYPTION_KEYS:
        errors.append(
            Error(
                "CIVICA_ENCRYPTION_KEYS is missing in production: personal data could not be "
                "encrypted at rest.",
                hint="Generate a key with `civica keys generate` and set CIVICA_ENCRYPTION_KEYS.",
                id="civica.E003",
            )
        )
    if not getattr(settings, "CIVICA_INDEX_KEY", ""):
        errors.append(
            Error(
                "CIVICA_INDEX_KEY is missing in production: persons could not be found by "
                "CURP or birth date without decrypting, and duplicates would go unnoticed.",
                hint="Set CIVICA_INDEX_KEY to a long random secret (civica keys generate "
                "prints one) and never change it without rebuilding the indexes.",
                id="civica.E007",
            )
        )
    if not getattr(settings, "CIVICA_AUDIT_KEY", ""):
        errors.append(
            Error(
                "CIVICA_AUDIT_KEY is missing in production: the audit log's hash chain could "
                "not be written or verified.",
                hint="Set CIVICA_AUDIT_KEY to a long random secret kept outside the database "
                "(civica keys generate prints one).",
                id="civica.E008",
            )
        )
    sqlite = settings.DATABASES["default"]["ENGINE"].endswith("sqlite3")
    if sqlite and settings.CIVICA_WEB_WORKERS > 1:
        errors.append(
            Error(
                f"SQLite cannot serve {settings.CIVICA_WEB_WORKERS} web workers safely in "
                "production.",
                hint="Use PostgreSQL (DATABASE_URL=postgresql://…) or CIVICA_WEB_WORKERS=1.",
                id="civica.E004",
            )
        )
    if not settings.ALLOWED_HOSTS:
        errors.append(
            Error(
                "CIVICA_ALLOWED_HOSTS is empty in production.",
                hint="Set CIVICA_ALLOWED_HOSTS to the host names the site is served under.",
                id="civica.E005",
            )
        )
    return errors


@register(Tags.security)
def check_encryption_keys(app_configs=None, **kwargs):
    """Every configured encryption key must be a valid Fernet key."""
    bad = invalid_keys(settings.CIVICA_ENCRYPTION_KEYS)
    if not bad:
        return []
    positions = ", ".join(str(i + 1) for i in bad)
    return [
        Error(
            f"CIVICA_ENCRYPTION_KEYS has invalid key(s) at position(s) {positions}.",
            hint="Each key is 32 url-safe base64-encoded bytes; `civica keys generate` makes one.",
            id="civica.E006",
        )
    ]


@register()
def check_deployment_mode(app_configs=None, **kwargs):
    if settings.CIVICA_DEPLOYMENT in {"local", "production"}:
        return []
    return [
        Warning(
            f"CIVICA_DEPLOYMENT={settings.CIVICA_DEPLOYMENT!r} is not known; running as 'local'.",
            hint="Use 'local' or 'production'.",
            id="civica.W001",
        )
    ]
