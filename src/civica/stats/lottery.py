"""A stratified, seeded lottery for places in a program that has more eligible applicants than
places.

The draw is a pure function of the applicants (in the order given), their strata, the number
of places and the seed: anyone holding the recorded seed and the applicant list can draw it
again and get the same winners and the same waiting list (:func:`draw_lottery`).

Places are shared among strata in proportion to their size (largest remainder, Hamilton's
method; ties broken by the seeded generator), so that every stratum's chance of a place is as
close to ``places / applicants`` as whole places allow. Inside each stratum a seeded random
permutation ranks the applicants; the first ones win. The waiting list interleaves the strata
by relative rank (an applicant ranked r of n in a stratum sorts at ``(r + ½) / n``), so a
place freed later goes to the stratum whose turn it is, and the waiting list keeps the strata
in proportion too.

References
----------
Gerber, A. S. and Green, D. P. (2012). *Field Experiments: Design, Analysis, and
Interpretation*, ch. 3–4 (blocked random assignment). New York: Norton.

Balinski, M. L. and Young, H. P. (2001). *Fair Representation*, 2nd ed. (Hamilton's method of
largest remainders). Washington: Brookings.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

__all__ = ["LotteryDraw", "allocate_places", "draw_lottery"]


@dataclass(frozen=True)
class LotteryDraw:
    """The outcome of one draw.

    ``winners`` and ``waiting_list`` hold applicant indices (positions in the input):
    winners in drawn order, the waiting list in the order places are offered when a winner
    declines. ``places_by_stratum`` and ``probability`` give each stratum's places and its
    chance of a place (``places / applicants`` of the stratum), the probabilities the
    estimators weight by.
    """

    seed: int
    winners: tuple[int, ...]
    waiting_list: tuple[int, ...]
    rank: tuple[int, ...]
    strata: tuple[str, ...]
    places_by_stratum: dict[str, int]
    size_by_stratum: dict[str, int]

    @property
    def assigned(self) -> np.ndarray:
        """1 for a winner, 0 otherwise, in input order."""
        out = np.zeros(len(self.strata), dtype=int)
        out[list(self.winners)] = 1
        return out

    def probability(self) -> np.ndarray:
        """Each applicant's chance of a place (its stratum's places over its size)."""
        return np.array(
            [self.places_by_stratum[s] / self.size_by_stratum[s] for s in self.strata], dtype=float
        )


def allocate_places(sizes: dict[str, int], places: int, rng: np.random.Generator) -> dict[str, int]:
    """Share ``places`` among strata of the given sizes by largest remainder.

    Each stratum gets ``floor(places × size / total)`` and the places left go to the largest
    remainders, ties broken at random by ``rng``; no stratum gets more places than applicants.

    Examples
    --------
    >>> allocate_places({"F": 6, "M": 4}, 5, np.random.default_rng(0))
    {'F': 3, 'M': 2}
    """
    total = sum(sizes.values())
    if places >= total:
        return dict(sizes)
    names = sorted(sizes)
    quotas = np.array([places * sizes[n] / total for n in names])
    base = np.floor(quotas + 1e-12).astype(int)
    remainder = quotas - base
    left = places - int(base.sum())
    tiebreak = rng.random(len(names))
    order = sorted(range(len(names)), key=lambda i: (-round(remainder[i], 12), tiebreak[i]))
    for i in order[:left]:
        base[i] += 1
    return {n: int(b) for n, b in zip(names, base, strict=True)}


def draw_lottery(strata: Sequence[str], places: int, seed: int) -> LotteryDraw:
    """Draw ``places`` winners among applicants, stratified by ``strata``.

    Parameters
    ----------
    strata
        One label per applicant (e.g. ``"F|Tijuana|high"``); a single label for an
        unstratified lottery.
    places
        Number of places; when it is at least the number of applicants everyone wins.
    seed
        A non-negative integer; the same seed and applicants give the same draw.

    Returns
    -------
    LotteryDraw

    Examples
    --------
    >>> draw = draw_lottery(["F", "F", "M", "M"], 2, seed=7)
    >>> sorted(draw.places_by_stratum.items())
    [('F', 1), ('M', 1)]
    >>> len(draw.winners) + len(draw.waiting_list)
    4
    >>> draw_lottery(["F", "F", "M", "M"], 2, seed=7) == draw
    True
    """
    strata = tuple(str(s) for s in strata)
    if places < 0:
        raise ValueError("places must be zero or more")
    if seed < 0:
        raise ValueError("seed must be a non-negative integer")
    rng = np.random.Generator(np.random.PCG64(seed))
    sizes: dict[str, int] = {}
    for label in strata:
        sizes[label] = sizes.get(label, 0) + 1
    allocation = allocate_places(sizes, places, rng)
    rank = [0] * len(strata)
    winners: list[tuple[float, int]] = []
    waiting: list[tuple[float, float, int]] = []
    tiebreak = rng.random(len(strata))
    for label in sorted(sizes):
        members = [i for i, s in enumerate(strata) if s == label]
        order = rng.permutation(len(members))
        n = len(members)
        for position, k in enumerate(order):
            index = members[int(k)]
            rank[index] = position + 1
            relative = (position + 0.5) / n
            if position < allocation[label]:
                winners.append((relative, tiebreak[index], index))
            else:
                waiting.append((relative, tiebreak[index], index))
    winners.sort()
    waiting.sort()
    return LotteryDraw(
        seed=int(seed),
        winners=tuple(i for *_, i in winners),
        waiting_list=tuple(i for *_, i in waiting),
        rank=tuple(rank),
        strata=strata,
        places_by_stratum=allocation,
        size_by_stratum=sizes,
    )
