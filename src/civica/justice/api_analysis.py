"""REST endpoints of the civic-justice aggregates: the indicator table and reincidence (JSON
numbers; aggregates only, the user's scope, small groups hidden)."""

from __future__ import annotations

import datetime as dt

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from civica.accounts.access import CapabilityMixin
from civica.accounts.roles import Capability
from civica.justice import analysis
from civica.justice.analysis import DASHBOARD_MEASURES

__all__ = ["IndicatorsView", "ReincidenceView"]


class Query(serializers.Serializer):
    start = serializers.DateField(help_text="First day, YYYY-MM-DD.")
    end = serializers.DateField(help_text="Last day, YYYY-MM-DD.")
    municipality = serializers.RegexField(r"^\d{5}$", required=False)
    by = serializers.ChoiceField(choices=analysis.BY, required=False)


def _selection(request) -> tuple[set[int], dt.date, dt.date, str | None]:
    query = Query(data=request.query_params)
    query.is_valid(raise_exception=True)
    q = query.validated_data
    places = analysis.aggregate_municipalities(request.user)
    if q.get("municipality"):
        places = [p for p in places if p.cvegeo == q["municipality"]]
        if not places:
            raise NotFound("municipality")
    start, end = sorted((q["start"], q["end"]))
    return {p.pk for p in places}, start, end, q.get("by")


def _row(group: str, row: analysis.Breakdown) -> dict:
    return {
        "group": group,
        "numerator": row.numerator,
        "denominator": row.denominator,
        "value": row.value,
        "hidden": row.hidden,
    }


class IndicatorsView(CapabilityMixin, APIView):
    """Every civic-justice indicator of the period, with numerator and denominator, in the
    user's scope; ``by`` adds the groups of one disaggregation."""

    required_capability = Capability.VIEW_AGGREGATES

    @extend_schema(parameters=[Query], responses={200: dict})
    def get(self, request):
        ids, start, end, by = _selection(request)
        out = []
        figures = analysis.table(ids, start=start, end=end, by=by)
        for (name, parameter), got in zip(DASHBOARD_MEASURES, figures, strict=True):
            out.append(
                {
                    "indicator": name,
                    "parameter": parameter,
                    "unit": got.measure.unit,
                    "total": _row("", got.total),
                    "groups": [_row(r.key, r) for r in got.rows],
                    "note": got.note,
                }
            )
        return Response({"start": start, "end": end, "by": by, "indicators": out})


class ReincidenceView(CapabilityMixin, APIView):
    """Reincidence at 6 and 12 months of the persons resolved in the period, by sanction,
    with denominators, persons still under observation and the Kaplan–Meier reading at 6
    and 12 months; adolescents as ``new_contact``."""

    required_capability = Capability.VIEW_AGGREGATES

    @extend_schema(parameters=[Query], responses={200: dict})
    def get(self, request):
        ids, start, end, _by = _selection(request)
        result = analysis.reincidence(ids, start=start, end=end)
        threshold = analysis.suppression_threshold()
        rows, curves, notes = [], [], []
        if result is not None:
            for r in result.table:
                hidden = 0 < r.observed < threshold
                rows.append(
                    {
                        "measure": r.measure,
                        "group": r.group,
                        "window_months": r.window_months,
                        "persons": None if hidden else r.persons,
                        "under_observation": None if hidden else r.under_observation,
                        "observed": None if hidden else r.observed,
                        "events": None if hidden else r.events,
                        "share": None if hidden else r.share,
                        "lower": None if hidden else r.lower,
                        "upper": None if hidden else r.upper,
                        "hidden": hidden,
                    }
                )
            curves = [
                {
                    "group": c.group,
                    "population": c.population,
                    "persons": c.persons,
                    "returned_by_6_months": c.returned_by(6 * 30.4375),
                    "returned_by_12_months": c.returned_by(12 * 30.4375),
                    "at_risk": [{"month": m, "persons": n} for m, n in c.risk_table],
                }
                for c in result.curves
                if c.persons >= threshold
            ]
            notes = [{"code": n.code, "text": analysis.note_text(n)} for n in result.notes]
        return Response(
            {"start": start, "end": end, "rows": rows, "curves": curves, "notes": notes}
        )
