"""A generator of realistic, **synthetic** CAD / 9-1-1 call records (for tests, the benchmark
and demonstrations; never real calls).

Arrivals follow an hour-of-week profile (low at dawn, peaks in the afternoon and evening,
busier at weekends); about 3 in 4 calls are not genuine (DOMAIN.md §8) and are never
dispatched; capture, dispatch and arrival times are log-normal (medians 45 s, 100 s and 11
min) with a few slow tails past the national standards. The file uses the ``civica`` preset.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["calls_frame", "write_calls"]

CNIE = ["10101", "10203", "20101", "20402", "30104", "40102", "50101", "60203", "70101"]
# Relative calls by hour of the day (0–23).
HOURLY = np.array(
    [3, 2, 1.5, 1.2, 1, 1.2, 2, 3, 4, 4.5, 5, 5.5, 6, 6, 6.5, 7, 7.5, 8, 8.5, 9, 8.5, 7, 5.5, 4]
)


def calls_frame(
    n: int,
    *,
    seed: int = 1,
    start: dt.date = dt.date(2024, 1, 1),
    days: int = 365,
    sectors: int = 12,
) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    day = rng.integers(0, days, n)
    weekday = (np.datetime64(start) + day.astype("timedelta64[D]")).astype("datetime64[D]")
    weekend = np.isin(((weekday.astype("int64") + 3) % 7), [5, 6])  # 1970-01-01 was Thursday
    hour = rng.choice(24, size=n, p=HOURLY / HOURLY.sum())
    hour = np.where(weekend & (rng.random(n) < 0.2), rng.choice([0, 1, 2, 23], size=n), hour)
    second = rng.integers(0, 3600, n)
    received = np.datetime64(start, "s") + (day * 86400 + hour * 3600 + second).astype(
        "timedelta64[s]"
    )
    genuine = rng.random(n) < 0.25
    capture = np.round(rng.lognormal(np.log(45), 0.6, n)).astype("int64")
    dispatch = np.round(rng.lognormal(np.log(100), 0.7, n)).astype("int64")
    arrival = np.round(rng.lognormal(np.log(660), 0.5, n)).astype("int64")
    captured = received + capture.astype("timedelta64[s]")
    dispatched = captured + dispatch.astype("timedelta64[s]")
    arrived = dispatched + arrival.astype("timedelta64[s]")
    weights = rng.dirichlet(np.ones(sectors) * 2)
    sector = rng.choice(sectors, size=n, p=weights) + 1
    frame = pd.DataFrame(
        {
            "folio": [f"C{seed:02d}{i:09d}" for i in range(n)],
            "recibida": pd.Series(received).dt.strftime("%Y-%m-%d %H:%M:%S"),
            "capturada": pd.Series(captured).dt.strftime("%Y-%m-%d %H:%M:%S"),
            "despachada": pd.Series(dispatched).dt.strftime("%Y-%m-%d %H:%M:%S"),
            "arribo": pd.Series(arrived).dt.strftime("%Y-%m-%d %H:%M:%S"),
            "codigo_cnie": rng.choice(CNIE, size=n),
            "version_cnie": "3.0",
            "prioridad": rng.choice(["alta", "media", "baja"], size=n, p=[0.2, 0.5, 0.3]),
            "procedente": np.where(genuine, "si", "no"),
            "sector": [f"Sector {s}" for s in sector],
            "cuadrante": [f"C-{s}-{q}" for s, q in zip(sector, rng.integers(1, 9, n), strict=True)],
            "resultado": np.where(genuine, "atendido", "improcedente"),
            "iph": np.where(genuine & (rng.random(n) < 0.3), "IPH", ""),
        }
    )
    for column in ("despachada", "arribo"):
        frame.loc[~genuine, column] = ""
    frame.loc[frame["iph"] == "IPH", "iph"] = "IPH-" + frame["folio"]
    return frame


def write_calls(path: Path, n: int, **options) -> Path:
    """Write ``n`` synthetic calls as a CSV of the ``civica`` preset."""
    import duckdb

    frame = calls_frame(n, **options)
    path = Path(path)
    with duckdb.connect() as db:
        db.register("calls", frame)
        db.execute(f"COPY calls TO '{path}' (HEADER, DELIMITER ',')")
    return path
