"""Keeps the current request's address and path at hand for audit events."""

from __future__ import annotations

from contextvars import ContextVar

_request_context: ContextVar[dict | None] = ContextVar("civica_audit_request", default=None)


def current_request_context() -> dict:
    return _request_context.get() or {}


def client_ip(request) -> str | None:
    # REMOTE_ADDR only: X-Forwarded-For is set by clients and cannot be trusted without a
    # configured proxy.
    return request.META.get("REMOTE_ADDR") or None


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request_context.set({"ip": client_ip(request), "path": request.path[:300]})
        try:
            return self.get_response(request)
        finally:
            _request_context.reset(token)
