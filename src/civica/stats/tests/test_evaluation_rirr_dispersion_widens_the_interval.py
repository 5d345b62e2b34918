"""A dispersion multiplies the RIRR's Poisson variance; its degrees of freedom give a t interval."""

from __future__ import annotations

import math

import pytest
from scipy import stats

from civica.stats.evaluation import rirr


def test_a_dispersion_of_four_doubles_the_standard_error_and_keeps_the_ratio():
    plain = rirr(80, 100, 190, 200)
    wide = rirr(80, 100, 190, 200, dispersion=4.0)
    assert wide.rirr == plain.rirr
    assert wide.se_log == pytest.approx(2 * plain.se_log)
    assert wide.upper == pytest.approx(plain.rirr * math.exp(1.959963984540054 * wide.se_log))
    assert (wide.dispersion, wide.df) == (4.0, math.inf)


def test_degrees_of_freedom_give_a_student_t_interval():
    result = rirr(80, 100, 190, 200, dispersion=2.0, df=9)
    crit = stats.t.ppf(0.975, 9)
    assert result.lower == pytest.approx(result.rirr * math.exp(-crit * result.se_log))
    assert result.df == 9


@pytest.mark.parametrize(
    ("dispersion", "df"), [(0.0, math.inf), (-1.0, 5), (2.0, 0), (math.nan, 5)]
)
def test_a_dispersion_or_df_that_is_not_positive_is_refused(dispersion, df):
    with pytest.raises(ValueError, match="must be positive"):
        rirr(80, 100, 190, 200, dispersion=dispersion, df=df)


def test_a_t_with_almost_no_degrees_of_freedom_has_no_upper_bound_not_an_overflow():

    result = rirr(3, 2, 40, 50, dispersion=4.0, df=0.02)
    assert result.upper == math.inf
    assert result.percent_upper == math.inf
    assert 0 <= result.lower < result.rirr
