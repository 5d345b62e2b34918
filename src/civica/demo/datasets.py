"""The public files the demo loads, and how to get them.

They are looked up in a local folder laid out like the project's shared data
(``mx_boundaries_mxmaps/…``, ``conapo_poblacion/…``, ``cdmx_hoyodecrimen/…``), or downloaded
from a base URL with the same layout (``CIVICA_DEMO_DATA_URL``) into the workspace, with
resume and a SHA-256 record.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import httpx

from civica.checksums import sha256_of
from civica.downloads import DownloadError, download_file

__all__ = ["DEMO_FILES", "DownloadError", "download_all", "missing_files"]


@dataclass(frozen=True)
class DemoFile:
    key: str
    relative_path: str


DEMO_FILES = [
    DemoFile("states", "mx_boundaries_mxmaps/mx_estados.topojson"),
    DemoFile("municipalities", "mx_boundaries_mxmaps/mx_municipios.topojson"),
    DemoFile("municipality_names", "mx_boundaries_mxmaps/municipios_censo2020.csv"),
    DemoFile("population_total", "conapo_poblacion/municipal_total.csv"),
    DemoFile("population_men", "conapo_poblacion/municipal_hombres.csv"),
    DemoFile("population_women", "conapo_poblacion/municipal_mujeres.csv"),
    DemoFile("state_population_total", "conapo_poblacion/entidad_total.csv"),
    DemoFile("state_population_men", "conapo_poblacion/entidad_hombres.csv"),
    DemoFile("state_population_women", "conapo_poblacion/entidad_mujeres.csv"),
    DemoFile("cdmx_sectors", "cdmx_hoyodecrimen/sectores_2016.geojson"),
    DemoFile("cdmx_cuadrantes", "cdmx_hoyodecrimen/cuadrantes_2016.geojson"),
]


def missing_files(folder: Path) -> list[str]:
    return [f.relative_path for f in DEMO_FILES if not (folder / f.relative_path).is_file()]


def paths_in(folder: Path) -> dict[str, Path]:
    return {f.key: folder / f.relative_path for f in DEMO_FILES}


def download_all(
    base_url: str, folder: Path, *, client: httpx.Client | None = None, progress=None, on_file=None
) -> Path:
    """Fetch every demo file not yet present under ``folder``; returns ``folder``.

    The SHA-256 of each file is appended to ``folder/SHA256SUMS`` so a later run (or a person)
    can verify what was used.
    """
    own_client = client is None
    client = client or httpx.Client(timeout=60, follow_redirects=True)
    base = base_url.rstrip("/") + "/"
    try:
        for demo_file in DEMO_FILES:
            target = folder / demo_file.relative_path
            if target.is_file():
                continue
            if on_file is not None:
                on_file(demo_file.relative_path)
            try:
                download_file(client, base + demo_file.relative_path, target, progress)
            except httpx.HTTPError as error:
                raise DownloadError(f"{base + demo_file.relative_path}: {error}") from error
            with (folder / "SHA256SUMS").open("a", encoding="ascii") as sums:
                sums.write(f"{sha256_of(target)}  {demo_file.relative_path}\n")
    finally:
        if own_client:
            client.close()
    return folder
