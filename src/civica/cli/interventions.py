"""``civica interventions …``: the registry, evaluation designs and their results."""

from __future__ import annotations

import datetime

import click
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

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

    Columns: name, kind, municipality (CVEGEO), sectors (names separated by ";"), crimes
    (separated by ";"), start, end, ramp_up_days, organization, description.

    \b
    Example:
        civica interventions import intervenciones.csv
    """
    from civica.interventions.services import import_interventions_csv

    try:
        created = import_interventions_csv(path=path, actor=None)
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
    intervention_id, method, layer, donor_pool, before, after, comparison, buffer_metres, lock
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
        actor=None,
        intervention=intervention,
        comparison_sectors=sectors,
        method=method,
        source=METHOD_SOURCE[method],
        incident_layer=layer,
        donor_pool=donor_pool,
        before_start=before[0],
        before_end=before[1],
        after_start=after[0],
        after_end=after[1],
        buffer_metres=buffer_metres,
    )
    if lock:
        lock_design(design=saved, actor=None)
    click.echo(
        _("Design %(id)s saved%(locked)s.")
        % {"id": saved.pk, "locked": _(" and locked") if lock else ""}
    )


@interventions.command("evaluate")
@click.argument("design_id", type=int)
@format_option
@django_command
def evaluate_(design_id, fmt):
    """Evaluate a locked design: headline in Spanish and English, counts, interval.

    \b
    Example:
        civica interventions evaluate 3 --format json
    """
    from civica.interventions.evaluate import evaluate
    from civica.interventions.headline import headline
    from civica.interventions.models import EvaluationDesign

    design = EvaluationDesign.objects.filter(pk=design_id).first()
    if design is None:
        raise click.ClickException(_("No evaluation design with id %(id)s.") % {"id": design_id})
    if design.method == "synthetic_control":
        _emit_synthetic(design, fmt)
        return
    if design.method == "panel":
        _emit_panel(design, fmt)
        return
    result = evaluate(None, design)
    rows = [
        {"area": area.role, "sectors": len(area.names), "before": area.before, "after": area.after}
        for area in (result.target, result.comparison, result.buffer)
        if area is not None
    ]
    effect = result.effect
    meta = {
        "headline_es": headline(result, "es-mx"),
        "headline_en": headline(result, "en"),
        "rirr": round(effect.rirr, 4),
        "percent_change": round(effect.percent_change, 1),
        "ci95": f"{effect.percent_lower:.1f}% {effect.percent_upper:.1f}%",
        "layer": f"{result.layer} {result.layer_version}",
    }
    for notice in result.notices:
        meta[f"warning_{notice.code}"] = str(notice)
    emit(rows, fmt, meta=meta)


def _emit_panel(design, fmt) -> None:
    from civica.interventions.headline import panel_headline
    from civica.interventions.panel_design import evaluate_panel

    result = evaluate_panel(None, design)
    rows = [
        {
            "months_since_start": e.event_time,
            "percent_change": round(e.percent_change, 1),
            "lower": round(e.percent_lower, 1),
            "upper": round(e.percent_upper, 1),
        }
        for e in (result.staggered.event_study if result.staggered else ())
    ]
    r = result.regression
    meta = {
        "headline_es": panel_headline(result, "es-mx"),
        "headline_en": panel_headline(result, "en"),
        "irr": round(r.irr, 4),
        "ci95": f"{r.percent_lower:.1f}% {r.percent_upper:.1f}%",
        "cohorts": "; ".join(f"{s:%Y-%m}: {', '.join(n)}" for s, n in result.cohorts),
        "layer": f"{result.layer} {result.layer_version}",
    }
    if result.problem:
        meta["staggered_problem"] = result.problem
    emit(rows, fmt, meta=meta)


def _emit_synthetic(design, fmt) -> None:
    from civica.interventions.headline import municipal_headline
    from civica.interventions.municipal import evaluate_municipality

    result = evaluate_municipality(None, design)
    fit = result.fit
    rows = [
        {"donor": code, "name": result.donor_names.get(code, code), "weight": round(weight, 4)}
        for code, weight in fit.weights
    ]
    meta = {
        "headline_es": municipal_headline(result, "es-mx"),
        "headline_en": municipal_headline(result, "en"),
        "observed_after": round(fit.observed_post_total, 1),
        "synthetic_after": round(fit.synthetic_post_total, 1),
        "percent": None if fit.effect_percent is None else round(fit.effect_percent, 1),
        "pre_rmspe": round(fit.pre_rmspe, 3),
        "placebo_p": round(result.p_value, 4),
        "placebo_rank": f"{result.inference.rank}/{result.inference.n_included + 1}",
        "data": f"{result.dataset} {result.cut}",
    }
    for notice in result.notices:
        meta[f"warning_{notice.code}"] = str(notice)
    emit(rows, fmt, meta=meta)


@interventions.command("summary")
@format_option
@django_command
def summary(fmt):
    """The program-level range across the latest locked design of every intervention.

    \b
    Example:
        civica interventions summary --format csv
    """
    from civica.interventions.summary import program_summary

    result = program_summary(None)
    rows = []
    for row in result.rows:
        e = row.evaluation
        rows.append(
            {
                "municipality": row.design.intervention.municipality.name,
                "intervention": row.design.intervention.name,
                "design": row.design.pk,
                "percent_change": round(e.effect.percent_change, 1) if e else None,
                "lower": round(e.effect.percent_lower, 1) if e else None,
                "upper": round(e.effect.percent_upper, 1) if e else None,
                "p_holm": f"{row.adjusted_p:.3g}" if row.adjusted_p is not None else None,
                "problem": row.problem,
            }
        )
    emit(
        rows,
        fmt,
        meta={"summary_es": result.sentence("es-mx"), "summary_en": result.sentence("en")},
    )
