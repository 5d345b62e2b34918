"""Near repeat as a background job: the Knox test of :func:`analysis.near_repeat` run by the
worker, its table kept by inputs (selection, bands, permutations, seed, layer snapshot and
the user's scope) so the same question is answered again without recomputing."""

from __future__ import annotations

import datetime

import numpy as np
from django.conf import settings
from django.utils.translation import gettext as _

from civica.incidents import analysis, selectors
from civica.incidents.selectors import Selection
from civica.jobs.registry import register
from civica.stats import KnoxResult

NEAR_REPEAT = "incidents.near_repeat"

_ARRAYS = (
    "observed",
    "expected",
    "ratio",
    "p_values",
    "z_scores",
    "exceedances",
    "permuted_std",
    "permuted_min",
    "permuted_max",
)


def near_repeat_inputs(
    selection: Selection,
    *,
    distance_bands=(0, 1, 200, 400, 600, 800, 1000),
    time_bands=(0, 7, 14, 21, 28, 35, 42, 49, 56),
    permutations: int = 999,
    seed: int = 0,
) -> dict:
    """The inputs of a near-repeat job, as JSON values."""
    return {
        "layer": selection.layer,
        "crime": selection.crime,
        "start": selection.start.isoformat() if selection.start else None,
        "end": selection.end.isoformat() if selection.end else None,
        "municipality": selection.municipality,
        "version": selection.version,
        "distance_bands": [float(b) for b in distance_bands],
        "time_bands": [float(b) for b in time_bands],
        "permutations": int(permutations),
        "seed": int(seed),
    }


def selection_of(inputs: dict) -> Selection:
    def day(value):
        return datetime.date.fromisoformat(value) if value else None

    return Selection(
        layer=inputs["layer"],
        crime=inputs.get("crime"),
        start=day(inputs.get("start")),
        end=day(inputs.get("end")),
        municipality=inputs.get("municipality"),
        version=inputs.get("version"),
    )


def _depends(user, inputs: dict) -> dict:
    """A new import of the layer is a new question: the snapshot's id is part of the key."""
    snapshot = selectors.snapshot(user, selection_of(inputs))
    return {"warehouse": str(settings.CIVICA_WAREHOUSE_DIR), "snapshot": snapshot.id}


def _compute(user, inputs: dict, progress) -> dict:
    progress(
        0,
        1,
        _("Counting pairs close in space and time against %(n)d permutations")
        % {"n": inputs["permutations"]},
    )
    result = analysis.near_repeat(
        user,
        selection_of(inputs),
        distance_bands=tuple(inputs["distance_bands"]),
        time_bands=tuple(inputs["time_bands"]),
        permutations=inputs["permutations"],
        seed=inputs["seed"],
    )
    progress(1, 1, "")
    return knox_to_json(result)


def _array(values: np.ndarray) -> dict:
    # JSON has no NaN (PostgreSQL's jsonb refuses it): missing values travel as null.
    data = np.asarray(values)
    listed = (
        np.where(np.isnan(data), None, data).tolist() if data.dtype.kind == "f" else data.tolist()
    )
    return {"dtype": data.dtype.str, "data": listed}


def knox_to_json(result: KnoxResult) -> dict:
    value = {name: _array(getattr(result, name)) for name in _ARRAYS}
    value.update(
        distance_bands=list(result.distance_bands),
        time_bands=list(result.time_bands),
        permutations=result.permutations,
        seed=result.seed,
        n_events=result.n_events,
        n_pairs_considered=result.n_pairs_considered,
    )
    return value


def knox_from_json(value: dict) -> KnoxResult:
    arrays = {}
    for name in _ARRAYS:
        dtype = np.dtype(value[name]["dtype"])
        data = np.array(value[name]["data"], dtype=float if dtype.kind == "f" else dtype)
        data.setflags(write=False)
        arrays[name] = data
    return KnoxResult(
        distance_bands=tuple(value["distance_bands"]),
        time_bands=tuple(value["time_bands"]),
        permutations=value["permutations"],
        seed=value["seed"],
        n_events=value["n_events"],
        n_pairs_considered=value["n_pairs_considered"],
        **arrays,
    )


register(NEAR_REPEAT, compute=_compute, depends=_depends)
