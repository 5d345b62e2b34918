"""Reincidence over a million presentations: civica.stats.reincidence against a pandas +
statsmodels peer written the way an analyst would (merge_asof for the next presentation, one
unweighted SurvfuncRight per group), on the synthetic case book at scale.

    PYTHONPATH=src python benchmarks/bench_justice_reincidence.py --presentations 1000000

Prints the machine line, then wall and CPU time of each (``--repeat`` turns, taken in turns
so a change of load falls on both), the load average and the process's peak memory, and
checks that both give the same cohort shares and Kaplan–Meier curves. Target: < 5 s for
civica.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

import numpy as np
import pandas as pd
from statsmodels.duration.survfunc import SurvfuncRight

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import _measure
from _measure import MEASURE_HEADER, summary_row

from civica.justice.synthetic_book import MunicipalityBook, generate_book
from civica.stats.reincidence import add_months, reincidence


def frames(presentations: int, seed: int):
    per_year = presentations // 3
    book = generate_book(
        [MunicipalityBook("00001", per_year, juzgados=4)],
        end=dt.datetime(2026, 11, 30, 4, 0),
        seed=seed,
    )
    cases = book.cases
    done = cases[cases["resolved_at"].notna()]
    resolutions = pd.DataFrame(
        {
            "person": done["person"].to_numpy(),
            "date": done["resolved_at"].dt.normalize().to_numpy(),
            "group": done["sanction"].to_numpy(),
            "adolescent": done["minor"].to_numpy(),
            "observed_until": pd.Timestamp("2026-11-30"),
        }
    )
    visits = pd.DataFrame(
        {"person": cases["person"].to_numpy(), "date": cases["presented_at"].dt.normalize()}
    )
    return resolutions, visits


def peer(resolutions: pd.DataFrame, presentations: pd.DataFrame):
    """The analyst's version: first resolution per person, the next presentation by
    merge_asof, shares with the full-window rule, KM per group with statsmodels."""
    first = resolutions.sort_values(["person", "date"]).drop_duplicates("person")
    first = first.sort_values("date")
    later = presentations.assign(next_date=presentations["date"]).sort_values("date")
    joined = pd.merge_asof(
        first,
        later[["person", "date", "next_date"]],
        on="date",
        by="person",
        direction="forward",
        allow_exact_matches=False,
    )
    returned = joined["next_date"].notna() & (joined["next_date"] <= joined["observed_until"])
    time_ = np.where(
        returned,
        (joined["next_date"] - joined["date"]).dt.days,
        (joined["observed_until"] - joined["date"]).dt.days,
    )
    shares = {}
    adults = ~joined["adolescent"].astype(bool)
    for months in (6, 12):
        end = pd.Series(add_months(joined["date"].to_numpy("datetime64[D]"), months))
        complete = adults & (end <= joined["observed_until"]).to_numpy()
        within = returned & (joined["next_date"] <= end.to_numpy())
        for group, part in joined[complete].groupby("group"):
            shares[(group, months)] = within[part.index].mean()
    curves = {}
    for group, part in joined[adults].groupby("group"):
        fit = SurvfuncRight(time_[part.index], returned[part.index].astype(float))
        curves[group] = (fit.surv_times, fit.surv_prob)
    return shares, curves


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--presentations", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print(_measure.machine("Reincidence over a synthetic case book"))
    drawn, (resolutions, presentations) = _measure.call(
        "draw", lambda: frames(args.presentations, args.seed)
    )
    print(
        f"synthetic book: {len(presentations):,} presentations, {len(resolutions):,} "
        f"resolutions, {resolutions['person'].nunique():,} persons "
        f"(drawn: wall {drawn.wall:.1f} s, CPU {drawn.cpu:.1f} s)"
    )
    runs, kept = _measure.alternate(
        {
            "civica": lambda: reincidence(resolutions, presentations),
            "peer": lambda: peer(resolutions, presentations),
        },
        args.repeat,
    )
    print(
        _measure.table(
            ["", *MEASURE_HEADER],
            [
                ["civica.stats.reincidence (target < 5 s)", *summary_row(runs["civica"])],
                ["pandas merge_asof + statsmodels peer", *summary_row(runs["peer"])],
            ],
        )
    )
    print(f"peak RSS of the process (book, frames and both runs): {_measure.peak_mb():,.0f} MB")
    ours, (shares, curves) = kept["civica"], kept["peer"]
    worst = 0.0
    for (group, months), share in shares.items():
        worst = max(worst, abs(ours.row(group, window_months=months).share - share))
    for group, (times_, survival) in curves.items():
        curve = ours.curve(group)
        assert curve.days[1:].tolist() == times_.astype(int).tolist(), group
        worst = max(worst, float(np.max(np.abs(curve.survival[1:] - survival))))
    print(f"largest difference in shares and survival: {worst:.2e}")
    row = ours.row(window_months=12)
    print(
        f"adults: {row.persons:,} persons, {row.observed:,} observed 12 months, "
        f"{row.under_observation:,} still under observation, reincidence {100 * row.share:.1f}%"
    )


if __name__ == "__main__":
    main()
