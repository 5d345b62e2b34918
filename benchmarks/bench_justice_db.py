"""Civic justice at scale in a kept workspace: the indicator table, the live board, the
intake save and the reincidence of a year over a large historical case book (SQLite, or
PostgreSQL by DATABASE_URL).

SYNTHETIC data: ``civica.justice.synthetic_book`` draws ``--cases`` presentations (default
1,000,000) over three years in one municipality with ``--juzgados`` juzgados, written by
``civica.justice.synthetic.write_book`` (``executemany`` in 50,000-row chunks on SQLite, a
``COPY`` on PostgreSQL). ``--home DIR`` keeps the workspace (keys, SQLite file): a second
run on the same home (and the same DATABASE_URL) reuses the written book. Then, ``--repeat``
times:

* **indicator table**: the 16 figures of the municipal dashboard over the last 12 months of
  the municipality (``justice.analysis.table``), in a new process each time (modules
  imported and connection opened before the clock), with the process's peak memory: its
  first call with every month's columns kept (``justice.columns``: what the import left),
  a second call, a call after one case of the last month is saved (that juzgado's month is
  read again from the cases), and a call with nothing kept (every month read from the
  cases: once, after an upgrade);
* **board**: ``justice.selectors.board`` for a judge of one juzgado (persons present now);
* **intake save**: ``justice.services.open_case`` of a new person with one falta;
* **reincidence**: the persons resolved in a year, read from the database and computed;
* **reincidence_all**: the same over every presentation of the book (about 1,000,000 at
  the default size: each person's first resolution of the three years).

Every line gives wall and CPU time (user + system of the process: the shared machine's load
inflates the first, not the second) and the 1-minute load average.

    PYTHONPATH=src python benchmarks/bench_justice_db.py --cases 1000000 --juzgados 4 \\
        --home /tmp/bench-justice
    # the written book again, some measures: --only indicators  (or board,intake,
    # reincidence,reincidence_all)
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/civica_bench \\
        PYTHONPATH=src python benchmarks/bench_justice_db.py --cases 1000000 --juzgados 4 \\
        --home /tmp/bench-justice-pg

Targets: indicator table < 1 s, board < 300 ms, intake save < 150 ms, reincidence < 5 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import _measure
from _measure import MEASURE_HEADER, Run, call, summary_row
from bench_persons_reached import setup, territory

END = dt.datetime(2026, 11, 30, 4, 0)
PERIOD = (dt.date(2025, 12, 1), dt.date(2026, 11, 30))


def ensure_book(cases: int, juzgados: int, seed: int) -> None:
    from civica.justice.models import Case
    from civica.justice.synthetic import write_book
    from civica.justice.synthetic_book import MunicipalityBook, generate_book
    from civica.territory.models import Municipality

    if Case.objects.exists():
        print(f"workspace already holds {Case.objects.count():,} cases (kept book)")
        return
    territory(1, 2)
    place = Municipality.objects.order_by("cvegeo").first()
    drawn, book = call(
        "draw",
        lambda: generate_book(
            [MunicipalityBook(place.cvegeo, cases // 3, juzgados=juzgados)], end=END, seed=seed
        ),
    )
    written, counts = call("write", lambda: write_book(book, {place.cvegeo: place}))
    print(
        f"synthetic book: {counts['cases']:,} cases of {counts['persons']:,} persons, "
        f"{counts['follow_ups']:,} follow-ups (drawn: wall {drawn.wall:.1f} s, CPU "
        f"{drawn.cpu:.1f} s; written: wall {written.wall:.1f} s, CPU {written.cpu:.1f} s; "
        f"load {written.load:.1f}, peak RSS {_measure.peak_mb():,.0f} MB)"
    )


def _place_ids() -> set[int]:
    from civica.justice.models import Juzgado

    return {Juzgado.objects.order_by("id").first().municipality_id}


#: The indicator table's measures, in the order a child process takes them.
TABLE_MEASURES = {
    "kept": "first call in a new process, every month kept",
    "warm": "second call in the process",
    "edited": "after a case of the last month is saved (that month read again)",
    "unkept": "nothing kept (once after an upgrade: every month read from the cases)",
}


def indicators_child(home: str) -> dict:
    """In a new process: the table with every month kept, again, after an edit of one case
    of the last month, and with nothing kept; wall and CPU of each."""
    setup(home)
    import civica.stats.reincidence  # noqa: F401 - imported before the clock (scipy, statsmodels)
    from civica.justice import analysis, columns
    from civica.justice.models import Case, CaseMonth

    ids = _place_ids()  # opens the connection
    columns.refresh(ids)  # what the import did (an old workspace: built here, not timed)
    out = {}

    def measure(name):
        run, figures = call(name, lambda: analysis.table(ids, start=PERIOD[0], end=PERIOD[1]))
        out[name] = {"wall": run.wall, "cpu": run.cpu, "load": run.load}
        return figures

    figures = measure("kept")
    measure("warm")
    Case.objects.filter(juzgado__municipality_id__in=ids).latest("presented_at").save()
    measure("edited")
    CaseMonth.objects.filter(juzgado__municipality_id__in=ids).delete()
    unkept = measure("unkept")
    assert unkept == figures  # the same figures, kept or read from the cases
    columns.refresh(ids)  # every month kept again, as the workspace had it (not timed)
    out["presentations"] = figures[1].total.denominator
    out["values"] = {
        f"{f.measure.name}{':' + f.parameter if f.parameter else ''}": f.total.value
        for f in figures
    }
    return out


def line(label: str, runs: list[Run], target: str = "") -> str:
    wall, cpu, peak, load = summary_row(runs, 3)
    peak = f", peak RSS {peak} MB" if peak != "–" else ""
    return f"{label}: wall {wall} s, CPU {cpu} s{peak}, load {load}{target}"


def main() -> None:
    if _measure.child_main({"indicators": indicators_child}):
        return
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--juzgados", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--home", default=None, help="Reuse a workspace (keeps the book).")
    parser.add_argument(
        "--only",
        default="indicators,board,intake,reincidence,reincidence_all",
        help="Comma-separated measures to run (default all).",
    )
    args = parser.parse_args()
    home = args.home or tempfile.mkdtemp(prefix="civica-bench-justice-")
    setup(home)
    from django.db import connection

    print(_measure.machine(f"Civic justice at scale ({connection.vendor}, workspace {home})"))
    ensure_book(args.cases, args.juzgados, args.seed)

    from civica.accounts.roles import Role
    from civica.justice import analysis, selectors, services
    from civica.justice.models import Case, Juzgado, Offence
    from civica.testing.personas import make_user

    history = Case.objects.count()
    juzgado = Juzgado.objects.order_by("id").first()
    place = juzgado.municipality
    ids = {place.id}
    only = set(args.only.split(","))
    rows = []

    if "indicators" in only:
        runs = {name: [] for name in TABLE_MEASURES}
        with tempfile.TemporaryDirectory(prefix="bench-justice-") as folder:
            for _ in range(args.repeat):
                run = _measure.self_child(
                    __file__, "indicators", home, folder=Path(folder), env=dict(os.environ)
                )
                report = run.report
                for name, kept in runs.items():
                    part = report[name]
                    kept.append(Run(name, part["wall"], part["cpu"], run.peak_mb, part["load"]))
        presentations = f"{report['presentations']:,.0f}"
        for name, label in TABLE_MEASURES.items():
            target = " (target < 1 s)" if name in ("kept", "edited") else ""
            print(
                line(
                    f"indicator table (16 figures, {presentations} presentations in 12 "
                    f"months), {label}",
                    runs[name],
                    target,
                )
            )
            rows.append([f"indicator table, {label}", *summary_row(runs[name], 3)])
        print("  figures: " + ", ".join(f"{k} {v}" for k, v in report["values"].items()))

    judge = make_user(f"bench-judge-{time.time_ns()}", Role.CIVIC_JUDGE, municipalities=[place])
    juzgado.members.add(judge)
    now = END.replace(tzinfo=dt.timezone(dt.timedelta(hours=-6)))
    if "board" in only:
        runs = []
        for _ in range(args.repeat):
            run, board = call("board", lambda: list(selectors.board(judge, now=now)))
            runs.append(run)
        print(
            line(
                f"live board of one juzgado ({len(board)} present, {history:,} cases)",
                runs,
                " (target < 0.3 s)",
            )
        )
        rows.append(["live board", *summary_row(runs, 3)])

    offence = Offence.objects.filter(catalogue__municipality=place).first()
    counter = iter(range(10**6))

    def intake():
        n = next(counter)
        return services.open_case(
            actor=judge,
            juzgado=juzgado,
            person={
                "given_names": f"Bench {n} {time.time_ns()}",
                "family_names": "Sintético",
                "birth_date": "1990-01-01",
                "sex": "M",
            },
            presented_at=now - dt.timedelta(hours=1),
            detained_at=now - dt.timedelta(hours=2),
            offences=[offence],
        )

    if "intake" in only:
        runs = [call("intake", intake)[0] for _ in range(args.repeat)]
        print(line("intake save (open_case, new person, one falta)", runs, " (target < 0.15 s)"))
        rows.append(["intake save", *summary_row(runs, 3)])
    if {"reincidence", "reincidence_all"} & only:
        import civica.stats.reincidence  # noqa: F401 - imported before the clock
    if "reincidence" in only:
        runs = []
        for _ in range(max(1, args.repeat // 2)):
            run, result = call(
                "reincidence",
                lambda: analysis.reincidence(
                    ids, start=dt.date(2024, 12, 1), end=dt.date(2025, 11, 30)
                ),
            )
            runs.append(run)
        row = result.row(window_months=12)
        print(
            line(
                f"reincidence from the database ({row.persons:,} adults resolved in a year; "
                f"12-month {100 * row.share:.1f}% of {row.observed:,})",
                runs,
                " (target < 5 s)",
            )
        )
        rows.append(["reincidence of a year", *summary_row(runs, 3)])
    if "reincidence_all" in only:
        # Every presentation of the book's three years: the cohort of every resolution.
        first = Case.objects.order_by("presented_at").values_list("presented_at", flat=True)[0]
        whole = (first.astimezone(now.tzinfo).date(), PERIOD[1])
        runs = []
        for _ in range(max(1, args.repeat // 2)):
            run, result = call(
                "reincidence_all",
                lambda: analysis.reincidence(ids, start=whole[0], end=whole[1]),
            )
            runs.append(run)
        row = result.row(window_months=12)
        print(
            line(
                f"reincidence over every presentation ({history:,} cases from {whole[0]}; "
                f"{row.persons:,} adults resolved; 12-month {100 * row.share:.1f}% of "
                f"{row.observed:,})",
                runs,
                " (target < 5 s)",
            )
        )
        rows.append(["reincidence, every presentation", *summary_row(runs, 3)])
    print()
    print(_measure.table(["measure", *MEASURE_HEADER], rows))


if __name__ == "__main__":
    main()
