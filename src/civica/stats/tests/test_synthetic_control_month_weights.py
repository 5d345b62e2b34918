"""A diagonal V over the pre-period months changes which months the weights match."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from civica.stats.synthetic_control import synthetic_control


def test_weight_on_the_last_months_matches_the_donor_that_fits_them():
    months = 14
    # "early" tracks the city in the first 7 months, "late" in the last 7.
    city = np.array([10.0] * 7 + [20.0] * 7 + [20.0, 20.0])
    early = np.array([10.0] * 7 + [30.0] * 7 + [30.0, 30.0])
    late = np.array([0.0] * 7 + [20.0] * 7 + [20.0, 20.0])
    table = pd.DataFrame([city, early, late], index=["city", "early", "late"])
    recent = synthetic_control(table, "city", months, month_weights=[1] * 7 + [1000] * 7)
    first = synthetic_control(table, "city", months, month_weights=[1000] * 7 + [1] * 7)
    assert dict(recent.weights)["late"] > 0.99
    assert dict(first.weights)["early"] > 0.99
    equal = synthetic_control(table, "city", months)
    assert dict(equal.weights) == pytest.approx({"early": 0.5, "late": 0.5})
    np.testing.assert_allclose(recent.month_weights.sum(), 1.0)
    assert equal.month_weights is None
