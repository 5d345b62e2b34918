"""CSV imports: persons with their consent and enrollment, and screening instruments.

Both go through :func:`civica.core.imports.import_records`: every row is checked before
anything is written, and if any row is wrong nothing is written and every problem is reported
with its line, column and message (in the active language). The persons' rules are the web
form's (scope, consent of a minor, CURP and similar-name duplicates), checked for the whole
file in a few queries so that a large file imports at thousands of rows per second
(benchmarks/bench_imports.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from civica.accounts import access
from civica.accounts.access import SYSTEM
from civica.audit.services import Action, record
from civica.core.imports import (
    BATCH_SIZE,
    MAX_PROBLEMS,
    ImportBusy,
    ImportFailed,
    ImportSummary,
    Problem,
    RowError,
    Written,
    import_records,
)
from civica.core.staging import Staging
from civica.participants import identity, selectors, services
from civica.participants.models import (
    Consent,
    Enrollment,
    Instrument,
    Person,
    ReferralSource,
    Sex,
    Track,
    check_definition,
)
from civica.territory.models import Municipality

__all__ = [
    "PERSON_COLUMNS",
    "ImportBusy",
    "ImportFailed",
    "ImportResult",
    "Problem",
    "import_instrument_csv",
    "import_persons_csv",
]

PERSON_COLUMNS = (
    "given_names",
    "family_names",
    "birth_date",
    "sex",
    "curp",
    "phone",
    "address",
    "municipality",
    "consent_given_by",
    "guardian_name",
    "consent_date",
    "follow_up",
    "track",
    "referral_source",
    "start_date",
)
REQUIRED = (
    "given_names",
    "family_names",
    "sex",
    "municipality",
    "consent_given_by",
    "consent_date",
    "track",
    "referral_source",
    "start_date",
)
# Model fields as the columns that fill them, to name the column of a model error.
FIELD_TO_COLUMN = {
    "given_names": "given_names",
    "family_names": "family_names",
    "birth_date": "birth_date",
    "sex": "sex",
    "curp": "curp",
    "phone": "phone",
    "address": "address",
    "municipality": "municipality",
    "given_by": "consent_given_by",
    "guardian_name": "guardian_name",
    "given_on": "consent_date",
    "track": "track",
    "referral_source": "referral_source",
    "start_date": "start_date",
}
CHOICES = {
    "sex": Sex.values,
    "track": Track.values,
    "referral_source": ReferralSource.values,
    "consent_given_by": ["person", "guardian"],
}
INSTRUMENT_COLUMNS = (
    "scale",
    "scale_label",
    "item",
    "item_label",
    "threshold",
    "scoring",
    "min",
    "max",
)


@dataclass
class _Row:
    line: int
    person: Person
    consent: Consent
    enrollment: Enrollment
    name: str = ""


class ImportResult(ImportSummary):
    """The summary of a persons import; ``pids`` are the new persons' pseudonymous ids."""

    @property
    def pids(self) -> list[str]:
        return self.ids

    def lines(self) -> list[str]:
        return [_("%(n)s persons imported.") % {"n": len(self.pids)}]


def _date(row: dict, column: str) -> dt.date:
    try:
        return dt.date.fromisoformat(row[column])
    except ValueError:
        raise RowError(column, _("write the date as YYYY-MM-DD")) from None


def _validation(error: ValidationError, line: int) -> ImportFailed:
    return ImportFailed(
        [
            Problem(line, FIELD_TO_COLUMN.get(name, "" if name == "__all__" else name), msg)
            for name, messages in error.message_dict.items()
            for msg in [" ".join(messages)]
        ]
    )


class _Stager:
    """Checks every row of a persons file and prepares its person, consent and enrollment,
    with the same rules as the services (scope, consent of a minor, duplicates) but in a few
    queries for the whole file: a per-row registration ran at ~100 rows/s."""

    def __init__(self, *, actor, organization):
        self.actor = actor
        self.organization = organization
        self.municipalities = {m.cvegeo: m for m in Municipality.objects.all()}
        self.recorded_by = (
            access.user_of(actor) if getattr(actor, "is_authenticated", False) else None
        )
        self.recorded_by_id = self.recorded_by.pk if self.recorded_by is not None else None

    def row(self, line: int, row: dict) -> _Row:
        problems: list[Problem] = []
        for column in REQUIRED:
            if not row.get(column):
                problems.append(Problem(line, column, _("this value is required")))
        for column, allowed in CHOICES.items():
            if row.get(column) and row[column] not in allowed:
                problems.append(
                    Problem(
                        line, column, _("use one of: %(values)s") % {"values": ", ".join(allowed)}
                    )
                )
        municipality = self.municipalities.get(row.get("municipality", ""))
        if row.get("municipality") and municipality is None:
            problems.append(
                Problem(line, "municipality", _("no municipality has this CVEGEO code"))
            )
        dates = {}
        for column in ("consent_date", "start_date"):
            if row.get(column):
                try:
                    dates[column] = _date(row, column)
                except RowError as error:
                    problems.append(Problem(line, error.column, error.message))
        if problems:
            raise ImportFailed(problems)
        # Keys rather than objects where nothing reads the object: a model's related field
        # costs a descriptor call per object.
        person = Person(
            organization_id=self.organization.pk,
            given_names=row["given_names"],
            family_names=row["family_names"],
            birth_date=row.get("birth_date", ""),
            sex=row["sex"],
            curp=row.get("curp", ""),
            phone=row.get("phone", ""),
            address=row.get("address", ""),
            municipality_id=municipality.pk,
        )
        consent = Consent(
            person=person,
            given_by=row["consent_given_by"],
            guardian_name=row.get("guardian_name", ""),
            given_on=dates["consent_date"],
            participation=True,
            follow_up=row.get("follow_up", "").lower() in {"yes", "si", "sí", "1"},
            recorded_by_id=self.recorded_by_id,
        )
        enrollment = Enrollment(
            person=person,
            organization_id=self.organization.pk,
            track=row["track"],
            referral_source=row["referral_source"],
            start_date=dates["start_date"],
            case_worker_id=self.recorded_by_id,
        )
        errors: dict = {}
        # The models' field checks (``clean_fields``: required, choices, lengths) are the
        # REQUIRED and CHOICES checks above, for the whole row at once (a test holds CHOICES
        # to the models' choices); their ``clean`` rules (birth date, CURP, a minor's
        # consent, the guardian's name, no query) run here as the form runs them.
        for obj in (person, consent, enrollment):
            try:
                obj.clean()
            except ValidationError as error:
                for name, messages in error.message_dict.items():
                    errors.setdefault(name, messages)
        if errors:
            raise _validation(ValidationError(errors), line)
        if enrollment.start_date < consent.given_on:
            raise RowError(
                "start_date",
                _("the enrollment starts before the consent date (%(date)s).")
                % {"date": consent.given_on.isoformat()},
            )
        person.refresh_derived()
        name = identity.normalize_name(f"{person.given_names} {person.family_names}")
        return _Row(line, person, consent, enrollment, name)

    def duplicates(self, rows: list[_Row]) -> list[Problem]:
        """CURPs and similar names already registered or repeated in the file."""
        problems: list[Problem] = []
        by_curp: dict[str, _Row] = {}
        for item in rows:
            index = item.person.curp_index
            if not index:
                continue
            if index in by_curp:
                problems.append(
                    Problem(
                        item.line,
                        "curp",
                        _("the same CURP is on line %(line)s.") % {"line": by_curp[index].line},
                    )
                )
            else:
                by_curp[index] = item
        visible = (
            selectors.persons(self.actor)
            if not access.is_system(self.actor)
            else Person.objects.filter(merged_into__isnull=True)
        )
        for chunk in _chunks(list(by_curp)):
            found = Person.objects.filter(curp_index__in=chunk, merged_into__isnull=True)
            seen = set(visible.filter(curp_index__in=chunk).values_list("curp_index", flat=True))
            for person in found.only("pid", "curp_index"):
                line = by_curp[person.curp_index].line
                if person.curp_index in seen:
                    message = _(
                        "A person with this CURP is already registered: %(pids)s. Open that "
                        "record instead of creating a second one, or merge the records."
                    ) % {"pids": person.pid}
                else:
                    record(
                        actor=self.actor,
                        action=Action.VIEW,
                        object_type="participants.Person",
                        object_label="duplicate CURP outside scope",
                        personal_data=True,
                    )
                    message = _(
                        "This CURP is already registered by another organization. Ask that "
                        "organization for a referral instead of registering the person again."
                    )
                problems.append(Problem(line, "curp", message))
        problems += self._similar(rows, visible)
        return sorted(problems, key=lambda p: p.line)

    def _similar(self, rows: list[_Row], visible) -> list[Problem]:
        groups: dict[str, list[_Row]] = {}
        for item in rows:
            # A row with a CURP is not asked about, but is a namesake of rows without one.
            if item.person.birth_year_index:
                groups.setdefault(item.person.birth_year_index, []).append(item)
        problems: list[Problem] = []
        stored: dict[str, list[tuple[str, str, str]]] = {}
        for chunk in _chunks(list(groups)):
            for pid, given, family, year, day in visible.filter(
                birth_year_index__in=chunk
            ).values_list("pid", "given_names", "family_names", "birth_year_index", "birth_index"):
                name = identity.normalize_name(f"{given} {family}")
                stored.setdefault(year, []).append((pid, name, day))
        for year, items in groups.items():
            for position, item in enumerate(items):
                if item.person.curp_index:
                    continue  # a CURP decides; names are asked about only without one
                day = item.person.birth_index
                matches = [
                    pid
                    for pid, name, other_day in stored.get(year, [])
                    if services.similar_names(item.name, name, same_day=other_day == day)
                ]
                earlier = [
                    other.line
                    for other in items[:position]
                    if services.similar_names(
                        item.name, other.name, same_day=other.person.birth_index == day
                    )
                ]
                if matches:
                    problems.append(
                        Problem(
                            item.line,
                            "given_names",
                            _(
                                "Possible duplicates (similar name, same municipality, same "
                                "birth date or birth year): %(pids)s. Open one of them, or "
                                "confirm this is a different person."
                            )
                            % {"pids": ", ".join(matches)},
                        )
                    )
                elif earlier:
                    problems.append(
                        Problem(
                            item.line,
                            "given_names",
                            _(
                                "may be the same person as line %(line)s (similar name, same "
                                "municipality and birth year)."
                            )
                            % {"line": earlier[0]},
                        )
                    )
        return problems


def _chunks(values: list, size: int = 500):
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _free_pids(n: int) -> list[str]:
    pids: set[str] = set()
    while len(pids) < n:
        fresh = {identity.new_pid() for _ in range(n - len(pids))} - pids
        for chunk in _chunks(list(fresh)):
            fresh -= set(Person.objects.filter(pid__in=chunk).values_list("pid", flat=True))
        pids |= fresh
    return list(pids)


def import_persons_csv(
    *,
    actor,
    organization,
    path: Path | None = None,
    text: str | None = None,
    data: bytes | None = None,
    name: str = "",
    progress=None,
    batch_size: int = BATCH_SIZE,
) -> ImportResult:
    """Register, consent and enroll one person per row, all or nothing.

    The file is read from ``path``, ``data`` (bytes of an upload) or ``text``. Every row is
    checked before anything is written (the scope, each column, the consent of a minor,
    CURPs and similar names already registered or repeated in the file); then persons,
    consents and enrollments are staged in batches of ``batch_size`` rows and applied in one
    transaction (:mod:`civica.core.staging`): a kill leaves none of them.
    ``progress(done, total)`` follows the staging.
    """
    source = path if path is not None else data if data is not None else text or ""
    stager = None

    def stage(records):
        nonlocal stager
        try:
            services._require_edit(actor, organization.pk)
        except PermissionDenied as error:
            raise ImportFailed([Problem(0, "", str(error))], file=records.name) from None
        stager = _Stager(actor=actor, organization=organization)
        rows: list[_Row] = []
        problems: list[Problem] = []
        for line, row in records:
            try:
                rows.append(stager.row(line, row))
            except ImportFailed as failed:
                problems += failed.problems
            except RowError as error:
                problems.append(Problem(line, error.column, error.message))
            if len(problems) >= MAX_PROBLEMS:
                break
        if not problems:
            problems = stager.duplicates(rows)
        if problems:
            raise ImportFailed(problems[:MAX_PROBLEMS], file=records.name)
        for item, pid in zip(rows, _free_pids(len(rows)), strict=True):
            item.person.pid = pid
        return rows

    staging = Staging([Person, Consent, Enrollment])
    prepared = False

    def write(batch: list[_Row]) -> Written:
        nonlocal prepared
        if not prepared:
            staging.prepare()
            prepared = True
        staging.add(Person, [item.person for item in batch])
        for item in batch:  # the children point to their person's staging row
            item.consent.person_id = item.person.pk
            item.enrollment.person_id = item.person.pk
        staging.add(Consent, [item.consent for item in batch])
        staging.add(Enrollment, [item.enrollment for item in batch])
        return Written(created=len(batch), ids=tuple(item.person.pid for item in batch))

    def apply() -> Written:
        staging.apply(Person)
        person = {"person_id": (Person, "pid")}
        staging.apply(Consent, links=person)
        staging.apply(Enrollment, links=person)
        staging.drop()
        return Written()

    def undo(pids: list[str]) -> None:
        if prepared:
            staging.drop()

    summary = import_records(
        dataset="participants.Person",
        what=_("persons"),
        source=source,
        name=name,
        known=PERSON_COLUMNS,
        required=REQUIRED,
        actor=actor,
        stage=stage,
        write=write,
        undo=undo,
        apply=apply,
        batch_size=batch_size,
        progress=progress,
        audit_detail={"organization": organization.pk},
    )
    result = ImportResult(summary.created, summary.updated, ids=summary.ids, rows=summary.rows)
    return result


def import_instrument_csv(
    *, code: str, name: str, min_scales: int, path: Path | None = None, text: str | None = None
) -> Instrument:
    """A new version of instrument ``code`` from an XLSForm-like sheet, one row per item."""
    made: list[Instrument] = []

    def stage(records):
        problems: list[Problem] = []
        scales: dict[str, dict] = {}
        bounds: dict[str, set] = {"min": set(), "max": set()}
        for line, row in records:
            for column in ("scale", "item", "threshold"):
                if not row.get(column):
                    problems.append(Problem(line, column, _("this value is required")))
            if not row.get("scale") or not row.get("item"):
                continue
            scale = scales.setdefault(
                row["scale"],
                {
                    "code": row["scale"],
                    "label": row.get("scale_label") or row["scale"],
                    "items": [],
                    "scoring": row.get("scoring") or "sum",
                    "threshold": None,
                },
            )
            try:
                threshold = float(row["threshold"])
            except ValueError:
                problems.append(Problem(line, "threshold", _("the threshold must be a number")))
                continue
            if scale["threshold"] not in (None, threshold):
                problems.append(
                    Problem(
                        line,
                        "threshold",
                        _("differs from the threshold of scale %(scale)s above")
                        % {"scale": row["scale"]},
                    )
                )
            scale["threshold"] = threshold
            scale["items"].append(row["item"])
            if row.get("item_label"):
                scale.setdefault("item_labels", {})[row["item"]] = row["item_label"]
            for key in ("min", "max"):
                if row.get(key):
                    try:
                        bounds[key].add(float(row[key]))
                    except ValueError:
                        problems.append(Problem(line, key, _("must be a number")))
        definition = {"scales": list(scales.values()), "eligibility": {"min_scales": min_scales}}
        if len(bounds["min"]) == 1 and len(bounds["max"]) == 1:
            definition["answers"] = {"min": bounds["min"].pop(), "max": bounds["max"].pop()}
        problems += [Problem(0, "", problem) for problem in check_definition(definition)]
        if problems:
            raise ImportFailed(problems, file=records.name)
        return [definition]

    def write(items) -> Written:
        latest = Instrument.objects.filter(code=code).order_by("-version").first()
        made.append(
            Instrument.objects.create(
                code=code,
                version=(latest.version + 1) if latest else 1,
                name=name,
                definition=items[0],
            )
        )
        return Written(created=1, ids=(made[0].pk,))

    import_records(
        dataset="participants.Instrument",
        what=_("screening instruments"),
        source=path if path is not None else text or "",
        known=INSTRUMENT_COLUMNS,
        required=("scale", "item", "threshold"),
        actor=SYSTEM,
        stage=stage,
        write=write,
    )
    return made[0]
