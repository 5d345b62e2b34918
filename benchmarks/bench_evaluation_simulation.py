"""Simulation study of the evaluation designs on real CDMX series, and their speed.

Usage::

    PYTHONPATH=src python benchmarks/bench_evaluation_simulation.py
    # options: --replications 1000 --targets 20 --comparisons 80 --months 12 --seed 0
    #          --crimes "ROBO A TRANSEUNTE C.V." "ROBO A TRANSEUNTE S.V."  --skip-speed

Prints, per design and planted effect (−20% and 0), the bias in percentage points, the 95%
interval coverage with its Wilson interval, the rejection rate (the false-positive rate
when nothing was planted) and the mean interval width, first for the designs the platform
reports, then for the plain-Poisson intervals they replace. Then times the panel fits on
1,000 sectors × 48 months against statsmodels' GLM on the full dummy design (the peer) and
the staggered estimator against the ``differences`` package, with their ratios: each pair
takes turns (civica, peer, civica, peer, … ``--speed-rounds`` rounds, in this process), wall
and CPU time of each call (``_measure.call``) with the load average; the first line says on
what machine, and the process's peak resident memory is printed at the end.
"""

from __future__ import annotations

import argparse

import _measure
import numpy as np
import pandas as pd
from _measure import shared_data

from civica.stats.panel import panel_regression
from civica.stats.simulation import (
    BEFORE_FIX,
    DESIGNS,
    monthly_matrix,
    simulation_study,
    summary_pvalue_study,
)
from civica.stats.staggered import staggered_att

DATA = shared_data()


def _table(study, designs) -> str:
    frame = study.table()
    frame = frame[frame["design"].isin(designs)]
    lines = [
        f"{'design':<22}{'effect':>7}{'R':>6}{'mean %':>9}{'bias pp':>9}{'rmse':>7}"
        f"{'coverage (95% CI)':>22}{'reject':>8}{'width':>8}{'refused':>8}"
    ]
    for r in frame.itertuples():
        lines.append(
            f"{r.design:<22}{r.effect:>7.0f}{r.replications:>6}{r.mean_estimate:>9.2f}"
            f"{r.bias:>9.2f}{r.rmse:>7.2f}"
            f"{f'{r.coverage:.3f} ({r.coverage_low:.3f}–{r.coverage_high:.3f})':>22}"
            f"{r.rejection_rate:>8.3f}{r.mean_width:>8.1f}{r.refused:>8}"
        )
    return "\n".join(lines)


def _synthetic(units, months, seed=1):
    rng = np.random.default_rng(seed)
    level = rng.normal(1.2, 0.7, units)
    d = np.zeros((units, months))
    d[: units // 10, months // 2 :] = 1
    mu = np.exp(level[:, None] + rng.normal(0, 0.2, months)[None, :] - 0.2 * d)
    y = rng.negative_binomial(3, 3 / (3 + mu))
    return pd.DataFrame(
        {
            "unit": np.repeat(np.arange(units), months),
            "period": np.tile(np.arange(months), units),
            "count": y.ravel(),
            "treated": d.ravel().astype(int),
        }
    )


def _speed(rounds: int) -> None:
    import statsmodels.api as sm

    frame = _synthetic(1000, 48)
    print(f"\nSpeed, 1,000 sectors × 48 months ({rounds} rounds, civica and peer in turns):")
    design = pd.get_dummies(frame[["unit", "period"]].astype(str), drop_first=True, sparse=False)
    design = design.astype(float)
    design.insert(0, "const", 1.0)
    design["treated"] = frame["treated"].astype(float)
    groups = frame["unit"].to_numpy()
    runs, answers = _measure.alternate(
        {
            "civica panel_regression poisson": lambda: panel_regression(frame, family="poisson"),
            "statsmodels GLM Poisson, full dummies (peer)": lambda: sm.GLM(
                frame["count"], design, family=sm.families.Poisson()
            ).fit(cov_type="cluster", cov_kwds={"groups": groups}),
            "civica panel_regression negbin": lambda: panel_regression(frame, family="negbin"),
        },
        rounds,
    )
    poisson, fit = (
        answers["civica panel_regression poisson"],
        answers["statsmodels GLM Poisson, full dummies (peer)"],
    )
    notes = {
        "civica panel_regression poisson": f"IRR {poisson.irr:.4f}",
        "statsmodels GLM Poisson, full dummies (peer)": (
            f"IRR {np.exp(fit.params['treated']):.4f}; "
            f"|Δ log IRR| {abs(fit.params['treated'] - poisson.beta):.1e}"
        ),
        "civica panel_regression negbin": (
            f"IRR {answers['civica panel_regression negbin'].irr:.4f}"
        ),
    }
    ratios = [
        (
            "statsmodels GLM / civica Poisson",
            runs["statsmodels GLM Poisson, full dummies (peer)"],
            runs["civica panel_regression poisson"],
        )
    ]
    staggered = _synthetic(1000, 24)
    calls = {"civica staggered_att": lambda: staggered_att(staggered)}
    try:
        from differences import ATTgt
    except ImportError:
        print("  differences not installed: no peer for the staggered estimator")
    else:
        # _synthetic treats the first tenth of the units from the middle month on.
        cohort = np.where(staggered["unit"] < 100, 12.0, np.nan)
        ref = staggered.assign(cohort=cohort).set_index(["unit", "period"])

        def reference():
            model = ATTgt(data=ref, cohort_column="cohort")
            model.fit(formula="count", est_method="reg", progress_bar=False)
            return model.aggregate("simple").iloc[0, 0]

        calls["differences ATTgt (peer)"] = reference
    more, found = _measure.alternate(calls, rounds)
    runs |= more
    notes["civica staggered_att"] = f"ATT {found['civica staggered_att'].att:.4f}"
    if "differences ATTgt (peer)" in found:
        notes["differences ATTgt (peer)"] = f"ATT {found['differences ATTgt (peer)']:.4f}"
        ratios.append(
            (
                "differences / civica staggered",
                more["differences ATTgt (peer)"],
                more["civica staggered_att"],
            )
        )
    print(
        _measure.table(
            ["call", *_measure.MEASURE_HEADER, "answer"],
            [
                [name, *_measure.summary_row(measured, 3), notes[name]]
                for name, measured in runs.items()
            ],
        )
    )
    for label, peer, ours in ratios:
        print(
            f"  ratio {label}: {_measure.ratio(peer, ours)} wall, "
            f"{_measure.ratio(peer, ours, 'cpu')} CPU"
        )


def _summary_pvalues(counts, args) -> None:
    """The program summary's p-values with nothing planted: the README example's size (2 target
    + 6 comparison sectors) and a larger one, 7 cities per summary."""
    for targets, comparisons in ((2, 6), (5, 20)):
        took, s = _measure.call(
            "summary",
            lambda targets=targets, comparisons=comparisons: summary_pvalue_study(
                counts,
                replications=args.replications // 5 or 1,
                target_sectors=targets,
                comparison_sectors=comparisons,
                months=args.months,
                seed=args.seed,
            ),
        )
        print(
            f"Program summary p-values, no effect: {s.replications} summaries of {s.cities} "
            f"cities, {s.target_sectors} target + {s.comparison_sectors} comparison cuadrantes, "
            f"{s.months} months ({took.wall:.0f} s wall, {took.cpu:.0f} s CPU, {s.refused} "
            "refused)\n"
            f"  interval coverage {s.coverage:.3f}\n"
            f"  one result p < 0.05:  t (reported) {s.false_positive_t:.3f}, "
            f"normal (before) {s.false_positive_normal:.3f}\n"
            f"  a summary with >= 1 significant after Holm:  t {s.familywise_t:.3f}, "
            f"normal {s.familywise_normal:.3f}\n"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replications", type=int, default=1000)
    parser.add_argument("--targets", type=int, default=20)
    parser.add_argument("--comparisons", type=int, default=80)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--crimes", nargs="*", default=None)
    parser.add_argument("--skip-speed", action="store_true")
    parser.add_argument(
        "--summary-only",
        action="store_true",
        help="only the program summary's p-values (7 cities of 2 + 6 sectors, no effect)",
    )
    parser.add_argument("--speed-rounds", type=int, default=3, help="turns of civica and peer")
    args = parser.parse_args()
    print(_measure.machine("Evaluation designs: simulation on real CDMX series, and speed"))

    source = DATA / "cdmx_hoyodecrimen" / "cuadrantes_mensual_2013-2016.csv.gz"
    frame = pd.read_csv(source, usecols=["cuadrante", "crime", "date", "count"])
    counts = monthly_matrix(frame, crimes=tuple(args.crimes) if args.crimes else None)
    print(
        f"{source.name}: {counts.shape[0]} cuadrantes × {counts.shape[1]} months, "
        f"{'all crimes' if not args.crimes else ', '.join(args.crimes)}; mean "
        f"{counts.mean():.2f} events per cuadrante-month, variance {counts.var():.2f}"
    )
    _summary_pvalues(counts, args)
    if args.summary_only:
        return
    took, study = _measure.call(
        "study",
        lambda: simulation_study(
            counts,
            replications=args.replications,
            target_sectors=args.targets,
            comparison_sectors=args.comparisons,
            months=args.months,
            seed=args.seed,
        ),
    )
    print(
        f"{args.replications} replications, {args.targets} target and {args.comparisons} "
        f"comparison cuadrantes, {args.months} months before and after, seed {args.seed} "
        f"({took.wall:.0f} s wall, {took.cpu:.0f} s CPU, load {took.load:.1f})\n"
    )
    print("Designs as reported (after the fix):")
    print(_table(study, DESIGNS))
    print("\nBefore the fix (independent-Poisson intervals):")
    print(_table(study, BEFORE_FIX))
    if not args.skip_speed:
        _speed(args.speed_rounds)
    print(f"peak RSS of the process: {_measure.peak_mb():,.0f} MB")


if __name__ == "__main__":
    main()
