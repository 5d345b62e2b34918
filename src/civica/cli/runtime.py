"""Starting Django from the command line, and turning known errors into clean messages."""

from __future__ import annotations

import functools
import gettext
import os
from collections.abc import Sequence
from pathlib import Path

import click

_ready = False
_LOCALE = Path(__file__).resolve().parents[1] / "locale"


def speak(language: str | None) -> None:
    """Make click's own messages (a missing argument, an unknown option, a bad value; see
    locale/es_MX/LC_MESSAGES/click.po) speak ``language`` (``es-mx`` by default, or ``en``),
    as the command's own messages do.

    Click words its messages with ``gettext.gettext``: Python's default domain, in the
    language of the environment (``LANGUAGE`` first). So the domain is pointed at Cívica's
    catalogue of click's messages, and ``LANGUAGE`` set for this process (and the processes
    it starts, which speak the same language anyway).
    """
    gettext.bindtextdomain("click", str(_LOCALE))
    gettext.textdomain("click")
    os.environ["LANGUAGE"] = "en" if language == "en" else "es_MX"


def setup_django(language: str | None = None, apps: Sequence[str] | None = None) -> None:
    """Configure Django once; commands call this before touching models.

    ``apps``: start Django with these installed apps alone, for a command that reads the
    models of no other app (``civica stats``: the territory and the official statistics).
    Importing and readying every app costs about a third of such a call (issue 19). Only a
    process where Django has not started yet is narrowed: in one that already runs every
    app (the tests, a command called from code) nothing changes.
    """
    global _ready
    if not _ready:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civica.settings")
        import django
        from django.apps import apps as registry

        if apps is not None and not registry.ready:
            from django.conf import settings

            settings.INSTALLED_APPS = list(apps)
        django.setup()
        _ready = True
    from django.conf import settings
    from django.utils import translation

    translation.activate(language or os.environ.get("CIVICA_LANGUAGE") or settings.LANGUAGE_CODE)


def ensure_django() -> None:
    """Start Django for the command being run, if it has not started: in the language chosen
    on the command line (or ``CIVICA_LANGUAGE``), with the apps its top-level command names
    (``django_apps``); then make that language the active one."""
    root = click.get_current_context().find_root()
    name = root.invoked_subcommand
    top = root.command.get_command(root, name) if name else None
    setup_django((root.params or {}).get("lang"), getattr(top, "django_apps", None))


def django_command(func):
    """Run ``func`` with Django ready, in the chosen language, with friendly errors."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        ensure_django()
        from django.core.exceptions import ValidationError

        from civica.errors import DataQuestionError
        from civica.sources.errors import SourceError

        try:
            return func(*args, **kwargs)
        except (SourceError, DataQuestionError) as error:
            raise click.ClickException(str(error)) from None
        except ValidationError as error:
            raise click.ClickException("; ".join(error.messages)) from None

    return wrapper


def echo_lines(lines) -> None:
    for line in lines:
        click.echo(line)
