from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from civica.accounts import scope
from civica.accounts.roles import Capability
from civica.territory import selectors as territory_selectors


@login_required
@require_GET
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
