"""Loading the demo territory from a folder, a download or the synthetic generator."""

from __future__ import annotations

from pathlib import Path

from django.utils.translation import gettext as _

from civica.demo import datasets, synthetic


def load_from_folder(folder: Path, echo) -> None:
    """Import the territory from files laid out like the shared data folder.

    The published boundary files hold a few invalid polygons (zero-width spikes left by
    simplification, one self-intersecting cuadrante); the demo repairs them and lists them.
    """
    from civica.territory import services
    from civica.territory.models import SectorKind

    paths = datasets.paths_in(folder)
    steps = [
        (_("states"), lambda: services.import_states(path=paths["states"], repair_invalid=True)),
        (
            _("municipalities"),
            lambda: services.import_municipalities(
                path=paths["municipalities"],
                names_path=paths["municipality_names"],
                repair_invalid=True,
            ),
        ),
        (
            _("population"),
            lambda: services.import_population(
                paths=[
                    paths["population_total"],
                    paths["population_men"],
                    paths["population_women"],
                    paths["state_population_total"],
                    paths["state_population_men"],
                    paths["state_population_women"],
                ]
            ),
        ),
        (
            _("CDMX police sectors"),
            lambda: services.import_sectors(
                path=paths["cdmx_sectors"],
                name_field="sector",
                layer="SSP sectores 2016",
                kind=SectorKind.SECTOR,
                municipality_field="cve_mun",
            ),
        ),
        (
            _("CDMX cuadrantes"),
            lambda: services.import_sectors(
                path=paths["cdmx_cuadrantes"],
                name_field="cuadrante",
                layer="SSP cuadrantes 2016",
                kind=SectorKind.CUADRANTE,
                municipality_field="cve_mun",
                repair_invalid=True,
            ),
        ),
    ]
    for label, step in steps:
        echo(f"· {label}…")
        for line in step().lines():
            echo(f"  {line}")


def load_synthetic(echo) -> None:
    for line in synthetic.load():
        echo(line)
