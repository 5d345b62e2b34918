"""The examples in the docstrings run, and every public name is documented."""

from __future__ import annotations

import doctest
import importlib
import inspect

import pytest

import civica.stats

MODULES = [
    "civica.stats.periods",
    "civica.stats.rates",
    "civica.stats.intervals",
    "civica.stats.semaforo",
    "civica.stats.priority",
    "civica.stats.evaluation",
    "civica.stats.dispersion",
    "civica.stats.panel",
    "civica.stats.staggered",
    "civica.stats.lottery",
    "civica.stats.randomized",
    "civica.stats.reincidence",
]

PUBLISHED_METHODS = [
    "poisson_interval",
    "rate_interval",
    "rate_ratio",
    "rank_by_lower_bound",
    "annualised_monthly_rate",
    "period_rate",
    "rate_per_100k",
    "semaforo",
    "priority_crimes",
    "Period",
    "rirr_by_sector",
    "sector_dispersion",
    "panel_regression",
    "staggered_att",
]


@pytest.mark.parametrize("name", MODULES)
def test_the_docstring_examples_of_each_module_run(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0


@pytest.mark.parametrize("name", civica.stats.__all__)
def test_every_public_name_is_documented(name):
    value = getattr(civica.stats, name)
    if inspect.isfunction(value) or inspect.isclass(value):
        assert inspect.getdoc(value), f"{name} has no docstring"


@pytest.mark.parametrize("name", PUBLISHED_METHODS)
def test_every_published_method_cites_its_references(name):
    assert "References\n----------" in inspect.getdoc(getattr(civica.stats, name))


def test_the_package_exports_exactly_its_all():
    exported = {name for name in dir(civica.stats) if not name.startswith("_")}
    # ``semaforo`` and ``concentration`` are both modules and the functions exported under
    # those names; the other modules are submodules imported by ``__init__``.
    modules = {
        "periods",
        "rates",
        "intervals",
        "priority",
        "tests",
        "grid",
        "hotspots",
        "emerging",
        "kde",
        "multiple_testing",
        "near_repeat",
        "evaluation",
        "dispersion",
        "displacement",
        "panel",
        "staggered",
        "simulation",
        "synthetic_control",  # imported on demand (not by ``__init__``), e.g. by its tests
        "lottery",  # imported on demand, like synthetic_control
        "randomized",
        "reincidence",  # imported on demand by the civic-justice app
        "staffing",  # imported on demand by the police app
        "pooling",  # imported on demand by the summary and the problems app
        "scanning",
        "temporal",
    }
    assert exported - modules == set(civica.stats.__all__)
