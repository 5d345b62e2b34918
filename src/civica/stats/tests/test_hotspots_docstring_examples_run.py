"""The docstring examples of the spatial modules run, and each published method cites."""

from __future__ import annotations

import doctest
import importlib
import inspect

import pytest

MODULES = [
    "civica.stats.grid",
    "civica.stats.hotspots",
    "civica.stats.emerging",
    "civica.stats.kde",
    "civica.stats.concentration",
    "civica.stats.multiple_testing",
]

PUBLISHED_METHODS = [
    ("civica.stats.hotspots", "gi_star_grid"),
    ("civica.stats.hotspots", "gi_star"),
    ("civica.stats.emerging", "hot_spot_trends"),
    ("civica.stats.emerging", "emerging_hot_spots"),
    ("civica.stats.emerging", "mann_kendall"),
    ("civica.stats.kde", "kde_surface"),
    ("civica.stats.concentration", "concentration"),
    ("civica.stats.multiple_testing", "benjamini_hochberg"),
]


@pytest.mark.parametrize("name", MODULES)
def test_the_docstring_examples_of_each_module_run(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0


@pytest.mark.parametrize("name", MODULES)
def test_every_public_name_of_each_module_is_documented(name):
    module = importlib.import_module(name)
    assert module.__doc__
    for public in module.__all__:
        value = getattr(module, public)
        if inspect.isfunction(value) or inspect.isclass(value):
            assert inspect.getdoc(value), f"{name}.{public} has no docstring"


@pytest.mark.parametrize(("module", "name"), PUBLISHED_METHODS)
def test_every_published_method_cites_its_references(module, name):
    function = getattr(importlib.import_module(module), name)
    assert "References\n----------" in inspect.getdoc(function)
