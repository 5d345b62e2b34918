"""The organizations page: the list for every signed-in user, the form for administrators."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from civica.accounts.access import SIGNED_IN, requires
from civica.accounts.roles import Capability
from civica.organizations import selectors, services
from civica.organizations.forms import OrganizationForm


@requires(SIGNED_IN, write=Capability.MANAGE_USERS)
def organization_list(request):
    can_create = request.user.can(Capability.MANAGE_USERS)
    form = None
    if can_create:
        form = OrganizationForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                organization = services.create_organization(
                    actor=request.user,
                    name=form.cleaned_data["name"],
                    kind=form.cleaned_data["kind"],
                    municipality=form.cleaned_data.get("municipality"),
                )
            except ValidationError as error:
                for field, problems in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, problems)
            else:
                messages.success(
                    request, _("Organization %(name)s created.") % {"name": organization.name}
                )
                return redirect("organizations:list")
    return render(
        request,
        "organizations/list.html",
        {"organizations": selectors.organizations(request.user), "form": form},
    )
