"""Private: conditional randomisation of local sums, vectorised over cells and permutations.

For each unit ``i`` with ``k_i`` neighbours other than itself, a permutation keeps ``x_i``
in place and gives its ``k_i`` neighbour slots ``k_i`` values drawn without replacement from
the ``n - 1`` other units (Anselin 1995's conditional randomisation, as in PySAL's
``crand``). The draws of one unit are independent of those of every other unit.

Sampling without replacement uses Floyd's algorithm, which needs ``k`` draws and no
rejection: for ``j`` from ``M - k`` to ``M - 1``, draw ``t`` uniform on ``0..j``; take ``t``
unless it was already taken, else take ``j``. The result is a uniform ``k``-subset of
``0..M-1`` (Bentley & Floyd 1987). Units with fewer neighbours than the largest window
simply skip the first steps, so all units advance together one step at a time and every
step is one vectorised operation over a block of (unit, permutation) rows.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

# (unit, permutation) rows × slots held at once: 2,000,000 int64 draws are 16 MB.
_BLOCK_ELEMENTS = 2_000_000


def check_budget(
    units: int, permutations: int, neighbours: int, max_draws: int, seed: int | None
) -> None:
    """Refuse a permutation job without a seed, or with more random draws than allowed."""
    if seed is None:
        raise ValueError("Permutation inference needs an explicit seed (an integer).")
    draws = units * permutations * neighbours
    if draws > max_draws:
        raise ValueError(
            f"{units:,} units × {permutations:,} permutations × {neighbours} neighbours = "
            f"{draws:,} random draws, over the budget of {max_draws:,}: use fewer "
            "permutations (99 for a first look), fewer cells, the analytic p-values "
            "(permutations=0), or a larger max_draws in a background job."
        )


def exceedances(
    values: np.ndarray,
    others: np.ndarray,
    deviation: np.ndarray,
    centre: np.ndarray,
    *,
    permutations: int,
    rng: np.random.Generator,
    progress=None,
) -> np.ndarray:
    """How many permutations give a local sum at least as far from its mean as observed.

    Parameters
    ----------
    values : (n,) float array
        The values of the units taking part (no NaN).
    others : (n,) int array
        ``k_i``: neighbours of each unit other than itself (``0 <= k_i <= n - 1``).
    deviation : (n,) float array
        Observed local sum minus its expectation, ``L_i - centre_i``.
    centre : (n,) float array
        Expected local sum, ``x̄ W_i``.
    progress : callable, optional
        ``progress(done, n)`` after each block of units.

    Returns
    -------
    (n,) int array
        Count of permutations with ``|L_perm - centre| >= |deviation|``; ties count as
        extreme, with a relative slack of 1e-9 so that equal sums added in another order
        are ties.
    """
    n = values.size
    k_max = int(others.max()) if n else 0
    counts = np.zeros(n, dtype=np.int64)
    if n == 0:
        return counts
    pool = n - 1
    threshold = np.abs(deviation) * (1 - 1e-9) - 1e-12 * (1 + np.abs(centre))
    units_per_block = max(1, _BLOCK_ELEMENTS // (permutations * max(k_max, 1)))
    for start in range(0, n, units_per_block):
        stop = min(n, start + units_per_block)
        units = np.repeat(np.arange(start, stop), permutations)
        sums = values[units]
        for pick, active in _floyd_steps(others[units], k_max, pool, rng):
            # A pick indexes the pool of the other units: skip the unit itself.
            other = pick + (pick >= units)
            sums += np.where(active, values[other], 0.0)
        extreme = np.abs(sums - centre[units]) >= threshold[units]
        counts[start:stop] = extreme.reshape(stop - start, permutations).sum(axis=1)
        if progress is not None:
            progress(stop, n)
    return counts


def _floyd_steps(
    k: np.ndarray, k_max: int, pool: int, rng: np.random.Generator
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Floyd's algorithm, one step for all rows at a time: a uniform ``k[r]``-subset of
    ``0..pool-1`` per row, yielded as ``(pick, active)`` for each of ``k_max`` steps.

    Row ``r`` takes part in the last ``k[r]`` steps only (``active``); its pick is -1 in
    the others.
    """
    rows = k.size
    taken: list[np.ndarray] = []
    first_step = k_max - k
    for step in range(k_max):
        j = pool - k_max + step
        t = rng.integers(0, j + 1, size=rows)
        # Column by column: reductions along a short second axis are slow in numpy.
        seen = np.zeros(rows, dtype=bool)
        for earlier in taken:
            seen |= earlier == t
        active = step >= first_step
        pick = np.where(active, np.where(seen, j, t), -1)
        taken.append(pick)
        yield pick, active


def _floyd(k: np.ndarray, k_max: int, pool: int, rng: np.random.Generator) -> np.ndarray:
    """All the picks of :func:`_floyd_steps` as a ``(rows, k_max)`` array (-1 unused)."""
    steps = [pick for pick, _active in _floyd_steps(k, k_max, pool, rng)]
    return np.stack(steps, axis=1) if steps else np.empty((k.size, 0), dtype=np.int64)
