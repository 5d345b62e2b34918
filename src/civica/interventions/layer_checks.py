"""Whether an incident layer can answer a design: dates covered, no missing months, crimes
spelled as the layer spells them. Every refusal says what to change."""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass

import pandas as pd
from django.utils.translation import gettext as _

from civica.core.services import warehouse
from civica.errors import DataQuestionError
from civica.incidents.selectors import Selection, crimes, snapshot
from civica.interventions.areas import EvaluationError
from civica.interventions.models import EvaluationDesign
from civica.warehouse import incidents as warehouse_incidents
from civica.warehouse.store import Snapshot

__all__ = [
    "CheckedLayer",
    "check_layer",
    "frozen_version",
    "layer_version_at_lock",
    "month_start",
]


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


@dataclass(frozen=True)
class CheckedLayer:
    snapshot: Snapshot
    crimes: list[str]
    first: dt.date  # the layer's first and last day
    last: dt.date


def frozen_version(design: EvaluationDesign) -> str | None:
    """The layer cut the design was locked on (``None``: locked before cuts were frozen, or
    not yet locked; the current cut is read then)."""
    return (design.frozen or {}).get("layer_version")


def check_layer(user, design: EvaluationDesign) -> CheckedLayer:
    """The design's incident layer (at the cut frozen when the design was locked) once it is
    known to cover the windows without gaps and to spell every target crime."""
    version = frozen_version(design)
    snap = snapshot(user, Selection(design.incident_layer, version=version))
    first, last, present = _dates(snap)
    _check_windows_covered(design, first, last)
    _check_no_gaps(design, present)
    wanted = _check_crimes(
        user, design.incident_layer, design.intervention.target_crimes, version=version
    )
    return CheckedLayer(snap, wanted, first, last)


def _dates(snap) -> tuple[dt.date, dt.date, set[tuple[int, int]]]:
    """First and last day of the layer and its (year, month) pairs, in one scan."""
    return warehouse_incidents.dates_and_months(warehouse().path_of(snap))


def _check_no_gaps(design: EvaluationDesign, present: set[tuple[int, int]]) -> None:
    """A calendar month of the windows with no incident at all in the whole layer is a gap in
    the data (a month not loaded), not a month without crime: counting it as zero would fake
    a fall or a rise."""
    missing = [
        f"{month:%Y-%m}"
        for start, end in (
            (design.before_start, design.before_end),
            (design.after_start, design.after_end),
        )
        for month in pd.date_range(month_start(start), month_start(end), freq="MS")
        if (month.year, month.month) not in present
    ]
    if missing:
        raise EvaluationError(
            _(
                "The incident layer “%(layer)s” has no incidents at all in %(months)s: those "
                "months are missing from the data, not free of crime. Import them or choose "
                "windows without gaps."
            )
            % {"layer": design.incident_layer, "months": ", ".join(missing)}
        )


def _check_windows_covered(design: EvaluationDesign, first: dt.date, last: dt.date) -> None:
    if design.before_start < first or design.after_end > last:
        raise EvaluationError(
            _(
                "The incident layer “%(layer)s” covers %(first)s to %(last)s, but the design's "
                "windows run from %(start)s to %(end)s. Months without data would count as "
                "zero crimes: choose windows inside the layer's dates or import the missing "
                "months."
            )
            % {
                "layer": design.incident_layer,
                "first": first,
                "last": last,
                "start": design.before_start,
                "end": design.after_end,
            }
        )


def closest_crimes(name: str, known) -> list[str]:
    """Up to three known crime names that look like ``name`` (a typo, another spelling)."""
    return difflib.get_close_matches(name, sorted(known), n=3, cutoff=0.5)


def known_crimes(user, municipality_code: str) -> list[str]:
    """Crime names a target crime can be written as: those of every incident layer in the
    municipality and the SESNSP subtipos; empty when nothing is loaded yet (then any name
    is accepted, as the evaluation checks it against the layer it reads)."""
    from civica.incidents.selectors import layers
    from civica.warehouse import sesnsp

    names: set[str] = set()
    for row in layers(user):
        try:
            selection = Selection(row["layer"], municipality=municipality_code)
            names.update(name for name, _count in crimes(user, selection) if name)
        except DataQuestionError:
            continue
    manifest = warehouse().manifest()
    for level in ("municipal", "state"):
        snap = manifest.current(
            sesnsp.dataset_name(measure="crimes", level=level, methodology="2015")
        )
        if snap is not None:
            names.update(sesnsp.catalogue(warehouse().path_of(snap))["subtipo"].dropna())
            break
    return sorted(names)


def _check_crimes(user, layer: str, wanted: list[str], *, version=None) -> list[str]:
    present = {name for name, _count in crimes(user, Selection(layer, version=version)) if name}
    missing = [c for c in wanted if c not in present]
    if missing:
        hints = []
        for name in missing:
            close = closest_crimes(name, present)
            if close:
                hints.append(f"“{name}” → {', '.join(close)}")
        raise EvaluationError(
            _(
                "The incident layer “%(layer)s” has no crime named %(missing)s. Write the "
                "target crimes as the layer does%(hints)s."
            )
            % {
                "layer": layer,
                "missing": ", ".join(f"“{m}”" for m in missing),
                "hints": (_(" (closest: %(hints)s)") % {"hints": "; ".join(hints)})
                if hints
                else "",
            }
        )
    return list(wanted)


def layer_version_at_lock(user, design: EvaluationDesign) -> dict:
    """The layer's current cut and snapshot id, to freeze when the design is locked; empty
    when the layer is not loaded yet (the first evaluation then reads the current cut)."""
    try:
        snap = snapshot(user, Selection(design.incident_layer))
    except DataQuestionError:
        return {}
    return {"layer_version": snap.cut, "layer_snapshot": snap.id}
