"""Rankings by the lower bound, the traffic light and priority crimes on real data."""

import math

import pytest

from civica.accounts.access import SYSTEM
from civica.official import selectors
from civica.stats import Period
from civica.warehouse.sesnsp import AreaFilter, CrimeFilter

HOMICIDIO = CrimeFilter("subtipo", "Homicidio doloso")


def test_states_rank_by_the_lower_bound_with_the_raw_rate_beside_it(stats_env):
    rows, snapshot = selectors.ranking(
        SYSTEM, crime=HOMICIDIO, period=Period.calendar_year(2023), by="state"
    )
    assert snapshot.cut == "2024-11" and len(rows) == 32
    top = rows[0]
    assert top.rank_by_lower == 1
    assert top.lower < top.rate < top.upper
    # Equal populations except Guanajuato: the order by lower bound follows the rates.
    rates = [row.rate for row in rows]
    assert rates[0] == max(rates)
    assert sum(row.count for row in rows) == 25_290


def test_municipalities_of_a_state_are_ranked(stats_env):
    rows, _ = selectors.ranking(
        SYSTEM, crime=HOMICIDIO, period=Period.calendar_year(2023), state_code="11"
    )
    leon = next(row for row in rows if row.code == "11020")
    assert leon.name == "León" and leon.population == 1_800_000
    assert leon.rate == pytest.approx(leon.count / 1_800_000 * 100_000)
    assert all(math.isnan(row.rank_by_lower) for row in rows if math.isnan(row.population))


def test_the_traffic_light_is_computed_for_recent_months(stats_env):
    frame = selectors.traffic_light(SYSTEM, area=AreaFilter("11"), crime=HOMICIDIO, months=6)
    assert len(frame) == 6
    assert set(frame["status"]) <= {"green", "yellow", "red", "insufficient_history"}
    last = frame.iloc[-1]
    beyond_noise = last["p_value"] <= 0.05
    expected = (
        "green"
        if last["pct_difference"] < -25 and beyond_noise
        else ("red" if last["pct_difference"] > 0 and beyond_noise else "yellow")
    )
    assert last["status"] == expected


def test_the_traffic_light_compares_the_same_month_and_states_its_baseline(stats_env):
    frame = selectors.traffic_light(SYSTEM, area=AreaFilter("11"), crime=HOMICIDIO, months=1)
    last = frame.iloc[-1]
    month = frame.index[-1]
    series = selectors.series(
        SYSTEM, area=AreaFilter("11"), crime=HOMICIDIO, granularity="month", first_year=2015
    )
    counts = {row.period: row.count for row in series.rows}
    same_months = [counts[f"{month.year - k}-{month.month:02d}"] for k in (1, 2, 3)]
    assert last["baseline_mean"] == pytest.approx(sum(same_months) / 3)
    assert (last["baseline_first"], last["baseline_last"]) == (
        f"{month.year - 3}-{month.month:02d}",
        f"{month.year - 1}-{month.month:02d}",
    )
    sentence = selectors.traffic_light_baseline(last)
    assert f"{month.year - 3}–{month.year - 1}" in sentence


def test_priority_crimes_of_leon_explain_themselves(stats_env):
    from civica.official.explain import reasons

    ranking, snapshot = selectors.priority(SYSTEM, municipality_code="11020")
    assert snapshot.cut == "2025-11"
    names = [c.crime for c in ranking.crimes]
    assert names[0] == "Homicidio doloso"  # most frequent and most severe here
    sentences = reasons(ranking.crimes[0])
    assert any("12" in s for s in sentences)


def test_vintages_list_every_dataset_and_cut(stats_env):
    rows = selectors.vintages(SYSTEM)
    datasets = {row["dataset"] for row in rows}
    assert datasets == {
        "sesnsp-crimes-state-2015",
        "sesnsp-victims-state-2015",
        "sesnsp-crimes-municipal-2015",
        "sesnsp-crimes-state-rnid2026",
    }
    assert all(row["current"] for row in rows)
