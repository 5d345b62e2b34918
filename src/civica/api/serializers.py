from __future__ import annotations

import json

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from civica.accounts.models import User
from civica.accounts.roles import capabilities_of
from civica.territory.models import Municipality, PopulationEstimate, Sector, State


@extend_schema_field(OpenApiTypes.OBJECT)
class GeoJSONField(serializers.Field):
    """GeoJSON geometry stored as text, served as an object (or null when absent)."""

    def to_representation(self, value):
        return json.loads(value) if value else None


class StateSerializer(serializers.ModelSerializer):
    class Meta:
        model = State
        fields = ["code", "name", "abbreviation", "area_km2", "synthetic"]


class MunicipalitySerializer(serializers.ModelSerializer):
    state = serializers.CharField(source="state.code")
    has_boundary = serializers.BooleanField(read_only=True)

    class Meta:
        model = Municipality
        fields = ["cvegeo", "name", "state", "area_km2", "has_boundary", "synthetic"]


class MunicipalityDetailSerializer(MunicipalitySerializer):
    geometry = GeoJSONField()

    class Meta(MunicipalitySerializer.Meta):
        fields = [*MunicipalitySerializer.Meta.fields, "geometry"]


class PopulationSerializer(serializers.ModelSerializer):
    class Meta:
        model = PopulationEstimate
        fields = ["year", "total", "men", "women", "source"]


class SectorSerializer(serializers.ModelSerializer):
    municipality = serializers.CharField(source="municipality.cvegeo")

    class Meta:
        model = Sector
        fields = [
            "id",
            "name",
            "layer",
            "kind",
            "municipality",
            "area_km2",
            "population",
            "synthetic",
        ]


class SectorDetailSerializer(SectorSerializer):
    geometry = GeoJSONField()

    class Meta(SectorSerializer.Meta):
        fields = [*SectorSerializer.Meta.fields, "geometry", "properties"]


class MeSerializer(serializers.ModelSerializer):
    capabilities = serializers.SerializerMethodField()
    states = serializers.SlugRelatedField(many=True, read_only=True, slug_field="code")
    municipalities = serializers.SlugRelatedField(many=True, read_only=True, slug_field="cvegeo")

    class Meta:
        model = User
        fields = ["username", "role", "nationwide", "states", "municipalities", "capabilities"]

    def get_capabilities(self, user) -> list[str]:
        return sorted(capabilities_of(user.role))
