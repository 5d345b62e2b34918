"""REST endpoint for a locked design's result, as numbers (issue 13.9).

The same method registry as the page and ``civica interventions evaluate``: the headline in
both languages, the figures from the interval's own inference (estimate, bounds, p, df,
standard error as JSON numbers; an unbounded side is ``null`` with ``upper_bounded: false``)
and the method's rows and facts. A method that takes seconds (synthetic control) runs as a
background job: the answer is then 202 with the job's id and address until it is done.
"""

from __future__ import annotations

import math

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from civica.accounts.access import CapabilityMixin
from civica.accounts.roles import Capability
from civica.errors import DataQuestionError
from civica.interventions import jobs as intervention_jobs
from civica.interventions import methods, selectors


def _json(value):
    """Finite numbers or ``None``, recursively (JSON has no NaN or infinity)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): _json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json(v) for v in value]
    if value is None or isinstance(value, bool | int | str):
        return value
    return str(value)


class EvaluationResultView(CapabilityMixin, APIView):
    """The result of a locked evaluation design in the user's scope, by its own method."""

    required_capability = Capability.VIEW_RECORDS

    @extend_schema(responses={200: dict, 202: dict})
    def get(self, request, pk):
        from civica.jobs import services as job_services

        try:
            design = selectors.design_by_id(request.user, pk)
        except Http404:
            raise NotFound() from None
        if not design.is_locked:
            raise ApiValidationError({"design": ["The design is not locked: no result yet."]})
        try:
            if design.method in intervention_jobs.BACKGROUND_METHODS:
                job = job_services.submit(
                    request.user, intervention_jobs.EVALUATE, {"design": design.pk}
                )
                result = job_services.result_of(job)
                if result is None:
                    return Response(
                        {"design": design.pk, "job": str(job.pk), "status": job.status},
                        status=status.HTTP_202_ACCEPTED,
                    )
            else:
                result = methods.evaluate(request.user, design)
        except DataQuestionError as error:
            raise ApiValidationError({"design": [str(error)]}) from None
        rows, facts = methods.table(result)
        return Response(
            _json(
                {
                    "design": design.pk,
                    "intervention": design.intervention_id,
                    "headline_es": methods.headline(result, "es-mx"),
                    "headline_en": methods.headline(result, "en"),
                    **methods.figures(result).as_dict(),
                    "facts": facts,
                    "rows": rows,
                }
            )
        )
