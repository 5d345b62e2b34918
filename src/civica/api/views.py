"""REST endpoints: thin wrappers over the same selectors the web pages use."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from drf_spectacular.utils import OpenApiParameter, extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework import generics, routers, viewsets
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.decorators import action
from rest_framework.response import Response

from civica.accounts.access import PUBLIC, SIGNED_IN, CapabilityMixin
from civica.api import serializers
from civica.territory import selectors


class StateViewSet(CapabilityMixin, viewsets.ReadOnlyModelViewSet):
    required_capability = SIGNED_IN
    serializer_class = serializers.StateSerializer
    lookup_field = "code"

    def get_queryset(self):
        return selectors.states(self.request.user)

    @action(detail=True, serializer_class=serializers.PopulationSerializer)
    def population(self, request, code=None, format=None):
        state = self.get_object()
        data = serializers.PopulationSerializer(
            selectors.population_series(state=state), many=True
        ).data
        return Response(data)


@extend_schema(
    parameters=[
        OpenApiParameter("state", str, description="Two-digit INEGI state code"),
        OpenApiParameter("q", str, description="Name or code prefix"),
    ]
)
class MunicipalityViewSet(CapabilityMixin, viewsets.ReadOnlyModelViewSet):
    required_capability = SIGNED_IN
    lookup_field = "cvegeo"

    def get_serializer_class(self):
        if self.action == "retrieve":
            return serializers.MunicipalityDetailSerializer
        return serializers.MunicipalitySerializer

    def get_queryset(self):
        params = self.request.query_params
        state = params.get("state")
        qs = selectors.municipalities(self.request.user, query=params.get("q", "").strip())
        return qs.filter(state__code=state) if state else qs

    @action(detail=True, serializer_class=serializers.PopulationSerializer)
    def population(self, request, cvegeo=None, format=None):
        municipality = self.get_object()
        data = serializers.PopulationSerializer(
            selectors.population_series(municipality=municipality), many=True
        ).data
        return Response(data)


@extend_schema(parameters=[OpenApiParameter("municipality", str, description="Five-digit CVEGEO")])
class SectorViewSet(CapabilityMixin, viewsets.ReadOnlyModelViewSet):
    """Sectors within the requesting user's territorial scope only."""

    required_capability = SIGNED_IN

    def get_serializer_class(self):
        if self.action == "retrieve":
            return serializers.SectorDetailSerializer
        return serializers.SectorSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            # The schema generator has no request: an empty queryset tells it the model.
            return selectors.sectors(AnonymousUser())
        qs = selectors.sectors(self.request.user)
        municipality = self.request.query_params.get("municipality")
        return qs.filter(municipality__cvegeo=municipality) if municipality else qs


class MeView(CapabilityMixin, generics.RetrieveAPIView):
    required_capability = SIGNED_IN
    serializer_class = serializers.MeSerializer

    def get_object(self):
        return self.request.user


class RootView(CapabilityMixin, routers.APIRootView):
    required_capability = SIGNED_IN


class TokenView(CapabilityMixin, generics.GenericAPIView):
    """User name and password in, a new token and its expiry out (the only API endpoint open to
    anonymous clients). Failed attempts count towards the log-in lock-out (django-axes); the
    token is stored as a digest and stops working at its expiry or when the password changes.
    """

    required_capability = None
    write_capability = PUBLIC
    permission_classes = []
    serializer_class = AuthTokenSerializer

    def post(self, request, format=None):
        from civica.accounts.services import issue_api_token

        # django-axes marks the Django request, not DRF's wrapper, so that its middleware
        # answers a locked-out attempt with 429.
        serializer = self.get_serializer(data=request.data, context={"request": request._request})
        serializer.is_valid(raise_exception=True)
        token, expiry = issue_api_token(user=serializer.validated_data["user"])
        return Response({"token": token, "expiry": expiry})


class SchemaView(CapabilityMixin, SpectacularAPIView):
    required_capability = SIGNED_IN


class DocsView(CapabilityMixin, SpectacularSwaggerView):
    required_capability = SIGNED_IN
