"""REST endpoints for official statistics, over the same selectors as the CLI and pages."""

from __future__ import annotations

import math

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from civica.accounts.access import CapabilityMixin
from civica.accounts.roles import Capability
from civica.official import selectors
from civica.official.selectors import StatisticsError
from civica.stats import Period
from civica.warehouse.sesnsp import CRIME_LEVELS, AreaFilter, CrimeFilter


def _clean(value):
    return None if isinstance(value, float) and math.isnan(value) else value


class SeriesQuery(serializers.Serializer):
    crime = serializers.CharField(required=False, help_text="Crime name (default: all).")
    level = serializers.ChoiceField(CRIME_LEVELS, default="subtipo")
    state = serializers.RegexField(r"^\d{2}$", required=False)
    municipality = serializers.RegexField(r"^\d{5}$", required=False)
    by = serializers.ChoiceField(list(selectors.GRANULARITIES), default="year")
    measure = serializers.ChoiceField(["crimes", "victims"], default="crimes")
    first_year = serializers.IntegerField(required=False)
    last_year = serializers.IntegerField(required=False)
    sex = serializers.CharField(required=False)
    age_range = serializers.CharField(required=False)
    cut = serializers.RegexField(r"^\d{4}-\d{2}$", required=False)


class RankingQuery(serializers.Serializer):
    crime = serializers.CharField(required=False)
    level = serializers.ChoiceField(CRIME_LEVELS, default="subtipo")
    state = serializers.RegexField(r"^\d{2}$", required=False)
    period = serializers.CharField(help_text="2023, FY2023, 2023-Q2 or 2023-05")
    cut = serializers.RegexField(r"^\d{4}-\d{2}$", required=False)


def _query(serializer_class, request) -> dict:
    serializer = serializer_class(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class SeriesView(CapabilityMixin, APIView):
    required_capability = Capability.VIEW_AGGREGATES

    @extend_schema(parameters=[SeriesQuery], responses={200: dict})
    def get(self, request):
        q = _query(SeriesQuery, request)
        municipality = q.get("municipality")
        area = AreaFilter(
            q.get("state") or (municipality[:2] if municipality else None), municipality
        )
        try:
            result = selectors.series(
                request.user,
                measure=q["measure"],
                area=area,
                crime=CrimeFilter(q["level"], q.get("crime")),
                granularity=q["by"],
                first_year=q.get("first_year"),
                last_year=q.get("last_year"),
                cut=q.get("cut"),
                sex=q.get("sex"),
                age_range=q.get("age_range"),
            )
        except StatisticsError as error:
            raise NotFound(str(error)) from None
        return Response(
            {
                "data": result.cuts,
                "rule": result.rule,
                "notes": result.notes,
                "rows": [{k: _clean(v) for k, v in row.items()} for row in result.to_records()],
            }
        )


class RankingView(CapabilityMixin, APIView):
    required_capability = Capability.VIEW_AGGREGATES

    @extend_schema(parameters=[RankingQuery], responses={200: dict})
    def get(self, request):
        q = _query(RankingQuery, request)
        try:
            period = Period.parse(q["period"])
        except ValueError as error:
            raise ValidationError({"period": str(error)}) from None
        try:
            rows, snapshot = selectors.ranking(
                request.user,
                crime=CrimeFilter(q["level"], q.get("crime")),
                period=period,
                state_code=q.get("state"),
                by="municipality" if q.get("state") else "state",
                cut=q.get("cut"),
            )
        except StatisticsError as error:
            raise NotFound(str(error)) from None
        return Response(
            {
                "data": f"{snapshot.dataset} {snapshot.cut}",
                "rows": [{k: _clean(v) for k, v in vars(row).items()} for row in rows],
            }
        )


class VintagesView(CapabilityMixin, APIView):
    required_capability = Capability.VIEW_AGGREGATES

    @extend_schema(responses={200: dict})
    def get(self, request):
        return Response({"rows": selectors.vintages(request.user)})
