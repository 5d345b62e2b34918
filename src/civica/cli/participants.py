"""``civica participants …``: synthetic data, counts of persons reached, CSV imports."""

from __future__ import annotations

from pathlib import Path

import click
from django.utils.translation import gettext as _

from civica.accounts.access import SYSTEM
from civica.cli.output import emit, format_option
from civica.cli.runtime import django_command, echo_lines

# Files at least this long report their progress on standard error.
PROGRESS_FROM = 2000
GROUP_KEYS = ["track", "municipality_id", "state_id", "sex", "age_band", "organization_id"]


@click.group()
def participants():
    """Case management of program participants: synthetic data, counts, imports.

    \b
    Example:
        civica participants reach --fiscal-year 2023 --by municipality_id
    """


@participants.command("generate")
@click.option("--persons", type=click.IntRange(1), default=10_000, show_default=True)
@click.option("--services", type=click.IntRange(1), default=300_000, show_default=True)
@click.option("--municipalities", type=click.IntRange(1), default=30, show_default=True)
@click.option("--states", type=click.IntRange(1), default=12, show_default=True)
@click.option(
    "--reached",
    type=click.IntRange(1),
    default=None,
    help="Exactly this many persons with an attended service in --fiscal-year.",
)
@click.option(
    "--fiscal-year",
    type=click.IntRange(2000, 2100),
    default=None,
    help="US fiscal year of --reached (FY2023 = Oct 2022 – Sep 2023).",
)
@click.option(
    "--fact-sheet",
    is_flag=True,
    help="The program fact sheet's figure: 10,000 persons, 300,000 services, 8,700 "
    "reached in FY2023 in 30 municipalities of 12 states.",
)
@click.option("--seed", type=int, default=1, show_default=True)
@django_command
def generate(persons, services, municipalities, states, reached, fiscal_year, fact_sheet, seed):
    """Write SYNTHETIC participants (flagged and named as such) into the real territory.

    Needs the territory imported first. Persons are marked synthetic, their family names
    are "Sintético-N", their organizations "Organización sintética …".

    \b
    Example:
        civica participants generate --fact-sheet --seed 1
    """
    from civica.participants.synthetic import FACT_SHEET, GeneratorError, generate

    params = dict(
        persons=persons,
        services=services,
        municipalities=municipalities,
        states=states,
        reached=reached,
        fiscal_year=fiscal_year,
    )
    if fact_sheet:
        params = dict(FACT_SHEET)
    try:
        summary = generate(seed=seed, **params)
    except GeneratorError as error:
        raise click.ClickException(str(error)) from None
    echo_lines(summary.lines())


@participants.command("reach")
@click.option(
    "--fiscal-year",
    type=click.IntRange(2000, 2100),
    default=None,
    help="US fiscal year (FY2023 = 1 Oct 2022 – 30 Sep 2023).",
)
@click.option("--start", type=click.DateTime(["%Y-%m-%d"]), default=None)
@click.option("--end", type=click.DateTime(["%Y-%m-%d"]), default=None)
@click.option(
    "--by", "by", multiple=True, type=click.Choice(GROUP_KEYS), help="Group by (repeatable)."
)
@click.option("--services", "with_services", is_flag=True, help="Count attended services too.")
@format_option
@django_command
def reach(fiscal_year, start, end, by, with_services, fmt):
    """Unique persons reached (at least one attended service) in a period, by group.

    Aggregates only, no personal data and no small-cell suppression: do not publish
    small groups as they are.

    \b
    Example:
        civica participants reach --fiscal-year 2023 --by state_id --by sex
    """
    import datetime as dt

    from civica.participants.reach import persons_reached, services_delivered

    if fiscal_year:
        start, end = dt.date(fiscal_year - 1, 10, 1), dt.date(fiscal_year, 9, 30)
    elif start and end:
        start, end = start.date(), end.date()
    else:
        raise click.UsageError(_("Give --fiscal-year, or --start and --end."))
    count = services_delivered if with_services else persons_reached
    try:
        rows = count(start=start, end=end, by=list(by))
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    emit(rows, fmt)


@participants.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--organization", required=True, help="Name of the responsible organization.")
@django_command
def import_csv(file, organization):
    """Import persons with consent and enrollment from a CSV file (all rows or none).

    Columns are listed in docs/participants.md; errors name the line and the column.

    \b
    Example:
        civica participants import personas.csv --organization "Fundación A"
    """
    from civica.organizations.models import Organization
    from civica.participants.imports import ImportFailed, import_persons_csv

    org = Organization.objects.filter(name=organization).first()
    if org is None:
        raise click.ClickException(_("No organization is named %(name)s.") % {"name": organization})

    def progress(done, total):
        if total >= PROGRESS_FROM:
            click.echo(
                _("%(done)d of %(total)d rows written") % {"done": done, "total": total}, err=True
            )

    try:
        result = import_persons_csv(actor=SYSTEM, organization=org, path=file, progress=progress)
    except ImportFailed as error:
        echo_lines(error.lines())
        raise click.ClickException(_("Nothing was imported.")) from None
    echo_lines(result.lines())


@participants.command("import-instrument")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--code", required=True, help="Short code of the instrument (versions share it).")
@click.option("--name", required=True, help="Name shown to case workers.")
@click.option(
    "--min-scales",
    type=click.IntRange(1),
    required=True,
    help="Eligible when at or above threshold on at least this many scales.",
)
@django_command
def import_instrument(file, code, name, min_scales):
    """Import a screening instrument as a new version from an XLSForm-like CSV.

    One row per item: scale, scale_label, item, item_label, threshold, scoring (sum|mean),
    min, max.

    \b
    Example:
        civica participants import-instrument yset.csv --code yset --name YSET --min-scales 4
    """
    from civica.participants.imports import ImportFailed, import_instrument_csv

    try:
        instrument = import_instrument_csv(path=file, code=code, name=name, min_scales=min_scales)
    except ImportFailed as error:
        echo_lines(error.lines())
        raise click.ClickException(_("Nothing was imported.")) from None
    click.echo(_("Imported %(instrument)s.") % {"instrument": instrument})
