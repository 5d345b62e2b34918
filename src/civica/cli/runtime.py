"""Starting Django from the command line, and turning known errors into clean messages."""

from __future__ import annotations

import functools
import os

import click

_ready = False


def setup_django(language: str | None = None) -> None:
    """Configure Django once; commands call this before touching models."""
    global _ready
    if not _ready:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civica.settings")
        import django

        django.setup()
        _ready = True
    from django.conf import settings
    from django.utils import translation

    translation.activate(language or os.environ.get("CIVICA_LANGUAGE") or settings.LANGUAGE_CODE)


def django_command(func):
    """Run ``func`` with Django ready, in the chosen language, with friendly errors."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        ctx = click.get_current_context()
        setup_django((ctx.find_root().params or {}).get("lang"))
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
