"""CSV imports of the municipality's own police records, through ``core.imports``.

One file holds one kind of record (``KINDS``); every row names its municipality by CVEGEO,
which must be in the importing user's scope. A file is checked whole before anything is
written (every problem with its line and column) and written in one transaction. A row whose
key (municipality, date, rank …) exists already updates it: re-importing a corrected file
corrects the records.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civica.accounts import access, scope
from civica.accounts.roles import Capability
from civica.core.imports import (
    ImportFailed,
    ImportSummary,
    Problem,
    RowError,
    Written,
    import_records,
    stage_rows,
)
from civica.police import models as m
from civica.territory.models import Municipality

__all__ = ["KINDS", "import_police_records"]


@dataclass(frozen=True)
class Column:
    name: str
    field: str
    parse: str  # text, date, month, int, year, money, choice
    choices: type | None = None
    required: bool = True


@dataclass(frozen=True)
class Kind:
    model: type
    what: object
    columns: tuple[Column, ...]
    key: tuple[str, ...]  # fields besides municipality that identify a record


KINDS: dict[str, Kind] = {
    "headcount": Kind(
        m.Headcount,
        gettext_lazy("police headcount"),
        (
            Column("as_of", "as_of", "date"),
            Column("rank", "rank", "text"),
            Column("function", "function", "choice", m.Function),
            Column("sex", "sex", "choice", m.Sex),
            Column("officers", "officers", "int"),
        ),
        ("as_of", "rank", "function", "sex"),
    ),
    "pay": Kind(
        m.PayStep,
        gettext_lazy("police pay scale"),
        (
            Column("valid_from", "valid_from", "date"),
            Column("rank", "rank", "text"),
            Column("gross_monthly", "gross_monthly", "money"),
            Column("net_monthly", "net_monthly", "money"),
            Column("officers", "officers", "int"),
        ),
        ("valid_from", "rank"),
    ),
    "benefits": Kind(
        m.Benefit,
        gettext_lazy("police benefits"),
        (
            Column("valid_from", "valid_from", "date"),
            Column("benefit", "benefit", "text"),
            Column("officers_covered", "officers_covered", "int"),
            Column("monthly_cost", "monthly_cost", "money", required=False),
        ),
        ("valid_from", "benefit"),
    ),
    "shifts": Kind(
        m.ShiftAssignment,
        gettext_lazy("police shift schemes"),
        (
            Column("valid_from", "valid_from", "date"),
            Column("scheme", "scheme", "choice", m.Scheme),
            Column("officers", "officers", "int"),
        ),
        ("valid_from", "scheme"),
    ),
    "movements": Kind(
        m.StaffMovement,
        gettext_lazy("police hires and exits"),
        (
            Column("month", "month", "month"),
            Column("movement", "movement", "choice", m.Movement),
            Column("reason", "reason", "choice", m.ExitReason, required=False),
            Column("officers", "officers", "int"),
        ),
        ("month", "movement", "reason"),
    ),
    "certification": Kind(
        m.Certification,
        gettext_lazy("police certification"),
        (
            Column("as_of", "as_of", "date"),
            Column("function", "function", "choice", m.Function),
            Column("officers", "officers", "int"),
            Column("cup_in_force", "cup_in_force", "int"),
            Column("confianza_in_force", "confianza_in_force", "int"),
        ),
        ("as_of", "function"),
    ),
    "budget": Kind(
        m.BudgetLine,
        gettext_lazy("police budget"),
        (
            Column("year", "year", "year"),
            Column("chapter", "chapter", "choice", m.Chapter),
            Column("funding", "funding", "choice", m.FundingSource),
            Column("amount", "amount", "money"),
        ),
        ("year", "chapter", "funding"),
    ),
}


def _parse(column: Column, text: str):
    if not text:
        if column.required:
            raise RowError(column.name, _("this column is required."))
        return None if column.parse == "money" else ""
    try:
        if column.parse == "text":
            return text
        if column.parse == "date":
            return dt.date.fromisoformat(text)
        if column.parse == "month":
            value = dt.date.fromisoformat(text + "-01" if len(text) == 7 else text)
            return value.replace(day=1)
        if column.parse in ("int", "year"):
            value = int(text.replace(",", ""))
            if value < 0 or (column.parse == "year" and not 1990 <= value <= 2100):
                raise ValueError
            return value
        if column.parse == "money":
            value = Decimal(text.replace(",", ""))
            if value < 0 or not value.is_finite():
                raise ValueError
            return value
    except (ValueError, InvalidOperation):
        expected = {
            "date": _("a date YYYY-MM-DD"),
            "month": _("a month YYYY-MM"),
            "int": _("a whole number, 0 or more"),
            "year": _("a year"),
            "money": _("an amount in pesos, 0 or more"),
        }[column.parse]
        raise RowError(
            column.name,
            _("“%(value)s” is not %(expected)s.") % {"value": text, "expected": expected},
        ) from None
    values = [choice.value for choice in column.choices]
    if text not in values:
        raise RowError(
            column.name,
            _("“%(value)s” is not one of: %(choices)s.")
            % {"value": text, "choices": ", ".join(values)},
        )
    return text


def import_police_records(*, kind: str, path: Path, actor) -> ImportSummary:
    """Import one CSV of ``kind`` (a key of ``KINDS``) for municipalities of the actor's scope."""
    spec = KINDS[kind]
    if not access.actor(actor).can(Capability.EDIT_RECORDS):
        raise PermissionDenied(_("Your role cannot change records."))
    allowed = scope.municipality_ids(actor)
    municipalities = dict(Municipality.objects.values_list("cvegeo", "id"))
    columns = ["municipality", *[c.name for c in spec.columns]]
    source = Path(path).name

    def check(line, row):
        code = row.get("municipality", "")
        municipality_id = municipalities.get(code)
        if municipality_id is None:
            raise RowError(
                "municipality",
                _("no municipality with CVEGEO “%(value)s” (five digits, e.g. 02002).")
                % {"value": code},
            )
        if allowed is not None and municipality_id not in allowed:
            raise RowError(
                "municipality",
                _("municipality %(value)s is outside your scope.") % {"value": code},
            )
        values = {c.field: _parse(c, row.get(c.name, "")) for c in spec.columns}
        if kind == "movements":
            if values["movement"] == m.Movement.EXIT and not values["reason"]:
                raise RowError("reason", _("an exit needs its reason."))
            if values["movement"] == m.Movement.HIRE and values["reason"]:
                raise RowError("reason", _("a hire has no exit reason."))
        if kind == "certification":
            for name in ("cup_in_force", "confianza_in_force"):
                if values[name] > values["officers"]:
                    raise RowError(
                        name, _("more certified officers than officers in the function.")
                    )
        if kind == "pay" and values["net_monthly"] > values["gross_monthly"]:
            raise RowError("net_monthly", _("the net pay is more than the gross pay."))
        return municipality_id, values

    def stage(records):
        staged = stage_rows(records, check)
        seen: dict[tuple, int] = {}
        for (line, _row), (municipality_id, values) in zip(records, staged, strict=True):
            key = (municipality_id, *(values[f] for f in spec.key))
            if key in seen:
                message = _("this row repeats line %(first)d.") % {"first": seen[key]}
                raise ImportFailed(
                    [Problem(line, spec.columns[0].name, message)], file=records.name
                )
            seen[key] = line
        return staged

    def write(items) -> Written:
        created = updated = 0
        for municipality_id, values in items:
            key = {f: values[f] for f in spec.key}
            rest = {f: v for f, v in values.items() if f not in spec.key}
            _obj, was_created = spec.model.objects.update_or_create(
                municipality_id=municipality_id, **key, defaults={**rest, "source": source}
            )
            created += was_created
            updated += not was_created
        return Written(created=created, updated=updated)

    return import_records(
        dataset=f"police.{spec.model.__name__}",
        what=str(spec.what),
        source=Path(path),
        known=columns,
        required=["municipality", *[c.name for c in spec.columns if c.required]],
        actor=actor,
        stage=stage,
        write=write,
    )
