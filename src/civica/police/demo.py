"""The demo's official police figures: the real INEGI and SESNSP files of the data folder.

Each file is optional: a folder without it loads the rest and says what was skipped. These are
real published figures (not synthetic); reading all six takes a few seconds.
"""

from __future__ import annotations

from pathlib import Path

from django.utils.translation import gettext as _

__all__ = ["OFFICIAL_FILES", "load_official"]

OFFICIAL_FILES = [
    "cngmd2021_personal_seguridad_municipal/m3s1p2_cngmd2021.csv",
    "cngmd2021_presupuesto_seguridad_municipal/m3s1p74b_cngmd2021.csv",
    "cngmd2021_presupuesto_seguridad_municipal/m3s1p75_cngmd2021.csv",
    "cngmd2021_llamadas_emergencia_municipal/llamadas_mun.csv",
    "cnspe2022_personal_estatal_ingresos/personal_seguridad_rango_salarial.csv",
    "sesnsp_911_violencia_familiar_2019_2020/violencia_familiar_llamadas_911.csv",
]


def load_official(folder: Path, echo) -> None:
    from civica.accounts.access import SYSTEM
    from civica.police import services

    echo(_("· local police: official figures (INEGI CNGMD 2021, CNSPE 2022, SESNSP 9-1-1)…"))
    for name in OFFICIAL_FILES:
        path = Path(folder) / name
        if not path.is_file():
            echo("  " + _("skipped, not in the data folder: %(file)s") % {"file": name})
            continue
        for line in services.ingest_police_file(path=path, actor=SYSTEM).lines():
            echo(f"  {line}")
