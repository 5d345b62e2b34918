"""The ``civica`` command: a thin layer over the same services the web pages use."""

from __future__ import annotations

import click

from civica import __version__
from civica.cli import (
    analyze,
    audit,
    ingest,
    interventions,
    jobs,
    justice,
    monitoring,
    organizations,
    participants,
    police,
    problems,
    reinsertion,
    stats,
    territory,
    users,
    workspace,
)
from civica.cli.runtime import setup_django


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "--version", "-V", prog_name="civica")
@click.option(
    "--lang",
    type=click.Choice(["es-mx", "en"]),
    envvar="CIVICA_LANGUAGE",
    default=None,
    help="Language of messages (default es-mx; also CIVICA_LANGUAGE).",
)
def cli(lang):
    """Cívica: evidence for crime and violence prevention in Mexican municipalities.

    The workspace (database, keys, downloads) lives in CIVICA_HOME; the database can be
    PostgreSQL through DATABASE_URL. See docs/cli.md for every command.

    \b
    Example:
        civica demo --data ../shared/data
    """
    # Option checks run before a command's body: the language must be chosen here, so that
    # they speak it too.
    setup_django(lang)


cli.add_command(workspace.init)
cli.add_command(workspace.demo)
cli.add_command(workspace.serve)
cli.add_command(workspace.keys)
cli.add_command(territory.territory)
cli.add_command(users.users)
cli.add_command(audit.audit)
cli.add_command(organizations.organizations)
cli.add_command(ingest.ingest)
cli.add_command(ingest.fetch)
cli.add_command(ingest.warehouse)
cli.add_command(stats.stats)
cli.add_command(analyze.analyze)
cli.add_command(interventions.interventions)
cli.add_command(monitoring.monitoring)
cli.add_command(monitoring.report)
cli.add_command(participants.participants)
cli.add_command(justice.justice)
cli.add_command(police.police)
cli.add_command(problems.problems)
cli.add_command(reinsertion.reinsertion)
cli.add_command(jobs.worker)
cli.add_command(jobs.jobs)


def main() -> None:
    cli(prog_name="civica")
