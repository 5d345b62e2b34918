"""Kaplan–Meier curves of reincidence: by hand and against statsmodels' SurvfuncRight."""

import numpy as np
import pandas as pd
import pytest
from scipy.stats import norm
from statsmodels.duration.survfunc import SurvfuncRight

from civica.stats.reincidence import reincidence

START = pd.Timestamp("2024-01-01")


def _cohort(times, events, groups=None):
    """One resolution per person on START; an event at ``time`` days, otherwise the
    records end ``time`` days after it."""
    n = len(times)
    groups = groups if groups is not None else ["multa"] * n
    ends = [START + pd.Timedelta(days=int(t)) for t in times]
    resolutions = pd.DataFrame(
        {
            "person": range(n),
            "date": [START] * n,
            "group": groups,
            "adolescent": [False] * n,
            "observed_until": [
                end if not e else START + pd.Timedelta(days=2000)
                for end, e in zip(ends, events, strict=True)
            ],
        }
    )
    keep = np.asarray(events, dtype=bool)
    presentations = pd.DataFrame(
        {"person": np.arange(n)[keep], "date": np.asarray(ends, dtype=object)[keep]}
    )
    return resolutions, presentations


def test_product_limit_by_hand():
    # Events at days 10, 10, 20; censored at 15 and 30 (five persons).
    result = reincidence(*_cohort([10, 10, 15, 20, 30], [1, 1, 0, 1, 0]))
    curve = result.curve("multa")
    assert curve.days.tolist() == [0, 10, 20]
    assert curve.at_risk.tolist() == [5, 5, 2]
    assert curve.events_at.tolist() == [0, 2, 1]
    # S(10) = 1 − 2/5 = 0.6; S(20) = 0.6 × (1 − 1/2) = 0.3
    assert curve.survival == pytest.approx([1.0, 0.6, 0.3])
    assert curve.survival_at(15) == pytest.approx(0.6)
    assert curve.returned_by(25) == pytest.approx(0.7)
    # Log–log band from Greenwood's sum: Σ d / (n (n − d)).
    z = norm.ppf(0.975)
    for s, greenwood, lower, upper in zip(
        [0.6, 0.3],
        [2 / (5 * 3), 2 / (5 * 3) + 1 / (2 * 1)],
        curve.lower[1:],
        curve.upper[1:],
        strict=True,
    ):
        spread = z * np.sqrt(greenwood) / abs(np.log(s))
        assert lower == pytest.approx(np.exp(-np.exp(np.log(-np.log(s)) + spread)))
        assert upper == pytest.approx(np.exp(-np.exp(np.log(-np.log(s)) - spread)))
        assert lower < s < upper


def test_equals_statsmodels_on_every_person_one_row_each():
    rng = np.random.default_rng(7)
    n = 3000
    times = rng.integers(1, 700, n)
    events = rng.random(n) < 0.45
    groups = rng.choice(["multa", "arresto", "trabajo"], n)
    result = reincidence(*_cohort(times, events, list(groups)))
    for name in ["multa", "arresto", "trabajo"]:
        mask = groups == name
        reference = SurvfuncRight(times[mask], events[mask].astype(float))
        curve = result.curve(name)
        assert curve.days[1:].tolist() == reference.surv_times.tolist()
        assert curve.survival[1:] == pytest.approx(reference.surv_prob, rel=1e-12)
        assert curve.at_risk[1:].tolist() == reference.n_risk.tolist()
        assert curve.events_at[1:].tolist() == reference.n_events.tolist()
        # statsmodels' unweighted standard error is Greenwood's: the band is built on it.
        z = norm.ppf(0.975)
        s, se = reference.surv_prob, reference.surv_prob_se
        finite = (s > 0) & (s < 1) & np.isfinite(se)
        spread = z * se[finite] / (s[finite] * np.abs(np.log(s[finite])))
        theta = np.log(-np.log(s[finite]))
        assert curve.lower[1:][finite] == pytest.approx(np.exp(-np.exp(theta + spread)))
        assert curve.upper[1:][finite] == pytest.approx(np.exp(-np.exp(theta - spread)))


def test_without_censoring_the_curve_equals_the_cohort_share():
    rng = np.random.default_rng(3)
    n = 500
    times = rng.integers(1, 400, n)
    events = np.ones(n, dtype=bool)
    resolutions, presentations = _cohort(times, events)
    result = reincidence(resolutions, presentations)
    row = result.row("multa", window_months=6)
    window_days = (pd.Timestamp("2024-07-01") - START).days
    assert row.observed == n
    assert result.curve("multa").returned_by(window_days) == pytest.approx(row.share)


def test_numbers_at_risk_are_read_at_whole_months():
    result = reincidence(*_cohort([10, 40, 100, 200], [1, 0, 1, 0]), risk_months=[0, 1, 3, 6])
    # At risk at month m: persons followed at least m × 30.4375 days.
    assert result.curve("multa").risk_table == ((0, 4), (1, 3), (3, 2), (6, 1))
