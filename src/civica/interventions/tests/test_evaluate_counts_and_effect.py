"""A locked design evaluated on an incident layer gives the hand-computed counts and effect."""

import math

import pytest
from django.utils import translation

from civica.accounts.access import SYSTEM
from civica.interventions.methods.before_after import evaluate, headline
from civica.interventions.tests.evaluation_data import ingest, locked_design

pytestmark = pytest.mark.django_db


@pytest.fixture
def evaluation(settings, tmp_path):
    from civica.demo import synthetic

    settings.CIVICA_WAREHOUSE_DIR = str(tmp_path / "warehouse")
    synthetic.load()
    ingest(tmp_path)
    return evaluate(SYSTEM, locked_design())


def test_counts_each_area_in_each_window(evaluation):
    assert (evaluation.target.before, evaluation.target.after) == (60, 30)
    assert (evaluation.comparison.before, evaluation.comparison.after) == (100, 100)
    assert (evaluation.buffer.before, evaluation.buffer.after) == (20, 25)
    assert evaluation.target.names == ("Sector A1",)
    assert evaluation.comparison.names == ("Sector B2",)


def test_the_effect_is_the_hand_computed_rirr(evaluation):
    effect = evaluation.effect
    assert effect.rirr == pytest.approx(0.5)
    assert effect.se_log == pytest.approx(math.sqrt(0.07))
    assert effect.lower == pytest.approx(0.5 * math.exp(-1.959964 * math.sqrt(0.07)), rel=1e-6)
    assert effect.upper == pytest.approx(0.5 * math.exp(1.959964 * math.sqrt(0.07)), rel=1e-6)
    assert evaluation.significant


def test_displacement_to_the_buffer_is_weighed_against_the_comparison(evaluation):
    # The comparison stayed at 100 (g = 1): the buffer's expected after count is its 20, so
    # 25 is +5 beyond the trend; Var = 25 + 20 + 20² (1/100 + 1/100) = 53.
    assert evaluation.wdd.displacement == 5
    assert evaluation.wdd.se_displacement == pytest.approx(math.sqrt(53))
    assert evaluation.wdd.local == -30
    assert evaluation.wdd.buffer_control == (100, 100)
    assert evaluation.buffer_percent == pytest.approx(25.0)


def test_the_counterfactual_months_add_up_to_the_expected_count(evaluation):
    after = [m for m in evaluation.months if m.window == "after"]
    before = [m for m in evaluation.months if m.window == "before"]
    assert len(after) == len(before) == 12
    assert sum(m.target for m in before) == 60
    assert sum(m.counterfactual for m in after) == pytest.approx(60 * 100 / 100)
    assert all(m.counterfactual is None for m in before)


def test_two_sectors_cannot_show_their_variation_so_the_interval_is_flagged(evaluation):
    # Large counts and an ordinary baseline: the only notice is the Poisson interval's.
    assert [n.code for n in evaluation.notices] == ["poisson_interval"]


def test_the_headline_in_english_and_spanish(evaluation):
    assert headline(evaluation, "en") == (
        "Robo a transeunte fell 50% (95% CI 16% to 70%) in the 1 target sector of "
        "Municipio Sintético A relative to 1 comparison sector, 2015 vs 2014; no significant "
        "displacement to the 500 m buffer (+25% relative to the comparison)."
    )
    spanish = headline(evaluation, "es-mx")
    assert spanish.startswith("Robo a transeunte bajó 50% (IC 95% 16% a 70%)")
    assert "desplazamiento" in spanish
    with translation.override("en"):
        assert headline(evaluation) == headline(evaluation, "en")
