"""``civica problems …``: scanning for problems, the list by stage, one problem's story and
the temporal profile of any sectors and crimes. Run as the system (all of Mexico)."""

from __future__ import annotations

import datetime
import json

import click
from django.utils.translation import gettext as _

from civica.accounts.access import SYSTEM
from civica.cli.output import emit, format_option
from civica.cli.runtime import django_command


def _date(ctx, param, value):
    if value is None:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(_("write the date as YYYY-MM-DD")) from None


@click.group()
def problems():
    """Problem-oriented policing: scanning, problems by SARA stage, temporal profiles.

    \b
    Example:
        civica problems scan --layer cdmx-ssp
    """


@problems.command("scan")
@click.option("--layer", required=True, help="Incident layer to scan.")
@click.option(
    "--end", callback=_date, help="Last day to read (YYYY-MM-DD); default: the last whole quarter."
)
@click.option(
    "--source",
    "sources",
    multiple=True,
    help="Only this scanning source (repeatable): hot_spots, rising_crimes, repeat_places, calls.",
)
@format_option
@django_command
def scan(layer, end, sources, fmt):
    """Candidate problems of an incident layer, each with its evidence.

    \b
    Example:
        civica problems scan --layer cdmx-ssp --end 2016-12-31 --format json
    """
    from civica.problems import scanning

    found = scanning.scan(SYSTEM, layer=layer, end=end, only=list(sources) or None)
    emit(
        [
            {
                "source": c.source,
                "key": c.key,
                "title": c.title,
                "municipality": c.municipality_code,
                "sectors": "; ".join(c.sector_names),
                "score": round(c.score, 3),
                "evidence": c.summary,
            }
            for c in found
        ],
        fmt,
    )


@problems.command("list")
@click.option("--municipality", help="Only problems of this municipality (CVEGEO).")
@click.option("--stage", help="Only problems at this stage (scanning, analysis, …).")
@format_option
@django_command
def list_(municipality, stage, fmt):
    """Problems by SARA stage, with the SESNSP step beside each.

    \b
    Example:
        civica problems list --municipality 09015
    """
    from civica.problems import selectors
    from civica.problems.catalog import SESNSP_STEP, Stage

    rows = [
        {
            "id": p.pk,
            "stage": Stage(p.stage).label,
            "sesnsp_step": str(SESNSP_STEP[p.stage]),
            "title": p.title,
            "municipalities": p.places_label,
            "priority": p.get_priority_display(),
            "crimes": "; ".join(p.crimes),
        }
        for value, items in selectors.by_stage(SYSTEM, municipality)
        for p in items
        if stage in (None, value)
    ]
    emit(rows, fmt)


@problems.command("show")
@click.argument("problem_id", type=int)
@format_option
@django_command
def show(problem_id, fmt):
    """One problem from scan to assessment.

    \b
    Example:
        civica problems show 3 --format json
    """
    from django.http import Http404

    from civica.problems import selectors
    from civica.problems.api import problem_data

    try:
        problem = selectors.problem_by_id(SYSTEM, problem_id)
    except Http404:
        raise click.ClickException(_("No problem %(id)s.") % {"id": problem_id}) from None
    data = problem_data(SYSTEM, problem, story=True)
    if fmt == "json":
        from civica.interventions.api import _json

        click.echo(json.dumps(_json(data), ensure_ascii=False, indent=1, default=str))
        return
    emit(
        [
            {"field": key, "value": json.dumps(value, ensure_ascii=False, default=str)}
            if isinstance(value, dict | list)
            else {"field": key, "value": value}
            for key, value in data.items()
        ],
        fmt,
    )


@problems.command("assign")
@click.argument("problem_id", type=int)
@click.option("--priority", type=click.Choice(["high", "medium", "low"]), help="The new priority.")
@click.option("--owner", help="Username of the new owner (someone who may work on it).")
@django_command
def assign(problem_id, priority, owner):
    """Change an accepted problem's priority and owner (audited, as on its page).

    \b
    Example:
        civica problems assign 3 --priority high --owner analista
    """
    from django.core.exceptions import ValidationError
    from django.http import Http404

    from civica.problems import selectors, services

    try:
        problem = selectors.problem_by_id(SYSTEM, problem_id)
    except Http404:
        raise click.ClickException(_("No problem %(id)s.") % {"id": problem_id}) from None
    person = problem.owner
    if owner:
        person = selectors.owner_candidates(problem).filter(username=owner).first()
        if person is None:
            raise click.ClickException(
                _("%(user)s may not work on this problem's municipalities.") % {"user": owner}
            )
    try:
        services.update_priority_and_owner(
            actor=SYSTEM,
            problem=problem,
            loaded_version=problem.updated_at.isoformat(),
            priority=priority or problem.priority,
            owner=person,
        )
    except ValidationError as error:
        raise click.ClickException(" ".join(error.messages)) from None
    click.echo(_("Priority and owner saved."))


@problems.command("temporal-profile")
@click.option("--layer", required=True, help="Incident layer.")
@click.option("--crime", "crimes", multiple=True, help="A crime (repeatable); default all.")
@click.option(
    "--sector", "sectors", multiple=True, type=int, help="A sector id (repeatable); default all."
)
@click.option("--from", "start", callback=_date, help="First day (YYYY-MM-DD).")
@click.option("--to", "end", callback=_date, help="Last day (YYYY-MM-DD).")
@format_option
@django_command
def temporal_profile(layer, crimes, sectors, start, end, fmt):
    """Hour × weekday and month counts of any sectors and crimes, with χ² tests.

    \b
    Example:
        civica problems temporal-profile --layer cdmx-ssp --crime "ROBO A TRANSEUNTE" \\
            --from 2016-01-01 --to 2016-12-31 --format json
    """
    from civica.problems import analyses

    result = analyses.temporal_profile(
        SYSTEM, layer=layer, crimes=crimes, sector_ids=sectors, start=start, end=end
    )
    if fmt == "json":
        click.echo(json.dumps(result, ensure_ascii=False, indent=1, default=str))
        return
    rows = [
        {"weekday": analyses.weekday_name(day), **{f"{h:02d}": v for h, v in enumerate(row)}}
        for day, row in enumerate(result["hour_weekday"])
    ]
    emit(rows, fmt)
