"""The example in the synthetic control docstring runs and every public name is documented."""

from __future__ import annotations

import doctest
import inspect

from civica.stats import synthetic_control as module


def test_the_docstring_example_runs():
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0


def test_every_public_name_has_a_docstring_and_the_functions_cite_their_sources():
    for name in module.__all__:
        item = getattr(module, name)
        if inspect.isfunction(item) or inspect.isclass(item):
            assert inspect.getdoc(item), name
    for function in (module.synthetic_control, module.placebo_in_space, module.placebo_in_time):
        assert "Abadie" in function.__doc__
