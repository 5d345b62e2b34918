"""What the import report says to a person."""

from __future__ import annotations

from django.utils import translation

from civica.territory.services import ImportReport


def test_it_summarises_counts_in_one_line():
    report = ImportReport(subject="states", created=32)

    with translation.override("en"):
        assert report.lines() == ["32 states: 32 created, 0 updated, 0 unchanged"]
    assert report.total == 32


def test_it_lists_municipalities_with_population_but_no_boundary():
    report = ImportReport(
        subject="population",
        unchanged=10,
        without_boundary=("02007 San Felipe", "04013 Dzitbalché"),
    )

    with translation.override("en"):
        lines = report.lines()

    assert lines[1] == (
        "2 municipalities have population but no boundary: 02007 San Felipe, 04013 Dzitbalché"
    )


def test_it_shortens_long_lists():
    report = ImportReport(
        subject="municipalities",
        created=30,
        without_boundary=tuple(f"{n:05d} X" for n in range(30)),
    )

    with translation.override("en"):
        assert report.lines()[1].endswith("00019 X and 10 more")


def test_it_says_which_sectors_are_missing_from_the_file_and_what_happened_to_them():
    kept = ImportReport(
        subject="sectors", layer="sectores", unchanged=2, missing_from_file=("Centro",)
    )
    removed = ImportReport(
        subject="sectors", layer="sectores", unchanged=2, removed=1, missing_from_file=("Centro",)
    )

    with translation.override("en"):
        assert kept.lines()[0] == (
            "2 sectors in layer “sectores”: 0 created, 0 updated, 2 unchanged"
        )
        assert "kept" in kept.lines()[1]
        assert "--remove-missing" in kept.lines()[1]
        assert "removed" in removed.lines()[1]


def test_it_lists_repaired_polygons():
    report = ImportReport(
        subject="sectors",
        layer="c",
        created=1,
        repaired=("829 (O-3.5.10): Self-intersection[-99.14 19.25]",),
    )

    with translation.override("en"):
        assert report.lines()[1] == (
            "1 invalid polygon was repaired: 829 (O-3.5.10): Self-intersection[-99.14 19.25]"
        )
