"""Incidents in the synthetic demo territory (state 99), with counts checkable by hand.

Sector A1 is the south-west quarter of Municipio Sintético A (99001): lon −102.40…−102.35,
lat 21.80…21.85. Sector D4 is the north-east quarter of 99004.
"""

from __future__ import annotations

import csv

import pytest

from civica.territory import models
from civica.testing import personas as factories

HEADER = ["folio", "fecha", "hora", "delito", "lat", "lon"]
MAPPING = {
    "id": "folio",
    "date": "fecha",
    "time": "hora",
    "crime": "delito",
    "lat": "lat",
    "lon": "lon",
}


def rows():
    out = []
    for i in range(10):  # A1, ten robberies over ten days, 20 m apart
        out.append([f"a{i}", f"2015-03-{i + 1:02d}", "12:00", "ROBO", 21.82 + i * 0.0002, -102.38])
    for i in range(5):  # D4, five burglaries
        out.append(
            [f"d{i}", f"2015-04-{i + 1:02d}", "", "ALLANAMIENTO", 21.97, -102.22 + i * 0.001]
        )
    out.append(["x1", "2015-05-01", "", "ROBO", "", ""])  # no coordinates
    out.append(["x2", "2099-01-01", "", "ROBO", 21.82, -102.38])  # impossible date
    return out


@pytest.fixture
def synthetic_incidents(db, settings, tmp_path):
    from civica.demo import synthetic
    from civica.incidents import services

    settings.CIVICA_WAREHOUSE_DIR = str(tmp_path / "warehouse")
    synthetic.load()
    path = tmp_path / "incidentes.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows())
    result = services.ingest_incidents(
        path=path,
        layer="sintetico",
        mapping=MAPPING,
        sectors_layer="sectores sintéticos",
        version="2015-12",
    )
    return result


@pytest.fixture
def analyst_a(synthetic_incidents):
    return factories.make_user(
        "ana_a",
        "municipal_analyst",
        municipalities=models.Municipality.objects.filter(cvegeo="99001"),
    )


@pytest.fixture
def analyst_b(synthetic_incidents):
    return factories.make_user(
        "beto_b",
        "municipal_analyst",
        municipalities=models.Municipality.objects.filter(cvegeo="99002"),
    )
