"""REST endpoints for organizations that keep their records elsewhere.

Persons are addressed by pseudonymous id only (no database ids anywhere in the API); the
querysets come from the same scoped selectors as the pages, so a filter or a guessed id of
another organization's person answers 404 or an empty list. Lists carry no personal fields;
reading one person's fields is audited.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.response import Response

from civica.accounts.access import SYSTEM, CapabilityMixin
from civica.accounts.roles import Capability
from civica.jobs import selectors as job_selectors
from civica.jobs import services as job_services
from civica.jobs import uploads
from civica.jobs.views import status_data
from civica.participants import casework, imports, selectors, services
from civica.participants import jobs as person_jobs
from civica.participants.models import ServiceKind, Sex
from civica.territory import selectors as territory_selectors


class PersonSummarySerializer(serializers.Serializer):
    pid = serializers.CharField(read_only=True)
    sex = serializers.CharField(read_only=True)
    municipality = serializers.CharField(source="municipality.cvegeo", read_only=True)
    age_band = serializers.SerializerMethodField()

    def get_age_band(self, person) -> str:
        from django.utils import timezone

        return person.age_band_on(timezone.localdate())


class PersonWriteSerializer(serializers.Serializer):
    given_names = serializers.CharField()
    family_names = serializers.CharField()
    birth_date = serializers.DateField(required=False, allow_null=True)
    sex = serializers.ChoiceField(choices=Sex.choices)
    curp = serializers.CharField(required=False, allow_blank=True)
    phone = serializers.CharField(required=False, allow_blank=True)
    address = serializers.CharField(required=False, allow_blank=True)
    # Municipalities are reference data, the same for every signed-in user.
    municipality = serializers.SlugRelatedField(
        slug_field="cvegeo", queryset=territory_selectors.municipalities(SYSTEM)
    )
    organization = serializers.CharField(required=False, help_text="Organization name")
    not_duplicate_of = serializers.ListField(child=serializers.CharField(), required=False)


class ServiceSerializer(serializers.Serializer):
    track = serializers.CharField(source="enrollment.track", read_only=True)
    organization = serializers.CharField(source="enrollment.organization.name", read_only=True)
    kind = serializers.ChoiceField(choices=ServiceKind.choices)
    provider = serializers.CharField(required=False, allow_blank=True)
    date = serializers.DateField()
    attended = serializers.BooleanField(default=True)


def _raise(error):
    if isinstance(error, PermissionDenied):
        raise ApiPermissionDenied(str(error))
    if isinstance(error, Http404):
        raise NotFound
    detail = error.message_dict if hasattr(error, "error_dict") else error.messages
    raise ApiValidationError(detail)


class PersonViewSet(
    CapabilityMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Persons of the user's organizations. ``GET /{pid}/`` returns (and audits) the personal
    fields; ``POST /`` registers (409 with candidate ids on a suspected duplicate)."""

    required_capability = Capability.VIEW_PERSONAL_DATA
    write_capability = Capability.EDIT_RECORDS
    lookup_field = "pid"
    lookup_value_regex = r"P-[0-9A-Za-z]{6}"
    serializer_class = PersonSummarySerializer

    def get_queryset(self):
        return selectors.persons(self.request.user).order_by("pid")

    def get_object(self):
        return selectors.person_by_pid(self.request.user, self.kwargs["pid"])

    def retrieve(self, request, pid=None, format=None):
        person = self.get_object()
        data = PersonSummarySerializer(person).data
        data |= selectors.view_personal_fields(request.user, person, purpose="api")
        return Response(data)

    def get_serializer_class(self):
        return PersonWriteSerializer if self.action == "create" else PersonSummarySerializer

    def create(self, request, format=None):
        payload = PersonWriteSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        organization = self._organization(data.pop("organization", None))
        birth = data.pop("birth_date", None)
        try:
            person = services.register_person(
                actor=request.user,
                organization=organization,
                not_duplicate_of=data.pop("not_duplicate_of", []),
                birth_date=birth.isoformat() if birth else "",
                **data,
            )
        except services.DuplicateSuspected as error:
            return Response(
                {"detail": error.messages[0], "candidates": [p.pid for p in error.candidates]},
                status=status.HTTP_409_CONFLICT,
            )
        except (ValidationError, PermissionDenied) as error:
            _raise(error)
        return Response(PersonSummarySerializer(person).data, status=status.HTTP_201_CREATED)

    def _organization(self, name):
        qs = selectors.organizations(self.request.user)
        organization = qs.filter(name=name).first() if name else qs.first()
        if organization is None:
            raise ApiPermissionDenied("No organization of yours has that name.")
        return organization

    @action(detail=True, methods=["get", "post"], serializer_class=ServiceSerializer)
    def services(self, request, pid=None, format=None):
        """Services of the person (GET) or a new one under the person's open enrollment with
        one of your organizations (POST)."""
        person = self.get_object()
        if request.method == "GET":
            qs = selectors.services_of(request.user, person)
            return Response(ServiceSerializer(qs, many=True).data)
        payload = ServiceSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        enrollment = (
            selectors.enrollments(request.user)
            .filter(person=person, exit_date__isnull=True)
            .first()
        )
        if enrollment is None:
            raise ApiValidationError({"detail": "The person has no open enrollment with you."})
        try:
            service = casework.record_service(
                actor=request.user, enrollment=enrollment, **payload.validated_data
            )
        except (ValidationError, PermissionDenied, Http404) as error:
            _raise(error)
        return Response(ServiceSerializer(service).data, status=status.HTTP_201_CREATED)

    @action(
        detail=False,
        methods=["post"],
        parser_classes=[MultiPartParser, JSONParser],
        url_path="import",
    )
    def import_csv(self, request, format=None):
        """Atomic CSV import (``file``; optional ``organization``): 201 with the new ids, or
        400 with every problem as ``{line, column, message}`` and nothing written. A file of
        more than ``participants.jobs.LARGE_IMPORT_ROWS`` rows is imported by the worker:
        202 with the job, whose progress and result ``import/<job>/`` gives."""
        upload = request.FILES.get("file")
        if upload is None:
            raise ApiValidationError({"file": "Attach the CSV file as 'file'."})
        organization = self._organization(request.data.get("organization"))
        data = upload.read()
        if person_jobs.data_rows(data) > person_jobs.LARGE_IMPORT_ROWS:
            return self._import_in_background(request, organization, data)
        try:
            result = imports.import_persons_csv(
                actor=request.user,
                organization=organization,
                data=data,
                name=upload.name,
            )
        except imports.ImportBusy as busy:
            return Response({"detail": str(busy)}, status=status.HTTP_409_CONFLICT)
        except imports.ImportFailed as failed:
            return Response(
                {
                    "errors": [
                        {"line": e.line, "column": e.column, "message": e.message}
                        for e in failed.errors
                    ]
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        return Response({"pids": result.pids}, status=status.HTTP_201_CREATED)

    def _import_in_background(self, request, organization, data: bytes):
        try:  # refused before the file is held, as the import itself would refuse it
            services._require_edit(request.user, organization.pk)
        except PermissionDenied as error:
            return Response(
                {"errors": [{"line": 0, "column": "", "message": str(error)}]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        job = job_services.submit(
            request.user,
            person_jobs.IMPORT_PERSONS,
            {"upload": uploads.hold(data), "organization": organization.pk},
            label=_("Import of persons"),
        )
        where = reverse("api:person-import-result", kwargs={"job_id": job.id})
        page = reverse("participants:import-result", kwargs={"job_id": job.id})
        return Response(
            {"job": str(job.id), "status": job.status, "result": where, "page": page},
            status=status.HTTP_202_ACCEPTED,
            headers={"Location": where},
        )

    @action(
        detail=False,
        methods=["get"],
        url_path=r"import/(?P<job_id>[0-9a-f-]{36})",
        url_name="import-result",
    )
    def import_result(self, request, job_id=None, format=None):
        """A background import (only to the user who started it): state, progress
        (``done`` of ``total`` rows, ``step``), then ``created``, ``updated``, ``pids`` and
        ``errors`` (``{line, column, message}``; none written when there are any)."""
        job = job_selectors.job(request.user, job_id)
        if job.kind != person_jobs.IMPORT_PERSONS:
            raise NotFound
        data = {
            key: value
            for key, value in status_data(job).items()
            if key in {"id", "status", "status_label", "done", "total", "percent", "step"}
        }
        try:
            stored = job_services.result_of(job)
        except job_services.JobRefused as refused:
            data["errors"] = [{"line": 0, "column": "", "message": str(refused)}]
        else:
            if stored is not None:
                data |= person_jobs.outcome(stored)
        return Response(data)
