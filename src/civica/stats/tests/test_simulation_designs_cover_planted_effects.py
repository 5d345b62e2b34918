"""On resampled real CDMX cuadrante series, the reported designs' intervals cover 95%.

The fast version of ``benchmarks/bench_evaluation_simulation.py``: 100 replications per
planted effect (−20% and 0), so each design has 200 intervals. A correct 95% interval
falls below the binomial band (coverage < 0.895) with probability under 0.1%; the plain
Poisson intervals, which treat crime counts as independent Poisson, fall below it.
"""

from __future__ import annotations

import pandas as pd
import pytest
from scipy import stats

from civica.stats.simulation import BEFORE_FIX, DESIGNS, monthly_matrix, simulation_study

REPLICATIONS = 100
INTERVALS = 2 * REPLICATIONS


@pytest.fixture(scope="module")
def study(request):
    shared = request.getfixturevalue("shared_data")
    frame = pd.read_csv(
        shared / "cdmx_hoyodecrimen" / "cuadrantes_mensual_2013-2016.csv.gz",
        usecols=["cuadrante", "crime", "date", "count"],
    )
    # The model-based panel interval equals the plain RIRR one here; one of them suffices.
    designs = (*DESIGNS, "rirr_poisson")
    return simulation_study(
        monthly_matrix(frame), designs=designs, replications=REPLICATIONS, seed=2
    )


def _pooled(study, design):
    rows = [r for r in study.rows if r.design == design]
    return sum(r.coverage * r.replications for r in rows) / sum(r.replications for r in rows)


LOW = stats.binom.ppf(0.001, INTERVALS, 0.95) / INTERVALS
HIGH_FPR = stats.binom.ppf(0.999, REPLICATIONS, 0.05) / REPLICATIONS


@pytest.mark.parametrize("design", DESIGNS)
def test_each_reported_design_covers_within_the_binomial_band(study, design):
    assert all(r.refused == 0 and r.replications == REPLICATIONS for r in study.rows)
    assert _pooled(study, design) >= LOW


@pytest.mark.parametrize("design", DESIGNS)
def test_each_reported_design_rarely_finds_an_effect_that_is_not_there(study, design):
    (null,) = [r for r in study.rows if r.design == design and r.effect == 0]
    assert null.rejection_rate <= HIGH_FPR


@pytest.mark.parametrize("design", ["rirr_by_sector", "panel_poisson", "panel_negbin"])
def test_the_ratio_designs_are_unbiased_within_noise(study, design):
    for row in (r for r in study.rows if r.design == design):
        assert abs(row.bias) < 4 * row.rmse / REPLICATIONS**0.5


def test_plain_poisson_intervals_under_cover_and_the_band_catches_them(study):
    assert "rirr_poisson" in BEFORE_FIX
    assert _pooled(study, "rirr_poisson") < LOW
