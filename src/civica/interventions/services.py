"""Writes of interventions and evaluation designs. Every write is recorded in the audit log.

``actor`` is the user on whose behalf the write happens; ``None`` means the system itself
(a management command run by an operator) and is not checked against a scope.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civica.accounts import access, scope
from civica.accounts.roles import Capability
from civica.audit.services import Action, record, record_many
from civica.core import bulk
from civica.core.imports import (
    ImportFailed,
    Problem,
    RowError,
    Written,
    import_records,
    stage_rows,
)
from civica.interventions import methods
from civica.interventions.models import (
    EvaluationDesign,
    Intervention,
    InterventionKind,
    names_list,
)
from civica.organizations.models import Organization
from civica.territory.models import Municipality, Sector

__all__ = [
    "CSV_COLUMNS",
    "EditConflictError",
    "create_design",
    "create_intervention",
    "import_interventions_csv",
    "lock_design",
    "update_intervention",
]

CSV_COLUMNS = (
    "name",
    "kind",
    "municipality",
    "municipalities",
    "sectors",
    "crimes",
    "start",
    "end",
    "ramp_up_days",
    "organization",
    "description",
)
REQUIRED_COLUMNS = ("name", "kind", "municipality", "crimes", "start")
# Model fields as the CSV columns that fill them, for naming the column of a model error.
FIELD_TO_COLUMN = {
    "name": "name",
    "kind": "kind",
    "municipality": "municipality",
    "more_municipalities": "municipalities",
    "target_sectors": "sectors",
    "target_crimes": "crimes",
    "start_date": "start",
    "end_date": "end",
    "ramp_up_days": "ramp_up_days",
    "organization": "organization",
    "description": "description",
}


def _authorize(actor, municipality: Municipality | Iterable[Municipality]) -> None:
    """The actor may edit records and every one of the municipalities is in their scope."""
    if access.is_system(actor):
        return
    if not actor.can(Capability.EDIT_RECORDS):
        raise PermissionDenied(_("Your role cannot create or change interventions."))
    ids = scope.municipality_ids(actor)
    places = [municipality] if isinstance(municipality, Municipality) else list(municipality)
    outside = [m for m in places if ids is not None and m.id not in ids]
    if outside:
        raise PermissionDenied(
            _("%(municipality)s is outside your territory.")
            % {"municipality": ", ".join(str(m) for m in outside)}
        )


def _authorize_part(actor, intervention: Intervention) -> set[int] | None:
    """The actor may edit and at least one municipality of the intervention is theirs; the
    ids of their municipalities (``None``: all)."""
    if access.is_system(actor):
        return None
    if not actor.can(Capability.EDIT_RECORDS):
        raise PermissionDenied(_("Your role cannot create or change interventions."))
    ids = scope.municipality_ids(actor)
    if ids is not None and not (intervention.municipality_ids & ids):
        raise PermissionDenied(
            _("%(municipality)s is outside your territory.")
            % {"municipality": intervention.places_label}
        )
    return ids


def _places(lead: Municipality | None, chosen, sectors: list[Sector]) -> list[Municipality]:
    """The further municipalities: those chosen and those of target sectors outside the lead."""
    found = {m.pk: m for m in chosen or ()}
    for sector in sectors:
        if lead is not None and sector.municipality_id != lead.pk:
            found.setdefault(sector.municipality_id, sector.municipality)
    if lead is not None:
        found.pop(lead.pk, None)
    return sorted(found.values(), key=lambda m: m.cvegeo)


def _audit_detail(intervention: Intervention, sectors: list[Sector]) -> dict:
    return {
        "municipality": intervention.municipality.cvegeo,
        "municipalities": [m.cvegeo for m in intervention.municipalities()],
        "sectors": sorted(s.name for s in sectors),
        "crimes": list(intervention.target_crimes),
    }


def create_intervention(
    *,
    actor,
    target_sectors: Iterable[Sector] = (),
    more_municipalities: Iterable[Municipality] = (),
    **fields,
) -> Intervention:
    """Validate and save one intervention with its target sectors.

    ``fields`` are the model's fields (``name``, ``kind``, ``municipality``, ``target_crimes``,
    ``start_date``…). Target sectors of other municipalities add those municipalities (a
    program across several alcaldías of one state); ``more_municipalities`` adds ones with no
    sector. Raises ``ValidationError`` on a broken rule, ``PermissionDenied`` when a
    municipality is outside the actor's scope.
    """
    sectors = list(target_sectors)
    intervention = Intervention(**fields)
    lead = intervention.municipality if intervention.municipality_id is not None else None
    places = _places(lead, more_municipalities, sectors)
    intervention.stage_more_municipalities(places)
    if lead is not None:
        _authorize(actor, [lead, *places])
    intervention.stage_target_sectors(sectors)
    intervention.full_clean()
    with transaction.atomic():
        intervention.save()
        intervention.more_municipalities.set(places)
        intervention.target_sectors.set(sectors)
        record(
            actor=actor,
            action=Action.CREATE,
            obj=intervention,
            detail=_audit_detail(intervention, sectors),
        )
    return intervention


class EditConflictError(Exception):
    """Someone saved the record after this edit started; nothing was written.

    ``changes`` lists the fields where the stored record and this edit differ, as (label, the
    value saved meanwhile, the value in this edit), so the page can show both.
    """

    def __init__(self, changes: list[tuple[str, str, str]]):
        super().__init__(changes)
        self.changes = changes


EDITABLE_FIELDS = (
    "name",
    "kind",
    "target_crimes",
    "start_date",
    "end_date",
    "ramp_up_days",
    "organization",
    "activity_name",
    "description",
)


def _display(instance: Intervention, field: str) -> str:
    value = getattr(instance, field)
    if field == "kind":
        return instance.get_kind_display()
    if isinstance(value, list):
        return "; ".join(value)
    return "" if value is None else str(value)


def update_intervention(
    *,
    actor,
    intervention: Intervention,
    loaded_version: str,
    target_sectors: Iterable[Sector],
    **fields,
) -> Intervention:
    """Save changes made to a copy loaded at ``loaded_version`` (its ``updated_at``).

    Raises :class:`EditConflictError` when the stored record changed since, naming what the
    other save changed, so one person's edit never silently erases another's.

    A user whose scope holds only some of the intervention's municipalities edits only their
    part: the target sectors of their municipalities (the others' sectors are kept as they
    are); the shared fields and the list of municipalities are changed by someone whose
    territory covers them all (``PermissionDenied`` otherwise).
    """
    ids = _authorize_part(actor, intervention)
    more = fields.pop("more_municipalities", None)
    sectors = list(target_sectors)
    partial = ids is not None and not intervention.municipality_ids <= ids
    if partial:
        stored_sectors = list(intervention.target_sectors.all())
        sectors = [s for s in stored_sectors if s.municipality_id not in ids] + [
            s for s in sectors if s.municipality_id in ids
        ]
        shared = [
            f
            for f in EDITABLE_FIELDS
            if f in fields
            and _display(Intervention(**{f: fields[f]}), f) != _display(intervention, f)
        ]
        if shared or (
            more is not None and set(more) != set(intervention.more_municipalities.all())
        ):
            raise PermissionDenied(
                _(
                    "This intervention spans %(places)s; your territory holds only part of "
                    "it, so you may change only the target sectors of your municipalities."
                )
                % {"places": intervention.places_label}
            )
        more = None
    places = _places(
        intervention.municipality,
        list(intervention.more_municipalities.all()) if more is None else more,
        sectors,
    )
    if not partial:
        _authorize(actor, [intervention.municipality, *places])
    with transaction.atomic():
        stored = Intervention.objects.select_for_update().get(pk=intervention.pk)
        if stored.updated_at.isoformat() != loaded_version:
            mine = Intervention(
                **{f: fields.get(f, getattr(intervention, f)) for f in EDITABLE_FIELDS}
            )
            changes = [
                (
                    str(Intervention._meta.get_field(f).verbose_name),
                    _display(stored, f),
                    _display(mine, f),
                )
                for f in EDITABLE_FIELDS
                if _display(mine, f) != _display(stored, f)
            ]
            raise EditConflictError(changes)
        before = {f: _display(stored, f) for f in EDITABLE_FIELDS}
        sectors_before = set(stored.target_sectors.values_list("pk", flat=True))
        for name, value in fields.items():
            setattr(intervention, name, value)
        intervention.stage_target_sectors(sectors)
        intervention.stage_more_municipalities(places)
        intervention.full_clean()
        changed = {
            f: [before[f], _display(intervention, f)]
            for f in EDITABLE_FIELDS
            if before[f] != _display(intervention, f)
        }
        places_before = set(stored.more_municipalities.values_list("pk", flat=True))
        if (
            not changed
            and sectors_before == {s.pk for s in sectors}
            and places_before == {m.pk for m in places}
        ):
            # An unchanged save writes nothing: same version, nothing in the audit trail.
            return intervention
        intervention.save()
        intervention.more_municipalities.set(places)
        intervention.target_sectors.set(sectors)
        record(
            actor=actor,
            action=Action.UPDATE,
            obj=intervention,
            detail=_audit_detail(intervention, sectors) | {"changed": changed},
        )
    return intervention


def create_design(
    *, actor, intervention: Intervention, comparison_sectors: Iterable[Sector] = (), **fields
) -> EvaluationDesign:
    """Validate and save an evaluation design (unlocked; see :func:`lock_design`).

    The actor's scope must hold every municipality of the intervention: a design counts all
    its sectors."""
    _authorize(actor, intervention.municipalities())
    sectors = list(comparison_sectors)
    design = EvaluationDesign(intervention=intervention, **fields)
    design.stage_comparison_sectors(sectors)
    _check_design(design, sectors)
    with transaction.atomic():
        design.save()
        design.comparison_sectors.set(sectors)
        record(
            actor=actor,
            action=Action.CREATE,
            obj=design,
            detail={"comparison_sectors": sorted(s.name for s in sectors)},
        )
    return design


def _check_design(design: EvaluationDesign, comparison: list[Sector]) -> None:
    """Every rule, the model's and the method's, with the sectors breaking each, so a design
    that cannot be evaluated is refused when it is saved, not when results are asked for."""
    errors: dict = {}
    try:
        design.full_clean()
    except ValidationError as error:
        if not hasattr(error, "error_dict"):
            raise
        errors = dict(error.error_dict)
    if not errors.get("method"):
        targets = list(design.intervention.target_sectors.all())
        for field, problem in methods.check_design(design, targets, comparison):
            errors.setdefault(field, []).append(problem)
    if errors:
        raise ValidationError(errors)


def lock_design(*, design: EvaluationDesign, actor, now: dt.datetime | None = None):
    """Freeze a design before its results are shown; it must be valid and not yet locked.

    What the result depends on besides the design's fields (the data's cut, later cohorts, the
    donor pool) is frozen with it, so a later registration or import never changes a locked
    result.
    """
    _authorize(actor, design.intervention.municipalities())
    with transaction.atomic():
        # Refuses an already locked design, with its date, and any rule broken since saving.
        _check_design(design, list(design.comparison_sectors.all()))
        design.frozen = methods.freeze(actor, design)
        design.locked_at = now or timezone.now()
        design.save(update_fields=["locked_at", "frozen"])
        record(
            actor=actor,
            action=Action.UPDATE,
            obj=design,
            detail={"locked_at": design.locked_at.isoformat(), "frozen": design.frozen},
        )
    return design


def import_interventions_csv(*, path: str | Path, actor, progress=None) -> list[Intervention]:
    """Create the interventions of a CSV file, all or none; rows already imported are skipped.

    Columns: ``name, kind, municipality`` (CVEGEO of the leading municipality),
    ``municipalities`` (optional: the other municipalities of a program across places, CVEGEO
    separated by ``;``, of the same state), ``sectors`` (names separated by ``;``, looked up
    in the row's municipalities), ``crimes`` (separated by ``;``), ``start, end``
    (YYYY-MM-DD), ``ramp_up_days, organization`` (its name), ``description``. An intervention
    is the same when its name, municipality and start are: importing a file again creates
    nothing, and a row that differs from the stored intervention of that name, place and
    start is refused (change it on its page). Any bad row raises ``ImportFailed`` (a
    ``ValueError``) naming the file, the line and the column; nothing is imported then.
    """
    path = Path(path)
    created: list[Intervention] = []
    seen: dict[tuple, int] = {}

    lookups: dict = {}

    def check(line, row):
        return (line, *_import_row(row, actor=actor, seen=lookups))

    def stage(records):
        # The file's municipalities and their stored interventions, read once for the file.
        codes = sorted({_cell(row, "municipality") for _line, row in records})
        places = [
            m
            for start in range(0, len(codes), 500)
            for m in Municipality.objects.filter(cvegeo__in=codes[start : start + 500])
        ]
        lookups.update({("municipality", m.cvegeo): m for m in places})
        stored = _stored([m.pk for m in places])
        lookups.update({("stored", pk): found for pk, found in stored.items()})
        staged = stage_rows(records, check, field_to_column=FIELD_TO_COLUMN)
        problems = []
        for item in staged:
            key = (item[1].name, item[1].municipality_id, item[1].start_date)
            if key in seen:
                problems.append(
                    Problem(
                        item[0],
                        "name",
                        _(
                            "line %(line)d has the same name, municipality and start; an "
                            "intervention is imported once."
                        )
                        % {"line": seen[key]},
                    )
                )
            seen[key] = item[0]
        if problems:
            raise ImportFailed(problems, file=records.name)
        return [item for item in staged if item[1].pk is None]

    def write(batch) -> Written:
        # New interventions only (stage skipped the stored ones): one insert for them, one
        # for their sectors, one for their further municipalities, one for their audit
        # entries.
        bulk.insert(Intervention, [i for _line, i, _s in batch], new_ids=True)
        places = Intervention.more_municipalities.through
        bulk.insert(
            places,
            [
                places(intervention_id=intervention.pk, municipality_id=municipality.pk)
                for _line, intervention, _sectors in batch
                for municipality in intervention._staged_more_municipalities
            ],
        )
        through = Intervention.target_sectors.through
        bulk.insert(
            through,
            [
                through(intervention_id=intervention.pk, sector_id=sector.pk)
                for _line, intervention, sectors in batch
                for sector in sectors
            ],
        )
        record_many(
            (
                {
                    "action": Action.CREATE,
                    "obj": intervention,
                    "detail": _audit_detail(intervention, sectors)
                    | {"file": path.name, "line": line},
                }
                for line, intervention, sectors in batch
            ),
            actor=actor,
        )
        created.extend(intervention for _line, intervention, _s in batch)
        return Written(created=len(batch), ids=tuple(i.pk for _l, i, _s in batch))

    def undo(ids) -> None:
        Intervention.objects.filter(pk__in=ids).delete()

    import_records(
        dataset="interventions.Intervention",
        what=_("interventions"),
        source=path,
        known=CSV_COLUMNS,
        required=REQUIRED_COLUMNS,
        actor=actor,
        stage=stage,
        write=write,
        undo=undo,
        progress=progress,
    )
    return created


def _cell(row: dict, column: str) -> str:
    return (row.get(column) or "").strip()


def _parse_date(row: dict, column: str, *, required: bool) -> dt.date | None:
    text = _cell(row, column)
    if not text:
        if required:
            raise RowError(column, _("a date is required (YYYY-MM-DD)."))
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise RowError(
            column, _("“%(value)s” is not a date; write it as YYYY-MM-DD.") % {"value": text}
        ) from None


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(";") if part.strip()]


def _municipality(cvegeo: str, column: str, seen: dict) -> Municipality:
    """The municipality of ``cvegeo``, looked up once per file (``seen``), or the row's
    error in ``column``."""
    if ("municipality", cvegeo) not in seen:
        seen["municipality", cvegeo] = Municipality.objects.filter(cvegeo=cvegeo).first()
    municipality = seen["municipality", cvegeo]
    if municipality is None:
        raise RowError(
            column,
            _("no municipality with CVEGEO “%(value)s” (five digits, e.g. 09015).")
            % {"value": cvegeo},
        )
    return municipality


def _check_scope(actor, municipality: Municipality, column: str, seen: dict) -> None:
    """Whether ``actor`` may register interventions in ``municipality``, asked once per file
    (``seen``); the row's error in ``column`` when not."""
    if ("refused", municipality.pk) not in seen:
        try:
            _authorize(actor, municipality)
            seen["refused", municipality.pk] = None
        except PermissionDenied as exc:
            seen["refused", municipality.pk] = str(exc)
    if seen["refused", municipality.pk] is not None:
        raise RowError(column, seen["refused", municipality.pk])


def _other_municipalities(row: dict, lead: Municipality, *, actor, seen: dict) -> list:
    """The ``municipalities`` column: further municipalities of a program across places
    (CVEGEO separated by ``;``), each known, in the actor's scope and of the lead's state;
    the lead itself may be repeated there."""
    found = []
    for cvegeo in _split(_cell(row, "municipalities")):
        municipality = _municipality(cvegeo, "municipalities", seen)
        if municipality.pk == lead.pk or municipality in found:
            continue
        if municipality.state_id != lead.state_id:
            raise RowError(
                "municipalities",
                _(
                    "%(municipality)s is in another state than %(lead)s; register one "
                    "intervention per state (the program summary pools them)."
                )
                % {"municipality": municipality.name, "lead": lead.name},
            )
        _check_scope(actor, municipality, "municipalities", seen)
        found.append(municipality)
    return sorted(found, key=lambda m: m.cvegeo)


def _stored(municipality_ids: list[int]) -> dict[int, dict]:
    """For each municipality, its interventions by (name, start), each with the ids of its
    target sectors and further municipalities: three queries for all the municipalities of
    a file (the related managers cost more than the comparison when read row by row)."""
    found: dict[int, dict] = {pk: {} for pk in municipality_ids}
    sectors: dict[int, set] = {}
    places: dict[int, set] = {}
    for start in range(0, len(municipality_ids), 500):
        chunk = municipality_ids[start : start + 500]
        for intervention_id, sector_id in Intervention.target_sectors.through.objects.filter(
            intervention__municipality_id__in=chunk
        ).values_list("intervention_id", "sector_id"):
            sectors.setdefault(intervention_id, set()).add(sector_id)
        for intervention_id, place_id in Intervention.more_municipalities.through.objects.filter(
            intervention__municipality_id__in=chunk
        ).values_list("intervention_id", "municipality_id"):
            places.setdefault(intervention_id, set()).add(place_id)
        for i in Intervention.objects.filter(municipality_id__in=chunk).select_related(
            "municipality", "organization"
        ):
            found[i.municipality_id][i.name, i.start_date] = (
                i,
                sectors.get(i.pk, set()),
                places.get(i.pk, set()),
            )
    return found


def _import_row(row: dict, *, actor, seen: dict | None = None) -> tuple[Intervention, list[Sector]]:
    """The checked intervention of a row, unsaved; the stored one when it was imported
    before with the same values. ``seen`` keeps what earlier rows of the file looked up
    (municipalities, scope, sectors, organizations, stored interventions), so a file costs
    a few queries per municipality instead of a dozen per row."""
    seen = {} if seen is None else seen
    name = _cell(row, "name")
    if not name:
        raise RowError("name", _("the name is empty."))
    kind = _cell(row, "kind").lower()
    if kind not in InterventionKind.values:
        raise RowError(
            "kind",
            _("unknown kind “%(value)s”; use one of %(choices)s.")
            % {"value": _cell(row, "kind"), "choices": ", ".join(InterventionKind.values)},
        )
    municipality = _municipality(_cell(row, "municipality"), "municipality", seen)
    _check_scope(actor, municipality, "municipality", seen)
    others = _other_municipalities(row, municipality, actor=actor, seen=seen)
    places = [municipality, *others]
    where = names_list([m.name for m in places])
    sectors = []
    for sector_name in _split(_cell(row, "sectors")):
        key = ("sector", tuple(m.pk for m in places), sector_name)
        if key not in seen:
            seen[key] = list(
                Sector.objects.filter(municipality__in=places, name=sector_name).select_related(
                    "municipality"
                )[:2]
            )
        found = seen[key]
        if not found:
            raise RowError(
                "sectors",
                _("no sector “%(sector)s” in %(municipality)s.")
                % {"sector": sector_name, "municipality": where},
            )
        if len(found) > 1:
            raise RowError(
                "sectors",
                _("more than one sector is named “%(sector)s” in %(municipality)s.")
                % {"sector": sector_name, "municipality": where},
            )
        sectors.append(found[0])
    ramp_text = _cell(row, "ramp_up_days") or "0"
    try:
        ramp_up_days = int(ramp_text)
    except ValueError:
        raise RowError(
            "ramp_up_days", _("“%(value)s” is not a whole number of days.") % {"value": ramp_text}
        ) from None
    organization = None
    organization_name = _cell(row, "organization")
    if organization_name:
        if ("organization", organization_name) not in seen:
            seen["organization", organization_name] = Organization.objects.filter(
                name=organization_name
            ).first()
        organization = seen["organization", organization_name]
        if organization is None:
            raise RowError(
                "organization",
                _("no organization named “%(value)s”.") % {"value": organization_name},
            )
    intervention = Intervention(
        name=name,
        kind=kind,
        municipality=municipality,
        target_crimes=_split(_cell(row, "crimes")),
        start_date=_parse_date(row, "start", required=True),
        end_date=_parse_date(row, "end", required=False),
        ramp_up_days=ramp_up_days,
        organization=organization,
        description=_cell(row, "description"),
    )
    intervention.stage_target_sectors(sectors)
    # Staged: no query for them when the row is checked or audited.
    intervention.stage_more_municipalities(others)
    try:
        # The municipality and organization were just looked up (no query to check they
        # exist); the check constraints are clean()'s own rules, with their messages.
        intervention.full_clean(
            exclude=["municipality", "organization"], validate_constraints=False
        )
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise RowError(FIELD_TO_COLUMN.get(field, field), " ".join(messages)) from None
    if ("stored", municipality.pk) not in seen:
        seen["stored", municipality.pk] = _stored([municipality.pk])[municipality.pk]
    stored, stored_sectors, stored_places = seen["stored", municipality.pk].get(
        (name, intervention.start_date), (None, set(), set())
    )
    if stored is not None:
        changed = [
            column
            for field, column in FIELD_TO_COLUMN.items()
            if field not in ("target_sectors", "more_municipalities")
            and getattr(stored, field) != getattr(intervention, field)
        ]
        if stored_places != {m.pk for m in others}:
            changed.append("municipalities")
        if stored_sectors != {s.pk for s in sectors}:
            changed.append("sectors")
        if changed:
            raise RowError(
                changed[0],
                _(
                    "intervention %(id)s has this name, municipality and start but differs in "
                    "%(columns)s; change it on its page instead of importing it again."
                )
                % {"id": stored.pk, "columns": ", ".join(changed)},
            )
        return stored, sectors
    return intervention, sectors
