"""Writes of program records: CSV imports of activities, coverage and alliances.

Each import runs through :func:`civica.core.imports.import_records` in one transaction: any
bad row refuses the whole file with the line and the column at fault. Every created or
updated record goes to the audit log, and the file as a whole too. ``actor`` is the user, or
``civica.accounts.access.SYSTEM`` for an operator at the command line (``None`` is refused).
"""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from civica.accounts import access, scope
from civica.accounts.roles import Capability
from civica.audit.services import Action, record, record_many
from civica.core import bulk
from civica.core.imports import (
    ImportSummary,
    RowError,
    Written,
    import_records,
    stage_rows,
    write_rows,
)
from civica.monitoring import csvfiles
from civica.monitoring.models import Activity, Coverage
from civica.organizations.models import Alliance, Organization
from civica.territory.models import Municipality

__all__ = [
    "ACTIVITY_COLUMNS",
    "ALLIANCE_COLUMNS",
    "COVERAGE_COLUMNS",
    "ImportSummary",
    "import_activities_csv",
    "import_alliances_csv",
    "import_coverage_csv",
]

ACTIVITY_COLUMNS = ("code", "name", "implementer", "start", "end", "goals", "description")
COVERAGE_COLUMNS = ("activity", "municipality", "from", "to", "support_type", "components")
ALLIANCE_COLUMNS = ("name", "purpose", "members", "municipalities", "start", "end")


def _authorize(actor, municipality: Municipality | None = None) -> None:
    if access.is_system(actor):
        return
    if not actor.can(Capability.EDIT_RECORDS):
        raise PermissionDenied(_("Your role cannot create or change program records."))
    ids = scope.municipality_ids(actor)
    if municipality is not None and ids is not None and municipality.id not in ids:
        raise PermissionDenied(
            _("%(municipality)s is outside your territory.") % {"municipality": municipality}
        )


def _organization(name: str, column: str) -> Organization:
    found = Organization.objects.filter(name=name).first()
    if found is None:
        raise RowError(column, _("no organization named “%(value)s”.") % {"value": name})
    return found


def _municipality(code: str, column: str) -> Municipality:
    found = Municipality.objects.filter(cvegeo=code).select_related("state").first()
    if found is None:
        raise RowError(
            column,
            _("no municipality with CVEGEO “%(value)s” (five digits, e.g. 02002).")
            % {"value": code},
        )
    return found


def _run(path, *, dataset, what, columns, required, handle_row, actor) -> ImportSummary:
    """Import a small file of records row by row in one transaction (they update records in
    place, so they are written whole or not at all, never in batches)."""

    def write(rows) -> Written:
        return write_rows(
            rows,
            lambda line, row: handle_row(row, source=Path(path).name, line=line),
            denied_column=columns[0],
        )

    return import_records(
        dataset=dataset,
        what=what,
        source=Path(path),
        known=columns,
        required=required,
        actor=actor,
        stage=list,
        write=write,
    )


def import_activities_csv(*, path, actor, progress=None) -> ImportSummary:
    """Create or update activities by ``code``. Columns: code, name, implementer
    (organization name), start, end (YYYY-MM-DD), goals (separated by ``;``), description.

    The rules are the form's (the model's field checks and ``clean``), applied to the whole
    file before anything is written, with the stored activities, implementers and coverage
    read once for the file; then one insert, one update and one audit entry per row written
    together. A code repeated in the file updates what its earlier row created, as row by row.
    """
    _authorize(actor)
    source = Path(path).name

    def stage(records):
        codes = {row["code"] for _line, row in records if row.get("code")}
        stored = {a.code: a for a in _in_chunks(Activity.objects, "code", codes)}
        names = {row["implementer"] for _line, row in records if row.get("implementer")}
        organizations = {o.name: o for o in _in_chunks(Organization.objects, "name", names)}
        # The stored coverage periods of the stored activities: an update may not leave any
        # of them outside the activity's new period.
        periods: dict[int, list] = {}
        for chunk in _chunks([a.pk for a in stored.values()]):
            for activity_id, start, end in Coverage.objects.filter(
                activity_id__in=chunk
            ).values_list("activity_id", "start_date", "end_date"):
                periods.setdefault(activity_id, []).append((start, end))
        building: dict[str, Activity] = {}

        def check(line, row):
            code = csvfiles.required_text(row, "code")
            activity = building.get(code) or stored.get(code) or Activity(code=code)
            created = code not in building and code not in stored
            activity.name = csvfiles.required_text(row, "name")
            implementer = csvfiles.required_text(row, "implementer")
            if implementer not in organizations:
                raise RowError(
                    "implementer", _("no organization named “%(value)s”.") % {"value": implementer}
                )
            activity.implementer = organizations[implementer]
            activity.start_date = csvfiles.date(row, "start")
            activity.end_date = csvfiles.date(row, "end")
            activity.goals = csvfiles.split(row.get("goals", ""))
            activity.description = row.get("description", "")
            # The implementer was just looked up and the code's uniqueness is the stored
            # activities' look-up; the check constraint (end not before start) is clean()'s.
            csvfiles.full_clean(
                activity,
                {"start_date": "start", "end_date": "end", "implementer": "implementer"},
                exclude=["implementer"],
                queries=False,
            )
            outside = sum(
                start < activity.start_date or end > activity.end_date
                for start, end in periods.get(activity.pk, ())
                if activity.pk is not None
            )
            if outside:
                raise RowError(
                    "start",
                    _(
                        "%(n)d coverage records of this activity would fall outside the new "
                        "period; change them first."
                    )
                    % {"n": outside},
                )
            building[code] = activity
            return line, activity, created

        return stage_rows(records, check)

    def write(rows) -> Written:
        new, changed, seen = [], [], set()
        for _line, activity, _created in rows:
            if id(activity) in seen:
                continue
            seen.add(id(activity))
            (new if activity.pk is None else changed).append(activity)
        bulk.insert(Activity, new, new_ids=True)
        Activity.objects.bulk_update(
            changed,
            ["name", "implementer", "start_date", "end_date", "goals", "description"],
            batch_size=500,
        )
        record_many(
            (
                {
                    "action": Action.CREATE if created else Action.UPDATE,
                    "obj": activity,
                    "detail": {"file": source, "line": line},
                }
                for line, activity, created in rows
            ),
            actor=actor,
        )
        made = sum(created for _line, _activity, created in rows)
        return Written(created=made, updated=len(rows) - made)

    return import_records(
        dataset="monitoring.Activity",
        what=_("activities"),
        source=Path(path),
        known=ACTIVITY_COLUMNS,
        required=ACTIVITY_COLUMNS[:6],
        actor=actor,
        stage=stage,
        write=write,
        split=True,
        progress=progress,
    )


def _chunks(values: list, size: int = 500):
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _in_chunks(manager, field: str, values) -> list:
    """The records whose ``field`` is one of ``values``, a few hundred per query."""
    return [
        found
        for chunk in _chunks(sorted(values))
        for found in manager.filter(**{f"{field}__in": chunk})
    ]


def import_coverage_csv(*, path, actor) -> ImportSummary:
    """Create or update coverage by (activity, municipality, from). Columns: activity (its
    code), municipality (CVEGEO), from, to (inside the activity's period), support_type
    (direct or collaborative), components (separated by ``;``)."""
    _authorize(actor)

    def handle(row, *, source, line):
        code = csvfiles.required_text(row, "activity")
        activity = Activity.objects.filter(code=code).first()
        if activity is None:
            raise RowError("activity", _("no activity with code “%(value)s”.") % {"value": code})
        municipality = _municipality(csvfiles.required_text(row, "municipality"), "municipality")
        try:
            _authorize(actor, municipality)
        except PermissionDenied as error:
            raise RowError("municipality", str(error)) from None
        start = csvfiles.date(row, "from")
        coverage = Coverage.objects.filter(
            activity=activity, municipality=municipality, start_date=start
        ).first() or Coverage(activity=activity, municipality=municipality, start_date=start)
        created = coverage.pk is None
        coverage.end_date = csvfiles.date(row, "to")
        coverage.support_type = row.get("support_type", "").lower()
        coverage.components = csvfiles.split(row.get("components", ""))
        csvfiles.full_clean(coverage, {"start_date": "from", "end_date": "to"})
        coverage.save()
        record(
            actor=actor,
            action=Action.CREATE if created else Action.UPDATE,
            obj=coverage,
            detail={"file": source, "line": line, "municipality": municipality.cvegeo},
        )
        return created

    return _run(
        path,
        dataset="monitoring.Coverage",
        what=_("coverage"),
        columns=COVERAGE_COLUMNS,
        required=COVERAGE_COLUMNS,
        handle_row=handle,
        actor=actor,
    )


def import_alliances_csv(*, path, actor) -> ImportSummary:
    """Create or update alliances by name. Columns: name, purpose, members (organization
    names separated by ``;``), municipalities (CVEGEO, ``;``), start, end (may be empty)."""
    _authorize(actor)

    def handle(row, *, source, line):
        name = csvfiles.required_text(row, "name")
        alliance = Alliance.objects.filter(name=name).first() or Alliance(name=name)
        created = alliance.pk is None
        alliance.purpose = csvfiles.required_text(row, "purpose")
        alliance.start_date = csvfiles.date(row, "start")
        alliance.end_date = csvfiles.date(row, "end", required=False)
        members = [_organization(n, "members") for n in csvfiles.split(row.get("members", ""))]
        if len(members) < 2:
            raise RowError("members", _("an alliance has at least two member organizations."))
        places = [
            _municipality(c, "municipalities")
            for c in csvfiles.split(row.get("municipalities", ""))
        ]
        for place in places:
            try:
                _authorize(actor, place)
            except PermissionDenied as error:
                raise RowError("municipalities", str(error)) from None
        csvfiles.full_clean(alliance, {"start_date": "start", "end_date": "end"})
        alliance.save()
        alliance.members.set(members)
        alliance.municipalities.set(places)
        record(
            actor=actor,
            action=Action.CREATE if created else Action.UPDATE,
            obj=alliance,
            detail={"file": source, "line": line},
        )
        return created

    return _run(
        path,
        dataset="organizations.Alliance",
        what=_("alliances"),
        columns=ALLIANCE_COLUMNS,
        required=ALLIANCE_COLUMNS[:5],
        handle_row=handle,
        actor=actor,
    )
