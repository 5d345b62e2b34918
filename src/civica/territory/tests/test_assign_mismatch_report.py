"""Comparing assigned areas with the areas the source recorded."""

from __future__ import annotations

import numpy as np
import pytest

from civica.territory.assign import mismatch_report


def test_it_counts_matches_mismatches_unassigned_and_unrecorded():
    assigned = ["N-1.1.18", "N-1.1.18", "O-3.1.3", None, "P-1.2.7", "P-1.2.7", "P-1.2.7"]
    recorded = [" n-1.1.18 ", "N-1.1.17", "O-3.1.2", "O-3.1.3", "(NO ESPECIFICADO)", None,
                "N-1.1.17"]  # fmt: skip

    report = mismatch_report(assigned, recorded)

    assert (report.matching, report.mismatched, report.unassigned, report.unrecorded) == (
        1,
        3,
        1,
        2,
    )
    assert report.total == 7 and report.compared == 5
    assert report.share_matching == pytest.approx(1 / 5)
    assert report.pairs == (
        ("N-1.1.17", "N-1.1.18", 1),
        ("N-1.1.17", "P-1.2.7", 1),
        ("O-3.1.2", "O-3.1.3", 1),
    )
    assert report.examples == (1, 2, 6)


def test_the_most_frequent_pairs_come_first_and_examples_are_limited():
    assigned = np.array(["B"] * 5 + ["C"] * 3 + ["A"] * 2, dtype=object)
    recorded = np.array(["A"] * 10, dtype=object)

    report = mismatch_report(assigned, recorded, examples=2)

    assert report.pairs == (("A", "B", 5), ("A", "C", 3))
    assert report.examples == (0, 1)
    assert report.matching == 2


def test_extra_words_for_no_record_can_be_given():
    report = mismatch_report(["A", "A"], ["sin cuadrante", "A"], unrecorded=["SIN CUADRANTE"])

    assert (report.matching, report.unrecorded) == (1, 1)


def test_lengths_must_agree():
    with pytest.raises(ValueError, match="same length"):
        mismatch_report(["A"], ["A", "B"])
