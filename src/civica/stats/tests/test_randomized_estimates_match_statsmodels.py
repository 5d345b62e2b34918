"""Balance, intention to treat and treatment on the treated against hand-computed cases and
statsmodels."""

from __future__ import annotations

import doctest

import numpy as np
import pytest
import statsmodels.api as sm
from statsmodels.sandbox.regression.gmm import IV2SLS

from civica.stats import randomized
from civica.stats.randomized import (
    balance_table,
    consort_flow,
    intention_to_treat,
    treatment_on_treated,
)


def test_docstring_examples_run():
    assert doctest.testmod(randomized).failed == 0


def test_standardized_difference_by_hand():
    # treated 1,0,1,1 (mean .75, var .25); control 0,0,1,0 (mean .25, var .25): d = .5/.5 = 1
    rows = balance_table({"f": [1, 0, 1, 1, 0, 0, 1, 0]}, [1, 1, 1, 1, 0, 0, 0, 0])
    assert rows[0].std_difference == pytest.approx(1.0)
    assert rows[0].imbalanced


def test_itt_with_one_stratum_is_the_difference_in_means():
    rng = np.random.default_rng(4)
    z = np.repeat([1, 0], 30)
    y = rng.normal(size=60) + 0.4 * z
    effect = intention_to_treat(y, z, ["s"] * 60, [0.5] * 60)
    assert effect.estimate == pytest.approx(y[z == 1].mean() - y[z == 0].mean())
    # Equal weights: the same as statsmodels' OLS with HC2.
    fit = sm.OLS(y, sm.add_constant(z.astype(float))).fit(cov_type="HC2")
    assert effect.se == pytest.approx(fit.bse[1])
    # HC2 with two groups is the Welch (Neyman) standard error.
    neyman = np.sqrt(y[z == 1].var(ddof=1) / 30 + y[z == 0].var(ddof=1) / 30)
    assert effect.se == pytest.approx(neyman)


def test_itt_weights_strata_by_their_chance():
    # Stratum a: chance 1/2, effect 1; stratum b: chance 1/4, effect 3. Weighted by stratum
    # size (IPW), the estimate lies between, and the unweighted pooled contrast is biased.
    y = [1, 1, 0, 0, 3, 0, 0, 0]
    z = [1, 1, 0, 0, 1, 0, 0, 0]
    strata = ["a"] * 4 + ["b"] * 4
    p = [0.5] * 4 + [0.25] * 4
    effect = intention_to_treat(y, z, strata, p)
    fit = sm.WLS(
        np.array(y, float),
        np.column_stack([np.ones(8), z, [0] * 4 + [1] * 4]),
        weights=[2, 2, 2, 2, 4, 4 / 3, 4 / 3, 4 / 3],
    ).fit(cov_type="HC2")
    assert effect.estimate == pytest.approx(fit.params[1])
    assert 1 < effect.estimate < 3


def test_tot_is_the_wald_ratio_and_matches_statsmodels_iv():
    rng = np.random.default_rng(8)
    n = 200
    z = rng.integers(0, 2, n)
    d = (z * (rng.random(n) < 0.7)) | (rng.random(n) < 0.05)
    y = 1.5 * d + rng.normal(size=n)
    effect = treatment_on_treated(y, d, z, ["s"] * n, [z.mean()] * n)
    wald = (y[z == 1].mean() - y[z == 0].mean()) / (d[z == 1].mean() - d[z == 0].mean())
    assert effect.estimate == pytest.approx(wald)
    iv = IV2SLS(y, sm.add_constant(d.astype(float)), sm.add_constant(z.astype(float))).fit()
    assert effect.estimate == pytest.approx(iv.params[1])
    assert effect.first_stage == pytest.approx(d[z == 1].mean() - d[z == 0].mean())
    assert not effect.weak
    assert effect.lower < effect.estimate < effect.upper


def test_missing_outcomes_are_left_out_and_counted():
    y = [1, np.nan, 0, 1, 0, np.nan]
    effect = intention_to_treat(y, [1, 1, 1, 0, 0, 0], ["s"] * 6, [0.5] * 6)
    assert effect.n == 4 and effect.n_treated == 2 and effect.n_control == 2


def test_no_change_in_take_up_is_refused():
    with pytest.raises(ValueError):
        treatment_on_treated([1, 0, 1, 0], [0, 0, 0, 0], [1, 1, 0, 0], ["s"] * 4, [0.5] * 4)


def test_consort_counts():
    flow = consort_flow(
        assessed=10,
        eligible=[1, 1, 1, 1, 0],
        randomized=[1, 1, 1, 1, 0],
        assigned=[1, 1, 0, 0, 0],
        took_up=[1, 0, 1, 0, 0],
        followed=[1, 1, 1, 0, 0],
        analysed=[1, 1, 1, 0, 0],
    )
    assert (flow.assessed, flow.eligible, flow.randomized) == (10, 4, 4)
    assert (flow.received_program, flow.received_control) == (1, 1)
    assert (flow.followed_control, flow.analysed_control) == (1, 1)
