"""Indicators of the municipality's own police records (read through the user's scope).

Each indicator says how it was computed and from which records; one that cannot be computed
says why (``unavailable``) instead of showing a zero. Definitions: ``docs/police.md``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Sum
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civica.accounts import scope
from civica.police import models as m
from civica.territory import selectors as territory

__all__ = [
    "SALARIO_DIGNO_NET",
    "STATE_MINIMUM",
    "IndicatorValue",
    "indicators",
    "municipality_in_scope",
    "parameter_on",
]

# SESNSP's recommended "salario digno" (net a month), by the date it applies from.
SALARIO_DIGNO_NET = {dt.date(2024, 1, 1): 16_688}
# State minimum pay of police by state code (Baja California 2024), by date.
STATE_MINIMUM = {"02": {dt.date(2024, 1, 1): 21_500}}
MODELO_OPTIMO = 1.8


def parameter_on(table: dict, day: dt.date):
    """The value in force on ``day`` (the latest dated on or before it), or None."""
    dates = [d for d in table if d <= day]
    return table[max(dates)] if dates else None


@dataclass(frozen=True)
class IndicatorValue:
    name: str
    label: str
    value: float | None
    unit: str
    as_of: str
    definition: str
    parts: dict = field(default_factory=dict)
    unavailable: str = ""
    reference: float | None = None


def municipality_in_scope(user, cvegeo: str):
    """The municipality, if ``user`` may read its records (404 otherwise, like a missing one).
    :data:`~civica.accounts.access.SYSTEM` (the command line) reads every municipality."""
    municipality = territory.municipality_by_code(user, cvegeo)
    ids = scope.municipality_ids(user)
    if ids is not None and municipality.pk not in ids:
        raise Http404(cvegeo)
    return municipality


def records_of(user, cvegeo: str) -> dict:
    """Every record kind of one municipality of the user's scope, newest first."""
    municipality = municipality_in_scope(user, cvegeo)
    return {
        "headcount": m.Headcount.objects.filter(municipality=municipality).order_by(
            "-as_of", "rank", "function", "sex"
        ),
        "pay": m.PayStep.objects.filter(municipality=municipality).order_by("-valid_from", "rank"),
        "benefits": m.Benefit.objects.filter(municipality=municipality).order_by(
            "-valid_from", "benefit"
        ),
        "shifts": m.ShiftAssignment.objects.filter(municipality=municipality).order_by(
            "-valid_from", "scheme"
        ),
        "movements": m.StaffMovement.objects.filter(municipality=municipality).order_by(
            "-month", "movement", "reason"
        ),
        "certification": m.Certification.objects.filter(municipality=municipality).order_by(
            "-as_of", "function"
        ),
        "budget": m.BudgetLine.objects.filter(municipality=municipality).order_by(
            "-year", "chapter", "funding"
        ),
    }


def _latest(queryset, field_name: str, day: dt.date):
    dates = queryset.filter(**{f"{field_name}__lte": day}).values_list(field_name, flat=True)
    latest = max(dates, default=None)
    return latest, queryset.filter(**{field_name: latest}) if latest else queryset.none()


def indicators(user, cvegeo: str, *, on: dt.date | None = None) -> list[IndicatorValue]:
    """The indicators of one municipality's records in force on ``on`` (default: today)."""
    return indicators_of(municipality_in_scope(user, cvegeo), on=on)


def indicators_of(municipality, *, on: dt.date | None = None) -> list[IndicatorValue]:
    """As :func:`indicators`, for a municipality the caller has already checked."""
    on = on or dt.date.today()
    base = {"municipality": municipality}
    return [
        _operational_rate(municipality, base, on),
        *_pay_shares(municipality, base, on),
        _weekly_hours(base, on),
        _attrition(base, on),
        *_certification(base, on),
        _personal_services(base, on),
    ]


def _missing(name, label, unit, definition, reason, **extra) -> IndicatorValue:
    return IndicatorValue(
        name, str(label), None, unit, "", str(definition), unavailable=reason, **extra
    )


OPERATIONAL = gettext_lazy("Operational police per 1,000 inhabitants (Modelo Óptimo)")
OPERATIONAL_DEFINITION = gettext_lazy(
    "Officers in proximity, prevention and reaction (operational preventive functions; not "
    "investigation, not administrative staff) on the latest headcount date, less those without "
    "control de confianza approved and in force when a certification of that date is recorded, "
    "per 1,000 inhabitants (CONAPO, same year). Reference 1.8: SESNSP's Modelo Óptimo de la "
    "Función Policial for state preventive police, an average, not a norm."
)


def _operational_rate(municipality, base, on) -> IndicatorValue:
    day, rows = _latest(m.Headcount.objects.filter(**base), "as_of", on)
    if day is None:
        return _missing(
            "police_operational_per_1000",
            OPERATIONAL,
            "per 1,000",
            OPERATIONAL_DEFINITION,
            _("No headcount recorded on or before this date."),
            reference=MODELO_OPTIMO,
        )
    operational = {
        function: total
        for function, total in rows.filter(function__in=m.PREVENTIVE_FUNCTIONS)
        .values_list("function")
        .annotate(total=Sum("officers"))
    }
    headcount = sum(operational.values())
    certified = m.Certification.objects.filter(
        **base, as_of=day, function__in=m.PREVENTIVE_FUNCTIONS
    )
    parts = {"operational_headcount": headcount, "headcount_date": day.isoformat()}
    counted = headcount
    if certified.exists():
        approved = {c.function: c.confianza_in_force for c in certified}
        counted = sum(min(total, approved.get(f, total)) for f, total in operational.items())
        parts["without_control_de_confianza"] = headcount - counted
    else:
        parts["note"] = _(
            "No certification recorded on that date: not net of control de confianza."
        )
    population = territory.population_by_year(municipality_code=municipality.cvegeo).get(day.year)
    if not population:
        return _missing(
            "police_operational_per_1000",
            OPERATIONAL,
            "per 1,000",
            OPERATIONAL_DEFINITION,
            _("No CONAPO population of %(year)d for this municipality.") % {"year": day.year},
            parts=parts,
            reference=MODELO_OPTIMO,
        )
    parts.update(counted=counted, population=population)
    return IndicatorValue(
        "police_operational_per_1000",
        str(OPERATIONAL),
        counted / population * 1000,
        "per 1,000",
        day.isoformat(),
        str(OPERATIONAL_DEFINITION),
        parts,
        reference=MODELO_OPTIMO,
    )


def _pay_shares(municipality, base, on) -> list[IndicatorValue]:
    day, steps = _latest(m.PayStep.objects.filter(**base), "valid_from", on)
    results = []
    for name, label, table in [
        (
            "police_share_salario_digno",
            gettext_lazy("Officers paid at least the SESNSP salario digno (net)"),
            SALARIO_DIGNO_NET,
        ),
        (
            "police_share_state_minimum",
            gettext_lazy("Officers paid at least the state minimum"),
            STATE_MINIMUM.get(municipality.state.code, {}),
        ),
    ]:
        definition = _(
            "Officers of the pay scale in force whose net monthly pay is at least the "
            "parameter in force on the scale's date (salario digno 16,688 MXN net from 2024; "
            "Baja California's minimum 21,500 MXN from 2024, compared with net pay) ÷ officers "
            "of the scale × 100."
        )
        if day is None:
            results.append(_missing(name, label, "%", definition, _("No pay scale recorded.")))
            continue
        threshold = parameter_on(table, day)
        if threshold is None:
            results.append(
                _missing(
                    name,
                    label,
                    "%",
                    definition,
                    _("No parameter in force on %(date)s for this municipality.")
                    % {"date": day.isoformat()},
                )
            )
            continue
        total = sum(s.officers for s in steps)
        paid = sum(s.officers for s in steps if s.net_monthly >= threshold)
        results.append(
            IndicatorValue(
                name,
                str(label),
                paid / total * 100 if total else None,
                "%",
                day.isoformat(),
                definition,
                {"officers": total, "paid_at_least": paid, "threshold": threshold},
                unavailable="" if total else _("The pay scale counts no officers."),
            )
        )
    return results


def _weekly_hours(base, on) -> IndicatorValue:
    label = gettext_lazy("Average weekly hours")
    definition = _(
        "Officer-weighted mean of each shift scheme's hours on ÷ (on + off) × 168: 12×24 = 56, "
        "24×24 = 84, 12×36 = 42, 8 hours × 6 days = 48."
    )
    day, rows = _latest(m.ShiftAssignment.objects.filter(**base), "valid_from", on)
    total = sum(r.officers for r in rows)
    if day is None or not total:
        return _missing(
            "police_weekly_hours", label, "h", definition, _("No shift schemes recorded.")
        )
    hours = sum(r.officers * r.weekly_hours for r in rows) / total
    long_shifts = sum(r.officers for r in rows if r.scheme in ("12x24", "24x24", "12x36"))
    return IndicatorValue(
        "police_weekly_hours",
        str(label),
        hours,
        "h",
        day.isoformat(),
        definition,
        {"officers": total, "share_12_hours_or_more": long_shifts / total * 100},
    )


def _attrition(base, on) -> IndicatorValue:
    label = gettext_lazy("Attrition rate (12 months)")
    definition = _(
        "Exits in the 12 months up to the date ÷ the mean of the headcount totals recorded in "
        "those months × 100."
    )
    start = (on.replace(day=1) - dt.timedelta(days=335)).replace(day=1)
    exits = m.StaffMovement.objects.filter(
        **base, movement=m.Movement.EXIT, month__gte=start, month__lte=on
    )
    totals = (
        m.Headcount.objects.filter(**base, as_of__gte=start, as_of__lte=on)
        .values("as_of")
        .annotate(total=Sum("officers"))
    )
    if not totals:
        return _missing(
            "police_attrition_rate",
            label,
            "%",
            definition,
            _("No headcount recorded in these 12 months."),
        )
    mean = sum(t["total"] for t in totals) / len(totals)
    count = sum(e.officers for e in exits)
    by_reason = {}
    for e in exits:
        by_reason[e.reason] = by_reason.get(e.reason, 0) + e.officers
    return IndicatorValue(
        "police_attrition_rate",
        str(label),
        count / mean * 100 if mean else None,
        "%",
        on.isoformat(),
        definition,
        {"exits": count, "mean_headcount": mean, **by_reason},
    )


def _certification(base, on) -> list[IndicatorValue]:
    day, rows = _latest(m.Certification.objects.filter(**base), "as_of", on)
    results = []
    for name, label, attribute in [
        ("police_cup_coverage", gettext_lazy("Officers with CUP in force"), "cup_in_force"),
        (
            "police_confianza_coverage",
            gettext_lazy("Officers with control de confianza in force"),
            "confianza_in_force",
        ),
    ]:
        definition = _(
            "Officers with it in force ÷ officers, on the latest certification date × 100."
        )
        total = sum(r.officers for r in rows)
        if day is None or not total:
            results.append(_missing(name, label, "%", definition, _("No certification recorded.")))
            continue
        done = sum(getattr(r, attribute) for r in rows)
        results.append(
            IndicatorValue(
                name,
                str(label),
                done / total * 100,
                "%",
                day.isoformat(),
                definition,
                {"officers": total, "in_force": done},
            )
        )
    return results


def _personal_services(base, on) -> IndicatorValue:
    label = gettext_lazy("Share of the security budget in personal services")
    definition = _("Chapter 1000 ÷ every chapter of the latest budget year up to the date × 100.")
    years = m.BudgetLine.objects.filter(**base, year__lte=on.year).values_list("year", flat=True)
    year = max(years, default=None)
    if year is None:
        return _missing(
            "police_personal_services_share", label, "%", definition, _("No budget recorded.")
        )
    lines = m.BudgetLine.objects.filter(**base, year=year)
    total = sum(line.amount for line in lines)
    personal = sum(line.amount for line in lines if line.chapter == m.Chapter.C1000)
    by_source = {}
    for line in lines:
        by_source[line.funding] = float(by_source.get(line.funding, 0) + line.amount)
    return IndicatorValue(
        "police_personal_services_share",
        str(label),
        float(personal / total * 100) if total else None,
        "%",
        str(year),
        definition,
        {"total": float(total), "personal_services": float(personal), **by_source},
    )
