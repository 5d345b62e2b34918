"""Pages of the case plan: goals, family/primary-network members, and closing a case.

Goals and closures are versioned edits: the form carries the version the user loaded, and a
save after someone else's is refused with the differences shown (as the person edit).
Network members' names are personal fields: they are shown only on the person page, whose
view is audited, and never put in a URL (members are listed, not addressed).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from civica.audit.services import Action, record
from civica.participants import casework, selectors, services
from civica.participants.forms import ClosureForm, GoalForm, GoalUpdateForm, NetworkMemberForm
from civica.participants.views import _add_errors, _enrollments_of, _personal_access, _simple


@_personal_access
def goal(request, pid):
    def save(person, data):
        casework.add_goal(actor=request.user, **data)

    return _simple(
        request,
        pid,
        GoalForm,
        _("Case plan goal"),
        save,
        enrollments=_enrollments_of(request, pid).filter(exit_date__isnull=True),
    )


@_personal_access
def network(request, pid):
    def save(person, data):
        casework.add_network_member(actor=request.user, person=person, **data)

    return _simple(request, pid, NetworkMemberForm, _("Family or network member"), save)


@_personal_access
def goal_edit(request, pid, goal_id):
    # Looked up among the goals of the user's own enrollments of this person: another
    # organization's goal id answers 404 like a missing one.
    goals = selectors.goals(request.user, _enrollments_of(request, pid))
    item = get_object_or_404(goals, pk=goal_id)
    # The goal's text (encrypted: it may describe the person) is shown to say which goal
    # changes; that is a view of personal data, audited like the person page.
    record(
        actor=request.user,
        action=Action.VIEW,
        obj=item,
        object_label=item.enrollment.person.pid,
        personal_data=True,
        detail={"purpose": "goal edit"},
    )

    def save(data, version):
        casework.update_goal(actor=request.user, goal=item, version=version, **data)

    return _versioned(
        request,
        item.enrollment,
        GoalUpdateForm,
        item,
        _("Case plan goal"),
        save,
        subject=item.description,
    )


@_personal_access
def close(request, pid, enrollment_id):
    enrollment = get_object_or_404(_enrollments_of(request, pid), pk=enrollment_id)

    def save(data, version):
        casework.close_enrollment(
            actor=request.user, enrollment=enrollment, version=version, **data
        )

    return _versioned(request, enrollment, ClosureForm, enrollment, _("Close the case"), save)


def _readable(obj, value, field: str):
    """A stored or submitted value as the page shows it: a choice's label, not its code."""
    choices = dict(type(obj)._meta.get_field(field).flatchoices)
    return choices.get(value, value)


def _versioned(request, enrollment, form_class, obj, title, save, subject=""):
    person = enrollment.person
    form = form_class(request.POST or None, instance=obj)
    differences = []
    if request.method == "POST" and form.is_valid():
        try:
            save(form.changes(), form.cleaned_data["version"])
        except services.StaleRecord as error:
            differences = [
                d
                | {
                    "stored": _readable(obj, d["stored"], d["field"]),
                    "submitted": _readable(obj, d["submitted"], d["field"]),
                }
                for d in error.differences
            ]
            form.add_error(None, error.messages[0])
            # The next save is judged against what the user has now seen.
            form.data = form.data.copy()
            form.data["version"] = selectors.stored_version(obj)
        except (ValidationError, PermissionDenied) as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("participants:person", pid=person.pid)
    return render(
        request,
        "participants/versioned.html",
        {
            "form": form,
            "person": person,
            "enrollment": enrollment,
            "title": title,
            "subject": subject,
            "differences": differences,
        },
    )
