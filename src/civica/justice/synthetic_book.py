"""A synthetic case book of juzgados cívicos, as plain records (labelled synthetic).

:func:`generate_book` draws, deterministically from a seed, the presentations of persons to
the juzgados of some municipalities over the months before an end date, at the volumes and
shares of DOMAIN.md §4: mostly men, about 6% adolescents, most presentations at night and on
weekends, faltas mostly against citizen safety (drinking in public, drunk driving) and
tranquillity (escándalo), fines and arrests as the common sanctions, community work mostly as
a commutation, Medidas (MMCC) for a few, neighbour conflicts to mediation, and persons who come
back. Nothing here touches the database: :mod:`civica.justice.synthetic` writes the records
through the justice models for ``civica demo``, and the benchmarks use them as they are.

Persons carry a latent risk (low/medium/high) that drives both how often they return and
which sanction the judge chooses (higher risk: more arrests and measures), so the sanction
groups differ in reincidence without the sanction doing anything — the reason reincidence by
sanction is read as a comparison of groups, not an effect.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["Book", "MunicipalityBook", "generate_book"]

FAMILIES = ("seguridad", "tranquilidad", "entorno", "dignidad")
FAMILY_SHARES = (0.46, 0.34, 0.13, 0.07)
SANCTIONS = ("multa", "arresto", "amonestacion", "trabajo", "mmcc")
#: Sanction mix of responsible adults by latent risk (rows: low, medium, high).
ADULT_MIX = np.array(
    [
        [0.55, 0.18, 0.15, 0.07, 0.05],
        [0.44, 0.30, 0.08, 0.09, 0.09],
        [0.30, 0.42, 0.03, 0.10, 0.15],
    ]
)
MINOR_MIX = np.array([0.50, 0.0, 0.0, 0.10, 0.40])  # never arrest; reprimand or measures
RETURN = np.array([0.12, 0.32, 0.58])  # chance of a later presentation, by latent risk
RISK_SHARES = np.array([0.50, 0.35, 0.15])
GAP_DAYS = 160.0  # mean days to the next presentation of a person who returns
NIGHT_HOURS = np.array(
    # share of presentations by hour of the day (0–23): mostly night and early morning
    [8, 8, 7, 6, 4, 3, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 4, 4, 5, 5, 6, 7, 8],
    dtype=float,
)
GIVEN = [
    "José",
    "Luis",
    "María",
    "Juan",
    "Ana",
    "Carlos",
    "Miguel",
    "Jorge",
    "Laura",
    "Pedro",
    "Luis",
    "Alejandro",
    "Guadalupe",
    "Fernando",
    "Ricardo",
    "Francisco",
    "Daniel",
    "Rosa",
    "Antonio",
    "Alberto",
    "Sofía",
    "Eduardo",
    "Manuel",
    "Roberto",
    "Mario",
    "Sergio",
    "Gabriela",
    "Diana",
    "Raúl",
    "Arturo",
    "Javier",
    "Adriana",
    "Víctor",
    "Héctor",
    "Martha",
    "Rubén",
    "Andrés",
    "Patricia",
    "Marco",
    "Hugo",
]
FAMILY_NAMES = [
    "Hernández",
    "García",
    "Martínez",
    "López",
    "González",
    "Pérez",
    "Rodríguez",
    "Sánchez",
    "Ramírez",
    "Cruz",
    "Flores",
    "Gómez",
    "Morales",
    "Vázquez",
    "Reyes",
    "Jiménez",
    "Torres",
    "Díaz",
    "Gutiérrez",
    "Ruiz",
    "Mendoza",
    "Aguilar",
    "Ortiz",
    "Moreno",
    "Castillo",
    "Romero",
    "Álvarez",
    "Méndez",
    "Chávez",
    "Rivera",
    "Juárez",
    "Ramos",
    "Domínguez",
    "Herrera",
    "Medina",
    "Castro",
    "Vargas",
    "Guzmán",
    "Velázquez",
    "Rojas",
]


@dataclass(frozen=True)
class MunicipalityBook:
    """What to draw for one municipality: its code, presentations a year, juzgados, and
    the shares its practice sets (RND folio, tamizaje)."""

    code: str
    per_year: int
    juzgados: int = 1
    rnd_share: float = 0.8
    screened_share: float = 0.6


@dataclass(frozen=True, eq=False)
class Book:
    """The records drawn: ``persons`` (``person``, ``municipality``, ``sex``,
    ``birth_date``, ``given_names``, ``family_names``, ``risk``), ``cases`` (one row per
    presentation, in time order; columns as the justice ``Case`` fields plus ``person``,
    ``municipality``, ``juzgado``, ``family``, ``offence_draw`` and ``amount_draw``, the
    uniform draws the loader turns into a falta of that family and an amount inside its
    class), ``mediations`` and ``follow_ups`` (with ``case``, the row of ``cases``)."""

    start: dt.datetime
    end: dt.datetime
    persons: pd.DataFrame
    cases: pd.DataFrame
    mediations: pd.DataFrame
    follow_ups: pd.DataFrame

    def presentations_per_year(self) -> dict[str, float]:
        years = (self.end - self.start).days / 365.25
        counts = self.cases.groupby("municipality").size()
        return {code: round(count / years, 1) for code, count in counts.items()}


def _times(rng, n: int, start: dt.datetime, end: dt.datetime) -> np.ndarray:
    """``n`` presentation times between start and end: weekends heavier, night hours."""
    days = (end - start).days
    day = rng.integers(0, days, size=n * 2)
    weekday = (np.datetime64(start.date(), "D") + day).astype("datetime64[D]").view("int64")
    weekday = (weekday + 3) % 7  # 0 = Monday
    weight = np.where(weekday >= 4, 1.6, 1.0)  # Friday to Sunday nights
    keep = rng.random(n * 2) < weight / 1.6
    day = day[keep][:n]
    if len(day) < n:  # pragma: no cover - twice as many draws always suffice in practice
        day = np.r_[day, rng.integers(0, days, size=n - len(day))]
    hour = rng.choice(24, size=n, p=NIGHT_HOURS / NIGHT_HOURS.sum())
    minute = rng.integers(0, 60, size=n)
    base = np.datetime64(start.replace(hour=0, minute=0, second=0, microsecond=0), "m")
    return base + (day * 1440 + hour * 60 + minute).astype("timedelta64[m]")


def generate_book(
    municipalities: list[MunicipalityBook],
    *,
    end: dt.datetime,
    years: int = 3,
    seed: int = 1,
) -> Book:
    """Draw the synthetic case book of ``municipalities`` over the ``years`` before ``end``.

    The same seed and end give the same book. Cases presented in the last hours before
    ``end``, and the last few of every juzgado, are left waiting (medical certificate,
    tamizaje or hearing), as on a juzgado's live board; follow-ups and mediation checks due
    after ``end`` are not written yet.
    """
    rng = np.random.default_rng(seed)
    start = end - dt.timedelta(days=round(365.25 * years))
    end64 = np.datetime64(end.replace(microsecond=0), "m")
    person_frames, case_frames = [], []
    next_person = 0
    for place in municipalities:
        total = place.per_year * years
        # First presentations, then returns of the persons who come back (a person's next
        # presentation follows with a chance set by their risk, after an exponential gap).
        first_n = round(total / (1 + float(RISK_SHARES @ RETURN)))
        persons = np.arange(next_person, next_person + first_n)
        next_person += first_n
        risk = rng.choice(3, size=first_n, p=RISK_SHARES)
        minor = rng.random(first_n) < 0.06
        age_at_first = np.where(
            minor,
            rng.integers(12, 18, size=first_n),
            np.clip(np.round(18 + rng.gamma(2.2, 7.0, size=first_n)), 18, 80),
        ).astype(int)
        when = _times(rng, first_n, start, end)
        birth = (
            when.astype("datetime64[D]")
            - (age_at_first * 365.25 + rng.integers(0, 365, size=first_n)).astype("timedelta64[D]")
        ).astype("datetime64[D]")
        sex = np.where(rng.random(first_n) < 0.87, "M", "F")
        person_frames.append(
            pd.DataFrame(
                {
                    "person": persons,
                    "municipality": place.code,
                    "sex": sex,
                    "birth_date": birth,
                    "given_names": rng.choice(GIVEN, size=first_n),
                    "family_names": [
                        f"{a} {b}"
                        for a, b in zip(
                            rng.choice(FAMILY_NAMES, size=first_n),
                            rng.choice(FAMILY_NAMES, size=first_n),
                            strict=True,
                        )
                    ],
                    "risk": risk,
                }
            )
        )
        rows_person, rows_when = [persons], [when]
        current, current_when = persons, when
        while len(current):
            again = rng.random(len(current)) < RETURN[risk[current - persons[0]]]
            gap = np.maximum(1, rng.exponential(GAP_DAYS, size=len(current))).astype(int)
            later = (current_when.astype("datetime64[D]") + gap.astype("timedelta64[D]")).astype(
                "datetime64[m]"
            ) + (
                rng.choice(24, size=len(current), p=NIGHT_HOURS / NIGHT_HOURS.sum()) * 60
                + rng.integers(0, 60, size=len(current))
            ).astype("timedelta64[m]")
            keep = again & (later < end64)
            current, current_when = current[keep], later[keep]
            rows_person.append(current)
            rows_when.append(current_when)
        frame = pd.DataFrame(
            {"person": np.concatenate(rows_person), "presented_at": np.concatenate(rows_when)}
        )
        frame["municipality"] = place.code
        frame["juzgado"] = rng.integers(0, place.juzgados, size=len(frame))
        frame["rnd_share"] = place.rnd_share
        frame["screened_share"] = place.screened_share
        case_frames.append(frame)

    persons = pd.concat(person_frames, ignore_index=True)
    cases = pd.concat(case_frames, ignore_index=True).sort_values(
        ["presented_at", "person"], kind="stable", ignore_index=True
    )
    cases = _stages(rng, cases, persons, end64)
    mediations = _mediations(rng, cases, end64)
    follow_ups = _follow_ups(rng, cases, end64)
    cases = cases.drop(columns=["rnd_share", "screened_share"])
    return Book(
        start=start,
        end=end,
        persons=persons,
        cases=cases,
        mediations=mediations,
        follow_ups=follow_ups,
    )


#: The last presentations of every juzgado left waiting on its board (see ``_stages``).
LAST_WAITING = 3


def _minutes(values) -> np.ndarray:
    return np.asarray(np.round(values), dtype=np.int64).astype("timedelta64[m]")


def _stages(rng, cases: pd.DataFrame, persons: pd.DataFrame, end64) -> pd.DataFrame:
    n = len(cases)
    person = persons.set_index("person").loc[cases["person"]]
    risk = person["risk"].to_numpy()
    presented = cases["presented_at"].to_numpy("datetime64[m]")
    age = (
        (presented.astype("datetime64[D]") - person["birth_date"].to_numpy("datetime64[D]"))
        .astype(np.int64)
        .__floordiv__(365.25)
        .astype(int)
    )
    minor = age < 18
    # A person's earlier presentation (resolved or not) makes this one a repeat.
    repeat = cases.duplicated("person").to_numpy()

    cases["detained_at"] = presented - _minutes(rng.uniform(20, 150, n))
    cases["family"] = np.array(FAMILIES)[rng.choice(4, size=n, p=FAMILY_SHARES)]
    cases["offence_draw"] = rng.random(n)
    cases["amount_draw"] = rng.random(n)
    cases["rnd_folio"] = np.where(
        rng.random(n) < cases["rnd_share"].to_numpy(),
        [f"RND-SINT-{i:07d}" for i in range(n)],
        "",
    )
    cases["detection"] = rng.choice(["flagrancia", "denuncia", "911"], size=n, p=[0.7, 0.1, 0.2])
    cases["use_of_force"] = rng.random(n) < 0.04

    # Medical certificate: nearly everyone; intoxication common; some unfit for hours.
    medical = rng.random(n) < 0.96
    medical_at = presented + _minutes(rng.uniform(10, 60, n))
    cases["medical_at"] = np.where(medical, medical_at, np.datetime64("NaT"))
    cases["intoxication"] = np.where(
        medical,
        rng.choice(["none", "alcohol", "drugs", "both"], size=n, p=[0.35, 0.52, 0.08, 0.05]),
        "",
    )
    unfit = medical & (rng.random(n) < 0.10)
    cases["fit"] = np.where(medical, ~unfit, None)
    unfit_until = medical_at + _minutes(rng.uniform(240, 600, n))
    cases["unfit_until"] = np.where(unfit, unfit_until, np.datetime64("NaT"))
    cases["clinical_age"] = np.where(medical, age, -1)

    # Tamizaje: the municipality's practice, more for minors; risk read with some noise.
    screened = rng.random(n) < np.where(minor, 0.9, cases["screened_share"].to_numpy())
    ready = np.where(unfit, unfit_until, medical_at)
    screened_at = ready + _minutes(rng.uniform(15, 90, n))
    cases["screened_at"] = np.where(screened, screened_at, np.datetime64("NaT"))
    noisy = np.clip(risk + rng.choice([-1, 0, 0, 0, 1], size=n), 0, 2)
    cases["risk_level"] = np.where(screened, np.array(["low", "medium", "high"])[noisy], "")
    cases["screening_consent"] = screened
    guardian_at = presented + _minutes(rng.uniform(30, 120, n))
    cases["guardian_at"] = np.where(minor, guardian_at, np.datetime64("NaT"))

    # Hearing and resolution.
    ready_for_hearing = np.where(screened, screened_at, ready)
    after = np.where(minor, np.maximum(ready_for_hearing, guardian_at), ready_for_hearing)
    hearing_start = after + _minutes(rng.gamma(2.0, 40.0, n))
    hearing_end = hearing_start + _minutes(rng.uniform(10, 40, n))
    # The last night's persons are still waiting at one stage or another: for those
    # presented in the last eight hours the record stops a while after the presentation.
    # So does it for the last few persons of every juzgado whatever hour ``end`` falls at: a
    # book drawn in the afternoon (the demo's) still has persons on each juzgado's board.
    recent = presented > end64 - np.timedelta64(480, "m")
    last = cases.groupby(["municipality", "juzgado"]).cumcount(ascending=False).to_numpy()
    last = last < LAST_WAITING
    waited = np.where(last & ~recent, rng.uniform(0, 90, n), rng.uniform(0, 300, n))
    cut = np.where(recent | last, presented + _minutes(waited), end64)
    cut = np.minimum(cut, end64)
    resolved = hearing_end < cut
    started = hearing_start < cut
    cases["hearing_started_at"] = np.where(started, hearing_start, np.datetime64("NaT"))
    cases["hearing_ended_at"] = np.where(resolved, hearing_end, np.datetime64("NaT"))
    cases["resolved_at"] = np.where(resolved, hearing_end, np.datetime64("NaT"))
    for column in ("medical_at", "screened_at", "unfit_until", "guardian_at"):
        late = cases[column].to_numpy("datetime64[m]") > cut
        cases.loc[late, column] = pd.NaT
    cases.loc[cases["medical_at"].isna(), ["intoxication"]] = ""
    cases.loc[cases["screened_at"].isna(), "risk_level"] = ""

    responsible = resolved & (rng.random(n) < 0.93)
    mix = np.where(minor[:, None], MINOR_MIX[None, :], ADULT_MIX[risk])
    pick = (rng.random(n)[:, None] > np.cumsum(mix, axis=1)).sum(axis=1)
    sanction = np.array(SANCTIONS)[np.minimum(pick, len(SANCTIONS) - 1)]
    mediation = resolved & (cases["family"].to_numpy() == "tranquilidad") & (rng.random(n) < 0.15)
    sanction = np.where(mediation, "amonestacion", sanction)
    cases["responsible"] = np.where(resolved, responsible, None)
    cases["sanction"] = np.where(responsible, sanction, np.where(resolved, "ninguna", ""))
    commutable = np.isin(sanction, ("multa", "arresto")) & responsible
    asked = commutable & (rng.random(n) < 0.30)
    granted = asked & (rng.random(n) < np.where(repeat & ~minor, 0.55, 0.80))
    cases["commutation"] = np.where(granted, "granted", np.where(asked, "denied", "not_asked"))
    cases["commutation_reason"] = np.where(
        granted, "Solicitud de la persona", np.where(asked, "Reincidencia", "")
    )
    cases["community_work"] = responsible & ((sanction == "trabajo") | granted)
    cases["occupation"] = np.where(
        responsible & (sanction == "multa"),
        rng.choice(["worker", "no_income", "other"], size=n, p=[0.55, 0.1, 0.35]),
        "",
    )
    cases["declared_daily_wage"] = np.where(
        cases["occupation"] != "", np.round(rng.uniform(250, 700, n), 0), np.nan
    )
    cases["minor"] = minor
    cases["repeat"] = repeat
    cases["mediation"] = mediation

    # Closure: complied sanctions close on the day, work and measures when done.
    follow_days = rng.uniform(20, 90, n)
    complied = rng.random(n) < np.where(risk == 2, 0.62, 0.80)
    resolved_at = cases["resolved_at"].to_numpy("datetime64[m]")
    quick = responsible & np.isin(sanction, ("multa", "amonestacion", "arresto")) & ~granted
    later = resolved_at + _minutes(follow_days * 1440)
    closed_at = np.where(
        ~responsible & resolved,
        resolved_at,
        np.where(quick, resolved_at + _minutes(rng.uniform(30, 600, n)), later),
    )
    closed_at = np.where(resolved & (closed_at < end64), closed_at, np.datetime64("NaT"))
    cases["closed_at"] = closed_at
    cases["closure"] = np.where(
        np.isnat(closed_at),
        "",
        np.where(
            ~responsible,
            "not_responsible",
            np.where(
                mediation, "conciliated", np.where(quick | complied, "complied", "noncompliance")
            ),
        ),
    )
    cases["complied"] = complied
    cases["follow_days"] = follow_days
    cases["sex"] = person["sex"].to_numpy()
    cases["age"] = age
    return cases


def _mediations(rng, cases: pd.DataFrame, end64) -> pd.DataFrame:
    rows = cases.index[cases["mediation"].to_numpy()].to_numpy()
    n = len(rows)
    agreed_on = cases.loc[rows, "resolved_at"].to_numpy("datetime64[D]")
    agreement = rng.random(n) < 0.85
    end_day = end64.astype("datetime64[D]")
    due30 = agreed_on + np.timedelta64(30, "D")
    due90 = agreed_on + np.timedelta64(90, "D")
    kept30 = agreement & (rng.random(n) < 0.80)
    kept90 = kept30 & (rng.random(n) < 0.82)
    return pd.DataFrame(
        {
            "case": rows,
            "agreed_on": np.where(agreement, agreed_on, np.datetime64("NaT")),
            "checked_30_on": np.where(agreement & (due30 <= end_day), due30, np.datetime64("NaT")),
            "kept_30": np.where(agreement & (due30 <= end_day), kept30, None),
            "checked_90_on": np.where(agreement & (due90 <= end_day), due90, np.datetime64("NaT")),
            "kept_90": np.where(agreement & (due90 <= end_day), kept90, None),
        }
    )


def _follow_ups(rng, cases: pd.DataFrame, end64) -> pd.DataFrame:
    """Community work: weekly hours served (all of them when complied, part otherwise and a
    non-compliance); measures: weekly sessions attended or missed."""
    frames = []
    resolved_day = cases["resolved_at"].to_numpy("datetime64[D]")
    end_day = end64.astype("datetime64[D]")
    work = np.flatnonzero(cases["community_work"].to_numpy())
    measure = np.flatnonzero(
        (cases["sanction"].to_numpy() == "mmcc") & cases["responsible"].fillna(False).to_numpy(bool)
    )
    for kind, rows in (("hours", work), ("attendance", measure)):
        sessions = rng.integers(3, 7, size=len(rows))
        repeat = np.repeat(rows, sessions)
        week = np.concatenate([np.arange(k) for k in sessions]) if len(rows) else np.zeros(0, int)
        on = resolved_day[repeat] + (7 * (week + 1)).astype("timedelta64[D]")
        complied = cases["complied"].to_numpy()[repeat]
        share = np.where(complied, 1.0, 0.5)
        done = week < np.ceil(sessions.repeat(sessions) * share)
        frame = pd.DataFrame(
            {
                "case": repeat,
                "kind": kind,
                "on": on,
                "session": week,
                "sessions": sessions.repeat(sessions),
                "attended": np.where(kind == "attendance", done, None),
                "served": done,
            }
        )
        frame = frame[(frame["on"] <= end_day) & ((kind == "attendance") | frame["served"])]
        frames.append(frame)
        # Who did not comply gets one non-compliance entry after the last session.
        missed = rows[~cases["complied"].to_numpy()[rows]]
        last = resolved_day[missed] + (
            7 * (sessions[~cases["complied"].to_numpy()[rows]] + 1)
        ).astype("timedelta64[D]")
        frames.append(
            pd.DataFrame(
                {
                    "case": missed,
                    "kind": "noncompliance",
                    "on": last,
                    "session": -1,
                    "sessions": 0,
                    "attended": None,
                    "served": False,
                }
            )[last <= end_day]
        )
    return pd.concat(frames, ignore_index=True)
