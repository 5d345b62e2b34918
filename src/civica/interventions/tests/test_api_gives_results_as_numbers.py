"""GET /api/evaluations/ID/: the result of a locked design as JSON numbers, scoped."""

import math

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from civica.interventions.tests.evaluation_data import ingest, locked_design

pytestmark = pytest.mark.django_db


@pytest.fixture
def design(settings, tmp_path):
    from civica.demo import synthetic

    settings.CIVICA_WAREHOUSE_DIR = str(tmp_path / "warehouse")
    synthetic.load()
    ingest(tmp_path)
    return locked_design()


def _get(user, design):
    client = APIClient()
    client.force_authenticate(user)
    return client.get(reverse("api:evaluation-result", args=[design.pk]))


def test_estimate_bounds_p_df_and_se_are_numbers(personas, design):
    response = _get(personas.admin, design)
    assert response.status_code == 200
    data = response.json()
    for key in ("estimate", "lower", "upper", "percent_change", "p_value", "se"):
        assert isinstance(data[key], float), key
    assert data["estimate"] == pytest.approx(0.5)
    assert data["se"] == pytest.approx(math.sqrt(0.07))
    assert data["df"] is None and data["inference"] == "normal"  # two sectors: Poisson
    assert data["upper_bounded"] is True and data["significant"] is True
    assert [r["area"] for r in data["rows"]] == ["target", "comparison", "buffer"]
    assert data["headline_en"].startswith("Robo a transeunte fell 50%")


def test_a_design_out_of_scope_is_not_found(personas, design):
    assert _get(personas.analyst_tijuana, design).status_code == 404
