"""Reinsertion's API.

* ``GET /api/lotteries/{id}/evaluation/``: a drawn lottery's CONSORT flow, balance and effects
  as JSON numbers (aggregates only, no person), for roles that read aggregates of the
  lottery's organization.
* ``GET /api/reinsertion/facilities/``, ``…/cohorts/``, ``…/lotteries/`` (counts, no person)
  and ``…/stays/`` (pseudonymous id, never a name): read, through the same scoped selectors
  as the pages.
* ``POST /api/reinsertion/follow-ups/``: a follow-up after release or exit, through the same
  service as the page: an impossible date is refused (400) with its rule's code and message.
"""

from __future__ import annotations

import math
from dataclasses import asdict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from civica.accounts.access import CapabilityMixin
from civica.accounts.roles import Capability
from civica.participants import selectors as people
from civica.reinsertion import selectors, services
from civica.reinsertion.evaluation import evaluate
from civica.reinsertion.models import RELEASE_FOLLOW_UP_MONTHS, Activity, Housing


def _numbers(value):
    """NaN and infinity (a field nobody in a group has) as null: JSON has no NaN."""
    if isinstance(value, dict):
        return {k: _numbers(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_numbers(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


class LotteryEvaluationView(CapabilityMixin, APIView):
    """Balance and effects of a drawn lottery in the user's scope."""

    required_capability = Capability.VIEW_AGGREGATES

    @extend_schema(responses={200: dict})
    def get(self, request, pk):
        try:
            lottery = selectors.lottery_by_id(request.user, pk)
        except Http404:
            raise NotFound() from None
        if not lottery.drawn:
            raise ApiValidationError({"lottery": ["The lottery has not been drawn."]})
        result = evaluate(lottery)
        return Response(
            _numbers(
                {
                    "lottery": lottery.pk,
                    "name": lottery.name,
                    "places": lottery.places,
                    "strata": lottery.strata,
                    "seed": str(lottery.seed),
                    "fingerprint": lottery.fingerprint,
                    "take_up_program": result.take_up_program,
                    "take_up_control": result.take_up_control,
                    "balance": [asdict(row) for row in result.balance],
                    "effects": [
                        {
                            "outcome": e.outcome,
                            "months": e.months,
                            "flow": asdict(e.flow),
                            "mean_program": e.mean_program,
                            "mean_control": e.mean_control,
                            "itt": asdict(e.itt) if e.itt else None,
                            "tot": asdict(e.tot) if e.tot else None,
                            "problem": str(e.problem),
                            "lost_program": e.lost_program,
                            "lost_control": e.lost_control,
                            "from_follow_ups": e.from_follow_ups,
                            "from_other_source": e.from_other_source,
                        }
                        for e in result.effects
                    ],
                }
            )
        )


class FacilitySerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    state = serializers.CharField(source="state.code", read_only=True)
    municipality = serializers.CharField(
        source="municipality.cvegeo", read_only=True, allow_null=True
    )
    kind = serializers.CharField(read_only=True)
    organizations = serializers.SerializerMethodField()
    recordable = serializers.ListField(child=serializers.CharField(), read_only=True)
    entry_roles = serializers.ListField(child=serializers.CharField(), read_only=True)
    synthetic = serializers.BooleanField(read_only=True)

    def get_organizations(self, facility) -> list[str]:
        return [o.name for o in facility.organizations.all()]


class StaySerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    pid = serializers.CharField(source="enrollment.person.pid", read_only=True)
    facility = serializers.IntegerField(source="facility_id", read_only=True)
    organization = serializers.CharField(source="enrollment.organization.name", read_only=True)
    legal_status = serializers.CharField(read_only=True)
    admission_date = serializers.DateField(read_only=True)
    expected_release = serializers.DateField(read_only=True, allow_null=True)
    actual_release = serializers.DateField(read_only=True, allow_null=True)
    transition_plan_started = serializers.SerializerMethodField()

    def get_transition_plan_started(self, stay) -> str | None:
        plan = getattr(stay, "plan", None) if hasattr(stay, "plan") else None
        return plan.started_on.isoformat() if plan else None


class CohortSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    facility = serializers.IntegerField(source="facility_id", read_only=True)
    organization = serializers.CharField(source="organization.name", read_only=True)
    kind = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)
    start_date = serializers.DateField(read_only=True)
    end_date = serializers.DateField(read_only=True, allow_null=True)
    required_hours = serializers.DecimalField(max_digits=6, decimal_places=1, read_only=True)
    certifies = serializers.BooleanField(read_only=True)
    members = serializers.IntegerField(source="n_members", read_only=True)
    completed = serializers.IntegerField(source="n_completed", read_only=True)
    sessions = serializers.IntegerField(source="n_sessions", read_only=True)


class LotterySerializer(serializers.Serializer):
    """A lottery and its counts; who applied or won is not in it."""

    id = serializers.IntegerField(read_only=True)
    organization = serializers.CharField(source="organization.name", read_only=True)
    name = serializers.CharField(read_only=True)
    track = serializers.CharField(read_only=True)
    places = serializers.IntegerField(read_only=True)
    strata = serializers.ListField(child=serializers.CharField(), read_only=True)
    status = serializers.CharField(read_only=True)
    instrument = serializers.SerializerMethodField()
    seed = serializers.SerializerMethodField()
    fingerprint = serializers.CharField(read_only=True)
    drawn_at = serializers.DateTimeField(read_only=True, allow_null=True)
    applicants = serializers.IntegerField(source="n_applicants", read_only=True)
    eligible = serializers.IntegerField(source="n_eligible", read_only=True)
    program = serializers.IntegerField(source="n_program", read_only=True)
    control = serializers.IntegerField(source="n_control", read_only=True)
    took_up = serializers.IntegerField(source="n_took_up", read_only=True)

    def get_instrument(self, lottery) -> str | None:
        i = lottery.instrument
        return f"{i.code} v{i.version}" if i else None

    def get_seed(self, lottery) -> str | None:
        # A string: 62-bit seeds exceed what JavaScript numbers hold exactly.
        return None if lottery.seed is None else str(lottery.seed)


class FollowUpSerializer(serializers.Serializer):
    pid = serializers.CharField(source="enrollment.person.pid")
    months = serializers.ChoiceField(choices=[(m, str(m)) for m in RELEASE_FOLLOW_UP_MONTHS])
    date = serializers.DateField()
    housing = serializers.ChoiceField(choices=Housing.choices)
    activity = serializers.ChoiceField(choices=Activity.choices)
    monthly_income = serializers.DecimalField(
        max_digits=10, decimal_places=2, required=False, allow_null=True, min_value=0
    )
    family_contact = serializers.BooleanField(default=False)
    new_arrest = serializers.BooleanField(default=False)
    new_imprisonment = serializers.BooleanField(default=False)


def _refused(error):
    """A service's refusal as a 400 (each message with its rule's code) or a 403."""
    if isinstance(error, PermissionDenied):
        raise ApiPermissionDenied(str(error))
    items = (
        [(field, e) for field, errors in error.error_dict.items() for e in errors]
        if hasattr(error, "error_dict")
        else [("non_field_errors", e) for e in error.error_list]
    )
    detail: dict[str, list] = {}
    for field, e in items:
        detail.setdefault(field, []).append({"code": e.code or "invalid", "message": e.messages[0]})
    return Response(detail, status=status.HTTP_400_BAD_REQUEST)


class _Read(CapabilityMixin, viewsets.ReadOnlyModelViewSet):
    required_capability = Capability.VIEW_PERSONAL_DATA


class FacilityViewSet(_Read):
    """Facilities where the user's organizations work, with their rules as data."""

    serializer_class = FacilitySerializer

    def get_queryset(self):
        return selectors.facilities(self.request.user).prefetch_related("organizations")


class StayViewSet(_Read):
    """Stays of the cases of the user's organizations, by pseudonymous id; ``?facility=``."""

    serializer_class = StaySerializer

    def get_queryset(self):
        qs = (
            selectors.custodies(self.request.user)
            .select_related("enrollment__organization", "plan")
            .order_by("-admission_date", "id")
        )
        facility = self.request.query_params.get("facility", "")
        return qs.filter(facility_id=facility) if facility.isdigit() else qs


class CohortViewSet(_Read):
    """Courses and wellness groups of the user's organizations, with counts."""

    serializer_class = CohortSerializer

    def get_queryset(self):
        return (
            selectors.cohorts(self.request.user)
            .annotate(
                n_members=Count("members", distinct=True),
                n_completed=Count(
                    "members", filter=Q(members__completed_on__isnull=False), distinct=True
                ),
                n_sessions=Count("sessions", distinct=True),
            )
            .order_by("-start_date", "id")
        )


class LotteryViewSet(CapabilityMixin, viewsets.ReadOnlyModelViewSet):
    """Lotteries of the user's organizations: places, strata, status, seed and counts."""

    required_capability = Capability.VIEW_AGGREGATES
    serializer_class = LotterySerializer

    def get_queryset(self):
        return (
            selectors.lotteries(self.request.user)
            .select_related("instrument")
            .annotate(
                n_applicants=Count("applicants"),
                n_eligible=Count("applicants", filter=Q(applicants__eligible=True)),
                n_program=Count("applicants", filter=Q(applicants__arm="program")),
                n_control=Count("applicants", filter=Q(applicants__arm="control")),
                n_took_up=Count("applicants", filter=Q(applicants__enrollment__isnull=False)),
            )
            .order_by("-created_at", "-id")
        )


class FollowUpViewSet(CapabilityMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """``POST``: a follow-up after release (detention) or exit (community case) of the
    person's latest reinsertion case with your organizations — the page's rules: consent,
    a release or exit recorded, a date on or after it (400 with the rule's code)."""

    required_capability = Capability.VIEW_PERSONAL_DATA
    write_capability = Capability.EDIT_RECORDS
    serializer_class = FollowUpSerializer

    def create(self, request, *args, **kwargs):
        payload = FollowUpSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        pid = data.pop("enrollment")["person"]["pid"].strip().upper()
        try:
            person = people.person_by_pid(request.user, pid)
        except Http404:
            raise NotFound() from None
        case = selectors.cases_of(request.user, person).first()
        if case is None:
            raise ApiValidationError({"pid": ["No reinsertion case with your organizations."]})
        try:
            made = services.record_follow_up(
                actor=request.user, enrollment=case, months=int(data.pop("months")), **data
            )
        except (ValidationError, PermissionDenied) as error:
            return _refused(error)
        return Response(FollowUpSerializer(made).data, status=status.HTTP_201_CREATED)
