"""The sectors' RIRR interval: Pearson scale as statsmodels, extra-binomial factor by hand, t."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats

from civica.stats.dispersion import rirr_by_sector, sector_dispersion
from civica.stats.evaluation import rirr
from civica.stats.panel import PanelDataError

TARGET = [[30, 20], [25, 24]]
COMPARISON = [[40, 20], [22, 40], [35, 31]]


def test_the_pearson_dispersion_equals_statsmodels_scale_of_the_log_linear_model():
    rows = []
    for j, (before, after) in enumerate(TARGET + COMPARISON):
        target = int(j < len(TARGET))
        rows += [(f"s{j}", 0, before, 0), (f"s{j}", 1, after, target)]
    frame = pd.DataFrame(rows, columns=["sector", "after", "count", "effect"])
    design = pd.get_dummies(frame["sector"], drop_first=True).astype(float)
    design.insert(0, "const", 1.0)
    design["after"], design["effect"] = frame["after"], frame["effect"]
    fit = sm.GLM(frame["count"], design, family=sm.families.Poisson()).fit(scale="X2")
    spread = sector_dispersion(TARGET, COMPARISON)
    assert spread.pearson == pytest.approx(fit.scale, rel=1e-8)
    assert spread.df == fit.df_resid == 3
    assert math.log(rirr_by_sector(TARGET, COMPARISON).rirr) == pytest.approx(
        fit.params["effect"], abs=1e-8
    )


def test_the_extra_binomial_correlation_by_hand():
    spread = sector_dispersion(TARGET, COMPARISON)
    # Target: share 44/99, squared residuals 2 x (20/9)**2, binomial variances 50pq and 49pq.
    p_t = 44 / 99
    q_t = p_t * (1 - p_t)
    excess_t = 2 * (20 / 9) ** 2 - 99 * q_t
    scale_t = (50 * 49 + 49 * 48) * q_t
    p_c = 91 / 188
    q_c = p_c * (1 - p_c)
    totals, after = np.array([60, 62, 66]), np.array([20, 40, 31])
    excess_c = np.sum((after - totals * p_c) ** 2) - 188 * q_c
    scale_c = np.sum(totals * (totals - 1)) * q_c
    rho = (excess_t + excess_c) / (scale_t + scale_c)
    assert spread.intra_class == pytest.approx(rho)
    assert spread.target_factor == pytest.approx(1 + rho * ((50**2 + 49**2) / 99 - 1))


def test_the_interval_widens_each_group_by_its_factor_with_student_t():
    result = rirr_by_sector(TARGET, COMPARISON)
    spread = sector_dispersion(TARGET, COMPARISON)
    plain = rirr(44, 55, 91, 97)
    assert result.rirr == pytest.approx(plain.rirr)
    variance = spread.target_factor * (1 / 44 + 1 / 55) + spread.comparison_factor * (
        1 / 91 + 1 / 97
    )
    assert result.se_log == pytest.approx(math.sqrt(variance))
    # Welch–Satterthwaite: two target sectors (1 df) and three comparison sectors (2 df)
    v_t = spread.target_factor * (1 / 44 + 1 / 55)
    v_c = spread.comparison_factor * (1 / 91 + 1 / 97)
    df = (v_t + v_c) ** 2 / (v_t**2 / 1 + v_c**2 / 2)
    assert 1 < df < 3
    assert result.df == pytest.approx(df)
    crit = stats.t.ppf(0.975, df)
    assert result.upper == pytest.approx(result.rirr * math.exp(crit * result.se_log))


def test_less_variation_than_poisson_is_not_taken_as_more_precision():
    spread = sector_dispersion([[30, 20], [25, 24]], [[40, 38], [22, 30], [35, 31]])
    assert spread.pearson < 1
    assert spread.intra_class == 0.0
    assert spread.target_factor == spread.comparison_factor == 1.0
    result = rirr_by_sector([[30, 20], [25, 24]], [[40, 38], [22, 30], [35, 31]])
    assert result.se_log == pytest.approx(rirr(44, 55, 99, 97).se_log)


def test_two_sectors_leave_no_degrees_of_freedom():
    with pytest.raises(PanelDataError, match="at least three are needed"):
        rirr_by_sector([[30, 20]], [[40, 38]])


def test_a_missing_window_is_not_zero():
    with pytest.raises(PanelDataError, match="missing count"):
        rirr_by_sector([[30, np.nan], [25, 24]], COMPARISON)


def test_a_zero_sum_still_makes_the_ratio_undefined():
    with pytest.raises(ValueError, match="undefined because target_after is zero"):
        rirr_by_sector([[30, 0], [25, 0]], COMPARISON)
