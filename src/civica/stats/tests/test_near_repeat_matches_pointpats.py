"""Observed Knox counts agree with pointpats' global Knox statistic on the same events.

pointpats' ``Knox(s_coords, t_coords, delta, tau)`` counts the pairs with distance
``<= delta`` and time gap ``<= tau``, one threshold pair at a time. civica's bands are
half-open, so the sum of its cells below the edges ``D`` and ``T`` counts distance ``< D``
and gap ``< T``; with whole-day times that is pointpats with ``delta = D`` (no pair lies
exactly ``D`` apart, checked) and ``tau = T - 1``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from civica.stats import knox

spacetime = pytest.importorskip("pointpats.spacetime")

CRIME = "ROBO A CASA HABITACION C.V."
DISTANCE = (0, 1, 200, 400, 600, 800, 1000)
TIME = (0, 7, 14, 21, 28)
THRESHOLDS = [(200, 7), (400, 14), (600, 21), (1000, 28), (1, 7)]


def _pointpats_count(x, y, t, delta, tau):
    found = spacetime.Knox(
        np.column_stack((x, y)), np.asarray(t, dtype=float)[:, None], delta, tau, permutations=0
    )
    return int(found.statistic_)


def _assert_no_pair_on_an_edge(x, y, edges):
    i, j = np.triu_indices(x.size, 1)
    distance = np.hypot(x[i] - x[j], y[i] - y[j])
    for edge in edges[1:]:
        assert not (np.abs(distance - edge) < 1e-6).any(), f"a pair is {edge} m apart"


def _assert_cells_match_pointpats(x, y, t):
    _assert_no_pair_on_an_edge(x, y, DISTANCE)
    result = knox(x, y, t, distance_bands=DISTANCE, time_bands=TIME, permutations=19, seed=1)
    for delta, tau in THRESHOLDS:
        d = DISTANCE.index(delta)
        k = TIME.index(tau)
        ours = int(result.observed[:d, :k].sum())
        assert ours == _pointpats_count(x, y, t, delta, tau - 1), (delta, tau)
    return result


def test_a_seeded_random_set_matches_pointpats():
    rng = np.random.default_rng(20_150_101)
    n = 1_500
    x = rng.uniform(480_000, 486_000, n)
    y = rng.uniform(2_140_000, 2_146_000, n)
    t = rng.integers(0, 365, n)
    # Some events at one address (same-location band) and some on one day.
    x[:40] = x[40:80]
    y[:40] = y[40:80]
    result = _assert_cells_match_pointpats(x, y, t)
    assert result.observed[0].sum() > 0


@pytest.fixture(scope="module")
def cdmx_burglaries(shared_data):
    pyproj = pytest.importorskip("pyproj")
    frame = pd.read_csv(
        shared_data / "cdmx_hoyodecrimen" / "crime_lat_long_2013-2016.csv.gz",
        usecols=["crime", "date", "year", "lat", "long"],
        na_values=["NA"],
    )
    assert CRIME in set(frame["crime"])
    events = frame[(frame["crime"] == CRIME) & (frame["year"] == 2015)].dropna(
        subset=["lat", "long"]
    )
    to_lcc = pyproj.Transformer.from_crs("EPSG:4326", "EPSG:6372", always_xy=True)
    x, y = to_lcc.transform(events["long"].to_numpy(), events["lat"].to_numpy())
    days = (pd.to_datetime(events["date"]) - pd.Timestamp("2015-01-01")).dt.days.to_numpy()
    return np.asarray(x), np.asarray(y), days


def test_cdmx_residential_burglaries_of_2015_match_pointpats(cdmx_burglaries):
    x, y, t = cdmx_burglaries
    assert 500 < x.size < 560
    assert t.min() >= 0 and t.max() <= 364
    result = _assert_cells_match_pointpats(x, y, t)
    assert result.n_events == x.size
    assert result.observed.sum() > 0


def test_cdmx_results_are_the_same_on_every_run_with_one_seed(cdmx_burglaries):
    x, y, t = cdmx_burglaries
    runs = [
        knox(x, y, t, distance_bands=DISTANCE, time_bands=TIME, permutations=199, seed=2015)
        for _ in range(2)
    ]
    pd.testing.assert_frame_equal(runs[0].to_frame(), runs[1].to_frame())
