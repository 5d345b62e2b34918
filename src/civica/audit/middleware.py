"""Keeps the current request's address and path at hand for audit events."""

from __future__ import annotations

from contextvars import ContextVar

_request_context: ContextVar[dict | None] = ContextVar("civica_audit_request", default=None)


def current_request_context() -> dict:
    return _request_context.get() or {}


def client_ip(request) -> str | None:
    """The client's address: REMOTE_ADDR, or behind a trusted proxy (CIVICA_TRUSTED_PROXIES)
    the last X-Forwarded-For address that is not one of the proxies. X-Forwarded-For from
    anyone else is set by the client and ignored."""
    from django.conf import settings

    remote = request.META.get("REMOTE_ADDR") or None
    proxies = set(getattr(settings, "CIVICA_TRUSTED_PROXIES", ()))
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if remote in proxies and forwarded:
        for address in reversed([a.strip() for a in forwarded.split(",")]):
            if address and address not in proxies:
                return address
    return remote


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request_context.set({"ip": client_ip(request), "path": request.path[:300]})
        try:
            return self.get_response(request)
        finally:
            _request_context.reset(token)
