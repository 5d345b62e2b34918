"""`civica interventions`: import, design, evaluate and summary on the synthetic layer."""

import json
import math

import pytest
from click.testing import CliRunner
from scipy import stats

from civica.cli.main import cli
from civica.interventions.models import EvaluationDesign, Intervention
from civica.interventions.tests.evaluation_data import CRIME, ingest

pytestmark = pytest.mark.django_db


def run(*args):
    return CliRunner().invoke(cli, ["--lang", "en", *args])


@pytest.fixture
def layer(settings, tmp_path):
    from civica.demo import synthetic

    settings.CIVICA_WAREHOUSE_DIR = str(tmp_path / "warehouse")
    synthetic.load()
    ingest(tmp_path)


def write(tmp_path, rows: str):
    path = tmp_path / "intervenciones.csv"
    path.write_text(
        "name,kind,municipality,sectors,crimes,start,ramp_up_days\n" + rows, encoding="utf-8"
    )
    return path


def test_import_design_evaluate_summary(layer, tmp_path):
    path = write(tmp_path, f"Senderos,environmental_design,99001,Sector A1,{CRIME},2015-01-01,0\n")
    result = run("interventions", "import", str(path))
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "1 intervention imported."
    pk = Intervention.objects.get(name="Senderos").pk
    result = run(
        "interventions", "design", str(pk), "--layer", "sintetico",
        "--before", "2014-01-01:2014-12-31", "--after", "2015-01-01:2015-12-31",
        "--comparison", "Sector B2", "--buffer", "500", "--lock",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    design = EvaluationDesign.objects.get(intervention_id=pk)
    assert design.is_locked
    result = run("interventions", "evaluate", str(design.pk), "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["percent_change"] == -50.0
    assert data["headline_en"].startswith("Robo a transeunte fell 50% (95% CI 16% to 70%)")
    assert [(r["area"], r["before"], r["after"]) for r in data["rows"]] == [
        ("target", 60, 30),
        ("comparison", 100, 100),
        ("buffer", 20, 25),
    ]
    # The figures are numbers, not text: estimate, bounds, p, df and standard error.
    assert data["estimate"] == pytest.approx(0.5)
    assert (data["percent_lower"], data["percent_upper"]) == pytest.approx((-70.23, -16.02), 1e-3)
    assert data["se"] == pytest.approx(math.sqrt(0.07))
    assert data["df"] is None and data["inference"] == "normal"  # two sectors: Poisson
    assert data["p_value"] == pytest.approx(2 * stats.norm.sf(math.log(2) / math.sqrt(0.07)))
    result = run("interventions", "summary", "--format", "json")
    assert result.exit_code == 0, result.output
    (row,) = json.loads(result.output)["rows"]
    assert row["method"] == "before_after"
    assert (row["percent_change"], row["p_value"]) == pytest.approx((-50, data["p_value"]))
    assert row["p_holm"] == pytest.approx(data["p_value"]) and row["significant_holm"]


def test_a_bad_row_is_one_message_with_line_and_column(layer, tmp_path):
    path = write(tmp_path, f"X,environmental_design,99001,Sector Z9,{CRIME},2015-01-01,0\n")
    result = run("interventions", "import", str(path))
    assert result.exit_code == 1
    assert "line 2" in result.output and "sectors" in result.output
    assert "Traceback" not in result.output
    assert not Intervention.objects.exists()


def test_an_unlocked_design_is_not_evaluated(layer, tmp_path):
    path = write(tmp_path, f"Senderos,environmental_design,99001,Sector A1,{CRIME},2015-01-01,0\n")
    run("interventions", "import", str(path))
    pk = Intervention.objects.get().pk
    run(
        "interventions", "design", str(pk), "--layer", "sintetico",
        "--before", "2014-01-01:2014-12-31", "--after", "2015-01-01:2015-12-31",
        "--comparison", "Sector B2",
    )  # fmt: skip
    design = EvaluationDesign.objects.get()
    result = run("interventions", "evaluate", str(design.pk))
    assert result.exit_code == 1
    assert "Lock the evaluation design" in result.output
