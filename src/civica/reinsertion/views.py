"""Reinsertion pages: the caseload with reminders after release, a woman's path (stay,
cohorts, work, transition plan, follow-ups), cohorts inside a facility, and lotteries with
their evaluation. Persons appear by pseudonymous id; the one personal field shown (who
receives her) is read with an audit event."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from civica.accounts.access import audited_download, requires
from civica.accounts.roles import Capability
from civica.audit.services import Action, record
from civica.core.imports import ImportFailed
from civica.participants import selectors as people
from civica.reinsertion import forms, lottery, selectors, services
from civica.reinsertion.evaluation import OUTCOMES, evaluate
from civica.reinsertion.imports import import_applicants
from civica.reinsertion.models import Arm, Custody

_personal = requires(
    Capability.VIEW_PERSONAL_DATA,
    write=(Capability.VIEW_PERSONAL_DATA, Capability.EDIT_RECORDS),
    hidden=True,
)


def _errors(form, error) -> None:
    if isinstance(error, PermissionDenied):
        form.add_error(None, str(error))
        return
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            for e in errors:
                form.add_error(field if field in form.fields else None, e.messages[0])
    else:
        for message in error.messages:
            form.add_error(None, message)


def _form_page(request, *, form, title, back, action, done, back_url=None):
    """GET: the form; POST: ``action(cleaned_data)``, then ``done`` or the errors. The
    crumb goes back to ``back``'s path, or to ``back_url`` when given."""
    if request.method == "POST" and form.is_valid():
        try:
            action(form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            _errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(*done) if isinstance(done, tuple) else redirect(done)
    context = {"form": form, "title": title, "back": back}
    if back_url:
        context["back_url"] = back_url
    return render(request, "reinsertion/form.html", context)


@_personal
def home(request):
    """Open reinsertion cases with what is due: the transition plan 30 days before the
    expected release, follow-ups 1/3/6/12 months after release (or exit)."""
    query = request.GET.get("q", "").strip().upper()
    if query:
        try:
            return redirect("reinsertion:path", pid=people.person_by_pid(request.user, query).pid)
        except Http404:
            messages.error(request, _("No person with that id in your organizations."))
    cases = list(selectors.caseload(request.user)[:200])
    due = selectors.due_after_release(cases)
    stays = {
        c.enrollment_id: c for c in selectors.custodies(request.user).filter(enrollment__in=cases)
    }
    rows = [{"case": e, "stay": stays.get(e.pk), "due": due.get(e.pk, [])} for e in cases]
    rows.sort(key=lambda r: (not r["due"], r["case"].person.pid))
    return render(request, "reinsertion/home.html", {"rows": rows})


def _case(request, pid):
    person = people.person_by_pid(request.user, pid)
    cases = list(selectors.cases_of(request.user, person))
    return person, cases


@_personal
def path(request, pid):
    person, cases = _case(request, pid)
    stay = selectors.custody_of(request.user, person)
    case = stay.enrollment if stay else (cases[0] if cases else None)
    context = {"person": person, "case": case, "stay": stay, "cases": cases}
    if stay is not None:
        plan = getattr(stay, "plan", None) if hasattr(stay, "plan") else None
        if plan is not None and plan.received_by:
            record(
                actor=request.user,
                action=Action.VIEW,
                obj=person,
                personal_data=True,
                detail={"purpose": "transition plan", "fields": ["received_by"]},
            )
        context |= {
            "today": timezone.localdate(),
            "plan": plan,
            "tasks": list(plan.tasks.select_related("owner")) if plan else [],
            "memberships": [
                {"member": m, "hours": services.hours_of(m)}
                for m in stay.cohorts.select_related("cohort")
            ],
            "work": list(stay.work.all()),
        }
    if case is not None:
        context["follow_ups"] = list(selectors.follow_ups(request.user, case))
        context["due"] = selectors.due_after_release([case]).get(case.pk, [])
    return render(request, "reinsertion/path.html", context)


@_personal
def admit(request, pid):
    person = people.person_by_pid(request.user, pid)
    form = forms.AdmitForm(
        request.POST or None,
        facilities=selectors.facilities(request.user),
        organizations=selectors.organizations(request.user),
    )

    def action(data):
        services.admit(actor=request.user, person=person, case_worker=request.user, **data)

    return _form_page(
        request,
        form=form,
        title=_("Admission to a facility"),
        back=person.pid,
        action=action,
        done=("reinsertion:path", person.pid),
    )


def _stay(request, pid) -> Custody:
    person = people.person_by_pid(request.user, pid)
    stay = selectors.custody_of(request.user, person)
    if stay is None:
        raise Http404("stay")
    return stay


@_personal
def release(request, pid):
    stay = _stay(request, pid)
    form = forms.ReleaseForm(request.POST or None, initial={"legal_status": stay.legal_status})
    return _form_page(
        request,
        form=form,
        title=_("Release"),
        back=pid,
        action=lambda d: services.record_release(actor=request.user, custody=stay, **d),
        done=("reinsertion:path", pid),
    )


@_personal
def plan(request, pid):
    stay = _stay(request, pid)
    form = forms.PlanForm(request.POST or None)
    return _form_page(
        request,
        form=form,
        title=_("Transition plan"),
        back=pid,
        action=lambda d: services.start_plan(actor=request.user, custody=stay, **d),
        done=("reinsertion:path", pid),
    )


@_personal
def task(request, pid):
    stay = _stay(request, pid)
    if not hasattr(stay, "plan"):
        messages.error(request, _("Start the transition plan first."))
        return redirect("reinsertion:plan", pid=pid)
    form = forms.TaskForm(request.POST or None, owners=selectors.colleagues(request.user))
    return _form_page(
        request,
        form=form,
        title=_("Transition task"),
        back=pid,
        action=lambda d: services.add_task(actor=request.user, plan=stay.plan, **d),
        done=("reinsertion:path", pid),
    )


@_personal
def task_done(request, pid, task_id):
    """Mark a transition task done (POST: the date and the version the page showed); a task
    changed meanwhile by someone else is refused, nothing is written."""
    found = selectors.task_of(request.user, pid, task_id)
    if request.method == "POST":
        form = forms.TaskDoneForm(request.POST)
        try:
            if not form.is_valid():
                raise ValidationError([e for errs in form.errors.values() for e in errs])
            services.finish_task(actor=request.user, task=found, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            for message in getattr(error, "messages", [str(error)]):
                messages.error(request, message)
        else:
            messages.success(request, _("Task marked done."))
    return redirect("reinsertion:path", pid=pid)


@_personal
def work(request, pid):
    stay = _stay(request, pid)
    form = forms.WorkForm(request.POST or None)
    return _form_page(
        request,
        form=form,
        title=_("Productive work"),
        back=pid,
        action=lambda d: services.record_work(actor=request.user, custody=stay, **d),
        done=("reinsertion:path", pid),
    )


@_personal
def follow_up(request, pid):
    _person, cases = _case(request, pid)
    if not cases:
        raise Http404("case")
    form = forms.FollowUpForm(request.POST or None)
    return _form_page(
        request,
        form=form,
        title=_("Follow-up after release"),
        back=pid,
        action=lambda d: services.record_follow_up(actor=request.user, enrollment=cases[0], **d),
        done=("reinsertion:path", pid),
    )


@_personal
def facilities(request):
    places = selectors.facilities(request.user).prefetch_related("organizations")
    cohorts = selectors.cohorts(request.user).order_by("-start_date")[:100]
    return render(
        request, "reinsertion/facilities.html", {"facilities": places, "cohorts": cohorts}
    )


@_personal
def cohort_new(request):
    form = forms.CohortForm(
        request.POST or None,
        facilities=selectors.facilities(request.user),
        organizations=selectors.organizations(request.user),
    )
    created = {}

    def action(data):
        created["cohort"] = services.create_cohort(actor=request.user, **data)

    response = _form_page(
        request,
        form=form,
        title=_("New cohort"),
        back="",
        action=action,
        done="reinsertion:facilities",
    )
    if "cohort" in created:
        return redirect("reinsertion:cohort", cohort_id=created["cohort"].pk)
    return response


@_personal
def cohort(request, cohort_id):
    group = selectors.cohort_by_id(request.user, cohort_id)
    members = list(group.members.select_related("custody__enrollment__person"))
    member_form = forms.MemberForm(request.POST if request.POST.get("do") == "member" else None)
    session_form = forms.SessionForm(
        request.POST if request.POST.get("do") == "session" else None, members=members
    )
    if request.method == "POST":
        try:
            do = request.POST.get("do")
            if do == "member" and member_form.is_valid():
                person = people.person_by_pid(request.user, member_form.cleaned_data["pid"])
                stay = selectors.custody_of(request.user, person)
                if stay is None:
                    raise ValidationError(_("She has no stay recorded in a facility."))
                services.add_member(actor=request.user, cohort=group, custody=stay)
            elif do == "session" and session_form.is_valid():
                services.record_session(
                    actor=request.user, cohort=group, **session_form.cleaned_data
                )
            elif do == "complete":
                member = selectors.member_of(group, request.POST.get("member"))
                services.complete(actor=request.user, member=member, on=timezone.localdate())
            else:
                raise ValidationError(_("Check the form."))
        except Http404:
            messages.error(request, _("No person with that id in your organizations."))
        except (ValidationError, PermissionDenied) as error:
            for message in getattr(error, "messages", [str(error)]):
                messages.error(request, message)
        else:
            messages.success(request, _("Saved."))
            return redirect("reinsertion:cohort", cohort_id=group.pk)
    rows = [{"member": m, "hours": services.hours_of(m)} for m in members]
    return render(
        request,
        "reinsertion/cohort.html",
        {
            "cohort": group,
            "rows": rows,
            "sessions": list(group.sessions.all()),
            "member_form": member_form,
            "session_form": session_form,
        },
    )


@_personal
def lotteries(request):
    form = forms.LotteryForm(
        request.POST or None, organizations=selectors.organizations(request.user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            made = lottery.create_lottery(actor=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            _errors(form, error)
        else:
            return redirect("reinsertion:lottery", lottery_id=made.pk)
    return render(
        request,
        "reinsertion/lotteries.html",
        {
            "lotteries": selectors.lotteries(request.user).order_by("-created_at"),
            "form": form,
        },
    )


def _lottery_action(request, found):
    do = request.POST.get("do")
    if do == "applicant":
        form = forms.ApplicantForm(request.POST)
        if not form.is_valid():
            raise ValidationError([e for errs in form.errors.values() for e in errs])
        data = form.cleaned_data
        person = people.person_by_pid(request.user, data.pop("pid"))
        lottery.add_applicant(actor=request.user, lottery=found, person=person, **data)
    elif do == "upload":
        form = forms.ApplicantsFileForm(request.POST, request.FILES)
        if not form.is_valid():
            raise ValidationError([e for errs in form.errors.values() for e in errs])
        upload = form.cleaned_data["file"]
        try:
            summary = import_applicants(
                actor=request.user, lottery=found, source=upload.read(), name=upload.name
            )
        except ImportFailed as failed:
            raise ValidationError(failed.lines()) from None
        messages.info(
            request,
            _("%(created)s applicants added from %(rows)s rows.")
            % {"created": summary["created"], "rows": summary.rows},
        )
    elif do == "instrument":
        form = forms.InstrumentForm(request.POST, instruments=people.instruments(request.user))
        if not form.is_valid():
            raise ValidationError([e for errs in form.errors.values() for e in errs])
        lottery.choose_instrument(
            actor=request.user, lottery=found, instrument=form.cleaned_data["instrument"]
        )
    elif do == "draw":
        if request.POST.get("confirm") != "yes":
            raise ValidationError(_("Tick the box to confirm the draw: it cannot be undone."))
        drawn = lottery.draw(actor=request.user, lottery=found)
        messages.info(request, _("Drawn and locked with seed %(seed)s.") % {"seed": drawn.seed})
    elif do == "enroll":
        applicant = selectors.applicant_of(request.user, found, request.POST.get("applicant"))
        form = forms.EnrollApplicantForm(request.POST)
        if not form.is_valid():
            raise ValidationError([e for errs in form.errors.values() for e in errs])
        lottery.enroll_applicant(
            actor=request.user, applicant=applicant, case_worker=request.user, **form.cleaned_data
        )
    elif do == "outcome":
        applicant = selectors.applicant_of(request.user, found, request.POST.get("applicant"))
        form = forms.OutcomeForm(request.POST)
        if not form.is_valid():
            raise ValidationError([e for errs in form.errors.values() for e in errs])
        lottery.record_outcome(actor=request.user, applicant=applicant, **form.cleaned_data)
    else:
        raise ValidationError(_("Check the form."))


@_personal
def lottery_detail(request, lottery_id):
    found = selectors.lottery_by_id(request.user, lottery_id)
    if request.method == "POST":
        try:
            _lottery_action(request, found)
        except Http404:
            messages.error(request, _("No person with that id in your organizations."))
        except (ValidationError, PermissionDenied) as error:
            for message in getattr(error, "messages", [str(error)]):
                messages.error(request, message)
        else:
            messages.success(request, _("Saved."))
        return redirect("reinsertion:lottery", lottery_id=found.pk)
    found.refresh_from_db()
    rows = list(
        selectors.applicants(request.user, found).order_by("arm", "waitlist_position", "id")
    )
    context = {
        "lottery": found,
        "winners": [a for a in rows if a.arm == Arm.PROGRAM],
        "waiting": [a for a in rows if a.arm == Arm.CONTROL],
        "others": [a for a in rows if a.arm == Arm.NONE],
        "applicant_form": forms.ApplicantForm(initial={"applied_on": timezone.localdate()}),
        "file_form": forms.ApplicantsFileForm(),
        "instrument_form": forms.InstrumentForm(
            initial={"instrument": found.instrument_id},
            instruments=people.instruments(request.user),
        ),
        "rule": lottery.eligibility_rule(found.instrument) if found.instrument_id else "",
        "enroll_form": forms.EnrollApplicantForm(initial={"start_date": timezone.localdate()}),
        "outcome_form": forms.OutcomeForm(initial={"recorded_on": timezone.localdate()}),
        "next": lottery.next_on_waiting_list(found) if found.drawn else None,
        "verified": lottery.verify(found) if found.drawn else None,
    }
    return render(request, "reinsertion/lottery.html", context)


@_personal
def lottery_screen(request, lottery_id):
    """Screen a person with the lottery's instrument: her score decides her eligibility, and
    the page says by which rule."""
    found = selectors.lottery_by_id(request.user, lottery_id)
    if found.instrument_id is None or found.drawn:
        messages.error(
            request,
            _("The lottery is drawn.")
            if found.drawn
            else _("Choose the lottery's eligibility instrument first."),
        )
        return redirect("reinsertion:lottery", lottery_id=found.pk)
    form = forms.ApplicantScreeningForm(
        request.POST or None,
        instrument=found.instrument,
        initial={"date": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person = people.person_by_pid(request.user, data["pid"])
            applicant = lottery.screen_applicant(
                actor=request.user,
                lottery=found,
                person=person,
                date=data["date"],
                answers=form.answers(),
                risk_level=data["risk_level"],
            )
        except Http404:
            form.add_error("pid", _("No person with that id in your organizations."))
        except (ValidationError, PermissionDenied) as error:
            _errors(form, error)
        else:
            messages.success(request, lottery.screening_result(applicant.screening))
            return redirect("reinsertion:lottery", lottery_id=found.pk)
    return render(
        request,
        "reinsertion/lottery_screen.html",
        {
            "lottery": found,
            "form": form,
            "instrument": found.instrument,
            "rule": lottery.eligibility_rule(found.instrument),
        },
    )


@requires(Capability.VIEW_AGGREGATES, download="download")
def lottery_evaluation(request, lottery_id):
    found = selectors.lottery_by_id(request.user, lottery_id)
    if not found.drawn:
        raise Http404("not drawn")
    result = evaluate(found)
    if request.GET.get("download"):
        lines = ["table,name,months,program,control,estimate,lower,upper,p_value"]
        for row in result.balance:
            lines.append(
                f'balance,"{row.field}",,{row.mean_treated:.4f},{row.mean_control:.4f},'
                f"{row.std_difference:.4f},,,"
            )
        for e in result.effects:
            for kind, effect in (("itt", e.itt), ("tot", e.tot)):
                if effect is not None:
                    lines.append(
                        f'{kind},"{OUTCOMES[e.outcome]}",{e.months},{e.mean_program:.4f},'
                        f"{e.mean_control:.4f},{effect.estimate:.4f},{effect.lower:.4f},"
                        f"{effect.upper:.4f},{effect.p_value:.4f}"
                    )
        return audited_download(
            request,
            "\n".join(lines) + "\n",
            filename=f"sorteo-{found.pk}-evaluacion.csv",
            content_type="text/csv",
            obj=found,
        )
    return render(
        request,
        "reinsertion/evaluation.html",
        {
            "lottery": found,
            "result": result,
            "outcomes": OUTCOMES,
        },
    )
