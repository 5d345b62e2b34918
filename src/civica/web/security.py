"""Headers every answer of the application carries: a Content-Security-Policy, and
``Cache-Control: no-store`` (pages and API answers may hold personal data, and a shared
computer's browser or a proxy must not keep them; an API caller's token is only known inside
the view, so every answer gets it). Static files are served before this by WhiteNoise, with
their own long cache headers."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings

# The one inline handler of the base template (the language switch), allowed by its hash.
_LANGUAGE_SWITCH = "'sha256-osjxnKEPL/pQJbFk1dKsF7PYFmTyMWGmVSiL9inhxJY='"


def content_security_policy(path: str) -> str:
    tiles = ""
    if settings.CIVICA_TILE_URL:
        parts = urlsplit(settings.CIVICA_TILE_URL.replace("{s}", "a"))
        tiles = f" {parts.scheme}://{parts.netloc}" if parts.netloc else ""
        if "{s}" in settings.CIVICA_TILE_URL:
            tiles += f" {parts.scheme}://*.{parts.netloc.split('.', 1)[-1]}"
    # Swagger UI (drf-spectacular's sidecar page) starts itself with an inline script.
    if path.startswith("/api/docs/"):
        script = "'self' 'unsafe-inline'"
    else:
        script = f"'self' 'unsafe-hashes' {_LANGUAGE_SWITCH}"
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src {script}",
            # Inline SVG charts and maps carry style attributes.
            "style-src 'self' 'unsafe-inline'",
            f"img-src 'self' data: blob:{tiles}",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", content_security_policy(request.path))
        response["Cache-Control"] = "no-store"
        return response
