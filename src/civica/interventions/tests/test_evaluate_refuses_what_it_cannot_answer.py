"""Evaluations the design or the data cannot support are refused with what to change."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from civica.accounts.access import SYSTEM
from civica.interventions.areas import EvaluationError
from civica.interventions.methods.before_after import evaluate
from civica.interventions.models import EvaluationDesign
from civica.interventions.tests.evaluation_data import (
    DEFAULT_COUNTS,
    ingest,
    locked_design,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def layer(settings, tmp_path):
    from civica.demo import synthetic

    settings.CIVICA_WAREHOUSE_DIR = str(tmp_path / "warehouse")
    synthetic.load()

    def make(counts=None):
        ingest(tmp_path, counts)

    return make


def _message(design) -> str:
    with translation.override("en"), pytest.raises(EvaluationError) as info:
        evaluate(SYSTEM, design)
    return str(info.value)


def test_an_unlocked_design_shows_no_result(layer):
    layer()
    design = locked_design()
    EvaluationDesign.objects.filter(pk=design.pk).update(locked_at=None)
    design.refresh_from_db()
    assert "Lock the evaluation design" in _message(design)


def test_comparison_sectors_inside_the_buffer_are_refused_when_the_design_is_saved(layer):
    layer()
    # Sector A2 borders A1: it lies in the 500 m ring. Refused before any lock or result.
    with translation.override("en"):
        with pytest.raises(ValidationError) as info:
            locked_design(comparison=("Sector A2", "Sector B2"))
        (message,) = info.value.message_dict["comparison_sectors"]
    assert "overlap the 500 m buffer ring" in message
    assert message.endswith("Choose sectors farther away or a narrower buffer.")
    assert ": Sector A2." in message and "B2" not in message
    assert not EvaluationDesign.objects.exists()


def test_windows_outside_the_layer_are_refused_not_counted_as_zero(layer):
    layer()
    design = locked_design(
        before_start=dt.date(2013, 7, 1),
        before_end=dt.date(2014, 6, 30),
        after_start=dt.date(2015, 7, 1),
        after_end=dt.date(2016, 6, 30),
    )
    message = _message(design)
    assert "covers 2013-01-01 to 2015-12-31" in message
    assert "2016-06-30" in message


def test_a_zero_count_is_an_undefined_ratio_not_a_hundred_percent_fall(layer):
    layer(DEFAULT_COUNTS | {("target", 2015): 0})
    message = _message(locked_design())
    assert "target sectors had no incidents" in message
    assert "after window" in message
    assert "undefined" in message


def test_an_unknown_crime_name_suggests_the_layers_spelling(layer):
    layer()
    message = _message(locked_design(crimes=("ROBO A TRANSEÚNTE",)))
    assert "no crime named “ROBO A TRANSEÚNTE”" in message
    assert "ROBO A TRANSEUNTE" in message.split("closest:")[1]


def test_a_baseline_far_above_the_year_before_warns_of_regression_to_the_mean(layer):
    layer(DEFAULT_COUNTS | {("target", 2013): 25})
    evaluation = evaluate(SYSTEM, locked_design())
    assert [n.code for n in evaluation.notices] == ["poisson_interval", "regression_to_the_mean"]
    with translation.override("en"):
        assert "60 incidents in the before window but 25" in str(evaluation.notices[1])


def test_small_counts_are_flagged(layer):
    layer(
        {
            ("target", 2013): 12,
            ("target", 2014): 12,
            ("target", 2015): 6,
            ("comparison", 2014): 100,
            ("comparison", 2015): 100,
            ("buffer", 2014): 3,
            ("buffer", 2015): 3,
        }
    )
    evaluation = evaluate(SYSTEM, locked_design())
    assert [n.code for n in evaluation.notices] == ["poisson_interval", "small_counts"]
    with translation.override("en"):
        assert "target before 12, target after 6" in str(evaluation.notices[1])


def test_a_month_missing_from_the_layer_is_a_gap_not_zero_crime(settings, tmp_path):
    from civica.demo import synthetic
    from civica.incidents import services
    from civica.incidents.tests.conftest import MAPPING
    from civica.interventions.tests.evaluation_data import write_layer

    settings.CIVICA_WAREHOUSE_DIR = str(tmp_path / "warehouse")
    synthetic.load()
    path = tmp_path / "capa.csv"
    write_layer(path, DEFAULT_COUNTS)
    # Drop every incident of March 2015 (a month that was never loaded).
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(x for x in lines if ",2015-03-" not in x) + "\n", encoding="utf-8")
    services.ingest_incidents(
        path=path, layer="sintetico", mapping=MAPPING, sectors_layer="sectores sintéticos"
    )
    message = _message(locked_design())
    assert "no incidents at all in 2015-03" in message
