"""Assigning incident points to police areas: real CDMX cuadrantes, and points on shared
edges going to exactly one polygon."""

from __future__ import annotations

import duckdb
import numpy as np
import pytest
import shapely
from shapely.geometry import Polygon, box

from civica.sources.boundaries import read_boundaries
from civica.sources.incidents import read_incidents
from civica.territory.assign import assign_points, mismatch_report, project_geometries


@pytest.fixture(scope="module")
def cuadrantes(shared_data):
    # One of the 847 polygons has a self-intersection; it is rebuilt, as the import does.
    features = read_boundaries(
        shared_data / "cdmx_hoyodecrimen/cuadrantes_2016.geojson",
        code_field="cuadrante",
        repair_invalid=True,
    )
    return [feature.code for feature in features], [feature.geometry for feature in features]


@pytest.fixture(scope="module")
def incidents(shared_data, tmp_path_factory):
    folder = tmp_path_factory.mktemp("assign")
    result = read_incidents(
        shared_data / "cdmx_hoyodecrimen/crime_lat_long_2013-2016.csv.gz",
        output=folder / "incidents.parquet",
        rejects=folder / "rejects.csv",
        preset="cdmx-ssp",
    )
    with duckdb.connect() as connection:
        return connection.execute(
            "SELECT lon, lat, x, y, source_cuadrante FROM read_parquet(?)", [str(result.output)]
        ).fetchnumpy()


def test_the_real_cuadrantes_hold_the_points_like_the_source_says(cuadrantes, incidents):
    ids, polygons = cuadrantes
    assert len(ids) == 847

    index = assign_points(incidents["lon"], incidents["lat"], polygons, ids=ids)

    assert index.shape == (131_141,)
    assert (index == -1).sum() == 873  # outside every cuadrante (beyond the city's edge)
    names = np.append(np.asarray(ids, dtype=object), None)[index]
    report = mismatch_report(names, incidents["source_cuadrante"])
    assert report.total == 131_141
    assert report.unrecorded == 475  # recorded as "(NO ESPECIFICADO)"
    assert report.matching + report.mismatched + report.unassigned + report.unrecorded == (
        report.total
    )
    assert report.share_matching == pytest.approx(0.81, abs=0.01)


def test_a_seeded_sample_matches_the_81_percent_of_the_source_notes(cuadrantes, incidents):
    ids, polygons = cuadrantes
    sample = np.random.default_rng(2016).choice(len(incidents["lon"]), 2_000, replace=False)

    index = assign_points(incidents["lon"][sample], incidents["lat"][sample], polygons, ids=ids)

    names = np.append(np.asarray(ids, dtype=object), None)[index]
    report = mismatch_report(names, incidents["source_cuadrante"][sample])
    assert report.share_matching == pytest.approx(0.81, abs=0.025)
    assert report.mismatched + report.unassigned == report.compared - report.matching > 300


def test_it_agrees_with_an_strtree_query_on_every_real_point(cuadrantes, incidents):
    ids, polygons = cuadrantes
    points = shapely.points(incidents["lon"], incidents["lat"])
    found, polygon = shapely.STRtree(polygons).query(points, predicate="intersects")
    assert len(np.unique(found)) == len(found)  # no real point lies on an edge
    expected = np.full(len(points), -1)
    expected[found] = polygon

    index = assign_points(incidents["lon"], incidents["lat"], polygons, ids=ids)

    np.testing.assert_array_equal(index, expected)


def test_projected_points_and_polygons_give_the_same_areas(cuadrantes, incidents):
    ids, polygons = cuadrantes
    in_degrees = assign_points(incidents["lon"], incidents["lat"], polygons, ids=ids)

    in_metres = assign_points(incidents["x"], incidents["y"], project_geometries(polygons), ids=ids)

    # Edges are straight in degrees or in metres, not both: a few points near one may differ.
    assert (in_degrees == in_metres).mean() > 0.999


LEFT, RIGHT = box(0, 0, 1, 1), box(1, 0, 2, 1)


@pytest.mark.parametrize(
    ("polygons", "ids"),
    [
        ([LEFT, RIGHT], ["B", "A"]),
        ([RIGHT, LEFT], ["A", "B"]),
    ],
)
def test_a_point_on_a_shared_edge_goes_to_the_lowest_id_whatever_the_order(polygons, ids):
    index = assign_points([1.0, 0.5, 1.5], [0.5, 0.5, 0.5], polygons, ids=ids)

    assert [ids[i] for i in index] == ["A", "B", "A"]


def test_a_shared_corner_goes_to_the_lowest_of_four_ids():
    squares = [box(0, 0, 1, 1), box(1, 0, 2, 1), box(0, 1, 1, 2), box(1, 1, 2, 2)]
    ids = [40, 30, 10, 20]

    index = assign_points([1.0], [1.0], squares, ids=ids)

    assert ids[index[0]] == 10


def test_points_in_a_hole_or_nowhere_or_without_coordinates_get_minus_one():
    ring = Polygon(box(0, 0, 3, 3).exterior.coords, [box(1, 1, 2, 2).exterior.coords])

    index = assign_points([1.5, 1.0, 5.0, np.nan], [1.5, 1.5, 5.0, 1.0], [ring], ids=["R"])

    # The hole's edge belongs to the ring.
    assert index.tolist() == [-1, 0, -1, -1]


def test_it_refuses_points_and_polygons_in_different_coordinates(cuadrantes, incidents):
    ids, polygons = cuadrantes

    with pytest.raises(ValueError, match="degrees"):
        assign_points(incidents["x"], incidents["y"], polygons, ids=ids)


def test_it_refuses_repeated_ids():
    with pytest.raises(ValueError, match="unique"):
        assign_points([0.5], [0.5], [LEFT, RIGHT], ids=["A", "A"])


def test_it_refuses_geometries_that_are_not_polygons():
    with pytest.raises(TypeError):
        assign_points([0.5], [0.5], [shapely.Point(0, 0)], ids=["A"])
