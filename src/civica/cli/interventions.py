"""``civica interventions …``: the registry, evaluation designs and their results."""

from __future__ import annotations

import datetime

import click
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from civica.accounts.access import SYSTEM
from civica.cli.output import emit, format_option
from civica.cli.runtime import django_command


def _window(ctx, param, value):
    try:
        start, end = (datetime.date.fromisoformat(part) for part in value.split(":"))
    except ValueError:
        raise click.BadParameter(
            _("write the window as FIRST:LAST, e.g. 2014-01-01:2014-12-31")
        ) from None
    return start, end


@click.group()
def interventions():
    """Interventions, their evaluation designs and results.

    \b
    Example:
        civica interventions evaluate 3
    """


@interventions.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@django_command
def import_(path):
    """Import interventions from a CSV file, all or nothing.

    Columns: name, kind, municipality (CVEGEO of the leading one), municipalities (other
    CVEGEO of a program across places, separated by ";"; optional), sectors (names separated
    by ";", in any of the row's municipalities), crimes (separated by ";"), start, end,
    ramp_up_days, organization, description.

    \b
    Example:
        civica interventions import intervenciones.csv
    """
    from civica.interventions.services import import_interventions_csv

    try:
        created = import_interventions_csv(path=path, actor=SYSTEM)
    except ValueError as error:  # names the file, line and column
        raise click.ClickException(str(error)) from None
    click.echo(
        ngettext("%(n)d intervention imported.", "%(n)d interventions imported.", len(created))
        % {"n": len(created)}
    )


@interventions.command("design")
@click.argument("intervention_id", type=int)
@click.option(
    "--method",
    type=click.Choice(["before_after", "panel", "synthetic_control"]),
    default="before_after",
    show_default=True,
    help="Sector before/after or sector-by-month panel on an incident layer, or a "
    "synthetic control from SESNSP.",
)
@click.option("--layer", default="", help="Incident layer to count in (before_after).")
@click.option(
    "--donor-pool",
    type=click.Choice(["state", "nation"]),
    default="state",
    show_default=True,
    help="Municipalities a synthetic control is built from.",
)
@click.option(
    "--scale",
    "outcome_scale",
    type=click.Choice(["auto", "counts", "rate"]),
    default="auto",
    show_default=True,
    help="Outcome of a synthetic control: counts, rates per 100,000 inhabitants, or rates "
    "when the municipalities' sizes differ more than tenfold (auto).",
)
@click.option("--before", required=True, callback=_window, help="FIRST:LAST of the before window.")
@click.option("--after", required=True, callback=_window, help="FIRST:LAST of the after window.")
@click.option(
    "--comparison",
    default="",
    help='Comparison sector names separated by ";" (of the target sectors\' layer).',
)
@click.option("--buffer", "buffer_metres", type=click.IntRange(1), default=None, help="Metres.")
@click.option("--lock", is_flag=True, help="Lock the design now, so results can be shown.")
@django_command
def design(
    intervention_id,
    method,
    layer,
    donor_pool,
    outcome_scale,
    before,
    after,
    comparison,
    buffer_metres,
    lock,
):
    """Save an evaluation design for an intervention (and optionally lock it).

    \b
    Example:
        civica interventions design 3 --layer cdmx --before 2014-01-01:2014-12-31 \\
            --after 2015-01-01:2015-12-31 --comparison "C-1.1;C-1.2" --buffer 500 --lock
    """
    from civica.interventions.models import METHOD_SOURCE, Intervention
    from civica.interventions.services import create_design, lock_design
    from civica.territory.models import Sector

    intervention = Intervention.objects.filter(pk=intervention_id).first()
    if intervention is None:
        raise click.ClickException(_("No intervention with id %(id)s.") % {"id": intervention_id})
    layers = set(intervention.target_sectors.values_list("layer", flat=True))
    names = [n.strip() for n in comparison.split(";") if n.strip()]
    sectors = list(Sector.objects.filter(layer__in=layers, name__in=names))
    missing = sorted(set(names) - {s.name for s in sectors})
    if missing:
        raise click.ClickException(
            _("No sector named %(names)s in the layer of the target sectors (%(layers)s).")
            % {"names": ", ".join(missing), "layers": ", ".join(sorted(layers))}
        )
    saved = create_design(
        actor=SYSTEM,
        intervention=intervention,
        comparison_sectors=sectors,
        method=method,
        source=METHOD_SOURCE[method],
        incident_layer=layer,
        donor_pool=donor_pool,
        outcome_scale=outcome_scale,
        before_start=before[0],
        before_end=before[1],
        after_start=after[0],
        after_end=after[1],
        buffer_metres=buffer_metres,
    )
    if lock:
        lock_design(design=saved, actor=SYSTEM)
    click.echo(
        _("Design %(id)s saved%(locked)s.")
        % {"id": saved.pk, "locked": _(" and locked") if lock else ""}
    )


@interventions.command("evaluate")
@click.argument("design_id", type=int)
@format_option
@django_command
def evaluate_(design_id, fmt):
    """Evaluate a locked design by its own method: headline in Spanish and English, the
    estimate with its interval, p-value, degrees of freedom and standard error as numbers,
    and the method's rows (areas and counts, event study, or donor weights).

    \b
    Example:
        civica interventions evaluate 3 --format json
    """
    from civica.errors import DataQuestionError
    from civica.interventions import methods
    from civica.interventions.models import EvaluationDesign

    design = EvaluationDesign.objects.filter(pk=design_id).first()
    if design is None:
        raise click.ClickException(_("No evaluation design with id %(id)s.") % {"id": design_id})
    try:
        result = methods.evaluate(SYSTEM, design)
    except DataQuestionError as error:
        raise click.ClickException(str(error)) from None
    rows, facts = methods.table(result)
    meta = {
        "headline_es": methods.headline(result, "es-mx"),
        "headline_en": methods.headline(result, "en"),
        **methods.figures(result).as_dict(),
        **facts,
    }
    if fmt != "json":  # one line per fact; the numbers rounded for reading
        meta = {k: round(v, 4) if isinstance(v, float) else v for k, v in meta.items()}
    emit(rows, fmt, meta=meta)


@interventions.command("summary")
@format_option
@django_command
def summary(fmt):
    """The program-level range across the latest locked design of every intervention, each
    evaluated by its own method, with p-values and Holm adjustment from the same inference as
    each interval.

    \b
    Example:
        civica interventions summary --format csv
    """
    from civica.interventions.summary import program_summary

    result = program_summary(SYSTEM)
    rows = []
    for row in result.rows:
        f = row.figures.as_dict() if row.figures else {}
        rows.append(
            {
                "municipality": row.design.intervention.municipality.name,
                "intervention": row.design.intervention.name,
                "design": row.design.pk,
                "method": row.design.method,
                "percent_change": f.get("percent_change"),
                "lower": f.get("percent_lower"),
                "upper": f.get("percent_upper"),
                "p_value": f.get("p_value"),
                "df": f.get("df"),
                "se": f.get("se"),
                "p_holm": row.adjusted_p,
                "significant_holm": row.significant_after_adjustment if row.figures else None,
                "problem": row.problem,
            }
        )
    emit(
        rows,
        fmt,
        meta={"summary_es": result.sentence("es-mx"), "summary_en": result.sentence("en")},
    )
