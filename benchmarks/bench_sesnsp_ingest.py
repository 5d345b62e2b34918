"""`civica ingest sesnsp` of a national municipal file, beside DuckDB's raw load and two pandas
pipelines: time, CPU and peak memory, taking turns (A, B, C, D, A, B, …).

Each run is its own process (so none inherits another's memory), measured by
``_measure.child``:

* **civica**: the command as a user runs it, ``civica ingest sesnsp FILE --cut 2025-12``, in
  a fresh copy of an initialised workspace (so every round is a first ingest: a repeat of the
  same content publishes nothing new): every cell checked, the tidy long Parquet snapshot
  written and published, the snapshot recorded;
* **duckdb-raw**: DuckDB's raw load of the CSV into a table, no checks, no reshaping: what
  the issue's goal is measured against (≤ 1.5× of it);
* **duckdb-parquet**: the same raw load written straight to a Parquet file sorted by state,
  municipality and year, as civica's snapshot is (zstd), still without any check: the like-
  for-like peer of what civica writes, so the cost of the checks reads apart from the cost of
  writing a sorted snapshot;
* **pandas-lean**: ``read_csv`` + ``melt`` over the twelve months + ``groupby`` to state ×
  year × subtipo sums, no validation: the shortest pandas route to a figure;
* **pandas-analyst**: the pipeline as an analyst writes it: read, melt, drop the empty months
  (not yet reported), month names to numbers, a date and a CVEGEO code, then group by
  municipality × subtipo × month — the tidy table civica writes, without the checks;
* **pandas-analyst-no-arrow** (only with ``--no-arrow``): the same with pyarrow hidden, as
  pandas runs where pyarrow is not installed (Python-object strings; this is the 35–43 s,
  10 GB of the issue).

The state × year × subtipo sums of every run are compared with civica's snapshot.

The complete national file (``Municipal-Delitos-2015-2025_*.csv``, ~390 MB) is not in the
shared data folder (its SOURCE.md says why); ``generate_municipal.py`` writes a synthetic one
in the exact published format::

    python benchmarks/generate_municipal.py --out benchmarks/output/IDM_NM_dic25.csv
    python benchmarks/bench_sesnsp_ingest.py benchmarks/output/IDM_NM_dic25.csv --rounds 2
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

import _measure

MESES = (
    "Enero", "Febrero", "Marzo", "Abril", "Mayo", "Junio", "Julio", "Agosto", "Septiembre",
    "Octubre", "Noviembre", "Diciembre",
)  # fmt: skip
ID_COLUMNS = [
    "Año", "Clave_Ent", "Entidad", "Cve. Municipio", "Municipio", "Bien jurídico afectado",
    "Tipo de delito", "Subtipo de delito", "Modalidad",
]  # fmt: skip
CUT = "2025-12"


def _state_sums_from_parquet(parquet: Path, target: Path) -> None:
    import duckdb

    from civica.sources.sesnsp import long_rows

    duckdb.sql(
        "SELECT state_code::INTEGER AS state, year, subtipo, sum(value)::BIGINT AS total "  # noqa: S608
        f"FROM {long_rows(repr(str(parquet)))} GROUP BY ALL"
    ).write_csv(str(target))


def run_duckdb_raw(source: str, out: str) -> dict:
    import duckdb

    with duckdb.connect() as connection:
        connection.execute(
            "CREATE TABLE raw AS SELECT * FROM read_csv(?, encoding = 'latin-1', header = true)",
            [source],
        )
        (rows,) = connection.execute("SELECT count(*) FROM raw").fetchone()
    return {"rows": rows}


def run_duckdb_parquet(source: str, out: str) -> dict:
    import duckdb

    target = Path(out) / "duckdb-parquet.parquet"
    with duckdb.connect() as connection:
        sorted_rows = (
            "SELECT * FROM read_csv(?, encoding = 'latin-1', header = true) "
            'ORDER BY "Clave_Ent", "Cve. Municipio", "Año"'
        )
        copy = f"COPY ({sorted_rows}) TO '{target}' (FORMAT parquet, COMPRESSION zstd)"
        (rows,) = connection.execute(copy, [source]).fetchone()
    target.unlink()
    return {"rows": rows}


def run_pandas_lean(source: str, out: str) -> dict:
    import pandas as pd

    wide = pd.read_csv(source, encoding="latin-1")
    long = wide.melt(id_vars=ID_COLUMNS, value_vars=list(MESES), var_name="Mes", value_name="n")
    sums = long.groupby(["Clave_Ent", "Año", "Subtipo de delito"])["n"].sum()
    _write_state_sums(sums, out, "pandas-lean")
    return {}


def run_pandas_analyst(source: str, out: str, name: str = "pandas-analyst") -> dict:
    import pandas as pd

    df = pd.read_csv(source, encoding="latin-1")
    df = df.melt(id_vars=ID_COLUMNS, var_name="mes", value_name="delitos")
    df = df.dropna(subset=["delitos"])  # months not reported yet
    df["mes"] = df["mes"].map({mes: n for n, mes in enumerate(MESES, start=1)})
    df["fecha"] = pd.to_datetime({"year": df["Año"], "month": df["mes"], "day": 1})
    df["cvegeo"] = df["Cve. Municipio"].astype(str).str.zfill(5)
    tidy = df.groupby(["cvegeo", "Subtipo de delito", "fecha"], as_index=False)["delitos"].sum()
    tidy["Clave_Ent"] = tidy["cvegeo"].str[:2].astype(int)
    tidy["Año"] = tidy["fecha"].dt.year
    sums = tidy.groupby(["Clave_Ent", "Año", "Subtipo de delito"])["delitos"].sum()
    _write_state_sums(sums, out, name)
    return {"tidy_rows": len(tidy)}


def run_pandas_analyst_no_arrow(source: str, out: str) -> dict:
    sys.modules["pyarrow"] = None  # an import of pyarrow now fails, as where it is absent
    return run_pandas_analyst(source, out, "pandas-analyst-no-arrow")


def _write_state_sums(sums, out: str, name: str) -> None:
    frame = sums.reset_index()
    frame.columns = ["state", "year", "subtipo", "total"]
    frame["total"] = frame["total"].astype("int64")
    frame.to_csv(Path(out) / f"{name}.csv", index=False)


CHILDREN = {
    "civica": None,  # the command itself, run by main()
    "duckdb-raw": run_duckdb_raw,
    "duckdb-parquet": run_duckdb_parquet,
    "pandas-lean": run_pandas_lean,
    "pandas-analyst": run_pandas_analyst,
    "pandas-analyst-no-arrow": run_pandas_analyst_no_arrow,
}
LABELS = {
    "civica": "civica ingest sesnsp (checked, snapshot published)",
    "duckdb-raw": "DuckDB raw CSV load (no checks)",
    "duckdb-parquet": "DuckDB raw load to a sorted Parquet (no checks)",
    "pandas-lean": "pandas read + melt + groupby (lean)",
    "pandas-analyst": "pandas analyst pipeline (pyarrow strings)",
    "pandas-analyst-no-arrow": "pandas analyst pipeline, without pyarrow",
}


def differing_sums(out: Path, name: str) -> int:
    """Rows of state × year × subtipo sums where ``name`` differs from civica's snapshot."""
    import duckdb

    (count,) = duckdb.execute(
        """
        SELECT count(*) FROM read_csv(?) a FULL JOIN read_csv(?) b USING (state, year, subtipo)
        WHERE a.total IS DISTINCT FROM b.total
        """,
        [str(out / "civica.csv"), str(out / f"{name}.csv")],
    ).fetchone()
    return count


def main() -> int:
    if _measure.child_main(CHILDREN):
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", type=Path, help="a SESNSP municipal CSV (IDM_NM format)")
    parser.add_argument("--rounds", type=int, default=2, help="turns of every run (default 2)")
    parser.add_argument("--no-arrow", action="store_true", help="add the run without pyarrow")
    parser.add_argument("--skip", action="append", default=[], choices=CHILDREN)
    args = parser.parse_args()
    names = [n for n in CHILDREN if n not in args.skip]
    if not args.no_arrow:
        names.remove("pandas-analyst-no-arrow")
    source = args.file.resolve()
    print(_measure.machine(f"SESNSP municipal ingest: {source.name}"), flush=True)
    with _measure.temporary_folder("bench-sesnsp-") as folder:
        out = Path(folder)
        template = out / "template"
        env = {**os.environ, "CIVICA_HOME": str(template)}
        subprocess.run(
            [sys.executable, "-m", "civica", "init"], env=env, check=True, capture_output=True
        )

        def one(name: str) -> _measure.Run:
            if name != "civica":
                return _measure.self_child(__file__, name, str(source), str(out), folder=out)
            home = out / "home"
            shutil.rmtree(home, ignore_errors=True)
            shutil.copytree(template, home)
            command = [sys.executable, "-m", "civica", "ingest", "sesnsp", str(source)]
            run = _measure.child(
                name, [*command, "--cut", CUT], env={**os.environ, "CIVICA_HOME": str(home)}
            )
            snapshot = max((home / "warehouse").rglob("*.parquet"), key=lambda p: p.stat().st_size)
            _state_sums_from_parquet(snapshot, out / "civica.csv")  # not timed
            return run

        runs = _measure.interleave(names, one, args.rounds)
        unsummed = {"civica", "duckdb-raw", "duckdb-parquet"}  # no sums of their own
        checks = {n: differing_sums(out, n) for n in names if n not in unsummed}
    size = source.stat().st_size / 1e6
    rows = runs["duckdb-raw"][0].report.get("rows") if "duckdb-raw" in runs else None
    print(f"\n{size:,.0f} MB" + (f", {rows:,} rows" if rows else "") + f"; {args.rounds} rounds")
    base = runs.get("civica")
    print(
        _measure.table(
            ["run", *_measure.MEASURE_HEADER, "wall ÷ civica", "peak ÷ civica"],
            [
                [
                    LABELS[n],
                    *_measure.summary_row(r, 1),
                    _measure.ratio(r, base) if base else "–",
                    _measure.ratio(r, base, "peak_mb") if base else "–",
                ]
                for n, r in runs.items()
            ],
        )
    )
    if base and "duckdb-raw" in runs:
        # The goal (≤ 1.5× the raw load) read round by round: each round's two runs
        # ran one after the other, under the same neighbours.
        rounds = _measure.paired(base, runs["duckdb-raw"])
        print(f"civica ÷ DuckDB raw load, round by round: {rounds}")
    for name, count in checks.items():
        verdict = "agree" if count == 0 else f"DIFFER in {count} rows"
        print(f"state × year × subtipo sums, {name} against civica: {verdict}")
    return 1 if any(checks.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
