"""``civica justice indicators`` and ``civica justice reincidence``: the civic-justice
aggregates on the command line (tables, CSV or JSON; never a person)."""

from __future__ import annotations

import csv
import datetime
import json
import sys

import click
from django.utils.translation import gettext as _

from civica.cli.runtime import django_command

__all__ = ["indicators", "reincidence"]

FORMATS = click.Choice(["table", "csv", "json"])


def _date(ctx, param, value):
    if value is None:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(_("write the date as YYYY-MM-DD")) from None


def _period(start, end, *, months_back: int) -> tuple[datetime.date, datetime.date]:
    if end is None:
        first = datetime.date.today().replace(day=1)
        index = first.year * 12 + first.month - 1 - months_back
        end = datetime.date(index // 12, index % 12 + 1, 1) - datetime.timedelta(days=1)
    if start is None:
        index = end.year * 12 + end.month - 12
        start = datetime.date(index // 12, index % 12 + 1, 1)
    if end < start:
        raise click.BadParameter(_("the end comes before the start"), param_hint="--end")
    return start, end


def _municipalities(cvegeo):
    if not cvegeo:
        return None
    from civica.territory.models import Municipality

    found = list(Municipality.objects.filter(cvegeo__in=cvegeo).values_list("id", flat=True))
    if len(found) != len(set(cvegeo)):
        raise click.ClickException(
            _("Municipality %(code)s is not in the territory catalogue.")
            % {"code": ", ".join(cvegeo)}
        )
    return found


@click.command("indicators")
@click.option("--start", default=None, callback=_date, help="YYYY-MM-DD (default: 12 months).")
@click.option("--end", default=None, callback=_date, help="YYYY-MM-DD (default: last month).")
@click.option("--municipality", "cvegeo", multiple=True, help="CVEGEO; repeat for several.")
@click.option(
    "--by",
    type=click.Choice(["sex", "age_band", "juzgado", "family", "month"]),
    default=None,
    help="Break every indicator down by this group.",
)
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
@django_command
def indicators(start, end, cvegeo, by, fmt):
    """Civic-justice indicators of a period with numerators and denominators.

    Small groups are hidden (CIVICA_SUPPRESSION_THRESHOLD).

    \b
    Example:
        civica justice indicators --start 2025-01-01 --end 2025-12-31 --format json
    """
    from civica.justice import analysis
    from civica.justice.analysis import DASHBOARD_MEASURES

    start, end = _period(start, end, months_back=0)
    ids = _municipalities(cvegeo)
    records = []
    figures = analysis.table(ids, start=start, end=end, by=by)
    for (name, parameter), got in zip(DASHBOARD_MEASURES, figures, strict=True):
        for group, row in [("", got.total), *[(r.key, r) for r in got.rows]]:
            records.append(
                {
                    "indicator": name,
                    "parameter": parameter,
                    "unit": got.measure.unit,
                    "group": group,
                    "numerator": row.numerator,
                    "denominator": row.denominator,
                    "value": None if row.value is None else round(row.value, 2),
                    "hidden": row.hidden,
                }
            )
    _emit(records, fmt, {"start": start.isoformat(), "end": end.isoformat(), "by": by})


@click.command("reincidence")
@click.option("--start", default=None, callback=_date, help="YYYY-MM-DD: first resolution day.")
@click.option("--end", default=None, callback=_date, help="YYYY-MM-DD: last resolution day.")
@click.option("--municipality", "cvegeo", multiple=True, help="CVEGEO; repeat for several.")
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
@django_command
def reincidence(start, end, cvegeo, fmt):
    """Reincidence at 6 and 12 months of the persons resolved in a period, by sanction.

    Without dates: the 12 months that ended a year ago, so that most 12-month windows are
    observed. Adolescents appear as "new_contact", never as reincidence.

    \b
    Example:
        civica justice reincidence --start 2024-01-01 --end 2024-12-31 --format json
    """
    from civica.justice import analysis

    start, end = _period(start, end, months_back=12)
    ids = _municipalities(cvegeo)
    result = analysis.reincidence(ids, start=start, end=end)
    threshold = analysis.suppression_threshold()
    records = []
    curves = []
    if result is not None:
        for r in result.table:
            hidden = 0 < r.observed < threshold
            records.append(
                {
                    "measure": r.measure,
                    "group": r.group,
                    "window_months": r.window_months,
                    "persons": None if hidden else r.persons,
                    "under_observation": None if hidden else r.under_observation,
                    "observed": None if hidden else r.observed,
                    "events": None if hidden else r.events,
                    "share": None if hidden or r.share is None else round(r.share, 4),
                    "lower": None if hidden or r.lower is None else round(r.lower, 4),
                    "upper": None if hidden or r.upper is None else round(r.upper, 4),
                    "hidden": hidden,
                }
            )
        curves = [
            {
                "group": c.group,
                "population": c.population,
                "persons": c.persons,
                "returned_by_6_months": round(c.returned_by(6 * 30.4375), 4),
                "returned_by_12_months": round(c.returned_by(12 * 30.4375), 4),
                "at_risk": [{"month": m, "persons": n} for m, n in c.risk_table],
            }
            for c in result.curves
            if c.persons >= threshold
        ]
    meta = {
        "start": start.isoformat(),
        "end": end.isoformat(),
        "notes": [analysis.note_text(n) for n in result.notes] if result else [],
    }
    if fmt == "json":
        click.echo(json.dumps({**meta, "rows": records, "curves": curves}, ensure_ascii=False))
        return
    _emit(records, fmt, meta)


def _emit(records: list[dict], fmt: str, meta: dict) -> None:
    if fmt == "json":
        click.echo(json.dumps({**meta, "rows": records}, ensure_ascii=False))
        return
    if not records:
        click.echo(_("No civic-justice records in this selection."))
        return
    columns = list(records[0])
    if fmt == "csv":
        writer = csv.DictWriter(sys.stdout, columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(records)
        return
    for note in meta.get("notes", []):
        click.echo(note)
    click.echo(f"{meta['start']} – {meta['end']}")
    widths = {c: max(len(c), *(len(_cell(r[c])) for r in records)) for c in columns}
    click.echo("  ".join(c.ljust(widths[c]) for c in columns))
    for record in records:
        click.echo("  ".join(_cell(record[c]).ljust(widths[c]) for c in columns))


def _cell(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "✓" if value else ""
    return str(value)
