import pytest

from civica.monitoring.catalogue import (
    INDICATOR_COLUMNS,
    default_catalogue_path,
    load_indicators_csv,
    load_targets_csv,
)
from civica.monitoring.csvfiles import CsvImportError
from civica.monitoring.models import Indicator, Target

HEADER = ",".join(INDICATOR_COLUMNS) + "\n"


def row(code="A", computation="activities", parameters=""):
    return (
        f"{code},Nombre,Name,Def,Def,activities,,,,increase,Registros,{computation},"
        f'"{parameters}",no,,\n'
    )


def write(tmp_path, text, name="ind.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_default_catalogue_loads_and_every_indicator_names_a_known_computation(db):
    summary = load_indicators_csv(path=default_catalogue_path())
    assert summary["created"] == Indicator.objects.count() >= 8
    assert {"municipalities_covered", "persons_reached", "sesnsp_total"} <= set(
        Indicator.objects.values_list("computation", flat=True)
    )


def test_an_unknown_computation_refuses_the_whole_file(db, tmp_path):
    path = write(tmp_path, HEADER + row("A") + row("B", computation="magic"))
    with pytest.raises(CsvImportError) as error:
        load_indicators_csv(path=path)
    assert "línea 3" in str(error.value) and "magic" in str(error.value)
    assert "activities" in str(error.value)  # names the known computations
    assert Indicator.objects.count() == 0


def test_duplicate_codes_and_unknown_parameters_are_refused(db, tmp_path):
    with pytest.raises(
        CsvImportError, match="línea 3, columna “code”: la clave “A” ya se usa en la línea 2"
    ):
        load_indicators_csv(path=write(tmp_path, HEADER + row("A") + row("A")))
    bad = row("A", parameters='{""goal"": ""peace""}')
    with pytest.raises(CsvImportError, match="peace"):
        load_indicators_csv(path=write(tmp_path, HEADER + bad))
    assert Indicator.objects.count() == 0


def test_targets_for_undefined_periods_or_indicators_load_nothing(db, tmp_path, territory):
    load_indicators_csv(path=write(tmp_path, HEADER + row("A")))
    good = "indicator,period,territory,value\nA,FY2023,,4\nA,FY2023Q1,02,1\n"
    assert load_targets_csv(path=write(tmp_path, good, "t.csv"))["created"] == 2
    Target.objects.all().delete()
    with pytest.raises(CsvImportError, match=r"línea 4.*“period”.*FY2023X"):
        load_targets_csv(path=write(tmp_path, good + "A,FY2023X,,3\n", "t.csv"))
    with pytest.raises(CsvImportError, match="“indicator”"):
        load_targets_csv(path=write(tmp_path, good + "ZZ,FY2023,,3\n", "t.csv"))
    assert Target.objects.count() == 0
