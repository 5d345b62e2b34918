"""The demo's problems in seven cities: the fact sheet's "change in priority crime rates in
selected sectors of N cities" is computed from their locked designs, and covers the effects
planted in the synthetic layers (Mexico City's real layer is not loaded here)."""

from __future__ import annotations

import json

import pytest

from civica.indicators import Context, registry
from civica.monitoring.periods import parse_period
from civica.problems import demo
from civica.problems.catalog import Stage
from civica.problems.models import Problem
from civica.territory.models import Municipality, State

pytestmark = pytest.mark.django_db


def _square(lon, lat, size=0.4):
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return json.dumps({"type": "Polygon", "coordinates": [ring]})


@pytest.fixture
def cities(settings, tmp_path):
    settings.CIVICA_WAREHOUSE_DIR = str(tmp_path / "warehouse")
    states = {}
    for k, code in enumerate(demo.EFFECTS):
        state = states.get(code[:2]) or State.objects.create(
            code=code[:2], name=f"Estado {code[:2]}", abbreviation=code[:2]
        )
        states[code[:2]] = state
        Municipality.objects.create(
            cvegeo=code, state=state, name=f"Ciudad {code}", geometry=_square(-110 + k, 25.0)
        )
    return demo.load()


def test_each_city_interval_covers_its_planted_effect(cities):
    result = registry.compute("priority_crime_change", Context(period=parse_period("FY2016")), {})
    by_city = {i.city_code: i for i in result.intervals if i.city_code}
    assert set(by_city) == set(demo.EFFECTS)
    for code, effect in demo.EFFECTS.items():
        interval = by_city[code]
        assert interval.lower <= effect <= interval.upper, (code, interval)
        assert interval.adjusted_p is not None  # Holm over the six
    assert result.parts["cities"] == 6
    # The layers hold exactly the planted effects: the range is theirs, up to rounding.
    assert result.parts["low"] == pytest.approx(min(demo.EFFECTS.values()), abs=1)
    assert result.parts["high"] == pytest.approx(max(demo.EFFECTS.values()), abs=1)
    assert result.parts["range"] == "6–69"
    pooled = [i for i in result.intervals if not i.city_code]
    assert len(pooled) == 1 and pooled[0].lower < pooled[0].change < pooled[0].upper


def test_every_city_has_its_problem_at_the_assessment_stage(cities):
    problems = Problem.objects.all()
    assert problems.count() == 6
    assert {p.stage for p in problems} == {Stage.ASSESSMENT}
    assert all(p.responses.count() == 1 for p in problems)
    assert any("skipped" in line or "omite" in line for line in cities)  # no CDMX layer here


def test_loading_again_adds_nothing(cities):
    demo.load()
    assert Problem.objects.count() == 6
