"""``civica police …``: official police figures (load and read)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from civica.accounts.access import SYSTEM
from civica.cli.runtime import django_command, echo_lines

EXISTING_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)
# The kinds of records (civica.police.imports.KINDS), named here so --help needs no Django.
KIND_NAMES = ("benefits", "budget", "certification", "headcount", "movements", "pay", "shifts")


@click.group()
def police():
    """Local police: official figures (INEGI CNGMD 2021, CNSPE 2022, SESNSP 9-1-1).

    \b
    Example:
        civica police ingest m3s1p2_cngmd2021.csv llamadas_mun.csv
        civica police profile 02002 --format json
    """


@police.command("ingest")
@click.argument("files", nargs=-1, required=True, type=EXISTING_FILE)
@django_command
def ingest(files):
    """Load official police files into the warehouse (kind read from the header).

    CNGMD 2021 staff (m3s1p2), spending by chapter (m3s1p74b), funds received (m3s1p75),
    emergency calls (llamadas_mun); CNSPE 2022 state police by income band; SESNSP 9-1-1
    family-violence calls. Each file is read whole before anything is stored: a bad file is
    refused with its line and column and nothing changes. The same file twice adds nothing.

    \b
    Example:
        civica police ingest m3s1p2_cngmd2021.csv m3s1p74b_cngmd2021.csv
    """
    from civica.police import services

    for file in files:
        echo_lines(services.ingest_police_file(path=file, actor=SYSTEM).lines())


@police.command("profile")
@click.argument("code")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="A readable summary or every figure as JSON.",
)
@django_command
def profile(code, fmt):
    """Official police figures of a municipality (CVEGEO, 5 digits), a state (2 digits) or
    the nation (00), beside the state's and the nation's.

    \b
    Example:
        civica police profile 02002 --format json
    """
    from django.utils.translation import gettext as _

    from civica.police import selectors

    kwargs = selectors.profile_arguments(code.strip())
    if kwargs is None:
        raise click.BadParameter(_("a CVEGEO (5 digits), a state code (2 digits) or 00"))
    from django.http import Http404

    try:
        result = selectors.official_profile(SYSTEM, **kwargs)
    except Http404:
        raise click.ClickException(_("Unknown area: %(code)s") % {"code": code}) from None
    if fmt == "json":
        click.echo(json.dumps(result.as_dict(), ensure_ascii=False, indent=1))
        return
    echo_lines(_profile_lines(result))


def _profile_lines(result) -> list[str]:
    from django.utils.translation import gettext as _

    from civica.tables import number_text

    def n(value, decimals=0):
        return "—" if value is None else number_text(value, decimals=decimals)

    lines = [f"{result.name} ({result.code}), {result.year}"]
    lines.extend(result.notes)
    if result.staff:
        lines.append(
            _("staff %(all)s; police and commanders (codes 1–7) %(police)s, women %(women)s")
            % {
                "all": n(result.staff.personnel),
                "police": n(result.staff.police),
                "women": n(result.staff.women_police),
            }
        )
        for row in result.staff.categories:
            lines.append(
                f"  {row.label}: {n(row.total)} ({n(row.men)} / {n(row.women)}) {row.status}"
            )
    for comparison in result.comparisons:
        lines.append(
            _("police per 1,000 inhabitants, %(area)s: %(rate)s")
            % {"area": comparison.label, "rate": n(comparison.rate, 2)}
        )
    if result.spending:
        for row in result.spending.chapters:
            lines.append(f"  {row.label}: {n(row.amount)} {row.status}")
        lines.append(
            _("personal services per police officer: %(amount)s pesos")
            % {"amount": n(result.spending.per_officer)}
        )
    for fund in result.funds:
        lines.append(f"  {fund.reference_year} {fund.fund} ({fund.fund_name}): {n(fund.amount)}")
    if result.calls:
        lines.append(
            _("emergency calls received: %(total)s, genuine %(genuine)s %(status)s")
            % {
                "total": n(result.calls.total),
                "genuine": n(result.calls.genuine),
                "status": result.calls.status,
            }
        )
    return lines


@police.command("import")
@click.argument("kind", type=click.Choice(sorted(KIND_NAMES)))
@click.argument("file", type=EXISTING_FILE)
@django_command
def import_records(kind, file):
    """Import a municipality's own police records from a CSV (one kind a file).

    Kinds: headcount (as_of, rank, function, sex, officers), pay (valid_from, rank,
    gross_monthly, net_monthly, officers), benefits (valid_from, benefit, officers_covered,
    monthly_cost), shifts (valid_from, scheme, officers), movements (month, movement, reason,
    officers), certification (as_of, function, officers, cup_in_force, confianza_in_force),
    budget (year, chapter, funding, amount); every file also has a municipality column
    (CVEGEO). The whole file is checked first: any bad cell refuses it, naming line and
    column; rows with the key of an existing record update it. Definitions: docs/police.md.

    \b
    Example:
        civica police import headcount plantilla_2024.csv
    """
    from civica.core.imports import ImportFailed
    from civica.police import imports

    try:
        summary = imports.import_police_records(kind=kind, path=file, actor=SYSTEM)
    except ImportFailed as error:
        raise click.ClickException(str(error)) from None
    click.echo(summary.line(str(imports.KINDS[kind].what)))


@police.command("indicators")
@click.argument("cvegeo")
@click.option("--on", "day", default=None, metavar="YYYY-MM-DD", help="Date (default: today).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="A readable list or JSON.",
)
@django_command
def indicators(cvegeo, day, fmt):
    """Indicators of a municipality's own police records in force on a date.

    \b
    Example:
        civica police indicators 02002 --on 2024-12-31 --format json
    """
    import datetime as dt
    from dataclasses import asdict

    from django.utils.translation import gettext as _

    from civica.police import records

    try:
        on = dt.date.fromisoformat(day) if day else None
    except ValueError:
        raise click.BadParameter(_("use YYYY-MM-DD")) from None
    from django.http import Http404

    try:
        values = records.indicators(SYSTEM, cvegeo, on=on)
    except Http404:
        raise click.ClickException(_("Unknown area: %(code)s") % {"code": cvegeo}) from None
    if fmt == "json":
        click.echo(
            json.dumps([asdict(v) for v in values], ensure_ascii=False, indent=1, default=str)
        )
        return
    for value in values:
        shown = "—" if value.value is None else f"{value.value:.2f} {value.unit}"
        click.echo(f"{value.label}: {shown} {value.as_of} {value.unavailable}".rstrip())


@police.command("calls-import")
@click.argument("file", type=EXISTING_FILE)
@click.option("--municipality", required=True, metavar="CVEGEO", help="Whose calls these are.")
@click.option(
    "--preset",
    type=click.Choice(["civica"]),
    default="civica",
    show_default=True,
    help="The documented column layout (docs/police.md).",
)
@click.option(
    "--map",
    "column_map",
    default=None,
    metavar="FIELD=COLUMN,…",
    help="Columns of another layout, e.g. folio=FOLIO,received=FH_RECEPCION.",
)
@click.option(
    "--sectors-layer",
    default=None,
    metavar="LAYER",
    help="Sector polygons to place calls with coordinates in (default: the municipality's "
    "only sector layer).",
)
@click.option(
    "--cuadrantes-layer",
    default=None,
    metavar="LAYER",
    help="Cuadrante polygons to place calls with coordinates in (default: the "
    "municipality's only cuadrante layer).",
)
@django_command
def calls_import(file, municipality, preset, column_map, sectors_layer, cuadrantes_layer):
    """Import CAD / 9-1-1 call records of a municipality into the warehouse.

    Every row is checked first (folio present and unique, date-times, CNIE code, genuine
    yes/no, times in order); the first problem refuses the file with its line and column.
    Calls with coordinates (longitud, latitud) are placed in the sector and cuadrante
    polygons that cover them; the others keep the sector the CAD recorded.

    \b
    Example:
        civica police calls-import cad_2024.csv --municipality 02002
    """
    from civica.police import calls
    from civica.sources.cad import PRESETS, parse_map

    mapping = parse_map(column_map) if column_map else PRESETS[preset]
    click.echo(
        calls.ingest_calls(
            path=file,
            municipality_code=municipality,
            mapping=mapping,
            actor=SYSTEM,
            sectors_layer=sectors_layer,
            cuadrantes_layer=cuadrantes_layer,
        )
    )


@police.command("calls")
@click.argument("cvegeo")
@click.option(
    "--by",
    type=click.Choice(["sector", "hour", "month", "all"]),
    default="sector",
    show_default=True,
    help="Group the response times.",
)
@click.option("--capture", default=90, show_default=True, help="Capture standard (seconds).")
@click.option("--dispatch", default=120, show_default=True, help="Dispatch standard (seconds).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="A table or JSON.",
)
@django_command
def calls_report(cvegeo, by, capture, dispatch, fmt):
    """Response-time percentiles of a municipality's calls against the standards.

    \b
    Example:
        civica police calls 02002 --by hour --format json
    """
    from dataclasses import asdict

    from civica.police import calls

    result = calls.report(
        SYSTEM, cvegeo, by=by, capture_standard=capture, dispatch_standard=dispatch
    )
    if fmt == "json":
        click.echo(json.dumps(asdict(result), ensure_ascii=False, indent=1, default=str))
        return
    click.echo(f"{cvegeo} cut {result.cut}: {result.rows} calls")
    for row in result.groups:
        click.echo(
            "{grp}: {calls} calls, capture p50 {c50} s p90 {c90} s ({cw}), "
            "dispatch p50 {d50} s p90 {d90} s ({dw})".format(
                grp=row["grp"],
                calls=row["calls"],
                c50=_seconds(row["capture_p50"]),
                c90=_seconds(row["capture_p90"]),
                cw=_share(row["capture_within"]),
                d50=_seconds(row["dispatch_p50"]),
                d90=_seconds(row["dispatch_p90"]),
                dw=_share(row["dispatch_within"]),
            )
        )


def _seconds(value) -> str:
    return "—" if value is None else f"{value:.0f}"


def _share(value) -> str:
    return "—" if value is None else f"{value * 100:.1f} %"
