"""Case-worker pages: caseload, person timeline, and the forms of the work.

Every page addresses a person by pseudonymous id; names appear only on the person page and
the edit form, and each of those views is written to the audit log.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from civica.accounts.access import requires
from civica.accounts.roles import Capability
from civica.participants import casework, reminders, selectors, services
from civica.participants.forms import (
    ConsentForm,
    ContactForm,
    EnrollmentForm,
    OutcomeForm,
    PersonForm,
    ReferralForm,
    ScreeningForm,
    ServiceForm,
    WithdrawalForm,
)
from civica.participants.models import (
    PERSONAL_FIELDS,
    Instrument,
    Person,
    ReferralStatus,
    Track,
)
from civica.web.paging import paginate

PER_PAGE = 50


# Roles without personal data get 404, as if the pages did not exist.
_personal_access = requires(
    Capability.VIEW_PERSONAL_DATA,
    write=(Capability.VIEW_PERSONAL_DATA, Capability.EDIT_RECORDS),
    hidden=True,
)


def _organizations(user):
    return selectors.organizations(user)


def _add_errors(form, error) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            target = field if field in form.fields else None
            for e in errors:
                form.add_error(target, e.messages[0] if hasattr(e, "messages") else str(e))
    else:
        for message in getattr(error, "messages", [str(error)]):
            form.add_error(None, message)


@_personal_access
def caseload(request):
    """Open cases with follow-ups due within 30 days; a pseudonymous id finds a person."""
    query = request.GET.get("q", "").strip().upper()
    if query:
        try:
            return redirect(
                "participants:person", pid=selectors.person_by_pid(request.user, query).pid
            )
        except Http404:
            messages.error(request, _("No person with that id in your organizations."))
    cases = selectors.caseload(request.user).only(
        "id",
        "track",
        "start_date",
        "exit_date",
        "organization__name",
        "person__pid",
        "person__birth_month_index",
        "person__sex",
        "case_worker__username",
    )
    page, base_query = paginate(request, cases, PER_PAGE)
    today = timezone.localdate()
    due = selectors.due_follow_ups(list(page.object_list), today=today)
    # Reminders of apps built on participants (reinsertion's plan and after-release follow-ups).
    others = reminders.due(request.user, page.object_list, today=today)
    rows = [
        {
            "case": e,
            "due": due.get(e.pk, []),
            "reminders": others.get(e.pk, []),
            "age_band": e.person.age_band_on(today),
        }
        for e in page.object_list
    ]
    return render(
        request,
        "participants/caseload.html",
        {"page": page, "base_query": base_query, "rows": rows},
    )


@_personal_access
def person_detail(request, pid):
    person = selectors.person_by_pid(request.user, pid)
    personal = selectors.view_personal_fields(request.user, person)
    records = selectors.history(request.user, person)
    enrollments = records["enrollments"]
    timeline = (
        [(s.date, "screening", s) for s in records["screenings"]]
        + [(s.date, "service", s) for s in records["services"]]
        + [(c.date, "contact", c) for c in records["contacts"]]
        + [(o.recorded_on, "outcome", o) for e in enrollments for o in e.outcomes.all()]
    )
    timeline.sort(key=lambda entry: entry[0], reverse=True)
    today = timezone.localdate()
    return render(
        request,
        "participants/person.html",
        {
            "person": person,
            "personal": personal,
            "age": person.age_on(today),
            "age_band": person.age_band_on(today),
            "timeline": timeline,
            "enrollments": enrollments,
            "consents": person.consents.prefetch_related("share_with"),
            "network": records["network"],
            "due": selectors.due_follow_ups(enrollments, today=today),
            "instruments": selectors.instruments(request.user),
        },
    )


@_personal_access
def register(request):
    """New person; a suspected duplicate is shown for the user to open or to confirm."""
    organizations = _organizations(request.user)
    form = PersonForm(
        request.POST or None,
        organizations=organizations,
        sectors=selectors.residence_sectors(request.user),
    )
    candidates = []
    if request.method == "POST" and form.is_valid():
        organization = form.cleaned_data.get("organization") or organizations.first()
        if organization is None:
            raise PermissionDenied(_("You do not belong to an organization."))
        try:
            person = services.register_person(
                actor=request.user,
                organization=organization,
                not_duplicate_of=request.POST.getlist("not_duplicate_of"),
                **form.personal_values(),
            )
        except services.DuplicateSuspected as error:
            candidates = error.candidates
            form.add_error(None, error.messages[0])
        except (ValidationError, PermissionDenied) as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Registered as %(pid)s.") % {"pid": person.pid})
            return redirect("participants:consent", pid=person.pid)
    return render(request, "participants/register.html", {"form": form, "candidates": candidates})


@_personal_access
def edit(request, pid):
    person = selectors.person_by_pid(request.user, pid)
    if selectors.personal_fields_allowed(request.user, person) != set(PERSONAL_FIELDS):
        # Taken in through a referral: the record is the registering organization's to edit.
        raise PermissionDenied
    selectors.view_personal_fields(request.user, person, purpose="edit")
    form = PersonForm(
        request.POST or None, instance=person, sectors=selectors.residence_sectors(request.user)
    )
    differences = []
    if request.method == "POST" and form.is_valid():
        version = form.cleaned_data.get("version") or 0
        try:
            services.save_versioned(
                actor=request.user, obj=person, version=version, changes=form.personal_values()
            )
        except services.StaleRecord as error:
            differences = error.differences
            form.add_error(None, error.messages[0])
            form.data = form.data.copy()
            form.data["version"] = selectors.stored_version(person)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("participants:person", pid=person.pid)
    return render(
        request,
        "participants/edit.html",
        {"form": form, "person": person, "differences": differences},
    )


def _simple(request, pid, form_class, template_title, save, **form_kwargs):
    person = selectors.person_by_pid(request.user, pid)
    form = form_class(request.POST or None, **form_kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            save(person, form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("participants:person", pid=person.pid)
    return render(
        request, "participants/form.html", {"form": form, "person": person, "title": template_title}
    )


@_personal_access
def consent(request, pid):
    def save(person, data):
        share = data.pop("share_with")
        services.record_consent(actor=request.user, person=person, share_with=share, **data)

    return _simple(request, pid, ConsentForm, _("Consent"), save)


@_personal_access
def withdraw(request, pid):
    """Withdraw a consent: the page of issue 12's item 2. The shared fields it let travel are
    erased from referrals and no longer read by the organizations it named."""
    person = selectors.person_by_pid(request.user, pid)

    def save(person, data):
        services.withdraw_consent(
            actor=request.user, consent=data["consent"], on=data["withdrawn_on"]
        )

    return _simple(
        request,
        pid,
        WithdrawalForm,
        _("Withdraw a consent"),
        save,
        consents=person.consents.filter(withdrawn_on__isnull=True),
    )


@_personal_access
def enroll(request, pid):
    def save(person, data):
        casework.enroll(actor=request.user, person=person, case_worker=request.user, **data)

    return _simple(
        request,
        pid,
        EnrollmentForm,
        _("Enrollment"),
        save,
        organizations=_organizations(request.user),
    )


def _enrollments_of(request, pid):
    person = selectors.person_by_pid(request.user, pid)
    return selectors.enrollments(request.user).filter(person=person)


@_personal_access
def service(request, pid):
    def save(person, data):
        casework.record_service(actor=request.user, **data)

    return _simple(
        request, pid, ServiceForm, _("Service"), save, enrollments=_enrollments_of(request, pid)
    )


@_personal_access
def outcome(request, pid):
    def save(person, data):
        casework.record_outcome(actor=request.user, **data)

    return _simple(
        request, pid, OutcomeForm, _("Follow-up"), save, enrollments=_enrollments_of(request, pid)
    )


@_personal_access
def contact(request, pid):
    def save(person, data):
        casework.record_contact(actor=request.user, person=person, **data)

    return _simple(request, pid, ContactForm, _("Contact"), save)


@_personal_access
def screening(request, pid, instrument_id):
    instrument = get_object_or_404(Instrument, pk=instrument_id)
    person = selectors.person_by_pid(request.user, pid)
    form = ScreeningForm(request.POST or None, instrument=instrument)
    organization = _organizations(request.user).first()
    if request.method == "POST" and form.is_valid():
        try:
            done = casework.apply_screening(
                actor=request.user,
                person=person,
                organization=organization,
                instrument=instrument,
                date=form.cleaned_data["date"],
                answers=form.answers(),
            )
        except (ValidationError, PermissionDenied) as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                _("Screening saved: %(result)s.")
                % {"result": _("eligible") if done.eligible else _("not eligible")},
            )
            return redirect("participants:person", pid=person.pid)
    return render(
        request,
        "participants/screening.html",
        {"form": form, "person": person, "instrument": instrument},
    )


@_personal_access
def refer(request, pid):
    def save(person, data):
        casework.refer(actor=request.user, **data)

    others = selectors.referral_organizations(request.user)
    return _simple(
        request,
        pid,
        ReferralForm,
        _("Referral"),
        save,
        enrollments=_enrollments_of(request, pid),
        organizations=others,
    )


@_personal_access
def referrals(request):
    """Referrals sent to the user's organizations — by another organization or by a civic
    court — with the data the consent let travel (each pending one's shared data is a view
    of personal data, audited); accept (enrolling the person) or decline with a reason."""
    if request.method == "POST":
        referral = get_object_or_404(
            casework.referrals_received(request.user), pk=request.POST.get("referral")
        )
        accept = request.POST.get("answer") == "accept"
        try:
            casework.answer_referral(
                actor=request.user,
                referral=referral,
                accept=accept,
                track=request.POST.get("track", ""),
                decline_reason=request.POST.get("decline_reason", ""),
            )
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(
                request,
                _("Accepted: the person is now enrolled with you.")
                if accept
                else _("Declined: the sender reads your reason."),
            )
        return redirect("participants:referrals")
    received = list(casework.referrals_received(request.user).filter(status=ReferralStatus.PENDING))
    rows = []
    for referral in received:
        shared = casework.shared_data(request.user, referral)
        # In the order of the person's form (names first), not the stored keys' order.
        fields = [
            (Person._meta.get_field(k).verbose_name, shared[k])
            for k in PERSONAL_FIELDS
            if shared.get(k)
        ]
        rows.append({"referral": referral, "pid": shared.get("pid"), "fields": fields})
    return render(request, "participants/referrals.html", {"rows": rows, "tracks": Track.choices})


@_personal_access
def merge(request, pid):
    """Merge a duplicate (by its pseudonymous id) into this record; POST only."""
    keep = selectors.person_by_pid(request.user, pid)
    if request.method != "POST":
        return redirect("participants:person", pid=keep.pid)
    other = request.POST.get("duplicate", "").strip().upper()
    try:
        duplicate = selectors.person_by_pid(request.user, other)
        services.merge_persons(actor=request.user, keep=keep, duplicate=duplicate)
    except Http404:
        messages.error(request, _("No person with that id in your organizations."))
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(
            request, _("%(dup)s was merged into %(pid)s.") % {"dup": duplicate.pid, "pid": keep.pid}
        )
    return redirect("participants:person", pid=keep.pid)


@requires(Capability.VIEW_PERSONAL_DATA, hidden=True)
def import_result(request, job_id):
    """A persons file imported by the worker (``participants.import_persons``): its
    progress while it runs, then what was created and updated, or every problem with its
    line and column (nothing written). Only the user who uploaded it sees it."""
    from civica.jobs import selectors as job_selectors
    from civica.jobs import services as job_services
    from civica.participants import jobs as person_jobs

    job = job_selectors.job(request.user, job_id)
    if job.kind != person_jobs.IMPORT_PERSONS:
        raise Http404(str(job_id))
    context = {"job": job, "outcome": None, "refused": ""}
    try:
        stored = job_services.result_of(job)
    except job_services.JobRefused as refused:
        context["refused"] = str(refused)
    else:
        if stored is not None:
            context["outcome"] = person_jobs.outcome(stored)
    if context["outcome"]:
        context["page"], context["base_query"] = paginate(
            request, context["outcome"]["pids"], per_page=100
        )
    return render(request, "participants/import_result.html", context)
