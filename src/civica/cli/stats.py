"""``civica stats …``: questions answered from the official statistics."""

from __future__ import annotations

import click
from django.utils.translation import gettext as _

from civica.accounts.access import SYSTEM
from civica.cli.output import emit, format_option
from civica.cli.runtime import django_command

LEVELS = ["bien_juridico", "tipo", "subtipo", "modalidad"]

# The apps whose models a `civica stats` command reads: the territory catalogue (names,
# populations) and the official statistics (crosswalks; the figures are Parquet snapshots).
# Every `civica stats` call starts Django with these alone (issue 19: the other apps'
# models and start-up hooks were a third of a call); test_stats_apps.py checks that each
# command prints the same with every app.
DJANGO_APPS = ("civica.territory", "civica.official")


def area_options(func):
    func = click.option(
        "--municipality", metavar="CVEGEO", default=None, help="Five-digit municipality code."
    )(func)
    func = click.option(
        "--state", metavar="CODE", default=None, help="Two-digit state code (default: the nation)."
    )(func)
    return func


def crime_options(func):
    func = click.option(
        "--level",
        type=click.Choice(LEVELS),
        default="subtipo",
        show_default=True,
        help="Catalogue level of --crime.",
    )(func)
    func = click.option(
        "--crime",
        default=None,
        help="Crime name at that level, as SESNSP writes it (default: all).",
    )(func)
    return func


def _area(state, municipality):
    from civica.warehouse.sesnsp import AreaFilter

    if municipality and len(municipality) == 4:
        municipality = municipality.zfill(5)
    if state and len(state) == 1:
        state = state.zfill(2)
    return AreaFilter(
        state_code=state or (municipality[:2] if municipality else None),
        municipality_code=municipality,
    )


def _crime(level, crime):
    from civica.warehouse.sesnsp import CrimeFilter

    return CrimeFilter(level=level, value=crime)


@click.group()
def stats():
    """Counts, rates, rankings and traffic lights from the official statistics.

    \b
    Example:
        civica stats series --crime "Homicidio doloso" --state 11 --by year
    """


stats.django_apps = DJANGO_APPS


@stats.command("series")
@crime_options
@area_options
@click.option(
    "--by",
    "granularity",
    type=click.Choice(["month", "quarter", "year", "fiscal-year"]),
    default="year",
    show_default=True,
    help="Period of each row.",
)
@click.option("--from", "first_year", type=int, default=None, help="First year.")
@click.option("--to", "last_year", type=int, default=None, help="Last year.")
@click.option(
    "--measure",
    type=click.Choice(["crimes", "victims"]),
    default="crimes",
    show_default=True,
    help="Crimes (carpetas) or victims.",
)
@click.option("--sex", default=None, help="Victims only: Hombre, Mujer, No identificado.")
@click.option("--age", "age_range", default=None, help="Victims only: the age range.")
@click.option("--cut", default=None, metavar="YYYY-MM", help="Publication cut (default: latest).")
@format_option
@django_command
def series(
    crime,
    level,
    state,
    municipality,
    granularity,
    first_year,
    last_year,
    measure,
    sex,
    age_range,
    cut,
    fmt,
):
    """Counts and rates per 100,000 inhabitants by month, quarter, year or fiscal year.

    Monthly rates are annualised: count ÷ days in the month × 365 ÷ population × 100,000.
    Longer periods: count × 12 ÷ months reported ÷ population × 100,000. Periods with
    months not reported yet are marked incomplete.

    \b
    Example:
        civica stats series --crime "Homicidio doloso" --measure victims --by fiscal-year
    """
    from civica.official import selectors

    result = selectors.series(
        SYSTEM,
        measure=measure,
        area=_area(state, municipality),
        crime=_crime(level, crime),
        granularity=granularity,
        first_year=first_year,
        last_year=last_year,
        cut=cut,
        sex=sex,
        age_range=age_range,
    )
    emit(
        result.to_records(),
        fmt,
        meta={
            "data": "; ".join(result.cuts),
            "rule": result.rule,
            "rates_per_100k_of": result.population,
            **({"notes": " ".join(result.notes)} if result.notes else {}),
        },
    )


@stats.command("ranking")
@crime_options
@click.option(
    "--state",
    metavar="CODE",
    default=None,
    help="Rank the municipalities of this state (default: rank the states).",
)
@click.option(
    "--period",
    "period_label",
    required=True,
    help="Year (2023), fiscal year (FY2023), quarter (2023-Q2) or month (2023-05).",
)
@click.option("--cut", default=None, metavar="YYYY-MM", help="Publication cut.")
@format_option
@django_command
def ranking(crime, level, state, period_label, cut, fmt):
    """Rank areas by the lower bound of the 95% interval of their rate (raw rate beside it).

    The lower bound keeps a small municipality with a few crimes from topping the list by
    chance.

    \b
    Example:
        civica stats ranking --crime "Homicidio doloso" --state 11 --period 2023
    """
    from civica.official import selectors
    from civica.stats import Period

    try:
        period = Period.parse(period_label)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--period") from None
    rows, snapshot = selectors.ranking(
        SYSTEM,
        crime=_crime(level, crime),
        period=period,
        state_code=state.zfill(2) if state else None,
        by="municipality" if state else "state",
        cut=cut,
    )
    emit([vars(row) for row in rows], fmt, meta={"data": f"{snapshot.dataset} {snapshot.cut}"})


@stats.command("semaforo")
@crime_options
@area_options
@click.option(
    "--months",
    default=12,
    show_default=True,
    type=click.IntRange(1, 120),
    help="How many recent months to show.",
)
@click.option("--cut", default=None, metavar="YYYY-MM", help="Publication cut.")
@format_option
@django_command
def semaforo(crime, level, state, municipality, months, cut, fmt):
    """Traffic light per month (Semáforo Delictivo rule, with season and noise allowed
    for): each month against the mean of the same month in the three previous years; green
    more than 25% below it, red above it, each only when the difference is beyond Poisson
    noise (exact one-sided test, p ≤ 0.05); yellow otherwise. Each row names its baseline
    months and p-value.

    \b
    Example:
        civica stats semaforo --crime "Homicidio doloso" --municipality 11020
    """
    from civica.official import selectors

    frame = selectors.traffic_light(
        SYSTEM,
        area=_area(state, municipality),
        crime=_crime(level, crime),
        cut=cut,
        months=months,
    )
    rows = [
        {
            "month": str(index),
            "count": row["count"],
            "baseline_mean": row["baseline_mean"],
            "pct_difference": row["pct_difference"],
            "p_value": row["p_value"],
            "status": row["status"],
            "baseline": f"{row['baseline_first']}…{row['baseline_last']}, same month",
        }
        for index, row in frame.iterrows()
    ]
    emit(rows, fmt, meta={"baseline": _("mean of the same month in the 3 previous years")})


@stats.command("priority")
@click.option("--municipality", metavar="CVEGEO", required=True, help="Municipality code.")
@click.option("--cut", default=None, metavar="YYYY-MM", help="Publication cut.")
@format_option
@django_command
def priority(municipality, cut, fmt):
    """Priority crimes of a municipality, each with the reasons it was chosen.

    The score weighs volume (share of the municipality's crimes, 35%), severity (35%), the
    trend against its own 3-year baseline (15%) and its rate against the state's (15%).

    \b
    Example:
        civica stats priority --municipality 11020
    """
    from civica.official import selectors
    from civica.official.explain import priority_rows

    result, snapshot = selectors.priority(SYSTEM, municipality_code=municipality.zfill(5), cut=cut)
    rows = priority_rows(result)
    emit(
        rows,
        fmt,
        meta={
            "data": f"{snapshot.dataset} {snapshot.cut}",
            **({"notes": " ".join(result.notes)} if result.notes else {}),
        },
    )
    for note in result.notes:
        click.echo(note, err=True)


@stats.command("vintages")
@click.option("--crime", default=None, help="With --year: how this crime's total changed.")
@click.option("--level", type=click.Choice(LEVELS), default="subtipo", show_default=True)
@click.option("--year", type=int, default=None, help="Year whose revisions to show.")
@click.option("--state", metavar="CODE", default=None)
@click.option(
    "--measure", type=click.Choice(["crimes", "victims"]), default="crimes", show_default=True
)
@format_option
@django_command
def vintages(crime, level, year, state, measure, fmt):
    """The publication cuts held, or how one year's total changed from cut to cut.

    \b
    Example:
        civica stats vintages --crime "Homicidio doloso" --measure victims --year 2023
    """
    from civica.official import selectors

    if year is None:
        emit(selectors.vintages(SYSTEM), fmt)
        return
    rows = selectors.revisions(
        SYSTEM, measure=measure, area=_area(state, None), crime=_crime(level, crime), year=year
    )
    emit(rows, fmt)


@stats.command("quality")
@crime_options
@click.option("--year", type=int, required=True, help="Year to check.")
@click.option("--cut", default=None, metavar="YYYY-MM", help="Publication cut.")
@format_option
@django_command
def quality(crime, level, year, cut, fmt):
    """Check each state's total against the sum of its municipalities for one year.

    SESNSP's state and municipal files differ where a state reports by judicial district or
    files crimes under pseudo-municipalities; a difference is a reason to read the municipal
    figures with care, not an error of the import.

    \b
    Example:
        civica stats quality --crime "Homicidio doloso" --year 2023
    """
    from civica.official import selectors

    rows = selectors.state_vs_municipalities(SYSTEM, crime=_crime(level, crime), year=year, cut=cut)
    emit(rows, fmt)
