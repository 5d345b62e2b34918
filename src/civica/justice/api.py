"""REST endpoints: cases of the user's juzgados and the catalogues of faltas.

Cases come from the same scoped selectors as the pages (another juzgado's case answers 404);
they carry no personal field — persons appear by pseudonymous id only. ``POST /api/justice/
cases/`` opens a case (intake) through the same service and legal guards as the page;
``POST`` or ``PATCH /api/justice/cases/ID/stages/STAGE/`` records one stage's fields the way
the case page does (``services.record_stage``): the ``version`` the client read is required,
and a save over someone else's answers 409 naming the changed fields, writing nothing.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response

from civica.accounts.access import SIGNED_IN, CapabilityMixin
from civica.accounts.roles import Capability
from civica.justice import permissions, selectors, services
from civica.justice.forms import STAGE_FORMS, stage_form_options
from civica.justice.models import Detection
from civica.participants.models import Sex


class CaseSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    folio = serializers.CharField(read_only=True)
    juzgado = serializers.CharField(source="juzgado.name", read_only=True)
    municipality = serializers.CharField(source="juzgado.municipality.cvegeo", read_only=True)
    person = serializers.CharField(source="person.pid", read_only=True)
    stage = serializers.CharField(read_only=True)
    minor = serializers.BooleanField(read_only=True)
    repeat = serializers.BooleanField(read_only=True)
    detection = serializers.CharField(read_only=True)
    detained_at = serializers.DateTimeField(read_only=True)
    presented_at = serializers.DateTimeField(read_only=True)
    medical_at = serializers.DateTimeField(read_only=True)
    screened_at = serializers.DateTimeField(read_only=True)
    risk_level = serializers.CharField(read_only=True)
    hearing_started_at = serializers.DateTimeField(read_only=True)
    resolved_at = serializers.DateTimeField(read_only=True)
    responsible = serializers.BooleanField(read_only=True, allow_null=True)
    sanction = serializers.CharField(read_only=True)
    fine_amount = serializers.DecimalField(
        max_digits=10, decimal_places=2, read_only=True, allow_null=True
    )
    fine_unit = serializers.CharField(read_only=True)
    arrest_hours = serializers.IntegerField(read_only=True, allow_null=True)
    community_hours = serializers.IntegerField(read_only=True, allow_null=True)
    commutation = serializers.CharField(read_only=True)
    closed_at = serializers.DateTimeField(read_only=True)
    offences = serializers.SerializerMethodField()
    version = serializers.IntegerField(read_only=True)

    def get_offences(self, case) -> list[str]:
        return [o.code for o in case.offences.all()]


class IntakeSerializer(serializers.Serializer):
    juzgado = serializers.IntegerField()
    given_names = serializers.CharField()
    family_names = serializers.CharField()
    birth_date = serializers.DateField(required=False, allow_null=True)
    curp = serializers.CharField(required=False, allow_blank=True)
    sex = serializers.ChoiceField(choices=Sex.choices, required=False)
    detained_at = serializers.DateTimeField()
    presented_at = serializers.DateTimeField()
    offences = serializers.ListField(child=serializers.CharField(), required=False)
    detection = serializers.ChoiceField(choices=Detection.choices, required=False)
    iph_folio = serializers.CharField(required=False, allow_blank=True)
    rnd_folio = serializers.CharField(required=False, allow_blank=True)
    boleta = serializers.CharField(required=False, allow_blank=True)


class StageSerializer(serializers.Serializer):
    """A stage's fields as the case page's form takes them (``services.STAGE_FIELDS``), the
    faltas as codes, and the version read."""

    version = serializers.IntegerField()
    offences = serializers.ListField(child=serializers.CharField(), required=False)


def _api_errors(error: ValidationError):
    return getattr(error, "message_dict", None) or {"detail": error.messages}


class CaseViewSet(
    CapabilityMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Cases of the juzgados in the user's scope, newest presentation first."""

    required_capability = Capability.CIVIC_JUSTICE
    write_capability = Capability.CIVIC_JUSTICE
    serializer_class = CaseSerializer

    def get_queryset(self):
        qs = selectors.cases(self.request.user).prefetch_related("offences")
        stage_open = self.request.query_params.get("open")
        if stage_open in ("1", "true"):
            qs = qs.filter(closed_at__isnull=True)
        return qs

    def get_serializer_class(self):
        return IntakeSerializer if self.action == "create" else CaseSerializer

    def get_object(self):
        try:
            return selectors.case_by_pk(self.request.user, self.kwargs["pk"])
        except Http404:
            raise NotFound from None

    def create(self, request, *args, **kwargs):
        data = IntakeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        juzgado = selectors.juzgados(request.user).filter(pk=values.pop("juzgado")).first()
        if juzgado is None:
            raise ApiValidationError({"juzgado": ["not in your scope"]})
        codes = values.pop("offences", [])
        offences = list(
            selectors.offences_in_force(
                juzgados=[juzgado], day=values["presented_at"].date()
            ).filter(code__in=codes)
        )
        missing = sorted(set(codes) - {o.code for o in offences})
        if missing:
            raise ApiValidationError({"offences": [f"unknown: {', '.join(missing)}"]})
        person = {k: values.pop(k, "") for k in ("given_names", "family_names", "curp", "sex")}
        birth = values.pop("birth_date", None)
        person["birth_date"] = birth.isoformat() if birth else ""
        try:
            case = services.open_case(
                actor=request.user,
                juzgado=juzgado,
                person=person,
                presented_at=values.pop("presented_at"),
                offences=offences,
                **values,
            )
        except PermissionDenied as error:
            raise ApiPermissionDenied(str(error)) from None
        except ValidationError as error:
            raise ApiValidationError(
                getattr(error, "message_dict", None) or {"detail": error.messages}
            ) from None
        return Response(CaseSerializer(case).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=StageSerializer,
        responses={200: CaseSerializer},
        parameters=[OpenApiParameter("stage", str, OpenApiParameter.PATH, enum=list(STAGE_FORMS))],
    )
    @action(
        detail=True,
        methods=["post", "patch"],
        url_path=r"stages/(?P<stage>[a-z_]+)",
        url_name="stage",
        serializer_class=StageSerializer,
    )
    def stage(self, request, pk=None, stage=None, format=None):  # format: the router suffix
        """Record one stage: only the fields sent change; 409 if the case changed since
        ``version``; the legal guards refuse with 400 and the rule's message."""
        case = self.get_object()
        form_class = STAGE_FORMS.get(stage)
        if form_class is None:
            raise NotFound
        if not permissions.can_record(request.user, stage):
            raise ApiPermissionDenied(
                _("Your role does not record this stage: %(stage)s.")
                % {"stage": permissions.STAGES[stage]}
            )
        sent = dict(request.data)
        if "version" not in sent:
            raise ApiValidationError({"version": [_("Send the version of the case you read.")]})
        offences = selectors.offences_in_force(
            juzgados=[case.juzgado], day=timezone.localtime(case.presented_at).date()
        )
        options = stage_form_options(stage, case)
        empty = form_class(instance=case, offences=offences, **options)
        fields = set(empty.fields) - {"version"}
        unknown = sorted(set(sent) - fields - {"version"})
        if unknown:
            raise ApiValidationError(
                {
                    "detail": [
                        _("Not fields of this stage: %(fields)s.") % {"fields": ", ".join(unknown)}
                    ]
                }
            )
        # Unsent fields keep their stored values, so the page's form validates them as they
        # are and only the sent ones are written.
        data = dict(empty.initial)
        data |= {k: v for k, v in sent.items() if k != "offences"}
        if "offences" in sent:
            codes = list(sent["offences"] or [])
            chosen = list(offences.filter(code__in=codes))
            missing = sorted(set(codes) - {o.code for o in chosen})
            if missing:
                raise ApiValidationError(
                    {"offences": [_("Unknown faltas: %(codes)s.") % {"codes": ", ".join(missing)}]}
                )
            data["offences"] = [o.pk for o in chosen]
        data = {k: "" if v is None else v for k, v in data.items()}
        form = form_class(data, instance=case, offences=offences, **options)
        if not form.is_valid():
            raise ApiValidationError(form.errors)
        # The instrument's items write what their scoring gives, not themselves.
        written = set(sent)
        if any(k.startswith("item_") for k in sent):
            written |= {"instrument", "screening_scores", "risk_level"}
        try:
            saved = services.record_stage(
                actor=request.user,
                case=case,
                stage=stage,
                version=form.cleaned_data["version"],
                changes={k: v for k, v in form.changes().items() if k in written},
                offences=form.chosen_offences() if "offences" in sent else None,
            )
        except services.StaleRecord as error:
            return Response(
                {
                    "detail": error.messages[0],
                    "changed_fields": [d["field"] for d in error.differences],
                    "version": selectors.case_by_pk(request.user, case.pk).version,
                },
                status=status.HTTP_409_CONFLICT,
            )
        except PermissionDenied as error:
            raise ApiPermissionDenied(str(error)) from None
        except ValidationError as error:
            raise ApiValidationError(_api_errors(error)) from None
        saved = selectors.case_by_pk(request.user, saved.pk)
        return Response(CaseSerializer(saved).data)


class OffenceSerializer(serializers.Serializer):
    code = serializers.CharField()
    article = serializers.CharField()
    fraction = serializers.CharField()
    text = serializers.CharField()
    family = serializers.CharField()
    sanction_class = serializers.CharField(source="sanction_class.code")
    fine_min = serializers.DecimalField(
        source="sanction_class.fine_min", max_digits=10, decimal_places=2
    )
    fine_max = serializers.DecimalField(
        source="sanction_class.fine_max", max_digits=10, decimal_places=2
    )
    community_hours_min = serializers.IntegerField(source="sanction_class.community_hours_min")
    community_hours_max = serializers.IntegerField(source="sanction_class.community_hours_max")
    arrest_hours_min = serializers.IntegerField(source="sanction_class.arrest_hours_min")
    arrest_hours_max = serializers.IntegerField(source="sanction_class.arrest_hours_max")
    commutable = serializers.BooleanField()
    conciliable = serializers.BooleanField()
    needs_complaint = serializers.BooleanField()
    municipality = serializers.CharField(source="catalogue.municipality.cvegeo")
    valid_from = serializers.DateField(source="catalogue.valid_from")
    valid_to = serializers.DateField(source="catalogue.valid_to")


class OffenceViewSet(CapabilityMixin, viewsets.ReadOnlyModelViewSet):
    """Faltas of the catalogues (law: every signed-in user); ``?municipality=09015``."""

    required_capability = SIGNED_IN
    serializer_class = OffenceSerializer
    lookup_field = "pk"

    def get_queryset(self):
        qs = selectors.all_offences()
        municipality = self.request.query_params.get("municipality")
        if municipality:
            qs = qs.filter(catalogue__municipality__cvegeo=municipality)
        return qs
