from __future__ import annotations

from django.shortcuts import render

from civica.accounts import scope
from civica.accounts.access import SIGNED_IN, requires
from civica.accounts.roles import Capability
from civica.territory import selectors as territory_selectors


@requires(SIGNED_IN)
def home(request):
    user = request.user
    return render(
        request,
        "web/home.html",
        {
            "summary": territory_selectors.summary(user),
            "scope_label": scope.describe(user),
            "can_view_audit": user.can(Capability.VIEW_AUDIT),
            "can_manage": user.is_staff,
        },
    )
