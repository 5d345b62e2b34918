"""REST endpoints of problem-oriented policing: problems (list by stage, one problem's story),
scanning candidates, and the temporal profile of any sectors and crimes. The same selectors
and services as the pages; figures as JSON numbers."""

from __future__ import annotations

import datetime as dt

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from civica.accounts.access import CapabilityMixin
from civica.accounts.roles import Capability
from civica.errors import DataQuestionError
from civica.interventions.api import _json
from civica.problems import analyses, assessment, scanning, selectors


def problem_data(user, problem, *, story: bool = False) -> dict:
    """A problem as JSON: what it is, and with ``story`` the scan-to-assessment record."""
    data = {
        "id": problem.pk,
        "title": problem.title,
        "stage": problem.stage,
        "priority": problem.priority,
        "municipalities": [m.cvegeo for m in problem.municipalities()],
        "crimes": list(problem.crimes),
        "sectors": [s.name for s in selectors.visible_sectors(user, problem)],
        "owner": problem.owner.username if problem.owner else None,
        "source": problem.source,
    }
    if not story:
        return data
    responses = list(selectors.responses(user, problem))
    result = assessment.assess(user, problem) if responses else None
    return data | {
        "evidence": problem.evidence,
        "cheers": problem.cheers,
        "triangle": {
            key: getattr(problem, key)
            for key in ("offender", "target", "place", "handler", "guardian", "manager")
        },
        "hypotheses": problem.hypotheses,
        "analyses": [
            {
                "id": a.pk,
                "kind": a.kind,
                "parameters": a.parameters,
                "summary": a.summary,
                "created_at": a.created_at.isoformat(),
            }
            for a in selectors.analyses(user, problem)
        ],
        "responses": [
            {
                "intervention": r.intervention_id,
                "technique": r.technique,
                "partners": [p.name for p in r.partners.all()],
                "owner": r.owner,
                "start_date": r.start_date.isoformat(),
                "end_date": r.end_date.isoformat() if r.end_date else None,
                "milestones": [
                    {
                        "name": m.name,
                        "planned": m.planned_date.isoformat(),
                        "done": m.done_date.isoformat() if m.done_date else None,
                    }
                    for m in r.milestones.all()
                ],
            }
            for r in responses
        ],
        "assessment": None
        if result is None
        else {
            "process": result.process.__dict__ | {"as_planned": result.process.as_planned},
            "sentence": result.process.sentence(),
            "impacts": [
                {
                    "intervention": i.response.intervention_id,
                    "design": i.design.pk if i.design else None,
                    "headline": i.headline,
                    "problem": i.problem,
                    **(i.figures.as_dict() if i.figures else {}),
                }
                for i in result.impacts
            ],
        },
    }


class ProblemListView(CapabilityMixin, APIView):
    """The problems of the user's scope (``?stage=``, ``?municipality=CVEGEO``)."""

    required_capability = Capability.VIEW_RECORDS

    @extend_schema(
        operation_id="problems_list",
        parameters=[OpenApiParameter("stage", str), OpenApiParameter("municipality", str)],
        responses={200: dict},
    )
    def get(self, request):
        rows = [
            problem_data(request.user, p)
            for _stage, items in selectors.by_stage(
                request.user, request.query_params.get("municipality")
            )
            for p in items
            if p.stage == request.query_params.get("stage", p.stage)
        ]
        return Response(_json(rows))


class ProblemDetailView(CapabilityMixin, APIView):
    """One problem's story: evidence, CHEERS, analysis, responses, assessment."""

    required_capability = Capability.VIEW_RECORDS

    @extend_schema(operation_id="problems_retrieve", responses={200: dict})
    def get(self, request, pk):
        try:
            problem = selectors.problem_by_id(request.user, pk)
        except Http404:
            raise NotFound() from None
        return Response(_json(problem_data(request.user, problem, story=True)))


def _date(request, name):
    text = request.query_params.get(name)
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ApiValidationError({name: ["Write the date as YYYY-MM-DD."]}) from None


class ScanView(CapabilityMixin, APIView):
    """Candidate problems of an incident layer (``?layer=``, ``?end=YYYY-MM-DD``)."""

    required_capability = Capability.VIEW_RECORDS

    @extend_schema(
        parameters=[OpenApiParameter("layer", str, required=True), OpenApiParameter("end", str)],
        responses={200: dict},
    )
    def get(self, request):
        layer = request.query_params.get("layer")
        if not layer:
            raise ApiValidationError({"layer": ["Name the incident layer."]})
        try:
            found = scanning.scan(request.user, layer=layer, end=_date(request, "end"))
        except DataQuestionError as error:
            raise ApiValidationError({"layer": [str(error)]}) from None
        return Response(_json([c.__dict__ for c in found]))


class TemporalProfileView(CapabilityMixin, APIView):
    """Hour × weekday and month counts of any sectors and crimes (``?layer=``, repeated
    ``?crime=`` and ``?sector=`` ids, ``?start=``, ``?end=``)."""

    required_capability = Capability.VIEW_RECORDS

    @extend_schema(
        parameters=[
            OpenApiParameter("layer", str, required=True),
            OpenApiParameter("crime", str, many=True),
            OpenApiParameter("sector", int, many=True),
            OpenApiParameter("start", str),
            OpenApiParameter("end", str),
        ],
        responses={200: dict},
    )
    def get(self, request):
        layer = request.query_params.get("layer")
        if not layer:
            raise ApiValidationError({"layer": ["Name the incident layer."]})
        try:
            sectors = [int(s) for s in request.query_params.getlist("sector")]
        except ValueError:
            raise ApiValidationError({"sector": ["Sector ids are numbers."]}) from None
        try:
            result = analyses.temporal_profile(
                request.user,
                layer=layer,
                crimes=request.query_params.getlist("crime"),
                sector_ids=sectors,
                start=_date(request, "start"),
                end=_date(request, "end"),
            )
        except DataQuestionError as error:
            raise ApiValidationError({"layer": [str(error)]}) from None
        return Response(_json(result))
