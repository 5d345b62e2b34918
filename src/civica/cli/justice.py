"""``civica justice …``: juzgados, catalogues of faltas and historical case books."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

import click
from django.utils.translation import gettext as _

from civica.cli.runtime import django_command


def _date(ctx, param, value):
    if value is None:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(_("write the date as YYYY-MM-DD")) from None


def _decimal(ctx, param, value):
    if value is None:
        return None
    try:
        return Decimal(value)
    except InvalidOperation:
        raise click.BadParameter(_("write a number, e.g. 113.14")) from None


def _municipality(cvegeo):
    from civica.territory.models import Municipality

    try:
        return Municipality.objects.get(cvegeo=cvegeo)
    except Municipality.DoesNotExist:
        raise click.ClickException(
            _("Municipality %(code)s is not in the territory catalogue.") % {"code": cvegeo}
        ) from None


@click.group()
def justice():
    """Civic justice: juzgados, catalogues of faltas, historical case books.

    \b
    Example:
        civica justice load-cdmx-catalogue ../shared/data/cdmx_lcc_catalogo_faltas
    """


@justice.command("add-juzgado")
@click.argument("name")
@click.option("--municipality", "cvegeo", required=True, help="CVEGEO, e.g. 09015.")
@click.option("--address", default="", help="Street address shown on the pages.")
@django_command
def add_juzgado(name, cvegeo, address):
    """Create a juzgado cívico in a municipality (or leave the existing one as it is).

    \b
    Example:
        civica justice add-juzgado "Juzgado Cívico CUH-1" --municipality 09015
    """
    from civica.justice.models import Juzgado

    juzgado, created = Juzgado.objects.get_or_create(
        municipality=_municipality(cvegeo), name=name, defaults={"address": address}
    )
    click.echo(
        (_("Juzgado %(name)s created.") if created else _("Juzgado %(name)s already exists."))
        % {"name": juzgado.name}
    )


@justice.command("import-catalogue")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--municipality", "cvegeo", required=True, help="CVEGEO, e.g. 09015.")
@click.option("--valid-from", required=True, callback=_date, help="YYYY-MM-DD.")
@click.option("--valid-to", default=None, callback=_date, help="YYYY-MM-DD (open if omitted).")
@click.option(
    "--ordenamiento",
    default="Bando de Policía y Gobierno",
    show_default=True,
    help="The legal text that defines the faltas.",
)
@click.option(
    "--fine-unit", type=click.Choice(["UMA", "UC", "MXN"]), default="UMA", show_default=True
)
@click.option("--unit-value", default=None, callback=_decimal, help="Pesos per fine unit.")
@click.option(
    "--reincidents-may-commute/--reincidents-may-not-commute",
    default=True,
    show_default=True,
    help="The municipal rule on commutation for reincidents.",
)
@django_command
def import_catalogue(
    path,
    cvegeo,
    valid_from,
    valid_to,
    ordenamiento,
    fine_unit,
    unit_value,
    reincidents_may_commute,
):
    """Import a municipality's catalogue of faltas from CSV as a new version, all or nothing.

    Columns: code, article, fraction, text, family (dignidad, tranquilidad, seguridad,
    entorno, otra), class, fine_min, fine_max, community_hours_min, community_hours_max,
    arrest_hours_min, arrest_hours_max, commutable, conciliable, needs_complaint, note.

    \b
    Example:
        civica justice import-catalogue bando.csv --municipality 09015 --valid-from 2024-01-01
    """
    from civica.core.imports import ImportFailed
    from civica.justice.catalogue import import_catalogue_csv

    try:
        catalogue, summary = import_catalogue_csv(
            source=path,
            municipality=_municipality(cvegeo),
            valid_from=valid_from,
            valid_to=valid_to,
            ordenamiento=ordenamiento,
            fine_unit=fine_unit,
            unit_value=unit_value,
            reincidents_may_commute=reincidents_may_commute,
        )
    except ImportFailed as error:
        raise click.ClickException(str(error)) from None
    click.echo(
        _("%(n)d faltas imported into %(catalogue)s.")
        % {"n": summary.created, "catalogue": catalogue}
    )


@justice.command("load-cdmx-catalogue")
@click.argument("path", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--municipality",
    "cvegeos",
    multiple=True,
    help="CVEGEO of an alcaldía (repeat); all of CDMX (state 09) by default.",
)
@click.option("--valid-from", default="2019-06-07", show_default=True, callback=_date)
@click.option("--unit-value", default=None, callback=_decimal, help="Pesos per Unidad de Cuenta.")
@django_command
def load_cdmx_catalogue(path, cvegeos, valid_from, unit_value):
    """Load the Ley de Cultura Cívica de la CDMX catalogue (51 faltas, classes A–D) from the
    shared data folder cdmx_lcc_catalogo_faltas; a version already loaded is kept.

    \b
    Example:
        civica justice load-cdmx-catalogue ../shared/data/cdmx_lcc_catalogo_faltas
    """
    from civica.core.imports import ImportFailed
    from civica.justice.catalogue import load_cdmx_catalogue as load

    municipalities = [_municipality(code) for code in cvegeos] or None
    try:
        loaded = load(
            path, municipalities=municipalities, valid_from=valid_from, unit_value=unit_value
        )
    except (ImportFailed, FileNotFoundError, KeyError) as error:
        raise click.ClickException(str(error)) from None
    if not loaded:
        raise click.ClickException(_("No municipality of CDMX is in the territory catalogue."))
    click.echo(_("Catalogue of faltas loaded for %(n)d municipalities.") % {"n": len(loaded)})


@justice.command("import-cases")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--juzgado", "juzgado_name", required=True, help="Name (or id) of the juzgado.")
@django_command
def import_cases(path, juzgado_name):
    """Import a juzgado's historical case book from CSV, all or nothing; an impossible case
    is refused with its line, column and rule.

    Columns: folio, given_names, family_names, presented_at (YYYY-MM-DD HH:MM) required;
    birth_date, curp, sex, event_at, detained_at, medical_at, screened_at, guardian_at,
    hearing_started_at, hearing_ended_at, resolved_at, closed_at, offences (codes separated
    by ";"), detection, intoxication, risk_level, sanction, commutation, occupation, closure,
    fine_amount, unit_value, declared_daily_wage, arrest_hours, community_hours,
    clinical_age, fit, responsible, use_of_force, iph_folio, rnd_folio, boleta,
    call_911_folio, officer, police_unit, guardian_name, measure, commutation_reason.

    \b
    Example:
        civica justice import-cases libro-2024.csv --juzgado "Juzgado Cívico CUH-1"
    """
    from civica.core.imports import ImportFailed
    from civica.justice.imports import import_cases_csv
    from civica.justice.models import Juzgado

    found = Juzgado.objects.filter(name=juzgado_name)
    if juzgado_name.isdigit():
        found = found | Juzgado.objects.filter(pk=int(juzgado_name))
    juzgado = found.first()
    if juzgado is None:
        raise click.ClickException(
            _("No juzgado named %(name)s; create it with civica justice add-juzgado.")
            % {"name": juzgado_name}
        )
    try:
        summary = import_cases_csv(source=path, juzgado=juzgado)
    except ImportFailed as error:
        raise click.ClickException(str(error)) from None
    click.echo(
        _("%(n)d cases imported into %(juzgado)s.") % {"n": summary.created, "juzgado": juzgado}
    )


# The aggregates (indicators, reincidence) live in their own module.
from civica.cli.justice_analysis import indicators as _indicators  # noqa: E402
from civica.cli.justice_analysis import reincidence as _reincidence  # noqa: E402

justice.add_command(_indicators)
justice.add_command(_reincidence)
