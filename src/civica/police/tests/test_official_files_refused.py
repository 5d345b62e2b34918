"""A bad official file is refused whole, with its line and column, and nothing is stored."""

import pytest

from civica.sources.errors import SourceError
from civica.sources.inegi_police import normalise_fund, read_police_file

STAFF_HEADER = "\ufeffubicageo_c,orgapoli_e,sexostt,sexos1,sexos2\n"


def _write(tmp_path, text, name="m3s1p2_cngmd2021.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_sex_split_that_does_not_add_up_names_line_and_column(tmp_path):
    path = _write(tmp_path, STAFF_HEADER + "2002,1,10,5,5\n2002,2,10,4,5\n")
    with pytest.raises(SourceError) as caught:
        read_police_file(path)
    assert (caught.value.line, caught.value.column) == (3, 3)


def test_an_unknown_status_code_is_refused(tmp_path):
    path = _write(tmp_path, STAFF_HEADER + "2002,1,N/D,5,5\n")
    with pytest.raises(SourceError) as caught:
        read_police_file(path)
    assert (caught.value.line, caught.value.column, caught.value.field) == (2, 3, "sexostt")


def test_a_key_of_no_state_and_a_repeated_line_are_refused(tmp_path):
    with pytest.raises(SourceError) as caught:
        read_police_file(_write(tmp_path, STAFF_HEADER + "40001,1,1,1,0\n"))
    assert caught.value.column == 1
    with pytest.raises(SourceError) as caught:
        read_police_file(_write(tmp_path, STAFF_HEADER + "2002,1,1,1,0\n2002,1,1,1,0\n"))
    assert caught.value.line == 3


def test_an_unknown_header_is_refused_on_line_one(tmp_path):
    with pytest.raises(SourceError) as caught:
        read_police_file(_write(tmp_path, "a,b\n1,2\n"))
    assert caught.value.line == 1


def test_status_codes_stay_unknown_never_zero(tmp_path):
    frame = read_police_file(
        _write(tmp_path, STAFF_HEADER + "2002,6,NA,NA,NA\n2002,1,ND,ND,ND\n")
    ).frame
    assert frame["total"].isna().all()
    assert list(frame["status"]) == ["NA", "ND"]


def test_a_refused_file_leaves_the_warehouse_as_it_was(tmp_path, settings, shared_data):
    from civica.core.services import warehouse
    from civica.police import services

    settings.CIVICA_WAREHOUSE_DIR = str(tmp_path / "warehouse")
    services.store_police_file(
        path=shared_data / "cngmd2021_personal_seguridad_municipal" / "m3s1p2_cngmd2021.csv"
    )
    before = warehouse().manifest()
    bad = _write(tmp_path, STAFF_HEADER + "2002,1,10,5,5\n2002,2,x,1,1\n")
    with pytest.raises(SourceError):
        services.store_police_file(path=bad)
    assert warehouse().manifest() == before
    again = services.store_police_file(
        path=shared_data / "cngmd2021_personal_seguridad_municipal" / "m3s1p2_cngmd2021.csv"
    )
    assert again.unchanged


def test_fund_names_are_normalised_and_the_original_kept():
    assert normalise_fund("FONDO IV") == "FORTAMUN"
    assert normalise_fund("FORTAMUNDF") == "FORTAMUN"
    assert normalise_fund("FASP 2019") == "FASP"
    assert normalise_fund("FORTASEG Y FORTAMUN") == "several"
    assert normalise_fund("SUBSIDIO DE GOBIERNO ESTATAL") == "other"
    assert normalise_fund("NO APLICA") == "none"
