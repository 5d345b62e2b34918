"""Analysis of a randomized allocation (a lottery for places): balance of the two groups on
baseline fields, the intention-to-treat effect and, with take-up, the effect of the treatment
on the treated (Wald / instrumental-variable estimate), and the CONSORT flow.

The lottery may be stratified with chances of a place that differ a little between strata
(whole places): every estimate weights each applicant by the inverse of the chance of the
group they were drawn into (``1/p`` for a winner, ``1/(1 − p)`` otherwise) and adjusts for the
strata, so it estimates the effect over all randomized applicants. Intervals use
heteroskedasticity-robust standard errors (HC2 for the intention-to-treat regression, through
statsmodels; HC1 for two-stage least squares) and Student *t* with the residual degrees of
freedom. Outcomes may be missing (not followed up): those applicants are left out of that
outcome's analysis, and the counts say so.

References
----------
Imbens, G. W. and Rubin, D. B. (2015). *Causal Inference for Statistics, Social, and
Biomedical Sciences*, ch. 9 (stratified randomized experiments) and ch. 23–24
(noncompliance, instrumental variables). Cambridge University Press.

Angrist, J. D., Imbens, G. W. and Rubin, D. B. (1996). Identification of causal effects
using instrumental variables. *JASA* 91(434), 444–455.

Austin, P. C. (2009). Balance diagnostics for comparing the distribution of baseline
covariates between treatment groups in propensity-score matched samples. *Statistics in
Medicine* 28(25), 3083–3107 (standardized differences; |d| > 0.1 as imbalance).

Schulz, K. F., Altman, D. G. and Moher, D. (2010). CONSORT 2010 Statement. *BMJ* 340:c332.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats as _st

__all__ = [
    "BalanceRow",
    "ConsortFlow",
    "Effect",
    "balance_table",
    "consort_flow",
    "intention_to_treat",
    "treatment_on_treated",
]

#: Standardized differences beyond this are flagged as imbalance (Austin 2009).
IMBALANCE = 0.1


@dataclass(frozen=True)
class BalanceRow:
    """One baseline field: the mean of each group, the standardized difference
    ``(mean_t − mean_c) / sqrt((var_t + var_c) / 2)`` and whether ``|d|`` exceeds 0.1."""

    field: str
    n_treated: int
    n_control: int
    mean_treated: float
    mean_control: float
    std_difference: float
    imbalanced: bool


@dataclass(frozen=True)
class Effect:
    """An estimated effect with its robust standard error, *t* interval and p-value.

    ``first_stage`` (treatment on the treated only) is the difference in take-up between
    winners and the others, and ``weak`` says the instrument is weak (first-stage F < 10).
    """

    estimate: float
    se: float
    lower: float
    upper: float
    p_value: float
    df: int
    n: int
    n_treated: int
    n_control: int
    level: float
    first_stage: float | None = None
    first_stage_f: float | None = None

    @property
    def weak(self) -> bool:
        return self.first_stage_f is not None and self.first_stage_f < 10


@dataclass(frozen=True)
class ConsortFlow:
    """Counts of the CONSORT diagram: assessed, eligible, randomized, allocated to each
    group, received the program in each group, followed up and analysed per group (at the
    follow-up of the analysis)."""

    assessed: int
    eligible: int
    randomized: int
    allocated_program: int
    allocated_control: int
    received_program: int
    received_control: int
    followed_program: int
    followed_control: int
    analysed_program: int
    analysed_control: int


def _as_arrays(*arrays):
    return [np.asarray(a, dtype=float) for a in arrays]


def balance_table(
    fields: Mapping[str, Sequence[float]], assigned: Sequence[int]
) -> list[BalanceRow]:
    """Standardized differences of baseline fields between winners and the others.

    Each field is numeric (a 0/1 indicator for a category); missing values (NaN) are left
    out of that field.

    Examples
    --------
    >>> rows = balance_table({"age": [18, 20, 19, 21]}, [1, 1, 0, 0])
    >>> round(rows[0].std_difference, 3)
    -0.707
    """
    z = np.asarray(assigned, dtype=int)
    rows = []
    for name, values in fields.items():
        x = np.asarray(values, dtype=float)
        if x.shape != z.shape:
            raise ValueError(f"field {name!r} has {x.size} values for {z.size} applicants")
        t, c = x[(z == 1) & ~np.isnan(x)], x[(z == 0) & ~np.isnan(x)]
        mt = float(t.mean()) if t.size else float("nan")
        mc = float(c.mean()) if c.size else float("nan")
        vt = float(t.var(ddof=1)) if t.size > 1 else 0.0
        vc = float(c.var(ddof=1)) if c.size > 1 else 0.0
        pooled = np.sqrt((vt + vc) / 2)
        if pooled > 0:
            d = (mt - mc) / pooled
        else:
            d = 0.0 if mt == mc or np.isnan(mt) or np.isnan(mc) else float("inf")
        rows.append(
            BalanceRow(
                field=str(name),
                n_treated=int(t.size),
                n_control=int(c.size),
                mean_treated=mt,
                mean_control=mc,
                std_difference=float(d),
                imbalanced=bool(abs(d) > IMBALANCE),
            )
        )
    return rows


def _design(z, strata, probability):
    """Keep rows with an outcome; return weights and the stratum dummies (first dropped)."""
    labels = sorted(set(strata))
    dummies = (
        np.column_stack(
            [np.array([s == label for s in strata], dtype=float) for label in labels[1:]]
        )
        if len(labels) > 1
        else np.empty((len(strata), 0))
    )
    p = np.asarray(probability, dtype=float)
    if np.any((p <= 0) | (p >= 1)):
        raise ValueError("every stratum needs winners and others (0 < chance of a place < 1)")
    weights = np.where(z == 1, 1 / p, 1 / (1 - p))
    return weights, dummies


def _check(y, z, strata, probability):
    y, z = _as_arrays(y, z)
    if not (len(y) == len(z) == len(strata) == len(probability)):
        raise ValueError("outcome, assignment, strata and probabilities differ in length")
    keep = ~np.isnan(y)
    strata = [s for s, k in zip(strata, keep, strict=True) if k]
    return y[keep], z[keep].astype(int), strata, np.asarray(probability, dtype=float)[keep], keep


def _effect(estimate, se, df, n, z, level, **extra) -> Effect:
    q = float(_st.t.ppf(0.5 + level / 2, df))
    t = estimate / se if se > 0 else float("inf")
    return Effect(
        estimate=float(estimate),
        se=float(se),
        lower=float(estimate - q * se),
        upper=float(estimate + q * se),
        p_value=float(2 * _st.t.sf(abs(t), df)),
        df=int(df),
        n=int(n),
        n_treated=int((z == 1).sum()),
        n_control=int((z == 0).sum()),
        level=level,
        **extra,
    )


def intention_to_treat(
    y: Sequence[float],
    assigned: Sequence[int],
    strata: Sequence[str],
    probability: Sequence[float],
    *,
    level: float = 0.95,
) -> Effect:
    """The effect of winning a place, whether taken or not.

    Weighted least squares of the outcome on the assignment and stratum indicators, with
    inverse-probability weights and HC2 standard errors (statsmodels). With one stratum this
    is the difference in means of winners and the others.

    Examples
    --------
    >>> effect = intention_to_treat([1, 1, 0, 1, 0, 0], [1, 1, 1, 0, 0, 0], ["a"] * 6, [0.5] * 6)
    >>> round(effect.estimate, 4)
    0.3333
    """
    import statsmodels.api as sm

    y, z, strata, p, _ = _check(y, assigned, strata, probability)
    if len(set(z)) < 2:
        raise ValueError("the outcome is known for one group only")
    weights, dummies = _design(z, strata, p)
    x = np.column_stack([np.ones_like(y), z, dummies])
    fit = sm.WLS(y, x, weights=weights).fit(cov_type="HC2")
    df = len(y) - x.shape[1]
    return _effect(fit.params[1], fit.bse[1], df, len(y), z, level)


def treatment_on_treated(
    y: Sequence[float],
    took_up: Sequence[int],
    assigned: Sequence[int],
    strata: Sequence[str],
    probability: Sequence[float],
    *,
    level: float = 0.95,
) -> Effect:
    """The effect of the program on those who took it up because they won (the complier
    average effect): two-stage least squares of the outcome on take-up, instrumented by the
    assignment, with stratum indicators and the same weights; HC1 standard errors.

    With one stratum this is the Wald ratio: the difference in outcomes between winners and
    the others divided by the difference in take-up. Control applicants who took the program
    up (crossovers) count as taking it up.

    Examples
    --------
    >>> y, took_up, won = [1, 1, 0, 1, 0, 0], [1, 1, 0, 0, 0, 0], [1, 1, 1, 0, 0, 0]
    >>> effect = treatment_on_treated(y, took_up, won, ["a"] * 6, [0.5] * 6)
    >>> round(effect.estimate, 4)  # (2/3 − 1/3) / (2/3 − 0)
    0.5
    """
    y, z, strata, p, keep = _check(y, assigned, strata, probability)
    d = np.asarray(took_up, dtype=float)[keep]
    if len(set(z)) < 2:
        raise ValueError("the outcome is known for one group only")
    weights, dummies = _design(z, strata, p)
    root = np.sqrt(weights)
    ones = np.ones_like(y)
    x = np.column_stack([ones, d, dummies]) * root[:, None]
    instruments = np.column_stack([ones, z, dummies]) * root[:, None]
    yw = y * root
    # First stage: take-up on assignment (and strata).
    gamma, *_ = np.linalg.lstsq(instruments, x[:, 1], rcond=None)
    fitted = instruments @ gamma
    first_resid = x[:, 1] - fitted
    n, k = instruments.shape
    bread_z = np.linalg.pinv(instruments.T @ instruments)
    meat_z = instruments.T @ (instruments * (first_resid**2)[:, None])
    v_first = bread_z @ meat_z @ bread_z * n / (n - k)
    first_stage = float(gamma[1])
    first_f = float(first_stage**2 / v_first[1, 1]) if v_first[1, 1] > 0 else float("inf")
    if abs(first_stage) < 1e-12:
        raise ValueError("winning a place did not change take-up: no effect on the treated")
    x_hat = instruments @ np.linalg.lstsq(instruments, x, rcond=None)[0]
    beta = np.linalg.solve(x_hat.T @ x, x_hat.T @ yw)
    resid = yw - x @ beta
    bread = np.linalg.inv(x_hat.T @ x_hat)
    meat = x_hat.T @ (x_hat * (resid**2)[:, None])
    k = x.shape[1]
    cov = bread @ meat @ bread * n / (n - k)
    return _effect(
        beta[1],
        float(np.sqrt(cov[1, 1])),
        n - k,
        n,
        z,
        level,
        first_stage=first_stage,
        first_stage_f=first_f,
    )


def consort_flow(
    *,
    assessed: int,
    eligible: Sequence[bool],
    assigned: Sequence[int],
    randomized: Sequence[bool],
    took_up: Sequence[int],
    followed: Sequence[bool],
    analysed: Sequence[bool],
) -> ConsortFlow:
    """Count the CONSORT flow from per-applicant flags (one entry per eligible-or-not
    applicant; ``assessed`` may be larger: persons screened who never applied).

    Examples
    --------
    >>> flow = consort_flow(assessed=5, eligible=[1, 1, 1, 0], assigned=[1, 0, 1, 0],
    ...     randomized=[1, 1, 1, 0], took_up=[1, 0, 0, 0], followed=[1, 1, 0, 0],
    ...     analysed=[1, 1, 0, 0])
    >>> flow.allocated_program, flow.received_program, flow.followed_program
    (2, 1, 1)
    """
    e, z, r, d, f, a = (
        np.asarray(v, dtype=bool)
        for v in (eligible, assigned, randomized, took_up, followed, analysed)
    )
    program, control = r & z, r & ~z
    return ConsortFlow(
        assessed=int(assessed),
        eligible=int(e.sum()),
        randomized=int(r.sum()),
        allocated_program=int(program.sum()),
        allocated_control=int(control.sum()),
        received_program=int((program & d).sum()),
        received_control=int((control & d).sum()),
        followed_program=int((program & f).sum()),
        followed_control=int((control & f).sum()),
        analysed_program=int((program & a).sum()),
        analysed_control=int((control & a).sum()),
    )
