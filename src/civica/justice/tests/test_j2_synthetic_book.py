"""The synthetic case book: deterministic, at the volumes asked, every case inside the legal
rules, labelled synthetic, written once."""

from __future__ import annotations

import datetime as dt

import pytest

from civica.justice import rules
from civica.justice.models import Case, FollowUp, Mediation, PresentedPerson
from civica.justice.synthetic import load
from civica.justice.synthetic_book import MunicipalityBook, generate_book

END = dt.datetime(2026, 11, 30, 4, 0)
SMALL = (MunicipalityBook("02004", 300, juzgados=2), MunicipalityBook("09015", 120))


def test_the_same_seed_draws_the_same_book():
    one = generate_book(list(SMALL), end=END, seed=5)
    two = generate_book(list(SMALL), end=END, seed=5)
    assert one.cases.equals(two.cases)
    assert not one.cases.equals(generate_book(list(SMALL), end=END, seed=6).cases)


def test_volumes_shares_and_minors_follow_the_domain():
    book = generate_book([MunicipalityBook("02004", 7000, juzgados=2)], end=END, seed=1)
    per_year = book.presentations_per_year()["02004"]
    assert 6300 < per_year < 7700
    cases = book.cases
    assert 0.04 < cases["minor"].mean() < 0.08
    assert not ((cases["sanction"] == "arresto") & cases["minor"]).any()
    assert 0.15 < cases["repeat"].mean() < 0.35  # persons who come back
    shares = cases.loc[cases["responsible"] == True, "sanction"].value_counts(normalize=True)  # noqa: E712
    assert shares.index[0] == "multa" and shares["arresto"] > shares["mmcc"]
    assert cases["resolved_at"].isna().sum() > 0  # the last night's persons wait on the board


@pytest.mark.django_db
def test_the_book_is_written_once_inside_the_rules(territory):
    lines = load(end=END, seed=2, books=SMALL)
    assert "sintético" in lines[0].lower() or "synthetic" in lines[0].lower()
    cases = Case.objects.select_related("person", "juzgado").prefetch_related(
        "offences__sanction_class"
    )
    assert 1000 < cases.count() < 1600
    assert cases.filter(synthetic=False).count() == 0
    assert PresentedPerson.objects.filter(synthetic=True).exclude(link_index="").count() == (
        PresentedPerson.objects.count()
    )
    assert Mediation.objects.exists() and FollowUp.objects.exists()
    now = END.replace(tzinfo=dt.timezone(dt.timedelta(hours=-6))) + dt.timedelta(hours=1)
    broken = {}
    for case in cases:
        errors = rules.check_case(case, list(case.offences.all()), now=now)
        if errors:
            broken[case.folio] = {k: [e.code for e in v] for k, v in errors.items()}
    assert not broken, list(broken.items())[:5]
    again = load(end=END, seed=2, books=SMALL)
    assert Case.objects.count() == cases.count() and len(again) == 1


@pytest.mark.django_db
def test_times_are_written_as_the_instants_drawn(territory):
    load(end=END, seed=3, books=SMALL[1:])
    book = generate_book(list(SMALL[1:]), end=END, seed=3)
    first = book.cases.iloc[0]
    case = Case.objects.order_by("presented_at", "id").first()
    drawn = (
        first["presented_at"].to_pydatetime().replace(tzinfo=dt.timezone(dt.timedelta(hours=-6)))
    )
    assert case.presented_at == drawn
    assert case.resolved_at > case.presented_at > case.detained_at


def test_every_juzgado_has_persons_waiting_whatever_the_hour_the_book_ends():
    # A demo made in the afternoon: nobody was presented in the last eight hours of a
    # small juzgado, yet its judge's board must show the night's persons.
    afternoon = dt.datetime(2026, 12, 6, 16, 0)
    book = generate_book([MunicipalityBook("09015", 3000, juzgados=1)], end=afternoon, seed=1)
    cases = book.cases
    eight_hours = cases["presented_at"] > afternoon - dt.timedelta(hours=8)
    waiting = cases["resolved_at"].isna()
    assert waiting.sum() >= 2 and (waiting & ~eight_hours).any()
    # Only the last ones: the rest of the book is resolved as before.
    assert waiting.sum() <= 3 + eight_hours.sum()
