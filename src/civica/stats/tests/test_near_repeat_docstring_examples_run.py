"""The near-repeat module's examples run, its public names are documented, and it cites."""

from __future__ import annotations

import doctest
import inspect

import civica.stats
from civica.stats import near_repeat


def test_the_docstring_examples_run():
    result = doctest.testmod(near_repeat, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0


def test_every_public_name_is_documented_and_exported_by_the_package():
    assert near_repeat.__doc__
    for name in near_repeat.__all__:
        assert inspect.getdoc(getattr(near_repeat, name)), f"{name} has no docstring"
        assert name in civica.stats.__all__
        assert getattr(civica.stats, name) is getattr(near_repeat, name)


def test_the_knox_test_cites_knox_the_near_repeat_papers_and_the_p_value_rule():
    doc = inspect.getdoc(near_repeat.knox)
    assert "References\n----------" in doc
    for source in ("Knox, E. G. (1964)", "Johnson, S. D.", "Ratcliffe, J. H. and Rengert",
                   "Near Repeat Calculator", "North, B. V."):  # fmt: skip
        assert source in doc
