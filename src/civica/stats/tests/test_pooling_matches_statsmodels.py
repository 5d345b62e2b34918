"""The random-effects pooled estimate equals statsmodels' DerSimonian–Laird with the
Hartung–Knapp interval, and is never narrower than the random-effects model's own."""

import math
import warnings

import numpy as np
import pytest
from statsmodels.stats.meta_analysis import combine_effects

from civica.stats.pooling import pool_random_effects


def _statsmodels(y, se):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return combine_effects(y, se**2, method_re="dl", use_t=True).summary_frame()


def test_two_heterogeneous_cities_match_the_hartung_knapp_interval():
    y, se = np.log([0.5, 0.9]), np.array([math.sqrt(0.07), 0.269774])
    pooled = pool_random_effects(np.exp(y), se)
    row = _statsmodels(y, se).loc["random effect wls"]
    assert math.log(pooled.estimate) == pytest.approx(row["eff"], rel=1e-9)
    assert math.log(pooled.lower) == pytest.approx(row["ci_low"], rel=1e-6)
    assert math.log(pooled.upper) == pytest.approx(row["ci_upp"], rel=1e-6)
    assert pooled.tau2 > 0 and pooled.df == 1


def test_agreeing_cities_keep_the_model_variance_as_a_floor():
    y = np.log([0.5, 0.75, 0.9, 0.6, 0.7, 0.8, 0.65])
    se = np.array([0.26, 0.2, 0.3, 0.25, 0.22, 0.28, 0.3])
    pooled = pool_random_effects(np.exp(y), se)
    frame = _statsmodels(y, se)
    assert pooled.tau2 == 0
    # With no heterogeneity the model's variance is 1/Σw (the fixed-effect row); Hartung–Knapp
    # alone would be narrower than that here.
    model_sd = 1 / math.sqrt(np.sum(1 / se**2))
    assert frame.loc["fixed effect", "sd_eff"] == pytest.approx(model_sd)
    assert frame.loc["random effect wls", "sd_eff"] < model_sd
    half = (math.log(pooled.upper) - math.log(pooled.lower)) / 2
    from scipy import stats

    assert half == pytest.approx(stats.t.ppf(0.975, 6) * model_sd)
    assert pooled.percent_change == pytest.approx((pooled.estimate - 1) * 100)


def test_one_result_or_a_zero_ratio_cannot_be_pooled():
    with pytest.raises(ValueError):
        pool_random_effects([0.5], [0.2])
    with pytest.raises(ValueError):
        pool_random_effects([0.0, 0.5], [0.2, 0.2])
