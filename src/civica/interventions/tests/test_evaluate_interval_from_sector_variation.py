"""With three sectors or more, the interval is widened by the sectors' own variation."""

import math

import numpy as np
import pytest

from civica.accounts.access import SYSTEM
from civica.interventions.methods.before_after import evaluate
from civica.interventions.tests.evaluation_data import DEFAULT_COUNTS, ingest, locked_design
from civica.stats import rirr, rirr_by_sector

pytestmark = pytest.mark.django_db

COUNTS = DEFAULT_COUNTS | {
    ("comparison B4", 2014): 80,
    ("comparison B4", 2015): 40,  # comparison sectors that move apart: extra variation
    ("comparison C1", 2014): 50,
    ("comparison C1", 2015): 90,
}


@pytest.fixture
def evaluation(settings, tmp_path):
    from civica.demo import synthetic

    settings.CIVICA_WAREHOUSE_DIR = str(tmp_path / "warehouse")
    synthetic.load()
    ingest(tmp_path, COUNTS)
    return evaluate(SYSTEM, locked_design(comparison=("Sector B2", "Sector B4", "Sector C1")))


def test_the_estimate_is_the_rirr_of_the_sums(evaluation):
    assert evaluation.comparison.before == 100 + 80 + 50
    assert evaluation.comparison.after == 100 + 40 + 90
    assert evaluation.effect.rirr == pytest.approx((30 / 60) / (230 / 230))


def test_the_interval_is_the_one_of_the_sectors_counts(evaluation):
    by_hand = rirr_by_sector(np.array([[60, 30]]), np.array([[100, 100], [80, 40], [50, 90]]))
    assert evaluation.effect.lower == pytest.approx(by_hand.lower)
    assert evaluation.effect.upper == pytest.approx(by_hand.upper)
    poisson = rirr(30, 60, 230, 230)
    assert evaluation.effect.upper - evaluation.effect.lower > poisson.upper - poisson.lower
    assert evaluation.effect.dispersion > 1 and math.isfinite(evaluation.effect.df)
    assert "poisson_interval" not in [n.code for n in evaluation.notices]
