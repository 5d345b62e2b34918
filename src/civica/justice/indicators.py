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

__all__ = ["municipalities_of", "result_of", "results_of"]


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
    """The figure ``name`` (with ``parameter``) over ``context``, with the breakdowns ``by``."""
    return results_of(context, [(name, parameter, by)])[0]


def results_of(context, asked) -> list[Result]:
    """The results of ``asked`` — ``(name, parameter, by)`` each — over one context, in
    order, from one :func:`~civica.justice.analysis.figures` call: the cases are counted
    once over every breakdown asked and the reincidence read once per breakdown, however
    many indicators the report shows (each indicator on its own read them again). A figure's
    total does not depend on its breakdown (the same rows, grouped or not), so an indicator
    with breakdowns takes its total from the first of them rather than asking for it apart:
    the reincidence and the resolution hours are read once less."""
    from civica.justice.analysis import figures  # pandas: when computed, not at start

    wanted, spans = [], []
    for name, parameter, by in asked:
        by_list = [by] if isinstance(by, str) else list(by or [])
        spans.append((len(wanted), by_list))
        wanted += [(name, parameter, b) for b in by_list or [None]]
    got = figures(
        wanted,
        municipality_ids=municipalities_of(context),
        start=context.period.start,
        end=context.period.end,
    )
    return [
        _result(name, parameter, context, by_list, got[first : first + max(1, len(by_list))])
        for (name, parameter, _by), (first, by_list) in zip(asked, spans, strict=True)
    ]


def _result(name: str, parameter: str, context, by_list: list, asked: list) -> Result:
    """One indicator's result from its figures: one per breakdown (the total's alone
    without any)."""
    total = asked[0]
    if total.total.value is None:
        reason = (
            _("not available: too few cases to show")
            if total.total.hidden
            else _("not available: no civic-justice records")
        )
        return Result.missing(reason)
    cells = []
    for key, got in zip(by_list, asked if by_list else [], strict=True):
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


def _asked(computation: str, parameters: dict) -> tuple[str, str, object]:
    """``(measure, parameter, by)`` of a registered computation's parameters."""
    name = computation.removeprefix("justice_")
    measure = MEASURES[name]
    value = parameters.get(measure.parameter, "") if measure.parameter else ""
    return name, str(value), parameters.get("by")


def _batch(asked: list) -> list[Result]:
    """Every civic-justice result asked by a report, one ``figures`` call per context."""
    by_context: dict = {}
    for index, (computation, context, parameters) in enumerate(asked):
        by_context.setdefault(context, []).append((index, _asked(computation, parameters)))
    results: list = [None] * len(asked)
    for context, items in by_context.items():
        for (index, _item), result in zip(
            items, results_of(context, [item for _i, item in items]), strict=True
        ):
            results[index] = result
    return results


def _register(name: str) -> None:
    measure = MEASURES[name]
    parameters: dict = {"by": BY}
    if measure.parameter:
        parameters[measure.parameter] = measure.choices

    def compute(context, **parameters) -> Result:
        return results_of(context, [_asked(f"justice_{name}", parameters)])[0]

    compute.__name__ = f"justice_{name}"
    registry.register(
        f"justice_{name}",
        parameters=parameters,
        description=str(measure.label),
        # Nothing to refresh: the analysis keeps nothing, each figure reads the records.
        reads=("justice", "territory"),
        batch=_batch,
    )(compute)


for _name in MEASURES:
    _register(_name)
