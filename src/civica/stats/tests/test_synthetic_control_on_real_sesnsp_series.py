"""On the real SESNSP homicide series of Guanajuato's 46 municipalities (shared data folder).

The file is the official municipal format (one row per municipality × year × modality,
twelve month columns, December 2025 not published yet); homicidio doloso is summed over
modalities into a municipalities × months table.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from civica.stats.synthetic_control import placebo_in_space, synthetic_control

MESES = [
    "Enero", "Febrero", "Marzo", "Abril", "Mayo", "Junio", "Julio", "Agosto", "Septiembre",
    "Octubre", "Noviembre", "Diciembre",
]  # fmt: skip
LEON, CELAYA, SALAMANCA = "11020", "11007", "11027"
START = pd.Period("2024-12", "M")


@pytest.fixture(scope="module")
def homicides(shared_data) -> pd.DataFrame:
    path = shared_data / "sesnsp_municipal" / "guanajuato_homicidios_2020-2025_formato_IDM.csv"
    rows = pd.read_csv(path, dtype={"Cve. Municipio": str})
    rows = rows[rows["Subtipo de delito"] == "Homicidio doloso"]
    yearly = rows.groupby(["Cve. Municipio", "Año"])[MESES].sum(min_count=1)
    long = yearly.stack(future_stack=True).rename("count").reset_index()
    long["month"] = [
        pd.Period(year=year, month=MESES.index(name) + 1, freq="M")
        for year, name in zip(long["Año"], long["level_2"], strict=True)
    ]
    return long.pivot(index="Cve. Municipio", columns="month", values="count")


def test_the_table_holds_the_published_totals(homicides):
    # SOURCE.md: 3,359 in 2020 and 1,916 in January–November 2025.
    assert homicides.shape == (46, 72)
    assert homicides.loc[:, "2020-01":"2020-12"].to_numpy().sum() == 3359
    assert homicides.loc[:, "2025-01":"2025-11"].to_numpy().sum() == 1916


def test_the_unpublished_december_is_named_not_filled(homicides):
    with pytest.raises(ValueError, match=r"No unit has a value for 2025-12 \(not published yet"):
        synthetic_control(homicides, SALAMANCA, START)


def test_the_largest_municipality_cannot_be_synthesised_and_is_flagged(homicides):
    window = homicides.loc[:, "2020-12":"2025-11"]
    fit = synthetic_control(window, LEON, START)
    # León is above every other municipality in 45 of the 48 months: the best "average" is
    # the next largest alone, far below it.
    assert dict(fit.weights) == {CELAYA: 1.0}
    assert fit.poor_pre_fit
    assert len(fit.months_outside_donor_range) == 45
    assert {"poor_pre_fit", "outside_donor_range"} <= {note.code for note in fit.notes}


def test_a_mid_sized_municipality_gets_an_optimal_fit_and_a_placebo_p_value(homicides):
    window = homicides.loc[:, "2020-12":"2025-11"]
    result = placebo_in_space(window, SALAMANCA, START)
    fit = result.fit
    assert not fit.poor_pre_fit and fit.months_outside_donor_range == ()
    assert fit.kkt_violation < 1e-9 and len(fit.weights) <= 49
    assert fit.observed_post_total == window.loc[SALAMANCA, START:].sum()
    assert result.placebo_gaps.shape == (result.n_included, 60)
    assert result.n_included + len(result.skipped_constant) == 45
    assert result.p_value == pytest.approx(result.rank / (result.n_included + 1))
    assert np.isfinite(result.placebo_ratios).all()
