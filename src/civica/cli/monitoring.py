"""``civica monitoring …`` and ``civica report …``: program records, indicators, fact sheet."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from civica.accounts.access import SYSTEM
from civica.cli.runtime import django_command

EXISTING_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)
PERIOD = click.option(
    "--period",
    required=True,
    help="FY2023 (Oct 2022–Sep 2023), FY2023Q1, 2023Q1, 2023, 2023-05 or 2022-11/2023-04.",
)
STATE = click.option("--state", default=None, help="Two-digit INEGI state code (default: all).")
OUTPUT = click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="File to write (default: standard output; PDF and XLSX need a file name).",
)


def _import(function, file, what):
    from civica.core.imports import ImportFailed

    try:
        summary = function(path=file, actor=SYSTEM)
    except ImportFailed as error:
        raise click.ClickException(str(error)) from None
    click.echo(summary.line(what))


@click.group()
def monitoring():
    """Program records and the indicator catalogue.

    Every import is atomic: a file with one bad row changes nothing and the message names
    the line and the column.

    \b
    Example:
        civica monitoring load-indicators
    """


@monitoring.command("import-activities")
@click.argument("file", type=EXISTING_FILE)
@django_command
def import_activities(file):
    """Create or update activities from CSV (code, name, implementer, start, end, goals,
    description; goals separated by ';').

    \b
    Example:
        civica monitoring import-activities activities.csv
    """
    from django.utils.translation import gettext as _

    from civica.monitoring.services import import_activities_csv

    _import(import_activities_csv, file, _("Activities"))


@monitoring.command("import-coverage")
@click.argument("file", type=EXISTING_FILE)
@django_command
def import_coverage(file):
    """Create or update coverage from CSV (activity, municipality, from, to, support_type,
    components); dates outside the activity's period are refused.

    \b
    Example:
        civica monitoring import-coverage coverage.csv
    """
    from django.utils.translation import gettext as _

    from civica.monitoring.services import import_coverage_csv

    _import(import_coverage_csv, file, _("Coverage"))


@monitoring.command("import-alliances")
@click.argument("file", type=EXISTING_FILE)
@django_command
def import_alliances(file):
    """Create or update alliances from CSV (name, purpose, members, municipalities, start,
    end; lists separated by ';').

    \b
    Example:
        civica monitoring import-alliances alliances.csv
    """
    from django.utils.translation import gettext as _

    from civica.monitoring.services import import_alliances_csv

    _import(import_alliances_csv, file, _("Alliances"))


@monitoring.command("load-indicators")
@click.argument("file", type=EXISTING_FILE, required=False)
@django_command
def load_indicators(file):
    """Load the indicator catalogue from CSV (default: the catalogue shipped with Cívica,
    which reproduces the program fact sheet's indicators).

    \b
    Example:
        civica monitoring load-indicators my_indicators.csv
    """
    from django.utils.translation import gettext as _

    from civica.monitoring.catalogue import default_catalogue_path, load_indicators_csv

    _import(load_indicators_csv, file or default_catalogue_path(), _("Indicators"))


@monitoring.command("load-targets")
@click.argument("file", type=EXISTING_FILE)
@django_command
def load_targets(file):
    """Load targets from CSV (indicator, period, territory, value).

    \b
    Example:
        civica monitoring load-targets targets.csv
    """
    from django.utils.translation import gettext as _

    from civica.monitoring.catalogue import load_targets_csv

    _import(load_targets_csv, file, _("Targets"))


@monitoring.command("load-demo")
@django_command
def load_demo():
    """Load the synthetic demo program (67 cities in 13 states) on the imported territory.

    \b
    Example:
        civica monitoring load-demo
    """
    from civica.monitoring import demo

    try:
        lines = demo.load()
    except demo.DemoTerritoryError as error:
        raise click.ClickException(str(error)) from None
    for line in lines:
        click.echo(line)


@monitoring.command("indicators")
@PERIOD
@STATE
@click.option(
    "--format", "fmt", type=click.Choice(["csv", "xlsx", "dhis2"]), default="csv", show_default=True
)
@click.option("--lang", "language", type=click.Choice(["es", "en"]), default="es")
@OUTPUT
@django_command
def indicators(period, state, fmt, language, output):
    """The indicator table of a period (values, targets, status) as CSV, XLSX or a DHIS2
    dataValueSets JSON; small counts of people are suppressed.

    \b
    Example:
        civica monitoring indicators --period FY2023 --format dhis2 -o fy2023.json
    """
    from django.utils import translation

    from civica.monitoring.periods import dhis2_period_note, parse_period
    from civica.monitoring.reports import exports
    from civica.monitoring.reports.report import indicator_rows
    from civica.monitoring.selectors import context_for

    context = context_for(SYSTEM, _period(parse_period, period), state_code=state)
    with translation.override("en" if language == "en" else "es-mx"):
        rows = indicator_rows(context)
        if fmt == "dhis2":
            try:
                data = exports.to_dhis2_json(rows, context)
            except ValueError as error:
                raise click.ClickException(str(error)) from None
            if note := dhis2_period_note(context.period):
                click.echo(note, err=True)
        elif fmt == "csv":
            data = exports.to_csv(exports.table_records(rows, context, language))
        else:
            if output is None:
                raise click.UsageError("XLSX needs --output FILE.")
            data = exports.to_xlsx(
                exports.table_records(rows, context, language), title=context.period.label
            )
    _audit_export(f"indicators {fmt} {context.period.label}")
    _write(data, output)


def _period(parse, label):
    try:
        return parse(label)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--period") from None


def _audit_export(label: str) -> None:
    from civica.audit.services import Action, record

    record(actor=SYSTEM, action=Action.EXPORT, object_type="monitoring.report", object_label=label)


def _write(data, output: Path | None) -> None:
    if output is None:
        if isinstance(data, bytes):
            sys.stdout.buffer.write(data)
        else:
            click.echo(data, nl=False)
        return
    output.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    click.echo(str(output), err=True)


@click.group()
def report():
    """Reports written from the records.

    \b
    Example:
        civica report factsheet --period FY2023 --lang en --format pdf -o factsheet.pdf
    """


@report.command("factsheet")
@PERIOD
@click.option(
    "--lang", "language", type=click.Choice(["es", "en"]), default="es", show_default=True
)
@click.option(
    "--format", "fmt", type=click.Choice(["html", "pdf"]), default="html", show_default=True
)
@OUTPUT
@django_command
def factsheet(period, language, fmt, output):
    """The program fact sheet of a period: overview, goals and activities, key achievements
    computed from the records, coverage map and indicator table, as HTML or PDF.

    \b
    Example:
        civica report factsheet --period FY2023 --lang es --format pdf -o hoja.pdf
    """
    from civica.monitoring.periods import parse_period
    from civica.monitoring.reports import factsheet as sheets
    from civica.monitoring.selectors import context_for

    context = context_for(SYSTEM, _period(parse_period, period))
    sheet = sheets.build(context, language=language)
    if fmt == "pdf":
        if output is None:
            output = Path(f"factsheet-{context.period.label}-{language}.pdf")
        data = sheets.render_pdf(sheet)
    else:
        data = sheets.render_html(sheet)
    _audit_export(f"factsheet {fmt} {context.period.label} {language}")
    _write(data, output)
