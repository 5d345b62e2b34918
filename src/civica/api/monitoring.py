"""REST endpoint for the indicator table, over the same report the pages and exports use.

Like the pages, it evaluates nothing in the request: a figure that is a background job's
result is the stored one or, while the job runs, an empty value with the note "being
computed"; the answer's ``status`` is then ``"computing"`` and ``jobs`` names the job to poll
(``/jobs/<id>/``, the same job the page starts), each such row's ``job`` its id."""

from __future__ import annotations

import dataclasses

from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from civica.accounts.access import CapabilityMixin
from civica.accounts.roles import Capability
from civica.monitoring.pending import jobs_of_rows
from civica.monitoring.periods import parse_period
from civica.monitoring.reports import exports
from civica.monitoring.reports.report import current_language, indicator_rows
from civica.monitoring.selectors import context_for


class IndicatorQuery(serializers.Serializer):
    period = serializers.CharField(help_text="FY2023, FY2023Q1, 2023Q1, 2023 or 2023-05")
    state = serializers.RegexField(r"^\d{2}$", required=False)
    activity = serializers.IntegerField(required=False)


class IndicatorTableView(CapabilityMixin, APIView):
    """Values, targets and status of every indicator in a period, after disclosure control
    (aggregates only; needs the role's *see aggregates*), limited to the user's scope."""

    required_capability = Capability.VIEW_AGGREGATES

    @extend_schema(parameters=[IndicatorQuery], responses={200: dict})
    def get(self, request):
        serializer = IndicatorQuery(data=request.query_params)
        serializer.is_valid(raise_exception=True)
        q = serializer.validated_data
        try:
            period = parse_period(q["period"])
        except ValueError as error:
            raise ValidationError({"period": [str(error)]}) from None
        context = context_for(
            request.user, period, activity_id=q.get("activity"), state_code=q.get("state")
        )
        context = dataclasses.replace(context, stored_only=True)
        rows = indicator_rows(context)
        by_code = jobs_of_rows(request.user, rows)
        jobs = {job.id: job for job in by_code.values()}
        records = exports.table_records(rows, context, current_language())
        return Response(
            {
                "period": period.label,
                "start": period.start,
                "end": period.end,
                "status": "computing" if jobs else "complete",
                "jobs": [
                    {
                        "id": str(job.id),
                        "kind": job.kind,
                        "status": job.status,
                        "url": reverse("jobs:status", args=[job.id]),
                    }
                    for job in jobs.values()
                ],
                # Each row (its cells too) names the job its value waits for, or null.
                "rows": [r | {"job": _id(by_code.get(r["indicator"]))} for r in records],
            }
        )


def _id(job) -> str | None:
    return None if job is None else str(job.id)
