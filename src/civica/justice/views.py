"""The juzgado's pages: live board, intake, case with its stages, hearings, follow-ups due,
catalogues of faltas. Reads go through ``selectors``, writes through ``services``."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from civica.accounts.access import SIGNED_IN, audited_download, requires
from civica.accounts.roles import Capability
from civica.justice import diversion, exports, permissions, rules, selectors, services
from civica.justice.forms import (
    STAGE_FORMS,
    DiversionForm,
    FollowUpForm,
    InstrumentForm,
    IntakeForm,
    MediationCheckForm,
    MediationForm,
    MemberForm,
    stage_form_options,
)

JUSTICE = Capability.CIVIC_JUSTICE
_justice = requires(JUSTICE, write=JUSTICE, hidden=True)
_justice_read = requires(JUSTICE, hidden=True)
_justice_post = requires(None, write=JUSTICE, hidden=True)


def _add_errors(form, error) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            target = field if field in form.fields else None
            for e in errors:
                form.add_error(target, e.messages[0] if hasattr(e, "messages") else str(e))
    else:
        for message in getattr(error, "messages", [str(error)]):
            form.add_error(None, message)


@_justice_read
def board(request):
    """Persons present: hours since detention (counted toward the 36), what each awaits."""
    rows = selectors.board(request.user)
    return render(
        request,
        "justice/board.html",
        {
            "rows": rows,
            "juzgados": list(selectors.juzgados(request.user)),
            "can_intake": permissions.can_record(request.user, "intake"),
            "can_export": permissions.can_export_cases(request.user),
            "warn_hours": selectors.WARN_HOURS,
        },
    )


def _date(text: str):
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


@requires((JUSTICE, permissions.EXPORT_CASES), hidden=True)
def cases_export(request):
    """The case list of the user's scope as CSV (pseudonymous ids, no personal field); the
    download is audited with its filters. A file leaves only to a role
    ``permissions.can_export_cases`` allows (the civic judge, an administrator)."""
    filters = {
        "open_only": request.GET.get("open") == "1",
        "start": _date(request.GET.get("from", "")),
        "end": _date(request.GET.get("to", "")),
    }
    if filters["start"] and filters["end"] and filters["end"] < filters["start"]:
        filters["start"], filters["end"] = filters["end"], filters["start"]
    stamp = timezone.localdate().isoformat()
    juzgados = list(selectors.juzgados(request.user))
    return audited_download(
        request,
        exports.case_rows_csv(request.user, **filters),
        filename=f"casos-justicia-civica-{stamp}.csv",
        content_type="text/csv; charset=utf-8",
        capability=permissions.EXPORT_CASES,
        object_type="justice.Case",
        object_label=", ".join(j.name for j in juzgados),
        detail={
            "open_only": filters["open_only"],
            "from": filters["start"].isoformat() if filters["start"] else "",
            "to": filters["end"].isoformat() if filters["end"] else "",
            "juzgados": sorted(j.pk for j in juzgados),
        },
    )


@_justice
def intake(request):
    juzgados = list(selectors.juzgados(request.user))
    chosen = None
    if request.method == "POST":
        chosen = next((j for j in juzgados if str(j.pk) == request.POST.get("juzgado")), None)
    elif len(juzgados) == 1:
        chosen = juzgados[0]
    form = IntakeForm(
        request.POST or None,
        juzgados=selectors.juzgados(request.user),
        offences=selectors.offences_in_force(
            juzgados=[chosen] if chosen else juzgados, day=timezone.localdate()
        ),
    )
    if request.method == "POST" and form.is_valid():
        try:
            case = services.open_case(
                actor=request.user,
                juzgado=form.cleaned_data["juzgado"],
                person=form.person(),
                presented_at=form.cleaned_data["presented_at"],
                offences=form.cleaned_data["offences"],
                **form.case_fields(),
            )
        except (ValidationError, PermissionDenied) as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Case %(folio)s opened.") % {"folio": case.folio})
            return redirect("justice:case", pk=case.pk)
    return render(request, "justice/intake.html", {"form": form, "juzgados": juzgados})


def _stage_forms(user, case, *, bound=None, bound_stage=None):
    offences = selectors.offences_in_force(
        juzgados=[case.juzgado], day=timezone.localtime(case.presented_at).date()
    )
    forms = []
    for stage, form_class in STAGE_FORMS.items():
        if not permissions.can_record(user, stage):
            continue
        if stage == bound_stage and bound is not None:
            form = bound
        else:
            form = form_class(
                instance=case,
                offences=offences,
                prefix=stage,
                **stage_form_options(stage, case),
            )
        forms.append(
            {"stage": stage, "label": permissions.STAGES[stage], "form": form, "open": False}
        )
    wanted = bound_stage or {"medical": "medical", "screening": "screening"}.get(
        case.stage, "hearing" if case.stage == "hearing" else case.stage
    )
    for item in forms:
        item["open"] = item["stage"] == wanted
    return forms, offences


def _timeline(case) -> list[dict]:
    steps = [
        (_("Detained"), case.detained_at),
        (_("Presented"), case.presented_at),
        (_("Medical certificate"), case.medical_at),
        (_("Tamizaje"), case.screened_at),
        (_("Guardian present"), case.guardian_at),
        (_("Hearing scheduled"), case.hearing_scheduled_at),
        (_("Hearing started"), case.hearing_started_at),
        (_("Hearing ended"), case.hearing_ended_at),
        (_("Resolution"), case.resolved_at),
        (_("Closed"), case.closed_at),
    ]
    return [{"label": label, "at": at} for label, at in steps if at]


def _case_page(
    request,
    case,
    *,
    bound=None,
    bound_stage=None,
    differences=(),
    status=200,
    diversion_form=None,
):
    personal = selectors.view_personal_fields(request.user, case)
    forms, _offences = _stage_forms(request.user, case, bound=bound, bound_stage=bound_stage)
    served = sum(float(f.hours or 0) for f in case.follow_ups.all() if f.kind == "hours")
    context = {
        "case": case,
        "person": case.person,
        "personal": personal,
        "age": rules.age_at_presentation(case),
        "label": rules.contact_label(case),
        "timeline": _timeline(case),
        "hours": case.hours_since_detention(),
        "offences": list(case.offences.select_related("sanction_class")),
        "forms": forms,
        "differences": differences,
        "mediations": list(case.mediations.all()),
        "follow_ups": list(case.follow_ups.all()),
        "served": served,
        "can_mediate": permissions.can_record(request.user, "mediation"),
        "can_follow": permissions.can_record(request.user, "follow_up"),
        "mediation_form": MediationForm(prefix="mediation"),
        "check_form": MediationCheckForm(prefix="check"),
        "follow_up_form": FollowUpForm(prefix="follow"),
        "stage_names": permissions.STAGES,
        "answer": selectors.measure_answer(request.user, case),
        "attendance": selectors.measure_attendance(request.user, case),
        "can_divert": permissions.can_record(request.user, "resolution"),
        "diversion_form": diversion_form or DiversionForm(prefix="diversion", case=case),
    }
    return render(request, "justice/case.html", context, status=status)


@_justice_read
def case_detail(request, pk):
    case = selectors.case_by_pk(request.user, pk)
    return _case_page(request, case)


@_justice_post
def stage(request, pk, stage):
    case = selectors.case_by_pk(request.user, pk)
    if stage not in STAGE_FORMS:
        raise Http404("stage")
    if not permissions.can_record(request.user, stage):
        messages.error(
            request,
            _("Your role does not record this stage: %(stage)s.")
            % {"stage": permissions.STAGES[stage]},
        )
        return _case_page(request, case)
    offences = selectors.offences_in_force(
        juzgados=[case.juzgado], day=timezone.localtime(case.presented_at).date()
    )
    form = STAGE_FORMS[stage](
        request.POST,
        instance=case,
        offences=offences,
        prefix=stage,
        **stage_form_options(stage, case),
    )
    differences = []
    if form.is_valid():
        try:
            services.record_stage(
                actor=request.user,
                case=case,
                stage=stage,
                version=form.cleaned_data["version"],
                changes=form.changes(),
                offences=form.chosen_offences(),
            )
        except services.StaleRecord as error:
            differences = error.differences
            form.add_error(None, error.messages[0])
            form.data = form.data.copy()
            form.data[f"{stage}-version"] = selectors.case_by_pk(request.user, pk).version
        except (ValidationError, PermissionDenied) as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("justice:case", pk=case.pk)
    case = selectors.case_by_pk(request.user, pk)
    return _case_page(
        request, case, bound=form, bound_stage=stage, differences=differences, status=200
    )


@_justice_post
def divert(request, pk):
    """Refer the person of an MMCC resolution to the measure's organization, with consent."""
    case = selectors.case_by_pk(request.user, pk)
    form = DiversionForm(request.POST, prefix="diversion", case=case)
    if form.is_valid():
        try:
            diversion.refer_to_measure(actor=request.user, case=case, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "Referred to %(org)s: the case shows its answer, and the measure's "
                    "attendance once it accepts."
                )
                % {"org": case.measure_organization.name},
            )
            return redirect("justice:case", pk=case.pk)
    case = selectors.case_by_pk(request.user, pk)
    return _case_page(request, case, diversion_form=form)


@_justice_post
def mediation_add(request, pk):
    case = selectors.case_by_pk(request.user, pk)
    form = MediationForm(request.POST, prefix="mediation")
    if form.is_valid():
        try:
            services.add_mediation(actor=request.user, case=case, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(request, _("Saved."))
    else:
        messages.error(request, _("Check the mediation form: %(errors)s") % {"errors": _flat(form)})
    return redirect("justice:case", pk=case.pk)


@_justice_post
def mediation_check(request, pk, mediation_id):
    case = selectors.case_by_pk(request.user, pk)
    mediation = selectors.mediation_of(case, mediation_id)
    form = MediationCheckForm(request.POST, prefix="check")
    if form.is_valid():
        try:
            services.record_mediation_check(
                actor=request.user, mediation=mediation, **form.cleaned_data
            )
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(request, _("Saved."))
    else:
        messages.error(request, _("Check the form: %(errors)s") % {"errors": _flat(form)})
    return redirect("justice:case", pk=case.pk)


@_justice_post
def follow_up_add(request, pk):
    case = selectors.case_by_pk(request.user, pk)
    form = FollowUpForm(request.POST, prefix="follow")
    if form.is_valid():
        try:
            services.add_follow_up(actor=request.user, case=case, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(request, _("Saved."))
    else:
        messages.error(request, _("Check the form: %(errors)s") % {"errors": _flat(form)})
    return redirect("justice:case", pk=case.pk)


def _flat(form) -> str:
    return " ".join(
        f"{form.fields[f].label if f in form.fields else ''}: {' '.join(e)}".strip(": ")
        for f, e in form.errors.items()
    )


@_justice_read
def hearings(request):
    try:
        day = dt.date.fromisoformat(request.GET.get("from", ""))
    except ValueError:
        day = timezone.localdate()
    scheduled = list(selectors.hearings(request.user, day=day))
    days: dict = {}
    for case in scheduled:
        days.setdefault(timezone.localtime(case.hearing_scheduled_at).date(), []).append(case)
    waiting = list(selectors.unscheduled(request.user))
    return render(
        request,
        "justice/hearings.html",
        {
            "days": sorted(days.items()),
            "waiting": waiting,
            "day": day,
            "previous": day - dt.timedelta(days=7),
            "next": day + dt.timedelta(days=7),
        },
    )


@_justice_read
def follow_ups(request):
    due = selectors.due_follow_ups(request.user)
    return render(request, "justice/follow_ups.html", {"due": due})


@_justice_read
def juzgados(request):
    """The juzgados whose members the user manages."""
    return render(
        request,
        "justice/juzgados.html",
        {"juzgados": list(selectors.managed_juzgados(request.user).prefetch_related("members"))},
    )


@_justice
def juzgado_members(request, juzgado_id):
    """Members of one juzgado: a judge of it, or an administrator of its municipality, adds
    users holding a civic-justice role and removes members."""
    juzgado = selectors.managed_juzgado(request.user, juzgado_id)
    candidates = selectors.member_candidates(juzgado)
    form = MemberForm(prefix="member", candidates=candidates)
    instruments = selectors.instruments(request.user)
    instrument_form = InstrumentForm(
        prefix="tamizaje",
        instruments=instruments,
        initial={"instrument": juzgado.instrument_id},
    )
    if request.method == "POST" and "tamizaje-instrument" in request.POST:
        instrument_form = InstrumentForm(request.POST, prefix="tamizaje", instruments=instruments)
        if instrument_form.is_valid():
            services.set_instrument(
                actor=request.user,
                juzgado=juzgado,
                instrument=instrument_form.cleaned_data["instrument"],
            )
            messages.success(request, _("Saved."))
            return redirect("justice:juzgado-members", juzgado_id=juzgado.pk)
    elif request.method == "POST":
        remove = request.POST.get("remove")
        if remove:
            found = selectors.members(juzgado).filter(pk=remove).first()
            target, form_ok = found, found is not None
        else:
            form = MemberForm(request.POST, prefix="member", candidates=candidates)
            form_ok = form.is_valid()
            target = form.cleaned_data["user"] if form_ok else None
        if form_ok:
            try:
                services.set_member(
                    actor=request.user, juzgado=juzgado, user=target, member=not remove
                )
            except (ValidationError, PermissionDenied) as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect("justice:juzgado-members", juzgado_id=juzgado.pk)
        elif remove:
            messages.error(request, _("That user is not a member of this juzgado."))
    return render(
        request,
        "justice/members.html",
        {
            "juzgado": juzgado,
            "members": list(selectors.members(juzgado)),
            "form": form,
            "instrument_form": instrument_form,
        },
    )


@requires(SIGNED_IN)
def catalogues(request):
    return render(
        request, "justice/catalogues.html", {"catalogues": list(selectors.catalogues(request.user))}
    )


@requires(SIGNED_IN)
def catalogue(request, catalogue_id):
    item = selectors.catalogue_by_pk(catalogue_id)
    return render(
        request,
        "justice/catalogue.html",
        {
            "catalogue": item,
            "classes": list(item.classes.all()),
            "offences": list(selectors.offences(item)),
        },
    )
