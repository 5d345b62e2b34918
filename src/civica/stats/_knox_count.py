"""Counting Knox pairs by time band, directly and under permutations of the event times.

The permutation loop is the expensive part: every permutation touches every candidate pair.
It works on batches of permutations laid side by side (one column per permutation), so the
gathers of the two events' times copy short contiguous rows, and it counts without a
histogram call, which would cost more than all the rest: each pair's time band ``b``
becomes the 32-bit one-hot word ``1 << 4b``, and sums of such words hold the count of each
band in its own 4-bit field (see :func:`_field_counts`). Everything is whole-array numpy
on small integer types, in buffers reused from chunk to chunk.
"""

from __future__ import annotations

import math
import os
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from civica.stats._knox_pairs import GROUP, CandidatePairs

#: Time bands per 32-bit counting word: eight 4-bit fields.
FIELDS = 8
NIBBLE = 4
_EVEN_NIBBLES = np.uint32(0x0F0F0F0F)

_INT16_FAR = np.iinfo(np.int16).max
_CHUNK_CELLS = 1 << 19
_BATCH = 64


@dataclass(frozen=True)
class TimeCodes:
    """Event times in the form the counting uses, and the time band rule.

    Whole-day times spanning less than ~89 years become ``int16`` offsets from the first
    event (exact, and a quarter of the memory traffic of floats); any other times stay
    ``float64``. ``thresholds`` are the upper time edges (a pair's band is the number of
    them its gap reaches); ``width`` is set when the edges are ``0, w, 2w, …`` with a whole
    ``w`` and ``4 × span / w`` fits in ``int16``, which lets a division replace the
    comparisons and the nibble shift stay in the gaps' own buffer. ``far`` is the time of the
    sentinel event that pads segments: its gap to time 0 is beyond every edge.
    """

    codes: np.ndarray
    thresholds: np.ndarray
    width: int | None
    far: float

    @property
    def n_bands(self) -> int:
        return int(self.thresholds.size)


def time_codes(t: np.ndarray, edges: np.ndarray) -> TimeCodes:
    """Choose the representation of times ``t`` (in tree order) for time band ``edges``."""
    whole = bool((t == np.round(t)).all())
    start = t.min()
    span = t.max() - start
    if whole and span < _INT16_FAR:
        codes = (t - start).astype(np.int16)
        # For whole-day gaps, "gap >= edge" is "gap >= ceil(edge)".
        thresholds = np.minimum(np.ceil(edges[1:]), _INT16_FAR).astype(np.int16)
        steps = np.diff(edges)
        width = None
        uniform = np.all(steps == steps[0]) and steps[0] == round(steps[0])
        if uniform and edges[-1] <= _INT16_FAR and span // steps[0] * NIBBLE <= _INT16_FAR:
            width = int(steps[0])
        return TimeCodes(codes, thresholds, width, float(_INT16_FAR))
    return TimeCodes(t.astype(np.float64), edges[1:].astype(np.float64), None, math.inf)


def observed_counts(pairs: CandidatePairs, coded: TimeCodes, edges: np.ndarray) -> np.ndarray:
    """Pairs per (distance band, time band), counted directly (the reference for the loop).

    Uses the time ``edges`` as given, not the coded thresholds, so that it checks them.
    """
    n_distance = pairs.counts.size
    out = np.zeros((n_distance, coded.n_bands), dtype=np.int64)
    times = coded.codes.astype(np.float64)
    for d in range(n_distance):
        first, second = pairs.real(d)
        gap = np.abs(times[first] - times[second])
        band = np.searchsorted(edges, gap, side="right") - 1
        out[d] = np.bincount(band, minlength=coded.n_bands + 1)[: coded.n_bands]
    return out


def count_batch(table: np.ndarray, pairs: CandidatePairs, coded: TimeCodes) -> np.ndarray:
    """Counts per (permutation, distance band, time band) for the permuted times ``table``.

    ``table`` has one row per event in tree order plus the two sentinel rows (times 0 and
    ``far``) and one column per permutation.
    """
    k = table.shape[1]
    n_time = coded.n_bands
    words = -(-n_time // FIELDS)
    n_distance = pairs.counts.size
    out = np.zeros((k, n_distance, words * FIELDS), dtype=np.int64)
    chunk = max(1, _CHUNK_CELLS // (GROUP * k)) * GROUP
    work = _Workspace(chunk, k, table.dtype, words)
    for d in range(n_distance):
        stop = int(pairs.segments[d + 1])
        for start in range(int(pairs.segments[d]), stop, chunk):
            size = min(chunk, stop - start)
            a, b = work.a[:size], work.b[:size]
            # mode="clip" skips numpy's buffered bounds check; the indices are valid.
            np.take(table, pairs.first[start : start + size], axis=0, out=a, mode="clip")
            np.take(table, pairs.second[start : start + size], axis=0, out=b, mode="clip")
            np.subtract(a, b, out=a)
            np.abs(a, out=a)
            shift = _nibble_shift(a, coded, work)
            for word in range(words):
                counts = _field_counts(shift, word, work)
                out[:, d, word * FIELDS : (word + 1) * FIELDS] += counts
    return out[:, :, :n_time]


class _Workspace:
    """Buffers every chunk of a batch reuses.

    Fresh arrays of a few megabytes per operation would be new pages each time: page
    faults cost as much as the arithmetic and, taken under the process's memory lock,
    keep threads from running side by side.
    """

    def __init__(self, chunk: int, k: int, dtype: np.dtype, words: int) -> None:
        self.a = np.empty((chunk, k), dtype=dtype)
        self.b = np.empty((chunk, k), dtype=dtype)
        self.band = np.empty((chunk, k), dtype=np.uint8)
        self.reached = np.empty((chunk, k), dtype=np.bool_)
        self.shift = np.empty((chunk, k), dtype=np.uint32)
        self.shifted = np.empty((chunk, k), dtype=np.uint32) if words > 1 else None
        self.onehot = np.empty((chunk, k), dtype=np.uint32)
        self.fifteen = np.empty((chunk // 15, k), dtype=np.uint32)
        self.half = np.empty((chunk // 15, k), dtype=np.uint32)
        self.sums = np.empty((chunk // GROUP, k), dtype=np.uint32)


def _nibble_shift(gap: np.ndarray, coded: TimeCodes, work: _Workspace) -> np.ndarray:
    """``4 × time band`` of each gap, as unsigned integers (``uint16``, ``uint8`` or
    ``uint32``; ``left_shift`` widens them as it reads).

    Gaps beyond the last edge get a band of ``n_bands`` or more, which counts in no
    reported field.
    """
    rows = gap.shape[0]
    if coded.width is not None:
        # In place in the int16 gaps (``time_codes`` keeps 4 × band within int16): no
        # separate uint32 pass.
        band = np.floor_divide(gap, coded.width, out=gap)
        return np.multiply(band, np.int16(NIBBLE), out=band).view(np.uint16)
    if coded.n_bands <= 2 * FIELDS:
        # Bands counted in uint8, the cheapest adds; 4 × 16 still fits.
        band = work.band[:rows]
        reached = work.reached[:rows]
        band[...] = 0
        for threshold in coded.thresholds:
            np.greater_equal(gap, threshold, out=reached)
            np.add(band, reached.view(np.uint8), out=band)
        return np.multiply(band, np.uint8(NIBBLE), out=band)
    shift = work.shift[:rows]
    band = np.searchsorted(coded.thresholds, gap, side="right")
    np.copyto(shift, band, casting="unsafe")
    return np.multiply(shift, np.uint32(NIBBLE), out=shift)


def _field_counts(shift: np.ndarray, word: int, work: _Workspace) -> np.ndarray:
    """Counts of bands ``8 word … 8 word + 7`` per permutation column, shape ``(k, 8)``.

    Each pair becomes a 32-bit word with a 1 in the 4-bit field of its band (bands of other
    words get a shift that wraps below 0 or is 32 and more, which ``left_shift`` turns into
    0). Sums of 15 such words keep every field within 4 bits; splitting the even and the
    odd fields into bytes then leaves room for sums of 17 of those, 255 rows in all
    (:data:`GROUP`). The rows summed together are ``g`` apart rather than adjacent: any
    grouping will do, and summing over the first axis of a ``(15, g, k)`` view is the one
    numpy does fast.
    """
    rows, k = shift.shape
    if word:
        shifted = work.shifted[:rows]
        shift = np.subtract(shift, np.uint32(word * FIELDS * NIBBLE), out=shifted)
    onehot = np.left_shift(np.uint32(1), shift, out=work.onehot[:rows])
    fifteen = np.sum(onehot.reshape(15, -1, k), axis=0, out=work.fifteen[: rows // 15])
    out = np.empty((k, FIELDS), dtype=np.int64)
    for parity in (0, 1):
        half = work.half[: rows // 15]
        if parity:
            np.right_shift(fifteen, np.uint32(NIBBLE), out=half)
            np.bitwise_and(half, _EVEN_NIBBLES, out=half)
        else:
            np.bitwise_and(fifteen, _EVEN_NIBBLES, out=half)
        sums = np.sum(half.reshape(17, -1, k), axis=0, out=work.sums[: rows // GROUP])
        fields = sums.astype("<u4", copy=False).view(np.uint8).reshape(-1, k, 4)
        out[:, parity::2] = fields.sum(axis=0, dtype=np.int64)
    return out


@dataclass(frozen=True)
class PermutationSummary:
    """What the permutations say about each cell, without keeping every count."""

    mean: np.ndarray
    std: np.ndarray
    minimum: np.ndarray
    maximum: np.ndarray
    exceedances: np.ndarray


def permutation_summary(
    pairs: CandidatePairs,
    coded: TimeCodes,
    observed: np.ndarray,
    *,
    permutations: int,
    seed: int,
    workers: int | None,
    progress=None,
) -> PermutationSummary:
    """Run ``permutations`` permutations of the times and summarise the counts per cell.

    Permutation ``r`` is the times (in tree order) after ``r`` successive in-place
    ``Generator(PCG64(seed)).shuffle`` calls, all drawn in order in this thread, so results
    do not depend on ``workers`` or batching. (Each shuffle of any arrangement gives a
    uniform permutation independent of the previous ones; shuffling 8-byte items in place is
    the fastest way numpy offers.)

    ``progress(done, total)`` hears of each counted batch of permutations.
    """
    n = coded.codes.size
    workers = _workers(workers)
    batch = _batch_size(n, coded.codes.itemsize, workers)
    rng = np.random.Generator(np.random.PCG64(seed))
    tally = _Tally(observed)

    def add(counts: np.ndarray) -> None:
        tally.add(counts)
        if progress is not None:
            progress(min(tally.n, permutations), permutations)

    shuffled = coded.codes.astype(np.int64 if coded.codes.dtype.kind == "i" else np.float64)

    def tables():
        for start in range(0, permutations, batch):
            k = min(batch, permutations - start)
            table = np.empty((n + 2, k), dtype=coded.codes.dtype)
            for column in range(k):
                rng.shuffle(shuffled)
                table[:n, column] = shuffled
            table[n] = 0
            table[n + 1] = coded.far
            yield table

    if workers == 1 or permutations <= batch:
        for table in tables():
            add(count_batch(table, pairs, coded))
        return tally.summary()
    pending: deque[Future] = deque()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for table in tables():
            pending.append(pool.submit(count_batch, table, pairs, coded))
            # Bounded look-ahead keeps at most workers + 1 tables alive.
            while len(pending) > workers:
                add(pending.popleft().result())
        while pending:
            add(pending.popleft().result())
    return tally.summary()


class _Tally:
    """Running summary of permuted counts, from integer sums of deviations from the observed."""

    def __init__(self, observed: np.ndarray) -> None:
        self.observed = observed
        self.n = 0
        self.total = np.zeros_like(observed)
        self.squares = np.zeros_like(observed)
        self.exceedances = np.zeros_like(observed)
        self.minimum = np.full_like(observed, np.iinfo(np.int64).max)
        self.maximum = np.full_like(observed, -1)

    def add(self, counts: np.ndarray) -> None:
        deviation = counts - self.observed
        self.n += counts.shape[0]
        self.total += deviation.sum(axis=0)
        self.squares += (deviation * deviation).sum(axis=0)
        self.exceedances += (deviation >= 0).sum(axis=0)
        np.minimum(self.minimum, counts.min(axis=0), out=self.minimum)
        np.maximum(self.maximum, counts.max(axis=0), out=self.maximum)

    def summary(self) -> PermutationSummary:
        n = self.n
        shift = self.total / n
        mean = self.observed + shift
        if n > 1:
            variance = (self.squares - self.total * shift) / (n - 1)
            std = np.sqrt(np.maximum(variance, 0.0))
        else:
            std = np.full(self.observed.shape, np.nan)
        return PermutationSummary(mean, std, self.minimum, self.maximum, self.exceedances)


def _workers(workers: int | None) -> int:
    if workers is None:
        try:
            return max(1, len(os.sched_getaffinity(0)))
        except AttributeError:  # pragma: no cover - not Linux
            return max(1, os.cpu_count() or 1)
    return workers


def _batch_size(n: int, itemsize: int, workers: int) -> int:
    """Permutations per table: 64 unless the tables in flight would pass ~256 MB."""
    per_column = (n + 2) * itemsize * (workers + 1)
    return int(max(1, min(_BATCH, (256 << 20) // per_column)))
