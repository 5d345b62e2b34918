"""Weights and effect agree with pysyncon's ``Synth`` on the same problem.

pysyncon divides each predictor (here: each pre-period month) by its standard deviation
across units before weighting it by ``V``; ``custom_V = s_t²`` (divided by a constant, the
treated series' variance, so SLSQP's objective is near one) therefore undoes the scaling and
poses exactly this module's problem (``V = I`` on the raw months). Its SLSQP stops at an
absolute tolerance of 1e-6 on the objective with finite-difference gradients, which leaves
the weights accurate to about the square root of that: the documented tolerance is 1e-3 on
each weight (1e-8 to 1e-4 observed) and 1e-6 relative on the pre-period RMSPE.

pysyncon's default fit searches ``V`` by Nelder–Mead; no ``V`` can give a smaller
pre-period RMSPE than ``V = I`` when the predictors are the pre-period outcomes, so its
RMSPE is equal or larger and its weights close.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from civica.stats.synthetic_control import synthetic_control

pysyncon = pytest.importorskip("pysyncon")

WEIGHT_TOLERANCE = 1e-3
RMSPE_TOLERANCE = 1e-6


def _panel(donors: int, pre: int, post: int = 4, seed: int = 5) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    months = pre + post
    t = np.arange(months)
    level = rng.lognormal(2.0, 1.0, donors + 1)
    factors = np.cumsum(rng.normal(0, 0.05, (2, months)), axis=1)
    loads = rng.normal(0, 1, (donors + 1, 2))
    season = 0.2 * np.sin(2 * np.pi * t / 12)
    rate = np.exp(np.log(level)[:, None] + season + loads @ factors)
    counts = rng.poisson(rate).astype(float)
    labels = ["treated", *(f"d{i:02d}" for i in range(donors))]
    columns = pd.period_range("2022-01", periods=months, freq="M")
    return pd.DataFrame(counts, index=labels, columns=columns)


def _pysyncon_inputs(table: pd.DataFrame, pre: int):
    months = table.iloc[:, :pre].T.reset_index(drop=True)
    return months.drop(columns="treated"), months["treated"]


def _fit_pysyncon(table, pre, **options):
    x0, x1 = _pysyncon_inputs(table, pre)
    synth = pysyncon.Synth()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        synth.fit(X0=x0, X1=x1, Z0=x0, Z1=x1, **options)
    return synth, x0, x1


def test_the_same_v_gives_the_same_weights_and_effect():
    table = _panel(donors=12, pre=16)
    ours = synthetic_control(table, "treated", table.columns[16])
    x0, _ = _pysyncon_inputs(table, 16)
    scale = pd.concat([x0, table.iloc[0, :16].reset_index(drop=True)], axis=1).std(axis=1)
    variance = table.iloc[0, :16].var(ddof=0)  # a constant: brings SLSQP's objective near 1
    theirs, _, _ = _fit_pysyncon(table, 16, custom_V=scale.to_numpy() ** 2 / variance)
    weights = pd.Series(theirs.W, index=x0.columns)  # W follows the columns of X0
    mine = pd.Series(ours.donor_weights, index=ours.donors)
    assert np.abs(mine - weights.reindex(mine.index)).max() <= WEIGHT_TOLERANCE
    assert ours.pre_rmspe == pytest.approx(np.sqrt(theirs.loss_V), rel=RMSPE_TOLERANCE)
    assert ours.pre_rmspe <= np.sqrt(theirs.loss_V)
    their_synthetic = table.iloc[1:].T.to_numpy() @ weights.reindex(mine.index).to_numpy()
    their_effect = table.iloc[0, 16:].sum() - their_synthetic[16:].sum()
    post_total = table.iloc[:, 16:].to_numpy().sum()
    assert ours.effect == pytest.approx(their_effect, abs=WEIGHT_TOLERANCE * post_total)


def test_pysyncons_v_search_never_fits_the_past_better():
    table = _panel(donors=6, pre=12, seed=11)
    ours = synthetic_control(table, "treated", table.columns[12])
    theirs, _, _ = _fit_pysyncon(table, 12)
    assert ours.pre_rmspe <= np.sqrt(theirs.loss_V) * (1 + 1e-9)
    assert ours.pre_rmspe == pytest.approx(np.sqrt(theirs.loss_V), rel=1e-3)
    mine = pd.Series(ours.donor_weights, index=ours.donors)
    assert np.abs(mine.to_numpy() - theirs.W).max() <= 1e-3
