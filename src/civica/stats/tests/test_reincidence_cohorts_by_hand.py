"""Reincidence cohort table against shares counted by hand (DOMAIN.md §4)."""

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.proportion import proportion_confint

from civica.stats.reincidence import ADOLESCENT, add_months, reincidence

END = "2025-12-31"


def _book():
    rows = [
        # person, resolution date, group, adolescent, observed until
        ("a", "2024-01-10", "multa", False, END),
        ("b", "2024-01-15", "multa", False, END),
        ("c", "2024-02-01", "arresto", False, END),
        ("d", "2025-10-01", "arresto", False, END),
        ("e", "2024-05-05", "mmcc", True, END),
        ("f", "2024-03-01", "multa", False, END),
        ("f", "2024-04-01", "arresto", False, END),
        ("g", "2024-06-10", "multa", False, END),
    ]
    resolutions = pd.DataFrame(
        rows, columns=["person", "date", "group", "adolescent", "observed_until"]
    )
    presentations = pd.DataFrame(
        [
            ("a", "2024-01-09"),  # the presentation that led to the resolution
            ("a", "2024-03-01"),  # 51 days later: within 6 months
            ("c", "2024-09-01"),  # 7 months later: within 12, not 6
            ("d", "2025-11-15"),  # back, but the window is not over
            ("e", "2024-06-01"),  # an adolescent: new contact
            ("f", "2024-04-01"),  # index is the first resolution: 31 days
            ("g", "2024-06-10"),  # same day as the resolution: not an event
        ],
        columns=["person", "date"],
    )
    return resolutions, presentations


def test_shares_have_the_denominators_counted_by_hand():
    result = reincidence(*_book())
    assert result.persons == 7
    assert result.adolescents == 1

    multa6 = result.row("multa", window_months=6)
    assert (multa6.events, multa6.observed, multa6.share) == (2, 4, 0.5)
    assert result.row("multa", window_months=12).events == 2

    arresto6 = result.row("arresto", window_months=6)
    # c did not come back within 6 months; d is still under observation and already returned.
    assert (arresto6.persons, arresto6.observed, arresto6.events) == (2, 1, 0)
    assert (arresto6.under_observation, arresto6.returned_so_far) == (1, 1)
    arresto12 = result.row("arresto", window_months=12)
    assert (arresto12.events, arresto12.observed) == (1, 1)

    every6 = result.row(window_months=6)
    every12 = result.row(window_months=12)
    assert (every6.events, every6.observed, every6.under_observation) == (2, 5, 1)
    assert (every12.events, every12.observed) == (3, 5)


def test_adolescents_are_a_new_contact_never_reincidence():
    result = reincidence(*_book())
    adolescents = result.row("mmcc", window_months=6, population=ADOLESCENT)
    assert adolescents.measure == "new_contact"
    assert (adolescents.events, adolescents.observed) == (1, 1)
    assert all(row.group != "mmcc" for row in result.table if row.measure == "reincidence")
    assert {n.code for n in result.notes} >= {
        "reincidence_groups_not_an_effect",
        "reincidence_adolescents_new_contact",
        "reincidence_under_observation",
    }


def test_the_interval_is_wilson_s():
    result = reincidence(*_book())
    row = result.row("multa", window_months=6)
    lower, upper = proportion_confint(2, 4, alpha=0.05, method="wilson")
    assert row.lower == pytest.approx(lower)
    assert row.upper == pytest.approx(upper)


def test_nobody_observed_gives_no_share_instead_of_zero():
    resolutions, presentations = _book()
    result = reincidence(resolutions[resolutions.person == "d"], presentations)
    row = result.row(window_months=6)
    assert (row.observed, row.share, row.lower) == (0, None, None)


def test_months_are_calendar_months_clipped_to_the_month_s_length():
    days = np.array(["2024-01-31", "2024-08-31", "2023-03-15"], dtype="datetime64[D]")
    assert add_months(days, 1).tolist() == list(
        np.array(["2024-02-29", "2024-09-30", "2023-04-15"], dtype="datetime64[D]")
    )
    assert str(add_months(days[1:2], 6)[0]) == "2025-02-28"


def test_bad_input_is_refused_with_the_reason():
    resolutions, presentations = _book()
    with pytest.raises(ValueError, match="observed_until"):
        reincidence(resolutions.drop(columns="observed_until"), presentations)
    late = resolutions.assign(observed_until="2024-01-01")
    with pytest.raises(ValueError, match="after the end of their observation"):
        reincidence(late, presentations)
    with pytest.raises(ValueError, match="confidence"):
        reincidence(resolutions, presentations, confidence=1.5)
