"""Community-based reinsertion as a track with its own pages, on the participants model.

A community case is a participants enrollment in the "community-based reinsertion" track,
opened on a referral from detention, civic justice or the police (participants' referral
sources). The track's pages gather what the work needs and reuse the participants' pages
and services where they exist: the eligibility screening is participants' screening page
with its versioned instruments, a mentoring session or other service is participants'
service (its form and ``casework.record_service``), the exit is participants' closing page,
and the follow-ups after exit are reinsertion's (``ReleaseFollowUp``, counted from the exit).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from civica.participants import casework
from civica.participants import selectors as people
from civica.participants.forms import ServiceForm
from civica.participants.models import ServiceKind, Track
from civica.reinsertion import forms, lottery, selectors
from civica.reinsertion.views import _errors, _form_page, _personal
from civica.web.paging import paginate

PER_PAGE = 50


@_personal
def community(request):
    """Community cases of the caseload (open, and closed ones whose follow-ups after exit
    are still due) with their referral, eligibility, sessions and what is due."""
    form = forms.CommunityCaseForm(
        request.POST or None, organizations=selectors.organizations(request.user)
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            person = people.person_by_pid(request.user, data.pop("pid"))
            casework.enroll(
                actor=request.user,
                person=person,
                track=Track.REINSERTION,
                case_worker=request.user,
                **data,
            )
        except Http404:
            form.add_error("pid", _("No person with that id in your organizations."))
        except (ValidationError, PermissionDenied) as error:
            _errors(form, error)
        else:
            messages.success(request, _("Community case opened."))
            return redirect("reinsertion:community_case", pid=person.pid)
    cases = selectors.community_cases(request.user, open_only=False).order_by(
        "exit_date", "person__pid", "id"
    )
    page, base_query = paginate(request, cases, PER_PAGE)
    listed = list(page.object_list)
    today = timezone.localdate()
    due = selectors.due_after_release(listed, today=today)
    screened = selectors.latest_screenings(request.user, [e.person_id for e in listed])
    sessions = selectors.sessions_per_case(listed)
    rows = [
        {
            "case": e,
            "screening": screened.get(e.person_id),
            "sessions": sessions.get(e.pk, 0),
            "due": due.get(e.pk, []),
        }
        for e in listed
    ]
    return render(
        request,
        "reinsertion/community.html",
        {"rows": rows, "page": page, "base_query": base_query, "form": form},
    )


@_personal
def community_case(request, pid):
    """A person's community case: referral, eligibility screening (with its rule), mentoring
    and services, exit, follow-ups after exit."""
    person = people.person_by_pid(request.user, pid)
    case = selectors.community_case_of(request.user, person)
    context = {
        "person": person,
        "case": case,
        "instruments": people.instruments(request.user),
    }
    screening = selectors.latest_screenings(request.user, [person.pk]).get(person.pk)
    if screening is not None:
        context |= {
            "screening": screening,
            "verdict": lottery.screening_result(screening),
            "rule": lottery.eligibility_rule(screening.instrument),
        }
    if case is not None:
        context |= {
            "sessions": list(
                people.services_of(request.user, person).filter(enrollment=case).order_by("-date")
            ),
            "follow_ups": list(selectors.follow_ups(request.user, case)),
            "due": selectors.due_after_release([case]).get(case.pk, []),
        }
    return render(request, "reinsertion/community_case.html", context)


@_personal
def community_session(request, pid):
    """A mentoring session (or another service) of her community case: participants'
    service form and service, the case fixed."""
    person = people.person_by_pid(request.user, pid)
    case = selectors.community_case_of(request.user, person)
    if case is None:
        raise Http404("case")
    form = ServiceForm(
        request.POST or None,
        enrollments=selectors.cases_of(request.user, person).filter(pk=case.pk),
        initial={
            "enrollment": case.pk,
            "kind": ServiceKind.MENTORING,
            "date": timezone.localdate(),
        },
    )
    return _form_page(
        request,
        form=form,
        title=_("Mentoring session or service"),
        back=person.pid,
        back_url=reverse("reinsertion:community_case", args=[person.pid]),
        action=lambda data: casework.record_service(actor=request.user, **data),
        done=("reinsertion:community_case", person.pid),
    )
