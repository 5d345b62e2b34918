import datetime as dt

import pytest

from civica.monitoring.periods import dhis2_period, parse_period
from civica.monitoring.status import Status, format_number, status_of, suppress


@pytest.mark.parametrize(
    ("label", "start", "end", "dhis2"),
    [
        ("FY2023", dt.date(2022, 10, 1), dt.date(2023, 9, 30), "2022Oct"),
        ("FY2023Q1", dt.date(2022, 10, 1), dt.date(2022, 12, 31), "2022Q4"),
        ("FY2023Q4", dt.date(2023, 7, 1), dt.date(2023, 9, 30), "2023Q3"),
        ("2023Q1", dt.date(2023, 1, 1), dt.date(2023, 3, 31), "2023Q1"),
        ("2023-Q2", dt.date(2023, 4, 1), dt.date(2023, 6, 30), "2023Q2"),
        ("2023", dt.date(2023, 1, 1), dt.date(2023, 12, 31), "2023"),
        ("2023-05", dt.date(2023, 5, 1), dt.date(2023, 5, 31), "202305"),
    ],
)
def test_it_reads_program_periods_and_names_them_for_dhis2(label, start, end, dhis2):
    period = parse_period(label)
    assert (period.start, period.end) == (start, end)
    assert dhis2_period(period) == dhis2


def test_a_custom_range_has_no_dhis2_period_and_a_typo_is_refused():
    with pytest.raises(ValueError, match="no tiene tipo de periodo en DHIS2"):
        dhis2_period(parse_period("2022-11/2023-04"))
    with pytest.raises(ValueError, match="FY2023Q1"):
        parse_period("FY23")


def test_elapsed_fraction_counts_days_of_the_period():
    fy = parse_period("FY2023")
    assert fy.elapsed_fraction(dt.date(2022, 9, 30)) == 0
    assert fy.elapsed_fraction(dt.date(2022, 10, 1)) == pytest.approx(1 / 365)
    assert fy.elapsed_fraction(dt.date(2024, 1, 1)) == 1


@pytest.mark.parametrize(
    ("actual", "target", "direction", "elapsed", "expected"),
    [
        (100, 100, "increase", 1, Status.MET),
        (99, 100, "increase", 1, Status.BEHIND),
        (50, 100, "increase", 0.5, Status.ON_TRACK),
        (49, 100, "increase", 0.5, Status.BEHIND),
        (80, 100, "decrease", 1, Status.MET),
        (80, 100, "decrease", 0.5, Status.ON_TRACK),
        (101, 100, "decrease", 0.5, Status.BEHIND),
        (5, None, "increase", 1, Status.NO_TARGET),
        (None, 100, "increase", 1, Status.NOT_AVAILABLE),
    ],
)
def test_status_follows_the_documented_rule(actual, target, direction, elapsed, expected):
    assert status_of(actual=actual, target=target, direction=direction, elapsed=elapsed) == expected


def test_small_counts_are_suppressed_with_a_second_cell_so_they_cannot_be_subtracted():
    assert suppress([3, 40, 12], 5) == [True, False, True]
    assert suppress([3, 4, 40], 5) == [True, True, False]
    assert suppress([0, 40], 5) == [False, False]
    assert suppress([5, 40], 5) == [False, False]


def test_numbers_are_written_for_the_locale():
    assert format_number(29651, "es") == "29,651"
    assert format_number(29651.25, "es", decimals=2) == "29,651.25"
    assert format_number(29651, "en") == "29,651"
    assert format_number(12.345, "en") == "12.3"
    assert format_number(None, "es") == "—"
