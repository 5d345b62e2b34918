"""A municipality loads its own police records from CSV files and reads its indicators,
checked by hand; a bad file is refused whole with line and column."""

import datetime as dt
from pathlib import Path

import pytest

from civica.core.imports import ImportFailed
from civica.police import imports, records
from civica.police.models import Headcount, PayStep

ON = dt.date(2024, 12, 31)
FILES = {
    "headcount": (
        "municipality,as_of,rank,function,sex,officers\n"
        "02004,2024-06-30,Policía,proximity,men,400\n"
        "02004,2024-06-30,Policía,proximity,women,100\n"
        "02004,2024-06-30,Policía,reaction,men,300\n"
        "02004,2024-06-30,Policía,investigation,men,50\n"
        "02004,2024-06-30,Policía,administrative,women,50\n"
        "02004,2024-12-31,Policía,proximity,men,380\n"
        "02004,2024-12-31,Policía,proximity,women,100\n"
        "02004,2024-12-31,Policía,reaction,men,300\n"
        "02004,2024-12-31,Policía,investigation,men,50\n"
        "02004,2024-12-31,Policía,administrative,women,50\n"
    ),
    "certification": (
        "municipality,as_of,function,officers,cup_in_force,confianza_in_force\n"
        "02004,2024-12-31,proximity,480,400,450\n"
        "02004,2024-12-31,reaction,300,200,300\n"
    ),
    "pay": (
        "municipality,valid_from,rank,gross_monthly,net_monthly,officers\n"
        "02004,2024-01-01,Policía,19000,15500,600\n"
        "02004,2024-01-01,Policía Tercero,23000,18500,150\n"
        "02004,2024-01-01,Policía Segundo,27000,21600,50\n"
    ),
    "shifts": (
        "municipality,valid_from,scheme,officers\n"
        "02004,2024-01-01,12x24,600\n"
        "02004,2024-01-01,24x24,100\n"
        "02004,2024-01-01,8h,100\n"
    ),
    "movements": (
        "municipality,month,movement,reason,officers\n"
        "02004,2024-03,exit,resignation,30\n"
        "02004,2024-07,exit,dismissal,10\n"
        "02004,2024-08,hire,,20\n"
    ),
    "budget": (
        "municipality,year,chapter,funding,amount\n"
        "02004,2024,1000,own,600000000\n"
        "02004,2024,1000,fortamun,100000000\n"
        "02004,2024,2000,fasp,200000000\n"
        "02004,2024,3000,donor,100000000\n"
    ),
    "benefits": (
        "municipality,valid_from,benefit,officers_covered,monthly_cost\n"
        "02004,2024-01-01,Seguro de vida,900,350\n"
    ),
}


@pytest.fixture
def tijuana(personas, territory, tmp_path):
    from civica.territory.models import PopulationEstimate

    PopulationEstimate.objects.update_or_create(
        municipality=territory.tijuana,
        year=2024,
        defaults={"state": territory.tijuana.state, "total": 2_000_000},
    )
    for kind, text in FILES.items():
        path = tmp_path / f"{kind}.csv"
        path.write_text(text, encoding="utf-8")
        imports.import_police_records(kind=kind, path=path, actor=personas.analyst_tijuana)
    return territory.tijuana


def _values(user):
    return {v.name: v for v in records.indicators(user, "02004", on=ON)}


def test_indicators_follow_their_definitions(tijuana, personas):
    values = _values(personas.analyst_tijuana)
    operational = values["police_operational_per_1000"]
    # proximity 480 and reaction 300 on 2024-12-31, less 30 proximity officers without
    # control de confianza in force; not investigation, not administrative.
    assert operational.parts["operational_headcount"] == 780
    assert operational.parts["counted"] == 750
    assert operational.value == pytest.approx(750 / 2_000_000 * 1000)
    assert operational.reference == 1.8
    assert values["police_share_salario_digno"].value == pytest.approx(200 / 800 * 100)
    assert values["police_share_state_minimum"].value == pytest.approx(50 / 800 * 100)
    assert values["police_weekly_hours"].value == pytest.approx(
        (600 * 56 + 100 * 84 + 100 * 48) / 800
    )
    mean = (900 + 880) / 2
    assert values["police_attrition_rate"].value == pytest.approx(40 / mean * 100)
    assert values["police_cup_coverage"].value == pytest.approx(600 / 780 * 100)
    assert values["police_confianza_coverage"].value == pytest.approx(750 / 780 * 100)
    assert values["police_personal_services_share"].value == pytest.approx(70.0)


def test_a_parameter_applies_only_from_its_date(tijuana, personas, tmp_path):
    path = tmp_path / "pay2023.csv"
    path.write_text(
        "municipality,valid_from,rank,gross_monthly,net_monthly,officers\n"
        "02004,2023-01-01,Policía,19000,17000,800\n",
        encoding="utf-8",
    )
    imports.import_police_records(kind="pay", path=path, actor=personas.analyst_tijuana)
    earlier = {
        v.name: v
        for v in records.indicators(personas.analyst_tijuana, "02004", on=dt.date(2023, 6, 30))
    }
    assert earlier["police_share_salario_digno"].value is None
    assert "2023-01-01" in earlier["police_share_salario_digno"].unavailable


def test_a_bad_file_is_refused_whole_with_line_and_column(tijuana, personas, tmp_path):
    before = Headcount.objects.count()
    path = tmp_path / "bad.csv"
    path.write_text(
        "municipality,as_of,rank,function,sex,officers\n"
        "02004,2025-01-31,Policía,proximity,men,10\n"
        "02004,2025-01-31,Policía,patrol,men,10\n"
        "02004,2025-13-31,Policía,reaction,men,-3\n",
        encoding="utf-8",
    )
    with pytest.raises(ImportFailed) as caught:
        imports.import_police_records(kind="headcount", path=path, actor=personas.analyst_tijuana)
    found = {(p.line, p.column) for p in caught.value.errors}
    assert (3, "function") in found and (4, "as_of") in found
    assert Headcount.objects.count() == before


def test_another_municipality_is_refused_and_unseen(tijuana, personas, tmp_path):
    from django.http import Http404

    path = tmp_path / "other.csv"
    path.write_text(
        "municipality,valid_from,rank,gross_monthly,net_monthly,officers\n"
        "09015,2024-01-01,Policía,19000,15500,600\n",
        encoding="utf-8",
    )
    with pytest.raises(ImportFailed):
        imports.import_police_records(kind="pay", path=path, actor=personas.analyst_tijuana)
    assert not PayStep.objects.filter(municipality__cvegeo="09015").exists()
    with pytest.raises(Http404):
        records.indicators(personas.analyst_cuauhtemoc, "02004")


def test_the_records_page_imports_and_shows_indicators(tijuana, personas, client, tmp_path):
    client.force_login(personas.analyst_tijuana)
    page = client.get("/police/municipalities/02004/records/?on=2024-12-31").content.decode()
    assert 'data-indicator="police_operational_per_1000"' in page
    assert "0.38" in page  # 750 per 2,000,000 × 1,000 = 0.375
    upload = tmp_path / "shifts2025.csv"
    upload.write_text("municipality,valid_from,scheme,officers\n02004,2025-01-01,12x36,800\n")
    with Path(upload).open("rb") as handle:
        answer = client.post(
            "/police/municipalities/02004/records/", {"kind": "shifts", "file": handle}
        ).content.decode()
    assert 'id="import-done"' in answer
    assert client.get("/police/municipalities/09015/records/").status_code == 404


def test_the_command_imports_and_prints_indicators(tijuana, tmp_path):
    import json

    from click.testing import CliRunner

    from civica.cli.main import cli

    path = tmp_path / "budget2025.csv"
    path.write_text("municipality,year,chapter,funding,amount\n02004,2025,9999,own,1\n")
    refused = CliRunner().invoke(cli, ["police", "import", "budget", str(path)])
    assert refused.exit_code != 0 and "2" in refused.output and "chapter" in refused.output
    result = CliRunner().invoke(
        cli, ["police", "indicators", "02004", "--on", "2024-12-31", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    names = {item["name"]: item for item in json.loads(result.output)}
    assert names["police_personal_services_share"]["value"] == pytest.approx(70.0)


def test_indicators_are_registered_for_monitoring(tijuana):
    from civica.indicators import Context, registry
    from civica.monitoring.periods import parse_period

    assert "police_attrition_rate" in registry.names()
    result = registry.compute(
        "police_personal_services_share",
        Context(period=parse_period("FY2025"), municipality_code="02004"),
        {},
    )
    assert result.value == pytest.approx(70.0)
