"""Reading a code → name table to name municipalities."""

from __future__ import annotations

import pytest

from civica.sources.errors import SourceError
from civica.sources.names import read_names


def test_it_recognises_the_census_table_shipped_with_mxmaps(shared_data):
    table = read_names(shared_data / "mx_boundaries_mxmaps" / "municipios_censo2020.csv")

    assert (table.code_column, table.name_column) == ("region", "municipio_name")
    assert len(table.names) == 2469
    assert table.names["09015"] == "Cuauhtémoc"


def test_it_recognises_conapo_columns_and_pads_codes(tmp_path):
    path = tmp_path / "municipal_total.csv"
    path.write_text("CVE,Entidad,Municipio,2020\n9015,CDMX,Cuauhtémoc,1\n", encoding="utf-8")

    assert read_names(path).names == {"09015": "Cuauhtémoc"}


def test_it_rejects_a_table_without_known_columns_listing_them(tmp_path):
    path = tmp_path / "names.csv"
    path.write_text("code,label\n09015,Cuauhtémoc\n", encoding="utf-8")

    with pytest.raises(SourceError) as caught:
        read_names(path)

    assert "region + municipio_name" in caught.value.message
    assert "code, label" in caught.value.message


def test_it_rejects_a_code_with_two_names(tmp_path):
    path = tmp_path / "names.csv"
    path.write_text("CVEGEO,NOMGEO\n09015,Cuauhtémoc\n09015,Coyoacán\n", encoding="utf-8")

    with pytest.raises(SourceError) as caught:
        read_names(path)

    assert caught.value.line == 3
