"""``civica territory …``: import the territory catalogue."""

from __future__ import annotations

from pathlib import Path

import click

from civica.cli.runtime import django_command, echo_lines

EXISTING_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)
REPAIR = click.option(
    "--repair-invalid",
    is_flag=True,
    help="Rebuild invalid polygons (self-intersections, spikes) and list them, "
    "instead of refusing the file.",
)


@click.group()
def territory():
    """Import states, municipalities, sectors and population.

    Every import is atomic (a bad file imports nothing) and idempotent (importing the same
    file again changes nothing and says so).

    \b
    Example:
        civica territory import-states mx_estados.topojson
    """


@territory.command("import-states")
@click.argument("file", type=EXISTING_FILE)
@click.option(
    "--code-field",
    default="id",
    show_default=True,
    help="Property holding the two-digit INEGI state code.",
)
@click.option(
    "--name-field",
    default=None,
    help="Property holding the name (default: INEGI's official names).",
)
@REPAIR
@django_command
def import_states(file, code_field, name_field, repair_invalid):
    """Import the 32 states with their boundaries from GeoJSON or TopoJSON.

    \b
    Example:
        civica territory import-states ../shared/data/mx_boundaries_mxmaps/mx_estados.topojson
    """
    from civica.territory import services

    echo_lines(
        services.import_states(
            path=file, code_field=code_field, name_field=name_field, repair_invalid=repair_invalid
        ).lines()
    )


@territory.command("import-municipalities")
@click.argument("file", type=EXISTING_FILE)
@click.option(
    "--code-field", default="id", show_default=True, help="Property holding the five-digit CVEGEO."
)
@click.option("--name-field", default=None, help="Property holding the municipality name.")
@click.option(
    "--names",
    "names_path",
    type=EXISTING_FILE,
    default=None,
    help="CSV of names by code (CONAPO CVE/Municipio or census region/municipio_name).",
)
@REPAIR
@django_command
def import_municipalities(file, code_field, name_field, names_path, repair_invalid):
    """Import municipalities with their boundaries from GeoJSON or TopoJSON.

    States must be imported first. Municipalities already known without a boundary (for
    example created from CONAPO) are listed at the end.

    \b
    Example:
        civica territory import-municipalities mx_municipios.topojson \\
            --names municipios_censo2020.csv
    """
    from civica.territory import services

    echo_lines(
        services.import_municipalities(
            path=file,
            code_field=code_field,
            name_field=name_field,
            names_path=names_path,
            repair_invalid=repair_invalid,
        ).lines()
    )


@territory.command("import-sectors")
@click.argument("file", type=EXISTING_FILE)
@click.option("--name-field", required=True, help="Property holding each polygon's name.")
@click.option("--layer", default=None, help="Name of the set of polygons (default: file name).")
@click.option(
    "--kind",
    type=click.Choice(["sector", "cuadrante", "other"]),
    default="sector",
    show_default=True,
    help="What the polygons are.",
)
@click.option(
    "--municipality-field",
    default=None,
    help="Property with the municipality code; otherwise found by location.",
)
@click.option("--population-field", default=None, help="Property with resident population.")
@click.option("--allow-overlaps", is_flag=True, help="Accept polygons that overlap each other.")
@click.option(
    "--remove-missing",
    is_flag=True,
    help="Delete sectors of this layer that are no longer in the file.",
)
@REPAIR
@django_command
def import_sectors(
    file,
    name_field,
    layer,
    kind,
    municipality_field,
    population_field,
    remove_missing,
    allow_overlaps,
    repair_invalid,
):
    """Import police sectors, cuadrantes or any named polygons below a municipality.

    \b
    Example:
        civica territory import-sectors sectores_2016.geojson --name-field sector \\
            --municipality-field cve_mun
    """
    from civica.territory import services

    echo_lines(
        services.import_sectors(
            path=file,
            name_field=name_field,
            layer=layer,
            kind=kind,
            municipality_field=municipality_field,
            population_field=population_field,
            remove_missing=remove_missing,
            allow_overlaps=allow_overlaps,
            repair_invalid=repair_invalid,
        ).lines()
    )


@territory.command("import-population")
@click.argument("files", nargs=-1, required=True, type=EXISTING_FILE)
@django_command
def import_population(files):
    """Import CONAPO population by year and sex (total, men, women; municipal or state).

    Municipalities that CONAPO lists but that have no boundary yet are created and reported.

    \b
    Example:
        civica territory import-population municipal_total.csv municipal_hombres.csv \\
            municipal_mujeres.csv
    """
    from civica.territory import services

    echo_lines(services.import_population(paths=list(files)).lines())
