"""The police records' indicators, registered in :mod:`civica.indicators` at start-up
(``PoliceConfig.ready``): monitoring reads them by name for one municipality
(``context.municipality_code``) at the end of the reporting period."""

from __future__ import annotations

from django.utils.translation import gettext as _

from civica.indicators import Result, registry
from civica.police import records
from civica.territory.models import Municipality

NAMES = {
    "police_operational_per_1000": (
        "Operational police per 1,000 inhabitants (Modelo Óptimo definition)."
    ),
    "police_share_salario_digno": (
        "Percent of officers paid at least the SESNSP salario digno (net)."
    ),
    "police_share_state_minimum": "Percent of officers paid at least the state minimum.",
    "police_weekly_hours": "Officer-weighted average weekly hours of the shift schemes.",
    "police_attrition_rate": "Exits in 12 months per 100 officers.",
    "police_cup_coverage": "Percent of officers with CUP in force.",
    "police_confianza_coverage": "Percent of officers with control de confianza in force.",
    "police_personal_services_share": "Percent of the security budget in personal services.",
}


def _compute(name: str, context) -> Result:
    if not context.municipality_code:
        return Result.missing(_("This indicator needs a municipality."))
    municipality = (
        Municipality.objects.select_related("state")
        .filter(cvegeo=context.municipality_code)
        .first()
    )
    if municipality is None or (
        context.municipality_ids is not None and municipality.pk not in context.municipality_ids
    ):
        return Result.missing(_("This municipality is outside the scope."))
    found = next(
        v for v in records.indicators_of(municipality, on=context.period.end) if v.name == name
    )
    if found.value is None:
        return Result.missing(found.unavailable)
    parts = {k: v for k, v in found.parts.items() if isinstance(v, int | float | str)}
    return Result(value=found.value, parts=parts)


def _register(name: str, description: str) -> None:
    registry.register(name, description=description, reads=("police", "territory"))(
        lambda context: _compute(name, context)
    )


for _name, _description in NAMES.items():
    _register(_name, _description)
