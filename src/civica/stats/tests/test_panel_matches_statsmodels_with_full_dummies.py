"""The fixed-effects regressions equal statsmodels fitted directly on one dummy per unit."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from civica.stats.panel import panel_regression
from civica.stats.tests._panels import simulated_panel


@pytest.fixture(scope="module")
def frame():
    return simulated_panel()


@pytest.fixture(scope="module")
def dummies(frame):
    design = pd.get_dummies(frame[["unit", "period"]].astype(str), drop_first=True).astype(float)
    design.insert(0, "const", 1.0)
    design["treated"] = frame["treated"].astype(float)
    return design


def _cluster(model, frame):
    groups = pd.factorize(frame["unit"])[0]
    return model.fit(cov_type="cluster", cov_kwds={"groups": groups, "use_correction": False})


def test_poisson_coefficient_and_both_standard_errors_equal_glm(frame, dummies):
    glm = sm.GLM(frame["count"], dummies, family=sm.families.Poisson())
    model_based = panel_regression(frame, family="poisson", cov="model")
    robust = panel_regression(frame, family="poisson", cov="cluster")
    assert model_based.beta == pytest.approx(glm.fit().params["treated"], abs=1e-8)
    assert model_based.se == pytest.approx(glm.fit().bse["treated"], rel=1e-6)
    units = frame["unit"].nunique()
    expected = _cluster(glm, frame).bse["treated"] * np.sqrt(units / (units - 1))
    assert robust.se == pytest.approx(expected, rel=1e-6)
    assert robust.irr == pytest.approx(np.exp(robust.beta))
    assert robust.percent_change == pytest.approx((robust.irr - 1) * 100)


def test_negative_binomial_coefficient_and_dispersion_equal_discrete_negative_binomial(
    frame, dummies
):
    result = panel_regression(frame, family="negbin")
    first = sm.NegativeBinomial(frame["count"], dummies).fit(disp=0, method="bfgs", maxiter=1000)
    nb = sm.NegativeBinomial(frame["count"], dummies).fit(
        start_params=first.params, disp=0, method="newton", maxiter=100
    )
    assert result.beta == pytest.approx(nb.params["treated"], abs=1e-6)
    assert result.dispersion == pytest.approx(nb.params["alpha"], rel=1e-5)
    assert result.log_likelihood == pytest.approx(nb.llf, rel=1e-9)


def test_negative_binomial_standard_errors_equal_glm_at_the_fitted_dispersion(frame, dummies):
    model_based = panel_regression(frame, family="negbin", cov="model")
    robust = panel_regression(frame, family="negbin", cov="cluster")
    family = sm.families.NegativeBinomial(alpha=model_based.dispersion)
    glm = sm.GLM(frame["count"], dummies, family=family)
    assert model_based.se == pytest.approx(glm.fit(tol=1e-12).bse["treated"], rel=1e-6)
    units = frame["unit"].nunique()
    expected = _cluster(glm, frame).bse["treated"] * np.sqrt(units / (units - 1))
    assert robust.se == pytest.approx(expected, rel=1e-6)


def test_an_exposure_enters_as_an_offset(frame, dummies):
    rng = np.random.default_rng(3)
    with_exposure = frame.assign(population=rng.integers(1_000, 5_000, len(frame)))
    glm = sm.GLM(
        frame["count"],
        dummies,
        family=sm.families.Poisson(),
        offset=np.log(with_exposure["population"].to_numpy(dtype=float)),
    )
    result = panel_regression(with_exposure, exposure="population", cov="model")
    assert result.beta == pytest.approx(glm.fit().params["treated"], abs=1e-8)


def test_the_jackknife_type_cr3_equals_the_full_dummy_design_with_a_pseudo_inverse(frame, dummies):
    fit = sm.GLM(frame["count"], dummies, family=sm.families.Poisson()).fit(tol=1e-12)
    mu = fit.mu
    design = np.sqrt(mu)[:, None] * dummies.to_numpy()
    residual = (frame["count"].to_numpy() - mu) / np.sqrt(mu)
    inverse = np.asarray(fit.normalized_cov_params)
    units = frame["unit"].to_numpy()
    meat = np.zeros_like(inverse)
    for unit in np.unique(units):
        rows = units == unit
        z = design[rows]
        leverage = z @ inverse @ z.T
        score = z.T @ np.linalg.pinv(np.eye(rows.sum()) - leverage) @ residual[rows]
        meat += np.outer(score, score)
    groups = len(np.unique(units))
    variance = inverse @ meat @ inverse * (groups - 1) / groups
    result = panel_regression(frame, family="poisson", cov="cr3")
    assert result.se == pytest.approx(np.sqrt(variance[-1, -1]), rel=1e-5)
    assert result.cov == "cr3"
