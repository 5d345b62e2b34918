"""Priority crimes: the order worked out by hand, and the reasons given for it."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from civica.stats import DEFAULT_SEVERITY, PriorityMethod, priority_crimes

Z = 1.959963984540054  # 97.5% normal quantile

METHOD = PriorityMethod(
    window_months=12,
    baseline_months=36,
    weight_volume=0.35,
    weight_severity=0.35,
    weight_own_trend=0.15,
    weight_state_trend=0.15,
)


def _frame(spec, start_year=2020, n=48):
    """Tidy counts: ``spec`` maps crime → (monthly count in the first 36 months, after)."""
    rows = []
    for crime, (before, after) in spec.items():
        for i in range(n):
            rows.append((crime, start_year + i // 12, i % 12 + 1, before if i < 36 else after))
    return pd.DataFrame(rows, columns=["crime", "year", "month", "count"])


AREA = _frame({"Homicidio doloso": (1, 1), "Robo a negocio": (10, 20), "Fraude": (10, 10)})
STATE = _frame({"Homicidio doloso": (10, 10), "Robo a negocio": (100, 100), "Fraude": (200, 200)})


def _rank(area=AREA, state=STATE, **kwargs):
    kwargs.setdefault("method", METHOD)
    return priority_crimes(
        area, state, area_population=100_000, state_population=1_000_000, **kwargs
    )


def _conservative_log2(ratio, a, b):
    """log2 of the CI end nearest 1 (0 when the CI holds 1), by hand."""
    se = math.sqrt(1 / a + 1 / b)
    lower, upper = ratio * math.exp(-Z * se), ratio * math.exp(Z * se)
    if lower > 1:
        return math.log2(lower)
    if upper < 1:
        return math.log2(upper)
    return 0.0


def test_a_small_made_up_area_ranks_in_the_order_worked_out_by_hand():
    # Window 2023 (12 months), baseline 2020–2022 (36 months); 100,000 people, state 1 M.
    # Robo a negocio: 240 in the window (the most: volume 1), severity 0.5; its own rate
    #   doubled (240/yr vs 360/3 yr) and is twice the state's (240 vs 1,200/10 per 100k).
    # Homicidio doloso: 12 (volume 12/240 = 0.05), severity 1, no change, same as state.
    # Fraude: 120 (volume 0.5), severity 0.2 (default), no change, half the state's rate.
    robo = (
        0.35 * 1.0
        + 0.35 * 0.5
        + 0.15 * _conservative_log2(2.0, 240, 360)  # log2(1.6986) = 0.764
        + 0.15 * _conservative_log2(2.0, 240, 1_200)  # log2(1.7412) = 0.800
    )
    homicidio = 0.35 * 0.05 + 0.35 * 1.0  # trends not distinguishable from 1: 0
    fraude = 0.35 * 0.5 + 0.35 * 0.2 + 0.15 * _conservative_log2(0.5, 120, 2_400)  # -0.7355
    assert robo == pytest.approx(0.7597, abs=1e-4)
    assert homicidio == pytest.approx(0.3675)
    assert fraude == pytest.approx(0.1347, abs=1e-4)

    ranking = _rank()
    assert [c.crime for c in ranking] == ["Robo a negocio", "Homicidio doloso", "Fraude"]
    assert [c.rank for c in ranking] == [1, 2, 3]
    assert [c.score for c in ranking] == pytest.approx([robo, homicidio, fraude], rel=1e-9)
    assert ranking.window.label == "2023-01/2023-12"
    assert ranking.baseline.label == "2020-01/2022-12"
    assert ranking.area_total == 372


def test_each_crime_explains_its_rank_with_figures():
    robo, homicidio, fraude = _rank(area_noun="municipality")
    assert robo.reasons[0] == (
        "240 crimes in the last 12 months (240.0 per 100,000 a year), "
        "65% of the municipality's total"
    )
    assert robo.reasons[1] == "medium severity (weight 0.5)"
    assert robo.reasons[2] == "rate 2.0× its own 3-year baseline (95% CI 1.7–2.4)"
    assert robo.reasons[3] == "rate 2.0× the state's (95% CI 1.7–2.3)"
    assert homicidio.reasons[1] == "high severity (weight 1.0)"
    assert homicidio.reasons[2] == (
        "rate 1.0× its own 3-year baseline (95% CI 0.5–1.9), no clear difference"
    )
    assert fraude.reasons[3] == "rate 0.5× the state's (95% CI 0.4–0.6)"


def test_the_figures_behind_a_crime_are_kept():
    robo = _rank()[0]
    assert robo.count == 240
    assert robo.share == pytest.approx(240 / 372)
    assert robo.rate == pytest.approx(240.0)
    assert robo.baseline_count == 360
    assert robo.baseline_rate == pytest.approx(120.0)
    assert robo.state_rate == pytest.approx(120.0)
    assert robo.own_ratio.ratio == pytest.approx(2.0)
    assert robo.components.volume == 1.0
    frame = _rank().to_frame()
    assert frame.index.tolist() == [1, 2, 3]
    assert frame.loc[1, "crime"] == "Robo a negocio"


def test_missing_months_in_the_window_are_named_and_the_rate_uses_the_months_reported():
    area = AREA.copy()
    gone = (area["crime"] == "Fraude") & (area["year"] == 2023) & (area["month"] >= 11)
    area.loc[gone, "count"] = None
    fraude = next(c for c in _rank(area=area) if c.crime == "Fraude")
    assert fraude.count == 100
    assert fraude.window_missing == ((2023, 11), (2023, 12))
    assert fraude.rate == pytest.approx(120.0)  # 100 in 10/12 of a year
    assert fraude.reasons[-1] == (
        "incomplete: 2023-11, 2023-12 not reported, so the figures cover 10 of the last 12 months"
    )


def test_a_crime_new_to_the_area_gets_a_corrected_ratio_and_says_so():
    area = pd.concat([AREA, _frame({"Secuestro": (0, 2)})])
    state = pd.concat([STATE, _frame({"Secuestro": (1, 1)})])
    secuestro = next(c for c in _rank(area=area, state=state) if c.crime == "Secuestro")
    assert secuestro.own_ratio.corrected
    assert secuestro.baseline_count == 0
    assert "with 0.5 added to both counts because one was zero" in secuestro.reasons[2]
    assert secuestro.components.own_trend > 0


def test_a_crime_the_state_does_not_report_is_not_compared_with_it():
    area = pd.concat([AREA, _frame({"Narcomenudeo": (5, 5)})])
    crime = next(c for c in _rank(area=area) if c.crime == "Narcomenudeo")
    assert crime.components.state_trend == 0.0
    assert math.isnan(crime.state_ratio.ratio)
    assert "no state figures" in crime.reasons[3]


def test_a_crime_with_no_month_reported_in_the_window_is_listed_as_unscored():
    area = pd.concat([AREA, _frame({"Despojo": (3, None)})])
    ranking = _rank(area=area)
    assert ranking.unscored == ("Despojo",)
    assert "Despojo" not in [c.crime for c in ranking]


def test_rows_of_the_same_crime_and_month_are_added_and_labels_matched_loosely():
    modalities = _frame({"Robo a negocio": (5, 10)})
    area = pd.concat(
        [
            AREA[AREA["crime"] != "Robo a negocio"],
            modalities,
            modalities.assign(crime="robo a  NEGOCIO "),
        ]
    )
    robo = _rank(area=area)[0]
    assert robo.crime == "Robo a negocio"
    assert robo.count == 240


def test_the_window_can_end_at_a_chosen_month():
    ranking = _rank(end=(2022, 12))
    assert ranking.window.label == "2022-01/2022-12"
    robo = next(c for c in ranking if c.crime == "Robo a negocio")
    assert robo.count == 120
    assert robo.baseline_missing[:1] == ((2019, 1),)
    assert "baseline incomplete: 12 of its 36 months not reported" in robo.reasons[-1]


def test_default_severities_match_sesnsp_labels_ignoring_accents_and_spaces():
    method = PriorityMethod()
    assert method.severity_of("Homicidio doloso") == 1.0
    assert method.severity_of("Violación equiparada ") == 1.0
    assert method.severity_of("Robo de vehículo automotor") == 0.5
    assert method.severity_of("Otros robos") == 0.5
    assert method.severity_of("EXTORSION") == 0.5
    assert method.severity_of("Homicidio culposo") == 0.2
    assert method.severity_of("Robótica") == 0.2  # a prefix must end at a word
    assert DEFAULT_SEVERITY["feminicidio"] == 1.0


def test_the_longest_matching_severity_key_wins():
    method = PriorityMethod(severity={"Robo": 0.5, "Robo de vehículo": 0.9})
    assert method.severity_of("Robo de vehiculo automotor") == 0.9
    assert method.severity_of("Robo a negocio") == 0.5


@pytest.mark.parametrize(
    "kwargs",
    [
        {"weight_volume": -0.1},
        {"window_months": 0},
        {"severity": {"secuestro": 2.0}},
        {"level": 1.0},
    ],
)
def test_it_rejects_a_nonsensical_method(kwargs):
    with pytest.raises(ValueError):
        PriorityMethod(**kwargs)


def test_it_rejects_a_frame_without_the_tidy_columns():
    with pytest.raises(ValueError, match="count"):
        _rank(area=AREA.drop(columns="count"))


def test_the_method_is_frozen():
    with pytest.raises(AttributeError):
        METHOD.window_months = 6
