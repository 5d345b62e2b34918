"""Private: placebo-in-space and placebo-in-time inference for synthetic control.

Re-exported by :mod:`civica.stats.synthetic_control`, where the method is described.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Hashable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

import numpy as np
import pandas as pd

from civica.stats._notes import Note, read_only
from civica.stats._synth_fit import fit_arrays, placebo_chunk, rmspe_ratio
from civica.stats._synth_input import MIN_PRE_MONTHS, SyntheticControlError, as_frame, prepare
from civica.stats._synth_result import POOR_FIT_FRACTION, SyntheticControl, month_scale, result


@dataclass(frozen=True)
class PlaceboInSpace:
    """The treated fit ranked among placebo fits of every donor (Abadie et al. 2010 §4).

    ``fit`` is the treated unit's synthetic control. ``placebos`` are the donors refitted as
    if treated (each against the other donors), in donor order; ``placebo_gaps`` holds their
    gap paths (placebos × months, for the "spaghetti" chart next to ``fit.gaps``), with
    their pre/post RMSPE and ``placebo_ratios`` (post/pre). ``included`` marks placebos
    that enter the p-value: all, unless ``exclude_above`` is set, when placebos whose
    pre-period MSPE exceeds ``exclude_above`` times the treated one's are left out
    (``excluded`` names them). Donors whose pre-period series never varies cannot be
    placebos (``skipped_constant``). ``rank`` is 1 + the number of included placebos whose
    ratio is at least the treated one's (ties count against the treated unit), and
    ``p_value = rank / (n_included + 1)``; the smallest p-value possible is
    ``1 / (n_included + 1)``.
    """

    fit: SyntheticControl
    months: tuple
    placebos: tuple
    placebo_gaps: np.ndarray
    placebo_pre_rmspe: np.ndarray
    placebo_post_rmspe: np.ndarray
    placebo_ratios: np.ndarray
    included: np.ndarray
    treated_ratio: float
    rank: int
    n_included: int
    p_value: float
    exclude_above: float | None
    excluded: tuple
    skipped_constant: tuple
    notes: tuple[Note, ...]

    def gaps_frame(self, *, included_only: bool = True) -> pd.DataFrame:
        """Gap paths by month (rows) for the treated unit (first column) and the placebos.

        The table behind the "spaghetti" chart; ``included_only`` drops placebos left out
        of the p-value by ``exclude_above``.
        """
        keep = self.included if included_only else np.ones(len(self.placebos), dtype=bool)
        labels = [label for label, k in zip(self.placebos, keep, strict=True) if k]
        data = np.column_stack([self.fit.gaps, self.placebo_gaps[keep].T])
        return pd.DataFrame(
            data, index=pd.Index(self.months, name="month"), columns=[self.fit.treated, *labels]
        )


@dataclass(frozen=True)
class PlaceboInTime:
    """A synthetic control fitted with a fake start before the real one.

    Only months before ``real_start`` are used; ``fit`` is the synthetic control with
    ``fit.start == fake_start``, so ``fit.effect`` and ``fit.effect_percent`` are the fake
    effect over ``fit.n_post`` months, which should be near zero, and ``fit.rmspe_ratio``
    should be small compared with the real one (Abadie 2021 §7).
    """

    fake_start: Hashable
    real_start: Hashable
    fit: SyntheticControl
    effect: float
    effect_percent: float | None
    rmspe_ratio: float


def placebo_in_space(
    outcomes: pd.DataFrame | np.ndarray,
    treated: Hashable,
    start: Hashable,
    *,
    donors: Iterable[Hashable] | None = None,
    month_weights: Iterable[float] | None = None,
    exclude_above: float | None = None,
    processes: int = 1,
    counts: bool = True,
    poor_fit_fraction: float = POOR_FIT_FRACTION,
    min_pre_months: int = MIN_PRE_MONTHS,
    progress: Callable[[int, int], None] | None = None,
) -> PlaceboInSpace:
    """Fit the treated unit and every donor as a placebo; rank the RMSPE ratios.

    The treated unit's post/pre RMSPE ratio is compared with the same ratio of each donor
    refitted as if it had been treated at ``start``, its donor pool being the other donors
    (never the treated unit). Under the null of no effect anywhere, the treated unit's rank
    is uniform, so ``rank / (n + 1)`` is an exact permutation p-value (Abadie, Diamond &
    Hainmueller 2010 §4; Abadie 2021 §7). Dividing by the pre-period RMSPE keeps placebos
    with a poor fit from dominating; ``exclude_above`` instead drops them, as ADH (2010)
    did with placebos whose pre-period MSPE exceeded 20, 5 or 2 times the treated one's
    (a factor ``k`` on the MSPE is ``√k`` on the RMSPE).

    Parameters
    ----------
    outcomes, treated, start, donors, month_weights, counts, poor_fit_fraction, min_pre_months
        As for :func:`~civica.stats.synthetic_control.synthetic_control`.
    exclude_above : float, optional
        Leave out placebos whose pre-period MSPE is above this multiple of the treated
        unit's (ADH used 20, 5 and 2). Default: keep all.
    processes : int, default 1
        Worker processes for the placebo fits. The result is identical for any number; on a
        shared server one is the polite default (on a busy 2-core machine two were slower,
        see ``benchmarks/README.md``). Workers are fresh interpreters ("spawn"), so a script
        must call this under ``if __name__ == "__main__":``.
    progress : callable, optional
        Called as ``progress(done, total)`` after each placebo fit (one process) or each
        finished chunk (several), so a background job shows "placebo 12 of 45".

    Returns
    -------
    PlaceboInSpace

    Raises
    ------
    SyntheticControlError
        As :func:`synthetic_control`; also with fewer than 3 donors (each placebo needs 2).
    """
    if exclude_above is not None and not exclude_above >= 1:
        raise SyntheticControlError(
            f"exclude_above is a multiple of the treated unit's pre-period MSPE, at least 1 "
            f"(ADH used 2, 5 and 20), not {exclude_above!r}."
        )
    if int(processes) < 1:
        raise SyntheticControlError(f"processes must be 1 or more, not {processes!r}.")
    panel = prepare(outcomes, treated, start, donors, min_pre_months=min_pre_months)
    if len(panel.donors) < 3:
        raise SyntheticControlError(
            f"Placebo inference needs at least 3 donors (each placebo is fitted on the "
            f"others); there are {len(panel.donors)}.",
            units=panel.donors,
        )
    scale = month_scale(month_weights, panel.n_pre)
    fit = result(
        panel,
        fit_arrays(panel.values[0], panel.values[1:], panel.n_pre, scale),
        scale,
        counts=counts,
        poor_fit_fraction=poor_fit_fraction,
    )
    fitted = _run_placebos(panel.values, panel.n_pre, scale, int(processes), progress)
    return _rank(panel, fit, fitted, exclude_above)


def _run_placebos(values: np.ndarray, n_pre: int, scale, processes: int, progress=None) -> list:
    rows = list(range(1, values.shape[0]))
    if processes == 1:
        if progress is None:
            return placebo_chunk(values, rows, n_pre, scale)
        out = []
        for done, row in enumerate(rows, start=1):
            out.extend(placebo_chunk(values, [row], n_pre, scale))
            progress(done, len(rows))
        return out
    # Several chunks per worker even out uneven solve times; "spawn" is safe inside a web
    # server's threads, where forking a process that holds locks is not.
    chunks = [rows[i :: processes * 4] for i in range(processes * 4)]
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        max_workers=processes, mp_context=context, initializer=_one_blas_thread
    ) as pool:
        count = len(chunks)
        parts = pool.map(placebo_chunk, [values] * count, chunks, [n_pre] * count, [scale] * count)
        out = []
        for part in parts:
            out.extend(part)
            if progress is not None:
                progress(len(out), len(rows))
    return sorted(out, key=lambda item: item[0])


def _one_blas_thread() -> None:
    # Each worker's products are small; several BLAS threads per worker on a few cores only
    # contend with the other workers.
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # optional: without it the workers keep the BLAS default
        return
    threadpool_limits(1)


def _rank(panel, fit: SyntheticControl, fitted: list, exclude_above) -> PlaceboInSpace:
    months = panel.months
    usable = [item for item in fitted if item[1] is not None]
    skipped = tuple(panel.donors[row - 1] for row, gaps, _, _ in fitted if gaps is None)
    labels = tuple(panel.donors[row - 1] for row, _, _, _ in usable)
    gaps = np.array([item[1] for item in usable]).reshape(len(usable), len(months))
    pre = np.array([item[2] for item in usable], dtype=float)
    post = np.array([item[3] for item in usable], dtype=float)
    ratios = np.array([rmspe_ratio(b, a) for a, b in zip(pre, post, strict=True)], dtype=float)
    included = np.ones(len(usable), dtype=bool)
    if exclude_above is not None:
        included = pre**2 <= exclude_above * fit.pre_rmspe**2
    excluded = tuple(label for label, keep in zip(labels, included, strict=True) if not keep)
    n = int(included.sum())
    treated_ratio = fit.rmspe_ratio
    rank = 1 + int((ratios[included] >= treated_ratio).sum())
    notes = []
    if n + 1 < 20:
        notes.append(
            Note(
                "coarse_p_value",
                f"With {n} placebo(s) the p-value cannot fall below 1/{n + 1} = "
                f"{1 / (n + 1):.3f}; add donors for a test at the 5 % level.",
            )
        )
    if skipped:
        notes.append(
            Note(
                "placebos_skipped",
                f"{len(skipped)} donor(s) have the same value every month before the start "
                f"and cannot be placebos; they remain in the donor pools.",
            )
        )
    if excluded:
        notes.append(
            Note(
                "placebos_excluded",
                f"{len(excluded)} placebo(s) fit their own past more than {exclude_above:g} "
                f"times worse (in MSPE) than the treated unit and are left out of the p-value.",
            )
        )
    return PlaceboInSpace(
        fit=fit,
        months=months,
        placebos=labels,
        placebo_gaps=read_only(gaps),
        placebo_pre_rmspe=read_only(pre),
        placebo_post_rmspe=read_only(post),
        placebo_ratios=read_only(ratios),
        included=read_only(included),
        treated_ratio=treated_ratio,
        rank=rank,
        n_included=n,
        p_value=rank / (n + 1),
        exclude_above=exclude_above,
        excluded=excluded,
        skipped_constant=skipped,
        notes=tuple(notes),
    )


def placebo_in_time(
    outcomes: pd.DataFrame | np.ndarray,
    treated: Hashable,
    start: Hashable,
    fake_start: Hashable,
    *,
    donors: Iterable[Hashable] | None = None,
    month_weights: Iterable[float] | None = None,
    counts: bool = True,
    poor_fit_fraction: float = POOR_FIT_FRACTION,
    min_pre_months: int = MIN_PRE_MONTHS,
) -> PlaceboInTime:
    """Refit with the intervention moved back to ``fake_start``, before the real ``start``.

    Months from ``start`` on are dropped, so the real effect cannot leak in; a fake effect
    far from zero says the synthetic unit drifts from the treated one even without the
    intervention, and the real estimate is not credible (Abadie 2021 §7, "in-time placebos").

    Parameters
    ----------
    fake_start : label
        A month column after at least ``min_pre_months`` months and before ``start``.
    month_weights : floats, optional
        A diagonal ``V`` over the months before ``fake_start``.
    Others
        As for :func:`~civica.stats.synthetic_control.synthetic_control`.

    Returns
    -------
    PlaceboInTime
    """
    frame = as_frame(outcomes)
    for label, what in ((start, "start"), (fake_start, "fake start")):
        if label not in frame.columns:
            raise SyntheticControlError(
                f"The {what} month {label!r} is not a column of the outcomes.", months=(label,)
            )
    real = int(frame.columns.get_loc(start))
    fake = int(frame.columns.get_loc(fake_start))
    if fake >= real:
        raise SyntheticControlError(
            f"The fake start {fake_start!r} must come before the real start {start!r}.",
            months=(fake_start, start),
        )
    panel = prepare(
        frame.iloc[:, :real], treated, fake_start, donors, min_pre_months=min_pre_months
    )
    scale = month_scale(month_weights, panel.n_pre)
    fitted = fit_arrays(panel.values[0], panel.values[1:], panel.n_pre, scale)
    fit = result(panel, fitted, scale, counts=counts, poor_fit_fraction=poor_fit_fraction)
    return PlaceboInTime(
        fake_start=fake_start,
        real_start=start,
        fit=fit,
        effect=fit.effect,
        effect_percent=fit.effect_percent,
        rmspe_ratio=fit.rmspe_ratio,
    )
