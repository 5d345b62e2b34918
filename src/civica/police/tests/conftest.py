"""A warehouse with the real official police files and CONAPO's real 2020 population."""

from __future__ import annotations

import pytest

POLICE_FILES = [
    "cngmd2021_personal_seguridad_municipal/m3s1p2_cngmd2021.csv",
    "cngmd2021_presupuesto_seguridad_municipal/m3s1p74b_cngmd2021.csv",
    "cngmd2021_presupuesto_seguridad_municipal/m3s1p75_cngmd2021.csv",
    "cngmd2021_llamadas_emergencia_municipal/llamadas_mun.csv",
    "cnspe2022_personal_estatal_ingresos/personal_seguridad_rango_salarial.csv",
    "sesnsp_911_violencia_familiar_2019_2020/violencia_familiar_llamadas_911.csv",
]


@pytest.fixture(scope="session")
def police_warehouse(tmp_path_factory, shared_data):
    """Ingested once per test session (the files are read-only, the warehouse too)."""
    from django.test import override_settings

    from civica.police import services

    root = tmp_path_factory.mktemp("police-warehouse")
    with override_settings(CIVICA_WAREHOUSE_DIR=str(root)):
        for name in POLICE_FILES:
            services.store_police_file(path=shared_data / name)
    return root


@pytest.fixture
def police_env(db, settings, police_warehouse, shared_data, personas):
    """Every state and municipality with CONAPO's 2020 population, and the warehouse."""
    from civica.territory.population import import_population

    settings.CIVICA_WAREHOUSE_DIR = str(police_warehouse)
    conapo = shared_data / "conapo_poblacion"
    import_population(
        paths=[conapo / "municipal_total.csv", conapo / "entidad_total.csv"], years=[2020]
    )
    return police_warehouse
