"""Placebo fits in worker processes give exactly the serial result."""

from __future__ import annotations

import numpy as np
import pandas as pd

from civica.stats.synthetic_control import placebo_in_space


def test_two_processes_give_the_same_placebos_and_p_value():
    rng = np.random.default_rng(12)
    counts = rng.poisson(rng.lognormal(2.5, 0.8, (30, 1)) * np.ones((1, 20))).astype(float)
    table = pd.DataFrame(counts, index=[f"u{i}" for i in range(30)])
    serial = placebo_in_space(table, "u0", 14)
    parallel = placebo_in_space(table, "u0", 14, processes=2)
    assert parallel.placebos == serial.placebos
    np.testing.assert_array_equal(parallel.placebo_gaps, serial.placebo_gaps)
    np.testing.assert_array_equal(parallel.placebo_ratios, serial.placebo_ratios)
    assert (parallel.rank, parallel.p_value) == (serial.rank, serial.p_value)
