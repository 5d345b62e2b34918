"""Do the lottery's estimates cover a planted effect? A simulation of the whole chain.

SYNTHETIC applicants: ``--applicants`` people in strata of unequal size (sex × risk level),
baseline chance of working or studying that differs by stratum, ``--places`` drawn by
``civica.stats.lottery.draw_lottery`` (stratified, seeded), take-up ``--take-up`` among
winners and ``--crossover`` among the others, a planted effect ``--effect`` on those who take
the program up, and ``--missing`` of the outcomes lost to follow-up at random. Each
replication estimates the intention-to-treat effect and the effect on the treated
(``civica.stats.randomized``) and checks whether the 95% intervals cover the truth:

* intention to treat: ``effect × (take-up − crossover)``, the effect of winning a place;
* treatment on the treated (compliers): ``effect``.

It also runs the same chain with no effect and counts intervals that exclude zero (false
positives, 5% expected). The first line says on what machine, at what load; each half's
wall and CPU time (``_measure.call``) and the process's peak memory follow its table. No
peer: the figures are coverage, not speed.

    PYTHONPATH=src python benchmarks/bench_lottery_simulation.py --replications 1000
"""

from __future__ import annotations

import argparse

import _measure
import numpy as np

from civica.stats.lottery import draw_lottery
from civica.stats.randomized import intention_to_treat, treatment_on_treated

STRATA = {
    "F|high": (0.30, 0.35),
    "F|medium": (0.25, 0.45),
    "M|high": (0.25, 0.30),
    "M|medium": (0.20, 0.50),
}  # share of applicants, baseline chance of the outcome


def replicate(rng, args, effect):
    names = list(STRATA)
    shares = np.array([STRATA[n][0] for n in names])
    strata = rng.choice(names, size=args.applicants, p=shares / shares.sum())
    draw = draw_lottery(list(strata), args.places, seed=int(rng.integers(2**62)))
    z = draw.assigned
    p = draw.probability()
    took = np.where(z == 1, rng.random(z.size) < args.take_up, rng.random(z.size) < args.crossover)
    base = np.array([STRATA[s][1] for s in strata])
    y = (rng.random(z.size) < base + effect * took).astype(float)
    y[rng.random(z.size) < args.missing] = np.nan
    itt = intention_to_treat(y, z, list(strata), p)
    tot = treatment_on_treated(y, took.astype(int), z, list(strata), p)
    return itt, tot


def run(args, effect):
    rng = np.random.default_rng(args.seed)
    truth_itt = effect * (args.take_up - args.crossover)
    rows = {"itt": [], "tot": []}
    for _ in range(args.replications):
        itt, tot = replicate(rng, args, effect)
        rows["itt"].append((itt.estimate, itt.lower, itt.upper))
        rows["tot"].append((tot.estimate, tot.lower, tot.upper))
    out = {}
    for name, truth in (("itt", truth_itt), ("tot", effect)):
        a = np.array(rows[name])
        out[name] = {
            "truth": truth,
            "mean": float(a[:, 0].mean()),
            "coverage": float(((a[:, 1] <= truth) & (truth <= a[:, 2])).mean()),
            "width": float((a[:, 2] - a[:, 1]).mean()),
            "excludes_zero": float(((a[:, 1] > 0) | (a[:, 2] < 0)).mean()),
        }
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applicants", type=int, default=400)
    parser.add_argument("--places", type=int, default=150)
    parser.add_argument("--take-up", type=float, default=0.75)
    parser.add_argument("--crossover", type=float, default=0.05)
    parser.add_argument("--effect", type=float, default=0.15)
    parser.add_argument("--missing", type=float, default=0.15)
    parser.add_argument("--replications", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print(_measure.machine("Lottery: do the estimates cover a planted effect?"))
    print(
        f"{args.applicants} applicants, {args.places} places, take-up {args.take_up}, "
        f"crossover {args.crossover}, {args.missing:.0%} lost, {args.replications} replications"
    )
    for label, effect in (("planted effect", args.effect), ("no effect", 0.0)):
        print(f"\n{label} ({effect}):")
        print(f"{'estimate':<28}{'truth':>8}{'mean':>8}{'coverage':>10}{'width':>8}{'≠0':>8}")
        took, rows = _measure.call(label, lambda effect=effect: run(args, effect))
        for name, row in rows.items():
            title = "intention to treat" if name == "itt" else "treatment on the treated"
            print(
                f"{title:<28}{row['truth']:>8.3f}{row['mean']:>8.3f}{row['coverage']:>10.3f}"
                f"{row['width']:>8.3f}{row['excludes_zero']:>8.3f}"
            )
        print(f"wall {took.wall:.1f} s, CPU {took.cpu:.1f} s (load {took.load:.1f})")
    print(f"peak RSS of the process: {_measure.peak_mb():,.0f} MB")


if __name__ == "__main__":
    main()
