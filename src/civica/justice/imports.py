"""Importing a juzgado's historical case book from CSV: all or nothing, every impossible case
refused with its line, its column and the rule it breaks.

One row is one presentation. Rows are checked with the same legal guards as the pages
(``rules.check_case``) before anything is written; then the cases are opened in order of
presentation (so a person's earlier case in the same file makes the later one a repeat
presentation), linked to the same person by the blind index (CURP, or name and birth date).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from civica.accounts.access import SYSTEM
from civica.core.imports import (
    ImportFailed,
    ImportSummary,
    Problem,
    RowError,
    Written,
    import_records,
    stage_rows,
)
from civica.justice import columns, rules, services
from civica.justice.choices import Commutation, Detection, Intoxication, RiskLevel, Sanction
from civica.justice.models import Case, Closure, Juzgado, Occupation, Offence, PresentedPerson

__all__ = ["CASE_COLUMNS", "import_cases_csv"]

PERSON_COLUMNS = ("given_names", "family_names", "birth_date", "curp", "sex")
TIME_COLUMNS = (
    "event_at",
    "detained_at",
    "presented_at",
    "medical_at",
    "screened_at",
    "guardian_at",
    "hearing_started_at",
    "hearing_ended_at",
    "resolved_at",
    "closed_at",
)
CHOICE_COLUMNS = {
    "detection": Detection,
    "intoxication": Intoxication,
    "risk_level": RiskLevel,
    "sanction": Sanction,
    "commutation": Commutation,
    "occupation": Occupation,
    "closure": Closure,
}
DECIMAL_COLUMNS = ("fine_amount", "unit_value", "declared_daily_wage")
INTEGER_COLUMNS = ("arrest_hours", "community_hours", "clinical_age")
BOOLEAN_COLUMNS = ("fit", "responsible", "use_of_force")
TEXT_COLUMNS = (
    "iph_folio",
    "rnd_folio",
    "boleta",
    "call_911_folio",
    "officer",
    "police_unit",
    "guardian_name",
    "measure",
    "commutation_reason",
)
CASE_COLUMNS = (
    "folio",
    *PERSON_COLUMNS,
    *TIME_COLUMNS,
    "offences",
    *CHOICE_COLUMNS,
    *DECIMAL_COLUMNS,
    *INTEGER_COLUMNS,
    *BOOLEAN_COLUMNS,
    *TEXT_COLUMNS,
)
REQUIRED = ("folio", "given_names", "family_names", "presented_at")
_TRUE, _FALSE = {"1", "si", "sí", "yes", "true"}, {"0", "no", "false"}


def _time(row, column):
    text = (row.get(column) or "").strip()
    if not text:
        return None
    for pattern in ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S"):
        try:
            return timezone.make_aware(dt.datetime.strptime(text, pattern))
        except ValueError:
            continue
    raise RowError(column, _("write the time as YYYY-MM-DD HH:MM."))


def _value(row, column):
    text = (row.get(column) or "").strip()
    if not text:
        return None
    if column in CHOICE_COLUMNS:
        choices = CHOICE_COLUMNS[column]
        if text not in choices.values:
            raise RowError(
                column,
                _("“%(value)s” is not one of %(choices)s.")
                % {"value": text, "choices": ", ".join(choices.values)},
            )
        return text
    if column in DECIMAL_COLUMNS:
        try:
            return Decimal(text.replace(",", "."))
        except InvalidOperation:
            raise RowError(column, _("“%(value)s” is not a number.") % {"value": text}) from None
    if column in INTEGER_COLUMNS:
        if not text.isdigit():
            raise RowError(
                column, _("write whole hours.") if "hours" in column else _("write a whole number.")
            )
        return int(text)
    if column in BOOLEAN_COLUMNS:
        folded = text.lower()
        if folded in _TRUE:
            return True
        if folded in _FALSE:
            return False
        raise RowError(column, _("write sí or no."))
    return text


def import_cases_csv(
    *, source: Path | str | bytes, juzgado: Juzgado, actor=SYSTEM, name: str = ""
) -> ImportSummary:
    """Open the historical cases of ``juzgado`` from a CSV file, all or nothing."""
    municipality_id = juzgado.municipality_id
    codes = {}
    for offence in Offence.objects.filter(
        catalogue__municipality_id=municipality_id
    ).select_related("catalogue", "sanction_class"):
        codes.setdefault(offence.code, []).append(offence)
    taken = set(Case.objects.filter(juzgado=juzgado).values_list("folio", flat=True))

    def offences_on(row, day):
        found = []
        for code in filter(None, (c.strip() for c in (row.get("offences") or "").split(";"))):
            versions = [o for o in codes.get(code, []) if o.catalogue.covers(day)]
            if not versions:
                raise RowError(
                    "offences",
                    _("falta %(code)s is not in the catalogue in force on %(day)s.")
                    % {"code": code, "day": day.isoformat()},
                )
            found.append(versions[0])
        return found

    def check(line, row):
        values = {c: _time(row, c) for c in TIME_COLUMNS}
        for column in (*CHOICE_COLUMNS, *DECIMAL_COLUMNS, *INTEGER_COLUMNS, *BOOLEAN_COLUMNS):
            values[column] = _value(row, column)
        for column in TEXT_COLUMNS:
            values[column] = (row.get(column) or "").strip()
        if values["presented_at"] is None:
            raise RowError("presented_at", _("the presentation time is required."))
        folio = (row.get("folio") or "").strip()
        if folio in taken:
            raise RowError(
                "folio", _("case %(folio)s is already in this juzgado.") % {"folio": folio}
            )
        person = {c: (row.get(c) or "").strip() for c in PERSON_COLUMNS}
        offences = offences_on(row, timezone.localtime(values["presented_at"]).date())
        fields = {k: v for k, v in values.items() if v not in (None, "")}
        if fields.get("sanction") and "fine_amount" in fields:
            fields.setdefault("fine_unit", offences[0].catalogue.fine_unit if offences else "")
        presented_at = fields.pop("presented_at")
        case = Case(juzgado=juzgado, folio=folio, presented_at=presented_at, **fields)
        case.person = PresentedPerson(birth_date=person["birth_date"])
        errors = rules.check_case(case, offences)
        if errors:
            raise ValidationError(errors)
        return {
            "line": line,
            "folio": folio,
            "person": person,
            "presented_at": presented_at,
            "fields": fields,
            "offences": offences,
        }

    def stage(records):
        items = stage_rows(records, check)
        problems, seen = [], {}
        for item in items:
            if item["folio"] in seen:
                problems.append(
                    Problem(
                        item["line"],
                        "folio",
                        _("case %(folio)s is already on line %(other)d.")
                        % {"folio": item["folio"], "other": seen[item["folio"]]},
                    )
                )
            seen[item["folio"]] = item["line"]
        if problems:
            raise ImportFailed(problems, file=records.name)
        return sorted(items, key=lambda item: (item["presented_at"], item["line"]))

    def write(items) -> Written:
        ids = []
        for item in items:
            try:
                case = services.open_case(
                    actor=SYSTEM,
                    juzgado=juzgado,
                    person=item["person"],
                    presented_at=item["presented_at"],
                    offences=item["offences"],
                    folio=item["folio"],
                    **item["fields"],
                )
            except ValidationError as error:
                messages = getattr(error, "message_dict", {"": error.messages})
                column, texts = next(iter(messages.items()))
                raise RowError(
                    column if column in CASE_COLUMNS else "", " ".join(texts), line=item["line"]
                ) from None
            ids.append(case.pk)
        return Written(created=len(ids), ids=tuple(ids))

    summary = import_records(
        dataset="justice.Case",
        what=_("civic-justice cases"),
        source=source,
        name=name,
        known=CASE_COLUMNS,
        required=REQUIRED,
        actor=actor,
        stage=stage,
        write=write,
        audit_detail={"juzgado": juzgado.pk},
    )
    if summary.created:  # the indicators' columns of the months written, kept at once
        columns.refresh({municipality_id})
    return summary
