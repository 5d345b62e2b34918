"""The ``civica`` command: a thin layer over the same services the web pages use."""

from __future__ import annotations

import importlib
import os

import click

from civica import __version__
from civica.cli.runtime import setup_django, speak

# Each command's module, imported only when that command is chosen (issue 19: a `civica stats`
# call does not load the modules of the other commands); `civica --help` imports them all to
# list their short help.
COMMANDS = {
    "analyze": "civica.cli.analyze:analyze",
    "audit": "civica.cli.audit:audit",
    "demo": "civica.cli.workspace:demo",
    "fetch": "civica.cli.ingest:fetch",
    "ingest": "civica.cli.ingest:ingest",
    "init": "civica.cli.workspace:init",
    "interventions": "civica.cli.interventions:interventions",
    "jobs": "civica.cli.jobs:jobs",
    "justice": "civica.cli.justice:justice",
    "keys": "civica.cli.workspace:keys",
    "monitoring": "civica.cli.monitoring:monitoring",
    "organizations": "civica.cli.organizations:organizations",
    "participants": "civica.cli.participants:participants",
    "police": "civica.cli.police:police",
    "problems": "civica.cli.problems:problems",
    "reinsertion": "civica.cli.reinsertion:reinsertion",
    "report": "civica.cli.monitoring:report",
    "serve": "civica.cli.workspace:serve",
    "stats": "civica.cli.stats:stats",
    "territory": "civica.cli.territory:territory",
    "users": "civica.cli.users:users",
    "warehouse": "civica.cli.ingest:warehouse",
    "worker": "civica.cli.jobs:worker",
}


class LazyGroup(click.Group):
    """A group that imports a command's module when the command is asked for by name."""

    def __init__(self, *args, lazy: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.lazy = lazy

    def list_commands(self, ctx):
        return sorted({*self.commands, *self.lazy})

    def get_command(self, ctx, name):
        if name not in self.commands and name in self.lazy:
            module, attribute = self.lazy[name].split(":")
            self.add_command(getattr(importlib.import_module(module), attribute), name)
        return self.commands.get(name)


@click.group(
    cls=LazyGroup,
    lazy=COMMANDS,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, "--version", "-V", prog_name="civica")
@click.option(
    "--lang",
    type=click.Choice(["es-mx", "en"]),
    envvar="CIVICA_LANGUAGE",
    default=None,
    help="Language of messages (default es-mx; also CIVICA_LANGUAGE).",
    # Read before any command's arguments, whose mistakes click then tells in it.
    callback=lambda _ctx, _param, language: speak(language) or language,
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
    # they speak it too. A command that reads few apps' models says which (``django_apps``).
    ctx = click.get_current_context()
    name = ctx.invoked_subcommand
    chosen = ctx.command.get_command(ctx, name) if name else None
    # A command group may start Django later itself (``django_later``; its option checks and
    # commands call ``ensure_django``): `civica ingest sesnsp` starts reading its file
    # first, so that the file is read while Django starts.
    if not getattr(chosen, "django_later", False):
        setup_django(lang, getattr(chosen, "django_apps", None))


def main() -> None:
    # A mistake found before ``--lang`` is read (an unknown command or root option) is told
    # in the language of CIVICA_LANGUAGE; ``--lang`` itself switches once it is read.
    speak(os.environ.get("CIVICA_LANGUAGE"))
    cli(prog_name="civica")
