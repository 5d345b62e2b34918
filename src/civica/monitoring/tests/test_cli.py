import json

from click.testing import CliRunner

from civica.audit.models import Action, AuditEvent
from civica.cli.main import cli
from civica.monitoring.models import Indicator
from civica.monitoring.tests.factories import cover, make_activity


def test_load_indicators_refuses_a_bad_file_with_its_line_and_exit_status_1(db, tmp_path):
    path = tmp_path / "ind.csv"
    path.write_text(
        "code,name_es,name_en,definition_es,definition_en,unit,direction,data_source,computation\n"
        "A,N,N,D,D,u,increase,s,activities\n"
        "B,N,N,D,D,u,increase,s,persons_served_magic\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["monitoring", "load-indicators", str(path)])
    assert result.exit_code == 1
    assert "ind.csv, línea 3, columna “computation”" in result.output
    assert "persons_served_magic" in result.output
    assert Indicator.objects.count() == 0
    ok = CliRunner().invoke(cli, ["monitoring", "load-indicators"])
    from civica.monitoring.catalogue import default_catalogue_path

    rows = len(default_catalogue_path().read_text(encoding="utf-8").strip().splitlines()) - 1
    assert ok.exit_code == 0 and Indicator.objects.count() == rows


def test_report_factsheet_writes_html_with_the_computed_statement(territory, tmp_path):
    CliRunner().invoke(cli, ["monitoring", "load-indicators"])
    activity = make_activity()
    cover(activity, territory.tijuana, "direct")
    out = tmp_path / "fs.html"
    result = CliRunner().invoke(
        cli, ["report", "factsheet", "--period", "FY2023", "--lang", "es", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    # Singular forms for one: "1 ciudad", not "1 ciudades".
    assert (
        "1 ciudad de 1 estado recibió apoyo en justicia cívica, con asistencia técnica directa "
        "en 1 ciudad y esfuerzos colaborativos en 0 ciudades más." in html
    )
    assert AuditEvent.objects.filter(action=Action.EXPORT).count() == 1


def test_a_bad_period_is_a_usage_error(db):
    result = CliRunner().invoke(cli, ["report", "factsheet", "--period", "FY23"])
    assert result.exit_code == 2 and "FY2023Q1" in result.output


def test_indicators_as_dhis2_need_a_period_dhis2_knows(db):
    CliRunner().invoke(cli, ["monitoring", "load-indicators"])
    result = CliRunner().invoke(
        cli, ["monitoring", "indicators", "--period", "2022-11/2023-04", "--format", "dhis2"]
    )
    assert result.exit_code == 1 and "DHIS2" in result.output


def test_a_fiscal_quarter_goes_to_dhis2_as_its_calendar_quarter_and_says_so(territory, tmp_path):
    CliRunner().invoke(cli, ["monitoring", "load-indicators"])
    cover(make_activity(), territory.tijuana, "direct")
    out = tmp_path / "q.json"
    result = CliRunner().invoke(
        cli,
        ["monitoring", "indicators", "--period", "FY2023Q1", "--format", "dhis2", "-o", str(out)],
    )
    assert result.exit_code == 0, result.output
    note = (
        "FY2023Q1 se exporta como el trimestre calendario 2022Q4 de DHIS2 (2022-10-01 a "
        "2022-12-31, los mismos meses): DHIS2 no tiene un tipo de periodo para trimestres "
        "fiscales."
    )
    assert note in result.stderr
    payload = json.loads(out.read_text(encoding="utf-8"))
    assert payload["period"] == "2022Q4"
    municipalities = next(v for v in payload["dataValues"] if v["dataElement"] == "CJ-MUN")
    assert (municipalities["value"], municipalities["comment"]) == ("1", note)
    calendar = CliRunner().invoke(
        cli, ["monitoring", "indicators", "--period", "2022Q4", "--format", "dhis2"]
    )
    assert "comment" not in calendar.stdout and calendar.stderr == ""
