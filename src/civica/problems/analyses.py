"""The analyses a team attaches to a problem, computed once and kept as frozen snapshots.

Each function takes the requesting user (reads go through the incident selectors, so a user
analyses only incidents of their scope) and the analysis parameters, and returns
``(result, summary)``: a JSON-able result and a one-line summary in the user's language.
:func:`civica.problems.services.attach_analysis` stores them with their parameters.

The temporal profile (:func:`temporal_profile`) is also a question of its own (CLI
``civica problems temporal-profile``, ``GET /api/problems/temporal-profile/``): hour × weekday
and month counts for any set of sectors and crimes, counted in DuckDB
(:func:`civica.warehouse.incidents.temporal_counts`) and summarised by
:func:`civica.stats.temporal.temporal_profile`.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from civica.incidents import selectors as incident_selectors
from civica.incidents.selectors import IncidentsError, Selection

__all__ = ["hotspots", "near_repeat", "parameter_rows", "run", "temporal_profile"]

#: The parameters an analysis keeps, by their stored key, with their labels, in the order a
#: page lists them.
PARAMETER_LABELS = {
    "layer": gettext_lazy("incident layer"),
    "crime": gettext_lazy("crime"),
    "crimes": gettext_lazy("crimes"),
    "municipality": gettext_lazy("municipality"),
    "sector_ids": gettext_lazy("sectors"),
    "start": gettext_lazy("first day"),
    "end": gettext_lazy("last day"),
    "cell_size": gettext_lazy("cell size (m)"),
    "permutations": gettext_lazy("permutations"),
}


def parameter_rows(parameters: dict) -> list[tuple[str, str]]:
    """The kept parameters of an analysis as ``(label, value)`` in the user's language: the
    sectors counted (their ids say nothing to a reader), an empty crime or date said in words
    (every crime of the problem, no limit), lists joined. A key without a label keeps its
    name."""
    known = [key for key in PARAMETER_LABELS if key in parameters]
    rows = []
    for key in known + sorted(set(parameters) - set(known)):
        value = parameters[key]
        if key == "sector_ids":
            shown = (
                ngettext("%(n)s sector", "%(n)s sectors", len(value)) % {"n": len(value)}
                if value
                else _("every sector of your scope")
            )
        elif key in ("crime", "crimes") and not value:
            shown = _("All the problem's crimes")
        elif key in ("start", "end") and not value:
            shown = _("no limit")
        elif isinstance(value, list | tuple):
            shown = ", ".join(str(v) for v in value)
        else:
            shown = "—" if value in (None, "") else str(value)
        rows.append((str(PARAMETER_LABELS.get(key, key)), shown))
    return rows


def _date(value) -> dt.date | None:
    if value in (None, ""):
        return None
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def _month_exposure(start: dt.date | None, end: dt.date | None) -> list[int] | None:
    """How many times each calendar month occurs between ``start`` and ``end``."""
    if start is None or end is None:
        return None
    counts = [0] * 12
    month = dt.date(start.year, start.month, 1)
    while month <= end:
        counts[month.month - 1] += 1
        month = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return counts


def temporal_profile(
    user,
    *,
    layer: str,
    crimes=(),
    sector_ids=(),
    start=None,
    end=None,
    municipality: str | None = None,
) -> dict:
    """Hour × weekday and month counts of ``crimes`` in ``sector_ids`` (every crime, every
    sector of the scope when empty), with the tests of an even spread."""
    from civica.stats.temporal import temporal_profile as profile
    from civica.warehouse.incidents import temporal_counts

    start, end = _date(start), _date(end)
    selection = Selection(layer, municipality=municipality)
    snapshot = incident_selectors.snapshot(user, selection)
    frame = temporal_counts(
        incident_selectors.warehouse().path_of(snapshot),
        municipality_codes=incident_selectors._allowed_codes(user, selection),
        crimes=list(crimes),
        sector_ids=[int(i) for i in sector_ids],
        start=start,
        end=end,
    )
    if frame.empty:
        raise IncidentsError(_("No incidents match this selection in your scope."))
    repeat = frame["count"].to_numpy(dtype=int)
    result = profile(
        np.repeat(frame["weekday"].to_numpy(dtype=int), repeat),
        np.repeat(frame["hour"].to_numpy(dtype=int), repeat),
        np.repeat(frame["month"].to_numpy(dtype=int), repeat),
        month_exposure=_month_exposure(start, end),
    )
    return result.as_dict() | {
        "layer": layer,
        "version": snapshot.cut,
        "crimes": list(crimes),
        "sector_ids": [int(i) for i in sector_ids],
        "start": start.isoformat() if start else None,
        "end": end.isoformat() if end else None,
    }


def weekday_name(index: int) -> str:
    return [
        _("Monday"),
        _("Tuesday"),
        _("Wednesday"),
        _("Thursday"),
        _("Friday"),
        _("Saturday"),
        _("Sunday"),
    ][index]


def _temporal_summary(result: dict) -> str:
    if result["peak_hour"] is None:
        return _("%(total)s incidents; none has a recorded time.") % {"total": result["total"]}
    return _(
        "%(total)s incidents; the busiest hour is %(day)s %(hour)s:00 "
        "(%(count)s incidents); spread over the hours: p = %(p)s."
    ) % {
        "total": result["total"],
        "day": weekday_name(result["peak_weekday"]),
        "hour": f"{result['peak_hour']:02d}",
        "count": result["hour_weekday"][result["peak_weekday"]][result["peak_hour"]],
        "p": "—" if result["hour_p"] is None else f"{result['hour_p']:.2g}",
    }


def hotspots(user, *, layer, crime=None, start=None, end=None, municipality=None, cell_size=250):
    """The Gi* map's significant cells (FDR 5%) as GeoJSON, with the hottest listed."""
    from civica.incidents.analysis import hotspots as analyse

    selection = Selection(layer, crime or None, _date(start), _date(end), municipality or None)
    analysis = analyse(user, selection, cell_size=float(cell_size))
    cells = analysis.significant_cells()
    hot = cells[cells["z"] > 0].sort_values("z", ascending=False)
    return {
        "geojson": analysis.geojson(only_significant=True),
        "hot": int(analysis.hot),
        "cold": int(analysis.cold),
        "incidents": int(analysis.n_incidents),
        "cell_size": float(cell_size),
        "top": [
            {"count": int(r["count"]), "z": round(float(r["z"]), 2), "q": float(r["q"])}
            for r in hot.head(10).to_dict("records")
        ],
    }


def near_repeat(
    user, *, layer, crime=None, start=None, end=None, municipality=None, permutations=99
):
    """The Knox table (distance × time bands) with observed/expected and q-values."""
    from civica.incidents.analysis import near_repeat as analyse

    selection = Selection(layer, crime or None, _date(start), _date(end), municipality or None)
    result = analyse(user, selection, permutations=int(permutations))
    frame = result.to_frame()
    rows = [
        {
            "distance": f"{r['distance_from']:g}–{r['distance_to']:g}",
            "days": f"{r['time_from']:g}–{r['time_to']:g}",
            "observed": int(r["observed"]),
            "expected": round(float(r["expected"]), 2),
            "ratio": None if not np.isfinite(r["ratio"]) else round(float(r["ratio"]), 2),
            "q": None if not np.isfinite(r["q_value"]) else round(float(r["q_value"]), 4),
        }
        for r in frame.to_dict("records")
    ]
    return {"rows": rows, "events": int(result.n_events), "permutations": result.permutations}


def run(user, kind: str, parameters: dict) -> tuple[dict, str]:
    """The result of one analysis kind and its one-line summary."""
    if kind == "temporal_profile":
        result = temporal_profile(user, **parameters)
        return result, _temporal_summary(result)
    if kind == "hotspots":
        result = hotspots(user, **parameters)
        return result, _("%(hot)s hot and %(cold)s cold cells (Gi*, FDR 5%%).") % result
    if kind == "near_repeat":
        result = near_repeat(user, **parameters)
        close = [r for r in result["rows"] if r["q"] is not None and r["q"] <= 0.05]
        return result, _(
            "%(events)s incidents; %(n)s distance × time cells with more pairs than chance "
            "(q ≤ 0.05)."
        ) % {"events": result["events"], "n": len(close)}
    raise ValueError(kind)
