"""The answer to a locked-out log-in (django-axes ``AXES_LOCKOUT_CALLABLE``): a page in the
user's language on the web, JSON on the API; 429 either way."""

from __future__ import annotations

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def response(request, original_response=None, credentials=None):
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    if request.path.startswith("/api/"):
        message = _(
            "Too many failed log-ins for this account or address: try again in %(minutes)d minutes."
        ) % {"minutes": minutes}
        return JsonResponse({"detail": message}, status=429)
    return render(request, "accounts/locked_out.html", {"cooloff_minutes": minutes}, status=429)
