"""Near repeat as a background job: the Knox test of :func:`analysis.near_repeat` run by the
worker, its table kept by inputs (selection, bands, permutations, seed, layer snapshot and
the user's scope) so the same question is answered again without recomputing."""

from __future__ import annotations

import dataclasses
import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils.translation import gettext as _

from civica.jobs.progress import within
from civica.jobs.registry import register

# The selectors (pandas, DuckDB, pyproj) and the analyses (SciPy) are imported when a job
# runs: Django imports this module on every start (the job registry's autodiscovery).
if TYPE_CHECKING:
    import numpy as np

    from civica.incidents.selectors import Selection
    from civica.stats import KnoxResult

NEAR_REPEAT = "incidents.near_repeat"


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
    from civica.incidents.selectors import Selection

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
    from civica.incidents import selectors

    snapshot = selectors.snapshot(user, selection_of(inputs))
    return {"warehouse": str(settings.CIVICA_WAREHOUSE_DIR), "snapshot": snapshot.id}


def _compute(user, inputs: dict, progress) -> dict:
    permutations = within(
        progress,
        0,
        1,
        _("Counting pairs close in space and time against %(n)d permutations")
        % {"n": inputs["permutations"]},
        unit=_("permutation"),
    )
    permutations(0, None)
    from civica.incidents import analysis  # SciPy: only when a job runs

    result = analysis.near_repeat(
        user,
        selection_of(inputs),
        distance_bands=tuple(inputs["distance_bands"]),
        time_bands=tuple(inputs["time_bands"]),
        permutations=inputs["permutations"],
        seed=inputs["seed"],
        progress=permutations,
    )
    progress(1, 1, "")
    return knox_to_json(result)


def _array(values: np.ndarray) -> dict:
    # JSON has no NaN (PostgreSQL's jsonb refuses it): missing values travel as null.
    import numpy as np  # imported late, like the statistics: every Django start imports this

    data = np.asarray(values)
    if data.dtype.kind == "f":
        return {"dtype": data.dtype.str, "data": np.where(np.isnan(data), None, data).tolist()}
    return {"dtype": data.dtype.str, "data": data.tolist()}


def knox_to_json(result: KnoxResult) -> dict:
    """Every field of the result as JSON values (arrays with their dtype)."""
    import numpy as np

    value = {}
    for field in dataclasses.fields(result):
        item = getattr(result, field.name)
        if isinstance(item, np.ndarray):
            value[field.name] = _array(item)
        elif isinstance(item, tuple):
            value[field.name] = [float(v) for v in item]
        else:
            value[field.name] = item.item() if isinstance(item, np.generic) else item
    return value


def knox_from_json(value: dict) -> KnoxResult:
    """The :class:`KnoxResult` stored by :func:`knox_to_json`, arrays read-only as made."""
    import numpy as np

    from civica.stats import KnoxResult  # imported late: every Django start imports this module

    fields = {}
    for field in dataclasses.fields(KnoxResult):
        item = value[field.name]
        if isinstance(item, dict) and "dtype" in item:
            dtype = np.dtype(item["dtype"])
            data = np.array(item["data"], dtype=float if dtype.kind == "f" else dtype)
            data.setflags(write=False)
            fields[field.name] = data
        elif isinstance(item, list):
            fields[field.name] = tuple(item)
        else:
            fields[field.name] = item
    return KnoxResult(**fields)


register(NEAR_REPEAT, compute=_compute, depends=_depends)


HOTSPOTS = "incidents.hotspots"


def hotspot_inputs(
    selection: Selection,
    *,
    cell_size: float,
    permutations: int,
    seed: int,
    fdr: bool,
    bandwidth: float | None,
) -> dict:
    """The inputs of a hot-spot job with conditional permutations, as JSON values."""
    inputs = near_repeat_inputs(selection, permutations=permutations, seed=seed)
    del inputs["distance_bands"], inputs["time_bands"]
    return inputs | {"cell_size": float(cell_size), "fdr": bool(fdr), "bandwidth": bandwidth}


def _hotspot_depends(user, inputs: dict) -> dict:
    """The layer's snapshot, and the study area: the grid covers the municipalities in
    scope, so an audited change of the territory (or any record) is a new question."""
    from django.db.models import Max

    from civica.audit.models import Action, AuditEvent

    last_change = AuditEvent.objects.filter(
        action__in=[Action.CREATE, Action.UPDATE, Action.DELETE]
    ).aggregate(last=Max("id"))["last"]
    return _depends(user, inputs) | {"last_change": last_change}


def _hotspots(user, inputs: dict, progress):
    cells = within(
        progress,
        0,
        1,
        _("Getis–Ord Gi* with %(n)d conditional permutations per cell")
        % {"n": inputs["permutations"]},
        unit=_("cell"),
    )
    cells(0, None)
    from civica.incidents import analysis  # SciPy: only when a job runs

    result = analysis.hotspots(
        user,
        selection_of(inputs),
        cell_size=inputs["cell_size"],
        permutations=inputs["permutations"],
        seed=inputs["seed"],
        fdr=inputs["fdr"],
        bandwidth=inputs["bandwidth"],
        progress=cells,
    )
    progress(1, 1, "")
    return result


register(HOTSPOTS, compute=_hotspots, depends=_hotspot_depends, pickled=True)


HOTSPOT_MAP = "incidents.hotspot_map"


def hotspot_map_inputs(selection: Selection, *, cell_size: float) -> dict:
    """The inputs of the map's hot-spot layer (analytical p-values, FDR 5%), as JSON values."""
    return hotspot_inputs(
        selection, cell_size=cell_size, permutations=0, seed=0, fdr=True, bandwidth=None
    )


def _hotspot_map(user, inputs: dict, progress) -> dict:
    """The cells the map draws (:meth:`HotSpotAnalysis.map_cells`): what is kept, so the
    same layer asked again is read, not computed (Gi* over 50 m cells of a city costs
    seconds), until the layer's incidents or the study area change."""
    from civica.incidents import analysis  # SciPy: only when a layer is computed

    return analysis.hotspots(
        user, selection_of(inputs), cell_size=inputs["cell_size"], fdr=inputs["fdr"]
    ).map_cells()


register(HOTSPOT_MAP, compute=_hotspot_map, depends=_hotspot_depends)
