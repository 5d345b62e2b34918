"""The civic-justice indicator computations, registered in :mod:`civica.indicators` when the
app starts (``JusticeConfig.ready``); the monitoring catalogue names them (``JC-…`` rows of
``monitoring/data/indicators.csv``) and links each figure to its breakdown page
(``justice:indicator``: numerators and denominators by sex, age band, juzgado, offence family
and month).

Each computation returns the figure of :func:`civica.justice.analysis.figure` over the
period of the context and the municipalities of the viewer's scope (∩ the territory filter):
shares in percent with the small groups left out (their denominator below
``CIVICA_SUPPRESSION_THRESHOLD``), "not available" rather than a typed zero when nothing
was recorded.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from civica.indicators import Cell, Result, registry
from civica.justice.measures import BY, MEASURES
from civica.territory.models import Municipality

__all__ = ["municipalities_of", "result_of"]


def municipalities_of(context) -> frozenset[int] | None:
    """The viewer's scope intersected with the territory filter (``None``: everywhere)."""
    ids = context.municipality_ids
    if context.municipality_code or context.state_code:
        places = Municipality.objects.all()
        if context.municipality_code:
            places = places.filter(cvegeo=context.municipality_code)
        else:
            places = places.filter(state__code=context.state_code)
        found = set(places.values_list("id", flat=True))
        ids = frozenset(found if ids is None else found & set(ids))
    return ids


def result_of(name: str, context, *, by=None, parameter: str = "") -> Result:
    from civica.justice.analysis import figures  # pandas: when computed, not at start

    by_list = [by] if isinstance(by, str) else list(by or [])
    ids = municipalities_of(context)
    common = {
        "municipality_ids": ids,
        "start": context.period.start,
        "end": context.period.end,
    }
    # The total and every breakdown asked, from one reading of the records.
    asked = figures([(name, parameter, b) for b in [None, *by_list]], **common)
    total = asked[0]
    if total.total.value is None:
        reason = (
            _("not available: too few cases to show")
            if total.total.hidden
            else _("not available: no civic-justice records")
        )
        return Result.missing(reason)
    cells = []
    for key, got in zip(by_list, asked[1:], strict=True):
        for row in got.rows:
            if row.value is not None:
                cells.append(Cell(((key, row.key),), round(row.value, 1)))
    query = [
        ("measure", name),
        ("start", context.period.start.isoformat()),
        ("end", context.period.end.isoformat()),
    ]
    if parameter:
        query.append(("parameter", parameter))
    if context.municipality_code:
        query.append(("municipality", context.municipality_code))
    parts = {"numerator": total.total.numerator or 0, "denominator": total.total.denominator or 0}
    return Result(
        value=round(total.total.value, 1),
        parts=parts,
        cells=tuple(cells),
        records=("justice:indicator", tuple(query)),
    )


def _register(name: str) -> None:
    measure = MEASURES[name]
    parameters: dict = {"by": BY}
    if measure.parameter:
        parameters[measure.parameter] = measure.choices

    def compute(context, by=None, **chosen) -> Result:
        value = chosen.get(measure.parameter, "") if measure.parameter else ""
        return result_of(name, context, by=by, parameter=str(value))

    compute.__name__ = f"justice_{name}"
    registry.register(
        f"justice_{name}",
        parameters=parameters,
        description=str(measure.label),
        # Nothing to refresh: the analysis keeps nothing, each figure reads the records.
        reads=("justice", "territory"),
    )(compute)


for _name in MEASURES:
    _register(_name)
