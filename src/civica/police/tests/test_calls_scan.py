"""Calls for service as candidate problems: a sector whose genuine calls rose and a place
where they came again and again are proposed, with their evidence; nothing outside the
user's scope."""

import datetime as dt
from types import SimpleNamespace

from civica.police import calls
from civica.police.scan import calls as scan_calls

HEADER = "folio,recibida,procedente,sector,longitud,latitud\n"


def _data(personas, territory, codes):
    sector = territory.sectors["02004"]
    return SimpleNamespace(
        codes=codes,
        end=dt.date(2024, 12, 31),
        sectors=[
            SimpleNamespace(
                pk=sector.pk,
                name=sector.name,
                municipality=SimpleNamespace(cvegeo="02004", name="Tijuana"),
            )
        ],
        parameters=lambda: {"layer": "test"},
    )


def test_rising_sector_and_repeat_place_are_candidates(personas, territory, settings, tmp_path):
    settings.CIVICA_WAREHOUSE_DIR = str(tmp_path / "warehouse")
    rows, n = [], 0
    for year in (2022, 2023, 2024):
        for month in (1, 4, 7, 10):
            # Sector Tijuana: 10 genuine calls a quarter, 30 in 2024; Sector 2: 10 always.
            for sector, count in (("Sector Tijuana", 30 if year == 2024 else 10), ("S2", 10)):
                for k in range(count):
                    n += 1
                    place = ",-116.9851,32.4651" if sector == "S2" and year == 2024 else ",,"
                    rows.append(
                        f"F{n},{year}-{month:02d}-{k % 28 + 1:02d} 10:00:00,si,{sector}{place}\n"
                    )
                rows.append(f"N{n},{year}-{month:02d}-02 11:00:00,no,{sector},,\n")  # not genuine
                n += 1
    path = tmp_path / "cad.csv"
    path.write_text(HEADER + "".join(rows), encoding="utf-8")
    calls.ingest_calls(
        path=path,
        municipality_code="02004",
        actor=personas.analyst_tijuana,
        mapping={
            "folio": "folio",
            "received": "recibida",
            "genuine": "procedente",
            "sector": "sector",
            "longitude": "longitud",
            "latitude": "latitud",
        },
    )
    found = scan_calls(personas.analyst_tijuana, _data(personas, territory, ["02004"]))
    by_key = {c.key: c for c in found}
    rising = by_key["calls|rising|02004|Sector Tijuana"]
    assert rising.source == "calls"
    assert rising.sector_ids == (territory.sectors["02004"].pk,)
    # The calls end on 28 Oct 2024: the last whole quarter is 2024-T3. In 2024 the 10 calls
    # of S2 a quarter lie inside Sector Tijuana's polygon and are counted there.
    assert rising.evidence["quarters"][-1] == "2024-T3"
    assert rising.evidence["genuine_calls"] == [10] * 8 + [40] * 3
    assert rising.evidence["recent"] == 10 + 3 * 40 and rising.evidence["baseline"] == 70
    assert rising.summary.startswith("130 llamadas de servicio procedentes")
    assert not any(k.startswith("calls|rising|02004|S2") for k in by_key)
    places = [c for c in found if c.evidence["kind"] == "repeat_place"]
    assert len(places) == 1 and places[0].evidence["calls"] == 30  # 2024-T1 to T3
    assert places[0].sector_names == ("Sector Tijuana",)  # placed by its coordinates
    # Another municipality's analyst sees none of it.
    assert scan_calls(personas.analyst_cuauhtemoc, _data(personas, territory, ["09015"])) == []
