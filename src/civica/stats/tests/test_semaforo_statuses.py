"""Semáforo Delictivo colours, including the edge cases of the rule."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from civica.stats import SemaforoStatus, semaforo


def _months(n, start_year=2020):
    return [(start_year + i // 12, i % 12 + 1) for i in range(n)]


def _last_month(history_value, count, n_history=36):
    """Status row of a month that follows ``n_history`` months of ``history_value``."""
    months = _months(n_history + 1)
    values = [history_value] * n_history + [count]
    return semaforo(dict(zip(months, values, strict=True))).iloc[-1]


@pytest.mark.parametrize(
    ("count", "status", "pct"),
    [
        (149, "green", -25.5),  # more than 25% below
        (150, "yellow", -25.0),  # exactly 25% below: not *more than* 25%
        (180, "yellow", -10.0),
        (199, "yellow", -0.5),  # 0–1% below: yellow
        (200, "yellow", 0.0),  # equal to the mean: not above it, so yellow
        (201, "red", 0.5),  # any amount above
        (0, "green", -100.0),
    ],
)
def test_the_colour_follows_the_percent_below_the_36_month_mean(count, status, pct):
    row = _last_month(200, count)
    assert row["baseline_mean"] == 200
    assert row["pct_difference"] == pytest.approx(pct)
    assert row["status"] == status


def test_a_baseline_mean_of_zero_is_yellow_for_zero_and_red_for_any_crime():
    zero = _last_month(0, 0)
    assert zero["status"] == SemaforoStatus.YELLOW
    assert math.isnan(zero["pct_difference"])
    assert zero["difference"] == 0
    one = _last_month(0, 1)
    assert one["status"] == SemaforoStatus.RED
    assert math.isnan(one["pct_difference"])
    assert one["difference"] == 1


def test_fewer_than_36_previous_months_is_insufficient_history_not_a_colour():
    frame = semaforo(dict(zip(_months(36), [10] * 35 + [0], strict=True)))
    assert set(frame["status"]) == {"insufficient_history"}
    assert frame["baseline_mean"].isna().all()
    assert frame["baseline_months"].iloc[-1] == 35


def test_a_missing_month_inside_the_window_makes_the_history_insufficient():
    counts = dict(zip(_months(37), [10] * 37, strict=True))
    counts[(2021, 6)] = None
    row = semaforo(counts).iloc[-1]
    assert row["status"] == "insufficient_history"
    assert row["baseline_months"] == 35


def test_a_month_absent_from_the_index_counts_as_missing_not_zero():
    counts = dict(zip(_months(38), [10] * 38, strict=True))
    del counts[(2020, 5)]
    frame = semaforo(counts)
    assert frame.loc["2020-05", "status"] == "missing"
    assert frame.loc["2023-01", "status"] == "insufficient_history"
    assert frame.loc["2023-02", "status"] == "insufficient_history"
    assert len(frame) == 38


def test_an_unreported_month_is_missing_whatever_its_history():
    row = _last_month(10, None)
    assert row["status"] == "missing"
    assert math.isnan(row["count"])


def test_the_baseline_rolls_with_each_month():
    counts = dict(zip(_months(38), [*range(1, 37), 18, 100], strict=True))
    frame = semaforo(counts)
    assert frame.loc["2023-01", "baseline_mean"] == pytest.approx(18.5)  # mean of 1..36
    assert frame.loc["2023-01", "status"] == "yellow"
    assert frame.loc["2023-02", "baseline_mean"] == pytest.approx((sum(range(2, 37)) + 18) / 36)
    assert frame.loc["2023-02", "status"] == "red"


def test_it_takes_a_series_indexed_by_monthly_periods_and_returns_one_row_per_month():
    index = pd.period_range("2019-01", periods=48, freq="M")
    series = pd.Series(np.r_[np.full(36, 12.0), np.arange(12.0)], index=index)
    frame = semaforo(series)
    assert isinstance(frame.index, pd.PeriodIndex)
    assert frame.index.name == "month"
    assert list(frame.columns) == [
        "count",
        "baseline_months",
        "baseline_mean",
        "difference",
        "pct_difference",
        "status",
        "baseline_first",
        "baseline_last",
        "p_value",
    ]
    assert (frame["status"].iloc[:36] == "insufficient_history").all()
    assert frame.loc["2022-01", "status"] == "green"  # 0 against a mean of 12
    assert frame.loc["2022-02", "baseline_mean"] == pytest.approx(35 * 12 / 36)
    # 2022-12: 11 against the mean of 25 twelves and 0..10 (= 355 / 36 = 9.86): above.
    assert frame.loc["2022-12", "baseline_mean"] == pytest.approx((25 * 12 + 55) / 36)
    assert frame.loc["2022-12", "status"] == "red"


def test_a_shorter_baseline_and_another_threshold_can_be_asked_for():
    counts = dict(zip(_months(13), [10] * 12 + [8], strict=True))
    row = semaforo(counts, baseline_months=12, green_below=0.10).iloc[-1]
    assert row["status"] == "green"


def test_an_empty_series_gives_an_empty_frame():
    assert semaforo({}).empty


@pytest.mark.parametrize(("kwargs"), [{"baseline_months": 0}, {"green_below": 1.5}])
def test_it_rejects_a_nonsensical_rule(kwargs):
    with pytest.raises(ValueError):
        semaforo({(2023, 1): 1}, **kwargs)
