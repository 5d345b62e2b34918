"""The geometry helpers the imports use: area, normalised text, representative point."""

from __future__ import annotations

import json
import math

import shapely
from pyproj import Geod

from civica.territory.geometry import area_km2, normalise, representative_point, to_geojson_text


def test_the_area_of_a_small_square_matches_a_hand_computation():
    square = shapely.box(-99.17, 19.40, -99.16, 19.41)
    # On a sphere of radius 6,371 km: 0.01° of latitude is 1.112 km, 0.01° of longitude at
    # 19.405° is 1.112 km × cos(19.405°) = 1.049 km, so the square is about 1.166 km².
    side = math.radians(0.01) * 6371.0
    by_hand = side * side * math.cos(math.radians(19.405))

    area = area_km2(square)

    assert math.isclose(area, by_hand, rel_tol=0.01)
    geodesic = abs(Geod(ellps="GRS80").geometry_area_perimeter(square)[0]) / 1e6
    assert math.isclose(area, geodesic, rel_tol=0.01)


def test_normalising_drops_z_and_rounds_to_six_decimals():
    polygon = shapely.Polygon(
        [
            (-99.1234564, 19.1234566, 0.0),
            (-99.1, 19.1234566, 0.0),
            (-99.1, 19.2, 0.0),
        ]
    )

    text = to_geojson_text(polygon)

    assert json.loads(text) == {
        "type": "Polygon",
        "coordinates": [
            [
                [-99.123456, 19.123457],
                [-99.1, 19.123457],
                [-99.1, 19.2],
                [-99.123456, 19.123457],
            ]
        ],
    }
    assert to_geojson_text(shapely.from_geojson(text)) == text


def test_normalising_keeps_a_polygon_valid_when_rounding_would_pinch_it():
    # Two edges 0.3e-6° apart: plain rounding would lay them on top of each other.
    polygon = shapely.Polygon(
        [
            (0.0, 0.0),
            (0.001, 0.0),
            (0.001, 0.0005),
            (0.0000003, 0.0005),
            (0.0000003, 0.0005003),
            (0.001, 0.0005003),
            (0.001, 0.001),
            (0.0, 0.001),
        ]
    )
    assert polygon.is_valid
    assert not shapely.transform(polygon, lambda c: c.round(6)).is_valid

    stored = normalise(polygon)

    assert stored.is_valid
    assert math.isclose(stored.area, polygon.area, rel_tol=0.01)


def test_normalising_leaves_an_invalid_polygon_invalid_for_the_reader_to_refuse():
    bow_tie = shapely.Polygon([(0, 0), (1, 1), (1, 0), (0, 1)])

    assert not normalise(bow_tie).is_valid


def test_the_representative_point_of_a_crescent_is_inside_it():
    crescent = shapely.Point(0, 0).buffer(1).difference(shapely.Point(0.05, 0).buffer(0.9))

    assert not crescent.contains(crescent.centroid)
    assert crescent.contains(representative_point(crescent))


def test_a_hole_is_subtracted_from_the_area_whatever_the_ring_orientation():
    from shapely.geometry import Polygon

    from civica.territory.geometry import area_km2

    outer = [(-99.2, 19.4), (-99.19, 19.4), (-99.19, 19.41), (-99.2, 19.41)]
    hole = [(-99.198, 19.402), (-99.192, 19.402), (-99.192, 19.408), (-99.198, 19.408)]
    expected = area_km2(Polygon(outer)) - area_km2(Polygon(hole))
    for shell, inner in [(outer, hole), (outer[::-1], hole), (outer, hole[::-1])]:
        assert abs(area_km2(Polygon(shell, [inner])) - expected) < 1e-9
