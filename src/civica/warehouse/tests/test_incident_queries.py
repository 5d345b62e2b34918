"""The warehouse's queries over an incident layer: filters, scope codes and the schema."""

import datetime as dt

import pandas as pd
import pytest

from civica.warehouse import incidents


@pytest.fixture
def layer(tmp_path):
    frame = pd.DataFrame(
        {
            "id": ["a", "b", "c", "d"],
            "date": pd.to_datetime(["2015-01-02", "2015-02-03", "2015-02-04", "2015-04-01"]),
            "crime": ["ROBO", "ROBO", "RIÑA", "ROBO"],
            "municipality_code": ["09015", "09015", "09016", None],
        }
    )
    given = set(frame.columns)
    frame = frame.assign(**{c: None for c in incidents.COLUMNS if c not in given})
    target = tmp_path / "layer.parquet"
    incidents.write(frame[list(incidents.COLUMNS)], target)
    return target


def test_select_filters_by_codes_crime_and_dates(layer):
    rows = incidents.select(layer, columns=("id",), municipality_codes=["09015"], crime="ROBO")
    assert rows["id"].tolist() == ["a", "b"]
    rows = incidents.select(layer, columns=("id",), start=dt.date(2015, 2, 4))
    assert rows["id"].tolist() == ["c", "d"]
    assert incidents.select(layer, columns=("id",), municipality_codes=[]).empty


def test_municipalities_are_the_placed_codes_within_scope(layer):
    assert incidents.municipalities(layer) == ["09015", "09016"]
    assert incidents.municipalities(layer, municipality_codes=["09016", "01001"]) == ["09016"]


def test_dates_and_months_in_one_scan(layer):
    first, last, months = incidents.dates_and_months(layer)
    assert (first, last) == (dt.date(2015, 1, 2), dt.date(2015, 4, 1))
    assert months == {(2015, 1), (2015, 2), (2015, 4)}


def test_a_column_outside_the_schema_is_refused(layer):
    with pytest.raises(ValueError, match="not columns"):
        incidents.select(layer, columns=("id; DROP",))


def test_the_layer_is_stored_in_inegi_lambert():
    assert incidents.CRS == "EPSG:6372"
