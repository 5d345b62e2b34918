"""Civic justice at scale in a throw-away workspace: the indicator table, the live board and
the intake save over a large historical case book (SQLite, or PostgreSQL by DATABASE_URL).

SYNTHETIC data: ``civica.justice.synthetic_book`` draws ``--cases`` presentations (default
1,000,000) over three years in one municipality with ``--juzgados`` juzgados, written by
``civica.justice.synthetic.write_book`` (one ``executemany`` per table). Then, median of
``--repeat``:

* **indicator table**: the 16 figures of the municipal dashboard over the last 12 months of
  the municipality (``justice.analysis.figure``), cold (frames dropped) and warm;
* **board**: ``justice.selectors.board`` for a judge of one juzgado (persons present now);
* **intake save**: ``justice.services.open_case`` of a new person with one falta;
* **reincidence**: the persons resolved in a year, read from the database and computed.

    PYTHONPATH=src python benchmarks/bench_justice_db.py --cases 1000000
    # reuse a written book, one measure: --home DIR --only board,intake
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/civica_bench \\
        PYTHONPATH=src python benchmarks/bench_justice_db.py --cases 1000000

Targets: indicator table < 1 s, board < 300 ms, intake save < 150 ms.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_persons_reached import setup, territory

END = dt.datetime(2026, 11, 30, 4, 0)


def timed(fn, repeat: int):
    times, out = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), out


def ensure_book(cases: int, juzgados: int, seed: int) -> None:
    from civica.justice.models import Case
    from civica.justice.synthetic import write_book
    from civica.justice.synthetic_book import MunicipalityBook, generate_book
    from civica.territory.models import Municipality

    if Case.objects.exists():
        print(f"workspace already holds {Case.objects.count():,} cases")
        return
    territory(1, 2)
    place = Municipality.objects.order_by("cvegeo").first()
    start = time.perf_counter()
    book = generate_book(
        [MunicipalityBook(place.cvegeo, cases // 3, juzgados=juzgados)], end=END, seed=seed
    )
    drawn = time.perf_counter() - start
    counts = write_book(book, {place.cvegeo: place})
    print(
        f"synthetic book: {counts['cases']:,} cases of {counts['persons']:,} persons, "
        f"{counts['follow_ups']:,} follow-ups (drawn in {drawn:.1f} s, written in "
        f"{time.perf_counter() - start - drawn:.1f} s)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--juzgados", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--home", default=None, help="Reuse a workspace (keeps the book).")
    parser.add_argument(
        "--only",
        default="indicators,board,intake,reincidence",
        help="Comma-separated measures to run (default all).",
    )
    args = parser.parse_args()
    home = args.home or tempfile.mkdtemp(prefix="civica-bench-justice-")
    setup(home)
    from django.db import connection

    print(f"database: {connection.vendor}, workspace {home}")
    ensure_book(args.cases, args.juzgados, args.seed)

    from civica.accounts.roles import Role
    from civica.justice import analysis, selectors, services
    from civica.justice.analysis import DASHBOARD_MEASURES
    from civica.justice.models import Case, Juzgado, Offence
    from civica.testing.personas import make_user

    history = Case.objects.count()
    juzgado = Juzgado.objects.order_by("id").first()
    place = juzgado.municipality
    ids = {place.id}
    start, end = dt.date(2025, 12, 1), dt.date(2026, 11, 30)

    def table():
        return [
            analysis.figure(name, municipality_ids=ids, start=start, end=end, parameter=p)
            for name, p in DASHBOARD_MEASURES
        ]

    def cold():
        analysis._FRAMES.clear()
        analysis._RESULTS.clear()
        return table()

    only = set(args.only.split(","))
    if "indicators" in only:
        seconds, figures = timed(cold, args.repeat)
        presentations = figures[1].total.denominator
        print(
            f"indicator table (16 figures, {presentations:,.0f} presentations in 12 months), "
            f"cold: {1000 * seconds:.0f} ms (target < 1 s)"
        )
        seconds, _ = timed(table, args.repeat)
        print(f"indicator table, warm (frame kept): {1000 * seconds:.0f} ms")

    judge = make_user(f"bench-judge-{time.time_ns()}", Role.CIVIC_JUDGE, municipalities=[place])
    juzgado.members.add(judge)
    now = END.replace(tzinfo=dt.timezone(dt.timedelta(hours=-6)))
    if "board" in only:
        seconds, board = timed(lambda: list(selectors.board(judge, now=now)), args.repeat)
        print(
            f"live board of one juzgado ({len(board)} persons present, {history:,} historical "
            f"cases): {1000 * seconds:.0f} ms (target < 300 ms)"
        )

    offence = Offence.objects.filter(catalogue__municipality=place).first()
    counter = iter(range(10**6))

    def intake():
        n = next(counter)
        return services.open_case(
            actor=judge,
            juzgado=juzgado,
            person={
                "given_names": f"Bench {n}",
                "family_names": "Sintético",
                "birth_date": "1990-01-01",
                "sex": "M",
            },
            presented_at=now - dt.timedelta(hours=1),
            detained_at=now - dt.timedelta(hours=2),
            offences=[offence],
        )

    if "intake" in only:
        seconds, _ = timed(intake, args.repeat)
        print(
            f"intake save (open_case, new person, one falta): {1000 * seconds:.0f} ms "
            "(target < 150 ms)"
        )
    if "reincidence" not in only:
        return
    seconds, result = timed(
        lambda: analysis.reincidence(ids, start=dt.date(2024, 12, 1), end=dt.date(2025, 11, 30)),
        max(1, args.repeat // 2),
    )
    row = result.row(window_months=12)
    print(
        f"reincidence from the database ({row.persons:,} adults resolved in a year): "
        f"{seconds:.2f} s; 12-month reincidence {100 * row.share:.1f}% of {row.observed:,}"
    )


if __name__ == "__main__":
    main()
