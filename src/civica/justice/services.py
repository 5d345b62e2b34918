"""Writes of civic-justice cases: intake, each stage, mediation, follow-up, closure.

Every write checks the actor's stage (``permissions``) and scope (``selectors``), runs the
legal guards (``rules``) and is audited with field names only, never values. Stage edits are
versioned saves (``participants.services.save_versioned``): a save based on a version someone
changed since is refused with ``StaleRecord`` naming the fields, and nothing is written.

``actor`` is the requesting user or ``accounts.access.SYSTEM`` (an import, the synthetic
generator); ``None`` is refused.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from civica.accounts import access
from civica.audit.services import Action, record
from civica.justice import permissions, selectors
from civica.justice.models import (
    KEY_FIELDS,
    Case,
    FollowUp,
    Juzgado,
    Mediation,
    PresentedPerson,
    link_index,
)
from civica.participants import identity
from civica.participants.services import StaleRecord, save_versioned

__all__ = [
    "STAGE_FIELDS",
    "StaleRecord",
    "add_follow_up",
    "add_mediation",
    "close_case",
    "find_person",
    "locate",
    "open_case",
    "record_mediation_check",
    "record_stage",
    "set_instrument",
    "set_member",
]

#: The fields each stage's form writes.
STAGE_FIELDS: dict[str, tuple[str, ...]] = {
    "intake": (
        "iph_folio",
        "event_at",
        "officer",
        "police_unit",
        "detection",
        "call_911_folio",
        "place_description",
        "latitude",
        "longitude",
        "narrative",
        "use_of_force",
        "boleta",
        "detained_at",
        "presented_at",
        "rnd_folio",
    ),
    "medical": (
        "medical_at",
        "injuries",
        "intoxication",
        "clinical_age",
        "fit",
        "unfit_until",
    ),
    "screening": (
        "screened_at",
        "instrument",
        "screening_scores",
        "risk_level",
        "screening_consent",
        "guardian_name",
        "guardian_at",
    ),
    "hearing": (
        "hearing_scheduled_at",
        "hearing_started_at",
        "hearing_ended_at",
        "defender_name",
        "guardian_name",
        "guardian_at",
    ),
    "resolution": (
        "resolved_at",
        "responsible",
        "sanction",
        "fine_amount",
        "fine_unit",
        "unit_value",
        "occupation",
        "declared_daily_wage",
        "arrest_hours",
        "community_hours",
        "measure",
        "measure_organization",
        "measure_sessions",
        "commutation",
        "commutation_reason",
    ),
    "closure": ("closed_at", "closure"),
}
# Who recorded a stage, set from the actor when the stage is first recorded.
_STAGE_ACTOR = {"medical": "physician", "screening": "screener", "hearing": "judge"}


def find_person(*, curp: str = "", given_names: str, family_names: str, birth_date: str = ""):
    """The presented person with the same link index (CURP, or name and birth date)."""
    birth = dt.date.fromisoformat(birth_date) if birth_date else None
    key = link_index(curp=curp, given_names=given_names, family_names=family_names, birth=birth)
    if not key:
        return None
    return PresentedPerson.objects.filter(link_index=key).order_by("created_at").first()


def _new_pid() -> str:
    while True:
        pid = "J" + identity.new_pid()[1:]
        if not PresentedPerson.objects.filter(pid=pid).exists():
            return pid


def _person(fields: dict, *, synthetic: bool) -> tuple[PresentedPerson, bool]:
    """Found again by link index, or a new person; ``True`` when new."""
    values = {
        "given_names": (fields.get("given_names") or "").strip(),
        "family_names": (fields.get("family_names") or "").strip(),
        "birth_date": (fields.get("birth_date") or "").strip(),
        "curp": (fields.get("curp") or "").strip(),
    }
    errors = {}
    if not values["given_names"]:
        errors["given_names"] = _("Write the given names.")
    if not values["family_names"]:
        errors["family_names"] = _("Write the family names.")
    if values["curp"]:
        try:
            values["curp"] = identity.normalize_curp(values["curp"])
        except ValueError:
            errors["curp"] = _(
                "A CURP has 18 characters: 4 letters, 6 digits, H/M, 5 letters, 2 more."
            )
    if values["birth_date"]:
        try:
            birth = dt.date.fromisoformat(values["birth_date"])
        except ValueError:
            errors["birth_date"] = _("Write the birth date as YYYY-MM-DD.")
        else:
            if birth > timezone.localdate():
                errors["birth_date"] = _("The birth date is in the future.")
    if errors:
        raise ValidationError(errors)
    existing = find_person(**values)
    if existing is not None:
        return existing, False
    person = PresentedPerson(
        pid=_new_pid(),
        sex=fields.get("sex") or "X",
        municipality=fields.get("municipality"),
        address=fields.get("address") or "",
        phone=fields.get("phone") or "",
        synthetic=synthetic,
        **values,
    )
    person.refresh_derived()
    person.save()
    return person, True


def locate(case: Case) -> None:
    """Place the case's coordinates in the sector and cuadrante layers of its municipality."""
    case.sector = case.cuadrante = None
    if case.latitude is None or case.longitude is None:
        return
    import shapely

    from civica.territory.geometry import from_geojson_text
    from civica.territory.models import Sector, SectorKind

    point = shapely.Point(case.longitude, case.latitude)
    candidates = Sector.objects.filter(
        municipality_id=case.juzgado.municipality_id,
        kind__in=[SectorKind.SECTOR, SectorKind.CUADRANTE],
    ).only("id", "kind", "geometry")
    for sector in candidates:
        shape = from_geojson_text(sector.geometry)
        if shape is None or not shape.covers(point):
            continue
        if sector.kind == SectorKind.SECTOR and case.sector is None:
            case.sector = sector
        elif sector.kind == SectorKind.CUADRANTE and case.cuadrante is None:
            case.cuadrante = sector


def _next_folio(juzgado: Juzgado, when: dt.datetime) -> str:
    year = timezone.localtime(when).year
    prefix = f"JC{juzgado.pk}-{year}-"
    # The highest folio of the year by a range on the (juzgado, folio) unique index: a
    # ``startswith`` count is a LIKE that SQLite cannot serve from the index, so it read every
    # case of the juzgado (≈ 0.4 s per intake with a million historical cases).
    last = (
        Case.objects.filter(juzgado=juzgado, folio__gte=prefix, folio__lt=prefix + "~")
        .order_by("-folio")
        .values_list("folio", flat=True)
        .first()
    )
    tail = last[len(prefix) :] if last else ""
    count = int(tail) if tail.isdigit() else 0
    while True:
        count += 1
        folio = f"{prefix}{count:05d}"
        if not Case.objects.filter(juzgado=juzgado, folio=folio).exists():
            return folio


def _require_juzgado(actor, juzgado: Juzgado) -> None:
    if not selectors.juzgados(actor).filter(pk=juzgado.pk).exists():
        raise Http404("juzgado")


def open_case(
    *,
    actor,
    juzgado: Juzgado,
    person: dict,
    presented_at: dt.datetime,
    offences=(),
    folio: str = "",
    synthetic: bool = False,
    **fields,
) -> Case:
    """Intake: the person (found again or new), the police report and the presentation.

    ``person`` holds ``given_names``, ``family_names`` and optionally ``birth_date``
    (YYYY-MM-DD), ``curp``, ``sex``, ``municipality``, ``address``, ``phone``. ``fields``
    are the intake fields of ``STAGE_FIELDS["intake"]`` (and, for an import, any other).
    An earlier resolved case of the same person marks the case ``repeat``.
    """
    permissions.require_stage(actor, "intake")
    _require_juzgado(actor, juzgado)
    offences = list(offences)
    with transaction.atomic():
        who, _new = _person(person, synthetic=synthetic)
        case = Case(
            juzgado=juzgado,
            person=who,
            presented_at=presented_at,
            folio=folio or _next_folio(juzgado, presented_at),
            created_by=access.user_of(actor),
            synthetic=synthetic,
            **fields,
        )
        case.repeat = Case.objects.filter(
            person=who, resolved_at__isnull=False, resolved_at__lt=presented_at
        ).exists()
        _check_offences(case, offences)
        case._offences = offences
        case.full_clean(exclude=["person", "juzgado", "folio"])
        case._offences = None
        locate(case)
        case.save()
        case.offences.set(offences)
        record(
            actor=actor,
            action=Action.CREATE,
            obj=case,
            personal_data=True,
            detail={"person": who.pid, "new_person": _new, "stage": "intake"},
        )
    return case


def _check_offences(case: Case, offences) -> None:
    municipality_id = case.juzgado.municipality_id
    wrong = [o.code for o in offences if o.catalogue.municipality_id != municipality_id]
    if wrong:
        raise ValidationError(
            {
                "offences": _("These faltas belong to another municipality's catalogue: %(codes)s.")
                % {"codes": ", ".join(wrong)}
            }
        )


def record_stage(
    *, actor, case: Case, stage: str, version: int, changes: dict, offences=None
) -> Case:
    """Save one stage's fields (``STAGE_FIELDS[stage]``) if nobody saved the case since
    ``version``; ``offences`` (for intake and resolution) replaces the case's faltas."""
    permissions.require_stage(actor, stage)
    case = selectors.case_by_pk(actor, case.pk)
    unknown = sorted(set(changes) - set(STAGE_FIELDS.get(stage, ())))
    if unknown:
        raise ValueError(f"fields outside the stage {stage}: {unknown}")
    changes = dict(changes)
    who = _STAGE_ACTOR.get(stage)
    if who and getattr(case, f"{who}_id") is None and access.user_of(actor) is not None:
        changes[who] = access.user_of(actor)
    instrument_id = case.juzgado.instrument_id
    if stage == "screening" and instrument_id and "risk_level" in changes:
        used = changes.get("instrument")
        if used is None or used.pk != instrument_id:
            # The juzgado scores its tamizaje: a level by hand would bypass the instrument.
            raise ValidationError(
                {
                    "risk_level": _(
                        "This juzgado scores the tamizaje with %(instrument)s: answer its items "
                        "and the risk level follows from the score."
                    )
                    % {"instrument": case.juzgado.instrument}
                }
            )
    new_offences = None if offences is None else list(offences)
    if new_offences is not None:
        _check_offences(case, new_offences)

    def validate(obj):
        if stage == "intake":
            locate(obj)

    # Derived columns ride along: written only when the stage's fields change them.
    changes["minor"] = case.minor
    changes |= {key: getattr(case, key) for key in KEY_FIELDS}  # the indicators' keys
    if stage == "intake":
        changes |= {"sector": case.sector, "cuadrante": case.cuadrante}
    with transaction.atomic():
        old_offences = set(case.offences.values_list("pk", flat=True))
        offences_changed = new_offences is not None and old_offences != {o.pk for o in new_offences}
        case._offences = new_offences  # what Case.clean checks the rules against
        try:
            saved = save_versioned(
                actor=actor, obj=case, version=version, changes=changes, validate=validate
            )
        finally:
            case._offences = None
        if offences_changed:
            saved.offences.set(new_offences)
            if saved.version == version:
                # The faltas are part of the saved version: an edit of them alone bumps it.
                Case.objects.filter(pk=saved.pk, version=version).update(version=version + 1)
                saved.version = version + 1
            record(
                actor=actor,
                action=Action.UPDATE,
                obj=saved,
                detail={"fields": ["offences"], "stage": stage},
            )
    return saved


def add_mediation(*, actor, case: Case, parties: str, agreement: str = "", agreed_on=None):
    permissions.require_stage(actor, "mediation")
    case = selectors.case_by_pk(actor, case.pk)
    mediation = Mediation(
        case=case,
        parties=parties,
        agreement=agreement,
        agreed_on=agreed_on,
        mediator=access.user_of(actor),
    )
    mediation.full_clean(exclude=["case"])
    if not parties.strip():
        raise ValidationError({"parties": _("Name the parties.")})
    with transaction.atomic():
        mediation.save()
        record(
            actor=actor,
            action=Action.CREATE,
            obj=mediation,
            personal_data=True,
            detail={"case": case.folio},
        )
    return mediation


def record_mediation_check(*, actor, mediation: Mediation, days: int, on: dt.date, kept: bool):
    """The 30- or 90-day check of an agreement: was it kept?"""
    permissions.require_stage(actor, "mediation")
    selectors.case_by_pk(actor, mediation.case_id)
    if days not in (30, 90):
        raise ValueError(days)
    setattr(mediation, f"checked_{days}_on", on)
    setattr(mediation, f"kept_{days}", kept)
    mediation.full_clean(exclude=["case"])
    with transaction.atomic():
        mediation.save()
        record(
            actor=actor,
            action=Action.UPDATE,
            obj=mediation,
            detail={"fields": [f"checked_{days}_on", f"kept_{days}"]},
        )
    return mediation


def add_follow_up(*, actor, case: Case, kind: str, on: dt.date, hours=None, attended=None, note=""):
    permissions.require_stage(actor, "follow_up")
    case = selectors.case_by_pk(actor, case.pk)
    entry = FollowUp(
        case=case,
        kind=kind,
        on=on,
        hours=hours,
        attended=attended,
        note=note,
        supervisor=access.user_of(actor),
    )
    entry.full_clean(exclude=["case"])
    with transaction.atomic():
        entry.save()
        record(
            actor=actor,
            action=Action.CREATE,
            obj=entry,
            detail={"case": case.folio, "kind": kind},
        )
    return entry


def close_case(*, actor, case: Case, version: int, closure: str, closed_at=None) -> Case:
    return record_stage(
        actor=actor,
        case=case,
        stage="closure",
        version=version,
        changes={"closed_at": closed_at or timezone.now(), "closure": closure},
    )


def set_member(*, actor, juzgado: Juzgado, user, member: bool) -> None:
    """Add ``user`` to the juzgado's members (or remove them). Only a civic judge who sees the
    juzgado or an administrator of its municipality does it; only a user holding a
    civic-justice role in that municipality is added. A member then sees only the cases of
    the juzgados they belong to."""
    juzgado = selectors.managed_juzgado(actor, juzgado.pk)
    if member:
        if not selectors.member_candidates(juzgado).filter(pk=user.pk).exists():
            raise ValidationError(
                {
                    "user": _(
                        "Only an active user with a civic-justice role in %(municipality)s can "
                        "be a member of this juzgado."
                    )
                    % {"municipality": juzgado.municipality.name}
                }
            )
    elif not juzgado.members.filter(pk=user.pk).exists():
        raise ValidationError({"user": _("That user is not a member of this juzgado.")})
    with transaction.atomic():
        (juzgado.members.add if member else juzgado.members.remove)(user)
        record(
            actor=actor,
            action=Action.UPDATE,
            obj=juzgado,
            detail={"added" if member else "removed": user.pk, "role": user.role},
        )


def set_instrument(*, actor, juzgado: Juzgado, instrument) -> Juzgado:
    """Link the screening instrument (a version) the juzgado's tamizaje applies, or none."""
    juzgado = selectors.managed_juzgado(actor, juzgado.pk)
    with transaction.atomic():
        juzgado.instrument = instrument
        juzgado.save(update_fields=["instrument"])
        record(
            actor=actor,
            action=Action.UPDATE,
            obj=juzgado,
            detail={"fields": ["instrument"], "instrument": instrument.pk if instrument else None},
        )
    return juzgado
