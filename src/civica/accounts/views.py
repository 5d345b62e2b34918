from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _

from civica.accounts import scope
from civica.accounts.access import SIGNED_IN, requires
from civica.accounts.forms import PreferencesForm
from civica.accounts.roles import capabilities_of


@requires(SIGNED_IN, write=SIGNED_IN)
def profile(request):
    form = PreferencesForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        response = redirect("accounts:profile")
        if user.preferred_language:
            translation.activate(user.preferred_language)
            response.set_cookie("django_language", user.preferred_language, samesite="Lax")
        messages.success(request, _("Your preferences were saved."))
        return response
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "scope_label": scope.describe(request.user),
            "capabilities": sorted(capabilities_of(request.user.role))
            if not request.user.is_administrator
            else ["*"],
        },
    )
