"""Periods: which months they hold, their labels, and reading labels back."""

from __future__ import annotations

from datetime import date

import pytest

from civica.stats import Period, PeriodKind, days_in_month, months_in, period_of


def test_fiscal_year_2023_runs_from_october_2022_to_september_2023():
    fy = Period.fiscal_year(2023)
    assert fy.start == date(2022, 10, 1)
    assert fy.end == date(2023, 9, 30)
    assert months_in(fy) == [
        (2022, 10),
        (2022, 11),
        (2022, 12),
        (2023, 1),
        (2023, 2),
        (2023, 3),
        (2023, 4),
        (2023, 5),
        (2023, 6),
        (2023, 7),
        (2023, 8),
        (2023, 9),
    ]
    assert fy.label == "FY2023"
    assert fy.n_days == 365


@pytest.mark.parametrize(
    ("year", "month", "label"),
    [(2022, 9, "FY2022"), (2022, 10, "FY2023"), (2023, 1, "FY2023"), (2023, 9, "FY2023")],
)
def test_the_fiscal_year_of_a_month_changes_in_october(year, month, label):
    assert period_of(year, month, "fiscal_year").label == label


@pytest.mark.parametrize(
    ("kind", "label", "first", "last", "n_months"),
    [
        ("month", "2023-05", (2023, 5), (2023, 5), 1),
        ("quarter", "2023-Q2", (2023, 4), (2023, 6), 3),
        ("year", "2023", (2023, 1), (2023, 12), 12),
        ("fiscal_year", "FY2023", (2022, 10), (2023, 9), 12),
    ],
)
def test_the_period_of_may_2023_has_a_stable_label_for_each_kind(
    kind, label, first, last, n_months
):
    period = period_of(2023, 5, kind)
    assert period.kind == PeriodKind(kind)
    assert period.label == str(period) == label
    assert (period.first_month, period.last_month, period.n_months) == (first, last, n_months)
    assert Period.parse(label) == period


def test_quarters_split_the_year_in_threes():
    assert [period_of(2023, m, "quarter").label for m in (1, 3, 4, 6, 7, 9, 10, 12)] == [
        "2023-Q1",
        "2023-Q1",
        "2023-Q2",
        "2023-Q2",
        "2023-Q3",
        "2023-Q3",
        "2023-Q4",
        "2023-Q4",
    ]


def test_a_custom_range_is_written_as_an_iso_interval_and_read_back():
    period = Period.custom((2022, 11), (2023, 4))
    assert period.label == "2022-11/2023-04"
    assert period.n_months == 6
    assert Period.parse("2022-11/2023-04") == period
    assert period.kind is PeriodKind.CUSTOM


def test_a_custom_range_over_a_calendar_year_is_not_the_year():
    custom = Period.custom((2023, 1), (2023, 12))
    assert custom != Period.calendar_year(2023)
    assert custom.months == Period.calendar_year(2023).months


def test_a_custom_period_is_not_determined_by_one_month():
    with pytest.raises(ValueError, match="custom"):
        period_of(2023, 5, "custom")


@pytest.mark.parametrize(
    "label", ["2023-5", "2023-13", "FY23", "2023-Q5", "2023/2024", "fy2023", " 2023", ""]
)
def test_it_rejects_text_that_is_not_a_period_label(label):
    with pytest.raises(ValueError):
        Period.parse(label)


def test_it_rejects_a_range_that_ends_before_it_starts():
    with pytest.raises(ValueError, match="before"):
        Period.custom((2023, 5), (2023, 4))


def test_it_rejects_fields_that_do_not_match_the_kind():
    with pytest.raises(ValueError, match="quarter"):
        Period(date(2023, 2, 1), date(2023, 4, 30), PeriodKind.QUARTER)
    with pytest.raises(ValueError, match="first day"):
        Period(date(2023, 2, 2), date(2023, 2, 28), PeriodKind.MONTH)


def test_periods_are_frozen_hashable_and_sort_by_start():
    periods = [Period.parse(x) for x in ("2023", "FY2023", "2022-12", "2023-Q2")]
    assert [p.label for p in sorted(periods)] == ["FY2023", "2022-12", "2023", "2023-Q2"]
    assert len({Period.parse("2023"), Period.calendar_year(2023)}) == 1
    with pytest.raises(AttributeError):
        periods[0].kind = PeriodKind.MONTH


def test_a_period_contains_its_months_only():
    fy = Period.fiscal_year(2023)
    assert (2022, 10) in fy
    assert (2023, 9) in fy
    assert (2023, 10) not in fy
    assert (2022, 9) not in fy


@pytest.mark.parametrize(
    ("year", "month", "days"),
    [(2023, 1, 31), (2023, 2, 28), (2024, 2, 29), (1900, 2, 28), (2000, 2, 29), (2023, 4, 30)],
)
def test_days_in_month_follows_the_gregorian_leap_years(year, month, days):
    assert days_in_month(year, month) == days


def test_days_in_month_rejects_month_13():
    with pytest.raises(ValueError):
        days_in_month(2023, 13)
