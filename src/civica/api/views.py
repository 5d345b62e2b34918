"""REST endpoints: thin wrappers over the same selectors the web pages use."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from civica.api import serializers
from civica.territory import selectors


class StateViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.StateSerializer
    lookup_field = "code"

    def get_queryset(self):
        return selectors.states(self.request.user)

    @action(detail=True, serializer_class=serializers.PopulationSerializer)
    def population(self, request, code=None):
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
class MunicipalityViewSet(viewsets.ReadOnlyModelViewSet):
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
    def population(self, request, cvegeo=None):
        municipality = self.get_object()
        data = serializers.PopulationSerializer(
            selectors.population_series(municipality=municipality), many=True
        ).data
        return Response(data)


@extend_schema(parameters=[OpenApiParameter("municipality", str, description="Five-digit CVEGEO")])
class SectorViewSet(viewsets.ReadOnlyModelViewSet):
    """Sectors within the requesting user's territorial scope only."""

    def get_serializer_class(self):
        if self.action == "retrieve":
            return serializers.SectorDetailSerializer
        return serializers.SectorSerializer

    def get_queryset(self):
        qs = selectors.sectors(self.request.user)
        municipality = self.request.query_params.get("municipality")
        return qs.filter(municipality__cvegeo=municipality) if municipality else qs


class MeView(generics.RetrieveAPIView):
    serializer_class = serializers.MeSerializer

    def get_object(self):
        return self.request.user
