"""A warehouse with the real SESNSP files, and round populations for hand-checked rates."""

from __future__ import annotations

import pytest

from civica.territory.catalog import STATES
from civica.territory.models import Municipality, PopulationEstimate, State

STATE_POPULATION = 4_000_000  # every state but Guanajuato, every year
GUANAJUATO_POPULATION = 6_000_000
LEON_POPULATION = 1_800_000


@pytest.fixture(scope="session")
def sesnsp_warehouse(tmp_path_factory, shared_data):
    """Ingested once per test session (the files are read-only, the warehouse too)."""
    from django.test import override_settings

    from civica.official import services

    root = tmp_path_factory.mktemp("warehouse")
    with override_settings(CIVICA_WAREHOUSE_DIR=str(root)):
        services.store_sesnsp(
            path=shared_data / "sesnsp_estatal" / "IDEFC_NM_estatal_2015-2024.csv.gz",
            cut="2024-11",
        )
        services.store_sesnsp(
            path=shared_data / "sesnsp_victimas_estatal" / "IDVFC_NM_ene25.csv.gz"
        )
        services.store_sesnsp(
            path=shared_data
            / "sesnsp_municipal"
            / "guanajuato_homicidios_2020-2025_formato_IDM.csv",
            cut="2025-11",
        )
        services.store_sesnsp(
            path=shared_data / "sesnsp_estatal" / "RNID_estatal_2026.csv.gz", cut="2026-03"
        )
    return root


@pytest.fixture
def stats_env(db, settings, sesnsp_warehouse):
    settings.CIVICA_WAREHOUSE_DIR = str(sesnsp_warehouse)
    states = [State(code=info.code, name=info.name) for info in STATES]
    State.objects.bulk_create(states)
    by_code = {s.code: s for s in State.objects.all()}
    PopulationEstimate.objects.bulk_create(
        PopulationEstimate(
            state=state,
            year=year,
            total=GUANAJUATO_POPULATION if code == "11" else STATE_POPULATION,
        )
        for code, state in by_code.items()
        for year in range(2015, 2027)
    )
    leon = Municipality.objects.create(cvegeo="11020", state=by_code["11"], name="León")
    PopulationEstimate.objects.bulk_create(
        PopulationEstimate(state=by_code["11"], municipality=leon, year=year, total=LEON_POPULATION)
        for year in range(2015, 2027)
    )
    return by_code
