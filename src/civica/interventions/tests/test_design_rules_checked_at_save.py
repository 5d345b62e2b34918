"""Every design rule is checked when the design is saved, naming the sectors that break it."""

import pytest
from click.testing import CliRunner
from django.core.exceptions import ValidationError
from django.utils import translation

from civica.accounts.access import SYSTEM
from civica.cli.main import cli
from civica.interventions.models import EvaluationDesign, Method
from civica.interventions.tests.evaluation_data import ingest, locked_design

pytestmark = pytest.mark.django_db


@pytest.fixture
def layer(settings, tmp_path):
    from civica.demo import synthetic

    settings.CIVICA_WAREHOUSE_DIR = str(tmp_path / "warehouse")
    synthetic.load()
    ingest(tmp_path)


def _refusal(**design) -> list[ValidationError]:
    with translation.override("en"), pytest.raises(ValidationError) as info:
        locked_design(**design)
    return info.value.error_dict["comparison_sectors"]


def test_a_bordering_comparison_sector_is_refused_without_a_buffer(layer):
    (error,) = _refusal(comparison=("Sector A2", "Sector B2"), buffer_metres=None)
    assert error.code == "comparison_adjacent_to_target"
    with translation.override("en"):
        assert "border the target sectors: Sector A2." in error.messages[0]
    assert not EvaluationDesign.objects.exists()


def test_a_panel_design_refuses_bordering_comparison_sectors_too(layer):
    (error,) = _refusal(comparison=("Sector A2",), buffer_metres=None, method=Method.PANEL)
    assert error.code == "comparison_adjacent_to_target"


def test_each_broken_rule_names_its_own_sectors(layer):
    errors = _refusal(comparison=("Sector A1", "Sector A2", "Sector B2"), buffer_metres=500)
    by_code = {e.code: e.params["sectors"] for e in errors}
    # A1 is the target itself (the model's rule says so once); A2 lies in the ring.
    assert by_code == {
        "comparison_includes_target": "Sector A1",
        "comparison_overlaps_buffer": "Sector A2",
    }


def test_the_cli_says_which_sectors_break_which_rule(layer):
    import datetime as dt

    from civica.interventions.models import InterventionKind
    from civica.interventions.services import create_intervention
    from civica.interventions.tests.evaluation_data import sector
    from civica.territory.models import Municipality

    intervention = create_intervention(
        actor=SYSTEM,
        target_sectors=[sector("Sector A1")],
        name="Senderos",
        kind=InterventionKind.ENVIRONMENTAL_DESIGN,
        municipality=Municipality.objects.get(cvegeo="99001"),
        target_crimes=["ROBO A TRANSEUNTE"],
        start_date=dt.date(2015, 1, 1),
    )
    result = CliRunner().invoke(
        cli,
        ["--lang", "en", "interventions", "design", str(intervention.pk), "--layer", "sintetico",
         "--before", "2014-01-01:2014-12-31", "--after", "2015-01-01:2015-12-31",
         "--comparison", "Sector A2", "--lock"],
    )  # fmt: skip
    assert result.exit_code == 1
    assert "border the target sectors: Sector A2." in result.output
    assert "Traceback" not in result.output
