"""CSV imports: persons with their consent and enrollment, and screening instruments.

Both are atomic: every row is checked, and if any row is wrong nothing is written and every
problem is reported with its line, column and message (in the active language). A row is
registered through the same services as the web form, so duplicates, consent rules and scope
apply unchanged.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from civica.participants import casework, services
from civica.participants.models import Instrument, ReferralSource, Sex, Track, check_definition
from civica.territory.models import Municipality

__all__ = [
    "PERSON_COLUMNS",
    "ImportFailed",
    "RowError",
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


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        return _("line %(line)s, column %(column)s: %(message)s") % {
            "line": self.line,
            "column": self.column or "-",
            "message": self.message,
        }


class ImportFailed(Exception):
    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__(f"{len(errors)} problem(s)")

    def lines(self) -> list[str]:
        return [str(e) for e in self.errors]


@dataclass
class ImportResult:
    pids: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        return [_("%(n)s persons imported.") % {"n": len(self.pids)}]


def _read(path_or_text: Path | str, columns: tuple[str, ...], required: tuple[str, ...]):
    text = (
        path_or_text.read_text(encoding="utf-8-sig")
        if isinstance(path_or_text, Path)
        else path_or_text
    )
    reader = csv.DictReader(io.StringIO(text))
    header = reader.fieldnames or []
    missing = [c for c in required if c not in header]
    unknown = [c for c in header if c not in columns]
    errors = [RowError(1, c, _("this column is required")) for c in missing]
    errors += [
        RowError(
            1, c, _("unknown column; expected some of: %(cols)s") % {"cols": ", ".join(columns)}
        )
        for c in unknown
    ]
    if errors:
        raise ImportFailed(errors)
    return [
        (n, {k: (v or "").strip() for k, v in row.items()}) for n, row in enumerate(reader, start=2)
    ]


def _date(row, column, errors, line):
    try:
        return dt.date.fromisoformat(row[column])
    except ValueError:
        errors.append(RowError(line, column, _("write the date as YYYY-MM-DD")))
        return None


def _errors_of(error: Exception, line: int) -> list[RowError]:
    if isinstance(error, PermissionDenied):
        return [RowError(line, "", str(error))]
    if hasattr(error, "error_dict"):
        return [
            RowError(
                line,
                FIELD_TO_COLUMN.get(name, name if name != "__all__" else ""),
                " ".join(e.messages),
            )
            for name, e in ((n, ValidationError(v)) for n, v in error.error_dict.items())
        ]
    column = "curp" if getattr(error, "code", "") == "duplicate" else ""
    return [RowError(line, column, " ".join(error.messages))]


def import_persons_csv(
    *, actor, organization, path: Path | None = None, text: str | None = None
) -> ImportResult:
    """Register, consent and enroll one person per row, all or nothing."""
    rows = _read(path if path is not None else text, PERSON_COLUMNS, REQUIRED)
    municipalities = {m.cvegeo: m for m in Municipality.objects.all()}
    errors: list[RowError] = []
    result = ImportResult()
    with transaction.atomic():
        for line, row in rows:
            row_errors: list[RowError] = []
            for column in REQUIRED:
                if not row.get(column):
                    row_errors.append(RowError(line, column, _("this value is required")))
            choices = {
                "sex": Sex.values,
                "track": Track.values,
                "referral_source": ReferralSource.values,
                "consent_given_by": ["person", "guardian"],
            }
            for column, allowed in choices.items():
                if row.get(column) and row[column] not in allowed:
                    row_errors.append(
                        RowError(
                            line,
                            column,
                            _("use one of: %(values)s") % {"values": ", ".join(allowed)},
                        )
                    )
            municipality = municipalities.get(row.get("municipality", ""))
            if row.get("municipality") and municipality is None:
                row_errors.append(
                    RowError(line, "municipality", _("no municipality has this CVEGEO code"))
                )
            consent_date = (
                _date(row, "consent_date", row_errors, line) if row.get("consent_date") else None
            )
            start = _date(row, "start_date", row_errors, line) if row.get("start_date") else None
            if row_errors:
                errors += row_errors
                continue
            try:
                with transaction.atomic():
                    person = services.register_person(
                        actor=actor,
                        organization=organization,
                        given_names=row["given_names"],
                        family_names=row["family_names"],
                        birth_date=row.get("birth_date", ""),
                        sex=row["sex"],
                        curp=row.get("curp", ""),
                        phone=row.get("phone", ""),
                        address=row.get("address", ""),
                        municipality=municipality,
                    )
                    services.record_consent(
                        actor=actor,
                        person=person,
                        given_by=row["consent_given_by"],
                        guardian_name=row.get("guardian_name", ""),
                        given_on=consent_date,
                        participation=True,
                        follow_up=row.get("follow_up", "").lower() in {"yes", "si", "sí", "1"},
                    )
                    casework.enroll(
                        actor=actor,
                        person=person,
                        organization=organization,
                        track=row["track"],
                        referral_source=row["referral_source"],
                        start_date=start,
                        case_worker=actor,
                    )
                    result.pids.append(person.pid)
            except (ValidationError, PermissionDenied) as error:
                errors += _errors_of(error, line)
        if errors:
            transaction.set_rollback(True)
    if errors:
        raise ImportFailed(errors)
    return result


def import_instrument_csv(
    *, code: str, name: str, min_scales: int, path: Path | None = None, text: str | None = None
) -> Instrument:
    """A new version of instrument ``code`` from an XLSForm-like sheet, one row per item."""
    rows = _read(
        path if path is not None else text, INSTRUMENT_COLUMNS, ("scale", "item", "threshold")
    )
    errors: list[RowError] = []
    scales: dict[str, dict] = {}
    bounds: dict[str, set] = {"min": set(), "max": set()}
    for line, row in rows:
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
            errors.append(RowError(line, "threshold", _("the threshold must be a number")))
            continue
        if scale["threshold"] not in (None, threshold):
            errors.append(
                RowError(
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
                    errors.append(RowError(line, key, _("must be a number")))
    definition = {"scales": list(scales.values()), "eligibility": {"min_scales": min_scales}}
    if len(bounds["min"]) == 1 and len(bounds["max"]) == 1:
        definition["answers"] = {"min": bounds["min"].pop(), "max": bounds["max"].pop()}
    errors += [RowError(0, "", problem) for problem in check_definition(definition)]
    if errors:
        raise ImportFailed(errors)
    latest = Instrument.objects.filter(code=code).order_by("-version").first()
    return Instrument.objects.create(
        code=code, version=(latest.version + 1) if latest else 1, name=name, definition=definition
    )
