"""``civica police …``: official police figures (load and read)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from civica.accounts.access import SYSTEM
from civica.cli.runtime import django_command, echo_lines

EXISTING_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


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
        echo_lines(services.ingest_police_file(path=file).lines())


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
