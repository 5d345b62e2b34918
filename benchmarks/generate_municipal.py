"""Write a SYNTHETIC national SESNSP municipal incidence file at full scale.

The official municipal file (``Municipal-Delitos-2015-2025_<mes><año>.csv``, ~2.7 M rows,
~390 MB) cannot be kept in the shared data folder, so benchmarks of the SESNSP reader need a
stand-in with the same bytes on disk: the published header, Latin-1 encoding, CRLF line
ends, quotes only around the modalities that contain a comma, ``Clave_Ent`` unpadded
(``1`` … ``32``), ``Cve. Municipio`` as an integer (``1001``), the 98 modalities of the 2015
catalogue in catalogue order, rows ordered by year, state and municipality, and the
December cells of the last year empty ("not reported yet").

Every count is invented. Counts come from a seeded negative binomial whose mean depends on
the modality, the municipality's size and the state, so the file has the realistic shape of
the real one (mostly zeros and small counts, a long tail in large municipalities) and
compresses and parses like it. Municipalities are named ``Sintético NNN``; each
state gets about as many as INEGI lists for it, and the remainder up to ``--municipalities``
are pseudo-municipalities ``No Especificado`` (code ``XX998``) and ``Otros Municipios``
(``XX999``) as SESNSP publishes them.

Example::

    python benchmarks/generate_municipal.py --out benchmarks/output/IDM_NM_dic25.csv
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
import time
from importlib import resources
from pathlib import Path

import numpy as np

from civica.sources.sesnsp import MONTHS
from civica.territory.catalog import STATES

HEADER = (
    "Año", "Clave_Ent", "Entidad", "Cve. Municipio", "Municipio", "Bien jurídico afectado",
    "Tipo de delito", "Subtipo de delito", "Modalidad", *MONTHS,
)  # fmt: skip

# About as many municipalities per state as INEGI's Marco Geoestadístico lists (2,475).
MUNICIPALITIES_PER_STATE = (
    11, 7, 5, 13, 38, 10, 124, 67, 16, 39, 46, 85, 84, 125, 125, 113,
    36, 20, 51, 570, 217, 18, 11, 58, 20, 72, 17, 43, 60, 212, 106, 58,
)  # fmt: skip

# Mean monthly count per modality in a municipality of average size, by subtipo keyword;
# invented, only so that frequent crimes look frequent.
BASE_RATES = {
    "Violencia familiar": 6.0,
    "Robo a negocio": 2.5,
    "Robo a casa habitación": 1.5,
    "Otros robos": 3.0,
    "Lesiones dolosas": 2.5,
    "Amenazas": 2.5,
    "Fraude": 1.5,
    "Daño a la propiedad": 1.5,
    "Robo de vehículo automotor": 1.2,
    "Narcomenudeo": 1.5,
    "Otros delitos del Fuero Común": 4.0,
    "Homicidio doloso": 0.35,
    "Homicidio culposo": 0.4,
    "Lesiones culposas": 1.0,
}
DEFAULT_RATE = 0.08
DISPERSION = 0.8
"""Negative-binomial shape: smaller means more overdispersed counts."""


def parse_years(text: str) -> tuple[int, int]:
    first, _, last = text.partition("-")
    first_year, last_year = int(first), int(last or first)
    if not 2015 <= first_year <= last_year <= 2025:
        raise argparse.ArgumentTypeError("years must be FIRST-LAST within 2015-2025")
    return first_year, last_year


def catalogue() -> list[tuple[str, str, str, str]]:
    """The 98 modalities of the 2015 catalogue, in catalogue order."""
    text = (
        resources.files("civica.sources")
        .joinpath("data/sesnsp_categories_2015.csv")
        .read_text(encoding="utf-8")
    )
    rows = list(csv.reader(io.StringIO(text)))
    return [tuple(row) for row in rows[1:]]


def municipalities(total: int) -> list[tuple[int, str, int, str]]:
    """``(state number, state name, municipality code, municipality name)`` for ``total``
    areas: INEGI-like counts per state, scaled to ``total``, with the remainder made of
    pseudo-municipalities (``XX999`` Otros Municipios first, then ``XX998``)."""
    counts = np.array(MUNICIPALITIES_PER_STATE)
    pseudo_room = 2 * len(STATES)
    if not counts.sum() <= total <= counts.sum() + pseudo_room:
        counts = np.maximum(1, np.floor(counts * total / counts.sum()).astype(int))
    extra = max(0, total - int(counts.sum()))
    pseudo: list[list[tuple[int, str]]] = [[] for _ in STATES]
    for code, name in ((999, "Otros Municipios"), (998, "No Especificado")):
        for index in range(len(STATES)):
            if extra > 0:
                pseudo[index].append((code, name))
                extra -= 1
    areas = []
    for index, state in enumerate(STATES):
        number = index + 1
        regular = [(number * 1000 + i, f"Sintético {i:03d}") for i in range(1, counts[index] + 1)]
        named = regular + [(number * 1000 + code, name) for code, name in sorted(pseudo[index])]
        areas += [(number, state.name, code, name) for code, name in named]
    return areas[:total]


def mean_counts(rng: np.random.Generator, areas, crimes) -> np.ndarray:
    """Expected monthly count per (area, modality): modality rate × area size × state."""
    rates = np.array(
        [
            next((r for key, r in BASE_RATES.items() if key in crime[2]), DEFAULT_RATE)
            for crime in crimes
        ]
    )
    size = rng.lognormal(mean=0.0, sigma=1.3, size=len(areas))
    state_effect = rng.lognormal(mean=0.0, sigma=0.5, size=33)[[a[0] for a in areas]]
    return np.outer(size * state_effect, rates)


def write(out: Path, *, total: int, years: tuple[int, int], seed: int) -> int:
    rng = np.random.default_rng(seed)
    crimes = catalogue()
    areas = municipalities(total)
    means = mean_counts(rng, areas, crimes)
    rows = 0
    with out.open("w", encoding="latin-1", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(HEADER)
        for year in range(years[0], years[1] + 1):
            trend = 1.0 + 0.03 * (year - years[0])
            mu = means * trend
            # One draw per (area, modality, month): shape n, success probability n/(n+mu).
            counts = rng.negative_binomial(
                DISPERSION, DISPERSION / (DISPERSION + mu[..., None]), size=(*mu.shape, 12)
            )
            text = counts.astype(str).tolist()
            for a, (number, state, code, name) in enumerate(areas):
                prefix = [str(year), str(number), state, str(code), name]
                for c, crime in enumerate(crimes):
                    months = text[a][c]
                    if year == years[1]:
                        months = [*months[:11], ""]
                    writer.writerow([*prefix, *crime, *months])
            rows += len(areas) * len(crimes)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True, help="the CSV file to write")
    parser.add_argument("--municipalities", type=int, default=2480)
    parser.add_argument("--years", type=parse_years, default=(2015, 2025), help="e.g. 2015-2025")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    rows = write(args.out, total=args.municipalities, years=args.years, seed=args.seed)
    size = args.out.stat().st_size / 1e6
    elapsed = time.perf_counter() - started
    print(f"{args.out}: {rows:,} rows, {size:,.0f} MB, synthetic, {elapsed:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
