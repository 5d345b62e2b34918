"""``civica analyze …``: hot spots, concentration and near repeat of incidents."""

from __future__ import annotations

import datetime
import itertools

import click
from django.utils.translation import gettext as _

from civica.accounts.access import SYSTEM
from civica.cli.output import emit, format_option
from civica.cli.runtime import django_command
from civica.tables import frame_csv


def _bands(ctx, param, value):
    try:
        bands = tuple(float(v) for v in value.split(","))
    except ValueError:
        raise click.BadParameter(_("use increasing numbers separated by commas")) from None
    if bands[0] != 0 or any(b <= a for a, b in itertools.pairwise(bands)):
        raise click.BadParameter(_("bands start at 0 and increase, e.g. 0,7,14,21"))
    return bands


def selection_options(func):
    for option in reversed(
        [
            click.option(
                "--layer", required=True, help="Incident dataset (civica ingest incidents)."
            ),
            click.option(
                "--crime", default=None, help="Crime as written in the file (default: all)."
            ),
            click.option(
                "--from",
                "start",
                type=click.DateTime(["%Y-%m-%d"]),
                default=None,
                help="First day, YYYY-MM-DD.",
            ),
            click.option(
                "--to",
                "end",
                type=click.DateTime(["%Y-%m-%d"]),
                default=None,
                help="Last day, YYYY-MM-DD.",
            ),
            click.option(
                "--municipality",
                metavar="CVEGEO",
                default=None,
                help="Only incidents placed in this municipality.",
            ),
        ]
    ):
        func = option(func)
    return func


def _selection(layer, crime, start, end, municipality):
    from civica.incidents.selectors import Selection

    return Selection(
        layer=layer,
        crime=crime,
        start=start.date() if isinstance(start, datetime.datetime) else None,
        end=end.date() if isinstance(end, datetime.datetime) else None,
        municipality=municipality,
    )


@click.group()
def analyze():
    """Where and when incidents cluster.

    \b
    Example:
        civica analyze hotspots --layer cdmx-ssp --crime "ROBO A TRANSEUNTE C.V." --cell 250
    """


@analyze.command("hotspots")
@selection_options
@click.option(
    "--cell",
    "cell_size",
    default=250.0,
    show_default=True,
    type=click.FloatRange(10),
    help="Cell size in metres (EPSG:6372).",
)
@click.option(
    "--unit",
    type=click.Choice(["cell", "sector", "cuadrante"]),
    default="cell",
    show_default=True,
    help="Grid cells, or police sectors / cuadrantes (touching polygons are neighbours).",
)
@click.option(
    "--trends",
    is_flag=True,
    help="Also classify each cell across the calendar years (new, persistent, …).",
)
@click.option(
    "--permutations",
    default=0,
    show_default=True,
    type=click.IntRange(0, 9999),
    help="Conditional permutations for pseudo p-values (0: analytic only).",
)
@click.option("--seed", default=0, show_default=True, help="Seed of the permutations.")
@click.option("--no-fdr", is_flag=True, help="Do not control the false discovery rate.")
@click.option(
    "--bandwidth",
    default=None,
    type=float,
    help="Also a KDE surface with this bandwidth in metres (warns below the cell).",
)
@click.option(
    "--format", "fmt", type=click.Choice(["geojson", "csv"]), default="geojson", show_default=True
)
@click.option(
    "--output",
    type=click.File("w", encoding="utf-8"),
    default="-",
    help="File to write (default: standard output).",
)
@django_command
def hotspots(
    layer,
    crime,
    start,
    end,
    municipality,
    cell_size,
    unit,
    trends,
    permutations,
    seed,
    no_fdr,
    bandwidth,
    fmt,
    output,
):
    """Getis–Ord Gi* hot spots on a grid (or sectors), with Benjamini–Hochberg FDR control.

    Sector and cuadrante results are written as CSV.

    \b
    Example:
        civica analyze hotspots --layer cdmx-ssp --crime "ROBO A TRANSEUNTE C.V." \\
            --from 2015-01-01 --to 2015-12-31 --cell 250 --output hotspots.geojson
    """
    from civica.incidents import analysis

    selection = _selection(layer, crime, start, end, municipality)
    if unit != "cell":
        frame_csv(analysis.sector_hotspots(SYSTEM, selection, unit=unit), output, index=False)
        return
    if permutations:
        # Permutations take seconds to minutes: progress on standard error, and the result
        # stored by its inputs (as the pages' background jobs store theirs).
        from civica.cli.jobs import progress_printer
        from civica.incidents import jobs as incident_jobs
        from civica.jobs.services import compute

        result, _cached = compute(
            SYSTEM,
            incident_jobs.HOTSPOTS,
            incident_jobs.hotspot_inputs(
                selection,
                cell_size=cell_size,
                permutations=permutations,
                seed=seed,
                fdr=not no_fdr,
                bandwidth=bandwidth,
            ),
            progress=progress_printer(),
        )
    else:
        result = analysis.hotspots(
            SYSTEM,
            selection,
            cell_size=cell_size,
            permutations=permutations,
            seed=seed,
            fdr=not no_fdr,
            bandwidth=bandwidth,
        )
    if trends:
        history = analysis.hotspot_trends(SYSTEM, selection, cell_size=cell_size)
        result.cells["trend"] = history["trend"]
    if fmt == "geojson":
        output.write(result.geojson())
    else:
        output.write(result.csv())
    click.echo(
        _(
            "%(n)d incidents, %(hot)d hot and %(cold)d cold cells (%(level)s) of %(cells)d cells "
            "of %(size)g m in the study area"
        )
        % {
            "n": result.n_incidents,
            "hot": result.hot,
            "cold": result.cold,
            "level": result.level,
            "cells": len(result.cells),
            "size": cell_size,
        },
        err=True,
    )
    for note in result.notes:
        click.echo(note, err=True)


@analyze.command("concentration")
@selection_options
@click.option(
    "--unit",
    type=click.Choice(["cell", "sector", "cuadrante"]),
    default="cell",
    show_default=True,
    help="Places over which concentration is measured.",
)
@click.option("--cell", "cell_size", default=250.0, show_default=True, type=click.FloatRange(10))
@click.option("--curve", is_flag=True, help="Print the whole concentration curve instead.")
@format_option
@django_command
def concentration(layer, crime, start, end, municipality, unit, cell_size, curve, fmt):
    """Share of incidents in the busiest places, the concentration curve and its Gini.

    \b
    Example:
        civica analyze concentration --layer cdmx-ssp --unit cuadrante
    """
    from civica.incidents import analysis

    result = analysis.concentration_of(
        SYSTEM, _selection(layer, crime, start, end, municipality), unit=unit, cell_size=cell_size
    )
    if curve:
        rows = [
            {"share_of_places": float(u), "share_of_incidents": float(i)}
            for u, i in zip(result.unit_share, result.incident_share, strict=True)
        ]
    else:
        rows = [
            {"top_share_of_places": f, "share_of_incidents": result.share_top(f)}
            for f in (0.01, 0.05, 0.10, 0.25, 0.50)
        ]
    meta = {"places": result.units, "incidents": result.incidents, "gini": result.gini}
    from civica.messages import note_text

    for note in getattr(result, "notes", ()):
        meta.setdefault("notes", note_text(note))
    emit(rows, fmt, meta=meta)


@analyze.command("near-repeat")
@selection_options
@click.option(
    "--distance-bands",
    default="0,1,200,400,600,800,1000",
    show_default=True,
    callback=_bands,
    help="Band edges in metres; the first band is the same place.",
)
@click.option(
    "--time-bands",
    default="0,7,14,21,28,35,42,49,56",
    show_default=True,
    callback=_bands,
    help="Band edges in days.",
)
@click.option("--permutations", default=999, show_default=True, type=click.IntRange(19, 99999))
@click.option("--seed", default=0, show_default=True)
@click.option("--fresh", is_flag=True, help="Compute again instead of reusing the stored result.")
@format_option
@django_command
def near_repeat(
    layer,
    crime,
    start,
    end,
    municipality,
    distance_bands,
    time_bands,
    permutations,
    seed,
    fresh,
    fmt,
):
    """Knox test: pairs close in space and time against permutations of the event times.

    Every row has its p-value and its Benjamini–Hochberg q-value across the table; the
    summary says how many cells one expects at p ≤ 0.05 by chance alone. A cell where no
    pair falls (often the same-location band) has no test: empty p and q. The table is
    stored by its inputs (and the layer's snapshot): asking again answers at once, on the
    command line and on the near-repeat page alike.

    \b
    Example:
        civica analyze near-repeat --layer cdmx-ssp --crime "ROBO A CASA HABITACION C.V." \\
            --from 2015-01-01 --to 2015-12-31
    """
    from civica.cli.jobs import progress_printer
    from civica.incidents import analysis
    from civica.incidents import jobs as incident_jobs
    from civica.jobs.services import compute

    value, _cached = compute(
        SYSTEM,
        incident_jobs.NEAR_REPEAT,
        incident_jobs.near_repeat_inputs(
            _selection(layer, crime, start, end, municipality),
            distance_bands=distance_bands,
            time_bands=time_bands,
            permutations=permutations,
            seed=seed,
        ),
        progress=progress_printer(),
        fresh=fresh,
    )
    result = incident_jobs.knox_from_json(value)
    emit(
        result.to_frame().to_dict("records"),
        fmt,
        meta={
            "events": result.n_events,
            "permutations": permutations,
            "seed": seed,
            "cells_tested": result.n_tests,
            "expected_by_chance_at_0_05": result.expected_by_chance(0.05),
            "significant_at_0_05": int(result.significant(0.05).sum()),
            "significant_bh_at_0_05": int(result.significant(0.05, adjust="bh").sum()),
        },
    )
    click.echo(analysis.near_repeat_chance(result), err=True)


@analyze.command("sectors")
@selection_options
@click.option(
    "--unit", type=click.Choice(["sector", "cuadrante"]), default="sector", show_default=True
)
@format_option
@django_command
def sectors(layer, crime, start, end, municipality, unit, fmt):
    """Incidents per sector or cuadrante: count, per km² and per 1,000 residents a year.

    \b
    Example:
        civica analyze sectors --layer cdmx-ssp --municipality 09015 --from 2015-01-01 \\
            --to 2015-12-31
    """
    from civica.incidents import selectors

    rows = selectors.sector_rates(
        SYSTEM, _selection(layer, crime, start, end, municipality), kind_column=unit
    )
    emit(rows.to_dict("records"), fmt)


@analyze.command("priority")
@selection_options
@click.option("--sector", "sector_name", required=True, help="Sector or cuadrante name.")
@click.option(
    "--unit", type=click.Choice(["sector", "cuadrante"]), default="sector", show_default=True
)
@format_option
@django_command
def priority(layer, crime, start, end, municipality, sector_name, unit, fmt):
    """Priority crimes of a sector against its municipality, with the reasons for each.

    Needs the sector's resident population (import the layer with --population-field).

    \b
    Example:
        civica analyze priority --layer cdmx-ssp --sector C-1.1.1 --unit cuadrante
    """
    from civica.incidents import analysis
    from civica.official.explain import priority_rows

    result, sector = analysis.sector_priority(
        SYSTEM,
        _selection(layer, crime, start, end, municipality),
        sector_name=sector_name,
        layer_kind=unit,
    )
    rows = priority_rows(result, level="sector")
    emit(rows, fmt, meta={"sector": f"{sector.name} ({sector.municipality.name})"})
