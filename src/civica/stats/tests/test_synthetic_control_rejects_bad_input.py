"""Bad panels are refused with a message naming what is wrong and what to change."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from civica.errors import DataQuestionError
from civica.stats.synthetic_control import (
    SyntheticControlError,
    placebo_in_space,
    synthetic_control,
)

MONTHS = pd.period_range("2022-01", periods=16, freq="M")
START = MONTHS[12]


def _table() -> pd.DataFrame:
    rng = np.random.default_rng(2)
    rows = {name: rng.poisson(level, 16).astype(float) for name, level in
            [("city", 30), ("a", 10), ("b", 40), ("c", 25)]}  # fmt: skip
    return pd.DataFrame(rows, index=MONTHS).T


def test_the_error_is_a_data_question_error():
    assert issubclass(SyntheticControlError, DataQuestionError)
    assert issubclass(SyntheticControlError, ValueError)


def test_missing_months_are_named_by_unit_and_month():
    table = _table()
    table.loc["b", MONTHS[3]] = np.nan
    table.loc["b", MONTHS[14]] = np.nan
    expected = r"b: 2022-04, 2023-03.*Do not fill them with zeros"
    with pytest.raises(SyntheticControlError, match=expected) as error:
        synthetic_control(table, "city", START)
    assert error.value.units == ("b",)
    assert error.value.months == (MONTHS[3], MONTHS[14])


def test_a_missing_month_outside_the_donor_pool_does_not_matter():
    table = _table()
    table.loc["c", MONTHS[3]] = np.nan
    fit = synthetic_control(table, "city", START, donors=["a", "b"])
    assert fit.donors == ("a", "b")


def test_too_few_months_before_the_start():
    expected = r"Only 8 month\(s\) before the start.*at least 12"
    with pytest.raises(SyntheticControlError, match=expected):
        synthetic_control(_table(), "city", MONTHS[8])


def test_a_start_that_is_not_a_month_of_the_table():
    with pytest.raises(SyntheticControlError, match="not a column"):
        synthetic_control(_table(), "city", pd.Period("2030-01", "M"))


def test_too_few_donors():
    with pytest.raises(SyntheticControlError, match=r"Only 1 donor unit\(s\).*at least 2"):
        synthetic_control(_table(), "city", START, donors=["a"])


def test_placebos_need_three_donors():
    with pytest.raises(SyntheticControlError, match="at least 3 donors"):
        placebo_in_space(_table(), "city", START, donors=["a", "b"])


def test_a_treated_series_that_never_varies():
    table = _table()
    table.loc["city", MONTHS[:12]] = 0.0
    with pytest.raises(SyntheticControlError, match=r"same value \(0\) in every month before"):
        synthetic_control(table, "city", START)


def test_negative_values_are_named():
    table = _table()
    table.loc["a", MONTHS[5]] = -3
    with pytest.raises(SyntheticControlError, match=r"Negative values in a \(months 2022-06\)"):
        synthetic_control(table, "city", START)


def test_infinite_values_are_refused():
    table = _table()
    table.loc["c", MONTHS[1]] = np.inf
    with pytest.raises(SyntheticControlError, match="Infinite values in c"):
        synthetic_control(table, "city", START)


def test_the_treated_unit_among_the_donors():
    with pytest.raises(SyntheticControlError, match="also in the donor pool"):
        synthetic_control(_table(), "city", START, donors=["a", "city", "b"])


def test_unknown_treated_and_donor_labels():
    with pytest.raises(SyntheticControlError, match="'town' is not a row"):
        synthetic_control(_table(), "town", START)
    with pytest.raises(SyntheticControlError, match=r"Donors not among the rows.*x"):
        synthetic_control(_table(), "city", START, donors=["a", "x"])


def test_duplicated_units_and_months():
    table = _table()
    with pytest.raises(SyntheticControlError, match="Units appear more than once: a"):
        synthetic_control(pd.concat([table, table.loc[["a"]]]), "city", START)
    twice = table.copy()
    twice.columns = [*MONTHS[:15], MONTHS[0]]
    with pytest.raises(SyntheticControlError, match="Months appear more than once"):
        synthetic_control(twice, "city", START)


def test_months_out_of_order():
    table = _table()
    with pytest.raises(SyntheticControlError, match="chronological order"):
        synthetic_control(table[list(reversed(MONTHS))], "city", START)


def test_months_written_as_text_out_of_order():
    table = _table()
    table.columns = [str(month) for month in MONTHS]
    assert synthetic_control(table, "city", "2023-01").n_pre == 12
    with pytest.raises(SyntheticControlError, match="chronological order"):
        synthetic_control(table[sorted(table.columns, reverse=True)], "city", "2023-01")


def test_text_instead_of_numbers():
    table = _table().astype(object)
    table.loc["a", MONTHS[2]] = "n/d"
    with pytest.raises(SyntheticControlError, match="must be numbers"):
        synthetic_control(table, "city", START)


def test_month_weights_of_the_wrong_length():
    with pytest.raises(SyntheticControlError, match="12 positive numbers"):
        synthetic_control(_table(), "city", START, month_weights=[1.0] * 11)
