"""Time and peak memory of ingesting a SESNSP municipal file, against the analyst's pandas.

Two runs on the same file, each in its own child process so that neither inherits the
other's memory:

* **civica**: :func:`civica.sources.sesnsp.read_sesnsp`, which validates every cell and
  writes the tidy long Parquet file (one row per municipality × crime × month);
* **pandas** (the peer): ``read_csv(encoding="latin-1")``, ``melt`` over the twelve month
  columns and ``groupby(["Clave_Ent", "Año", "Subtipo de delito"]).sum()``: the usual first
  step of an analysis, with no validation at all.

Wall time is measured around each child; peak memory is the child's maximum resident set
size as the kernel accounts it for ``resource.getrusage(RUSAGE_CHILDREN)``, read per child
with ``os.wait4`` so that one run's peak cannot mask the other's. After timing, the
state × year × subtipo sums of both are compared, so the two did the same counting.

Example::

    python benchmarks/generate_municipal.py --out benchmarks/output/IDM_NM_dic25.csv
    python benchmarks/bench_sesnsp_ingest.py benchmarks/output/IDM_NM_dic25.csv
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from civica.sources.sesnsp import MONTHS  # the published month columns


def run_civica(source: Path, out: Path) -> None:
    from django.conf import settings

    if not settings.configured:
        settings.configure(USE_I18N=False)
    from civica.sources.sesnsp import read_sesnsp

    result = read_sesnsp(source, output=out / "tidy.parquet")
    print(f"{result.rows:,} wide rows, {result.long_rows:,} long rows", file=sys.stderr)


def run_pandas(source: Path, out: Path) -> None:
    import pandas as pd

    wide = pd.read_csv(source, encoding="latin-1")
    long = wide.melt(
        id_vars=[column for column in wide.columns if column not in MONTHS],
        value_vars=list(MONTHS),
        var_name="Mes",
        value_name="value",
    )
    sums = long.groupby(["Clave_Ent", "Año", "Subtipo de delito"])["value"].sum()
    sums.reset_index().to_csv(out / "pandas_sums.csv", index=False)


CHILDREN = {"civica": run_civica, "pandas": run_pandas}


def measure(name: str, source: Path, out: Path) -> tuple[float, float]:
    """Wall seconds and peak resident megabytes of one child run."""
    command = [sys.executable, __file__, "--child", name, str(source), str(out)]
    started = time.perf_counter()
    child = subprocess.Popen(command)  # noqa: S603  (our own script, fixed arguments)
    _pid, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"the {name} run failed with exit code {child.returncode}")
    return elapsed, usage.ru_maxrss / 1024  # Linux reports kilobytes


def same_sums(out: Path) -> bool:
    import duckdb

    query = """
        WITH civica AS (
            SELECT state_code::INTEGER AS state, year, subtipo, sum(value) AS total
            FROM read_parquet(?) GROUP BY ALL
        ), peer AS (
            SELECT "Clave_Ent" AS state, "Año" AS year, "Subtipo de delito" AS subtipo,
                   value::HUGEINT AS total
            FROM read_csv(?, header = true)
        )
        SELECT count(*) FROM civica FULL JOIN peer USING (state, year, subtipo)
        WHERE civica.total IS DISTINCT FROM peer.total
    """
    with duckdb.connect() as connection:
        (differences,) = connection.execute(
            query, [str(out / "tidy.parquet"), str(out / "pandas_sums.csv")]
        ).fetchone()
    return differences == 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", type=Path, help="a SESNSP municipal CSV (IDM_NM format)")
    parser.add_argument("--child", choices=CHILDREN, help=argparse.SUPPRESS)
    parser.add_argument("out", type=Path, nargs="?", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        CHILDREN[args.child](args.file, args.out)
        return 0
    with tempfile.TemporaryDirectory(prefix="bench-sesnsp-", dir=args.file.parent) as folder:
        out = Path(folder)
        results = {name: measure(name, args.file, out) for name in CHILDREN}
        agree = same_sums(out)
    report(args.file, results, agree)
    return 0 if agree else 1


def report(source: Path, results: dict[str, tuple[float, float]], agree: bool) -> None:
    (civica_s, civica_mb), (pandas_s, pandas_mb) = results["civica"], results["pandas"]
    size = source.stat().st_size / 1e6
    print(
        f"\nSESNSP municipal ingest: {source.name} ({size:,.0f} MB), "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{datetime.date.today().isoformat()}"
    )
    print(f"{'':44}{'wall (s)':>10}{'peak RSS (MB)':>16}")
    print(f"{'civica read_sesnsp → validated Parquet':44}{civica_s:>10.1f}{civica_mb:>16,.0f}")
    print(f"{'pandas read_csv + melt + groupby (peer)':44}{pandas_s:>10.1f}{pandas_mb:>16,.0f}")
    print(
        f"{'ratio pandas / civica':44}{pandas_s / civica_s:>9.1f}×{pandas_mb / civica_mb:>15.1f}×"
    )
    print("state × year × subtipo sums agree" if agree else "SUMS DIFFER: see the two outputs")


if __name__ == "__main__":
    sys.exit(main())
