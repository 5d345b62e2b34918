"""Duplicate look-up at registration with a mistyped birth date, at program scale.

SYNTHETIC data: ``civica.participants.synthetic.generate`` writes 10,000 persons (by default)
over a bare synthetic territory (12 states × 5 municipalities) into a throw-away workspace.
Probes are existing persons re-registered with the day and month of the birth date swapped
(or the day moved by one when above 12) and the accents of the name dropped. It times:

* **civica**: ``services.find_duplicates`` — one indexed look-up on the keyed
  ``birth_year_index`` (birth year + municipality), then decryption and name comparison of
  only those persons;
* **peer**: what a typo-tolerant search must do without that index — decrypt every person of
  the municipality (a column kept in clear) and compare names with the same rule.

The two take turns probe by probe (civica, peer, civica, peer, …, the peer on the first
``--peer-probes`` only): wall and CPU time of each look-up (``_measure.call``), the load
average, and the process's peak resident memory at the end. It checks that every probe
finds its person (both ways) and prints rows decrypted per probe.

    python benchmarks/bench_duplicates.py
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/civica_bench \
        python benchmarks/bench_duplicates.py
"""

from __future__ import annotations

import argparse
import datetime as dt
import difflib
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import _measure
from bench_persons_reached import setup, territory


def typo_of(birth: dt.date) -> dt.date:
    if birth.day <= 12 and birth.day != birth.month:
        return birth.replace(month=birth.day, day=birth.month)
    return birth.replace(day=birth.day - 1 if birth.day > 1 else 2)


def peer(probe: dict) -> list[int]:
    """Decrypt every person of the municipality and compare names (no birth index)."""
    from civica.participants import identity
    from civica.participants.models import Person
    from civica.participants.services import NAME_SIMILARITY_SAME_YEAR

    wanted = identity.normalize_name(f"{probe['given_names']} {probe['family_names']}")
    year = probe["birth_date"][:4]
    found = []
    for person in Person.objects.filter(municipality_id=probe["municipality_id"]):
        if not person.birth_date.startswith(year):
            continue
        name = identity.normalize_name(f"{person.given_names} {person.family_names}")
        if difflib.SequenceMatcher(None, wanted, name).ratio() >= NAME_SIMILARITY_SAME_YEAR:
            found.append(person.pk)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=10_000)
    parser.add_argument("--probes", type=int, default=100)
    parser.add_argument("--peer-probes", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--home", default=None, help="Reuse this workspace (data kept).")
    args = parser.parse_args()
    print(_measure.machine("Duplicate look-up with a mistyped birth date"), flush=True)
    home = args.home or tempfile.mkdtemp(prefix="civica-bench-dups-")
    setup(home)
    import numpy as np
    from django.db import connection

    from civica.accounts.access import SYSTEM
    from civica.participants import identity, services
    from civica.participants.models import Person
    from civica.participants.synthetic import generate

    print(f"database: {connection.vendor}; workspace {home}")
    if not Person.objects.exists():
        territory(12, 5)
        made, _ = _measure.call(
            "generate",
            lambda: generate(
                persons=args.persons, services=args.persons, municipalities=60, states=12, seed=1
            ),
        )
        print(f"generated {args.persons:,} persons (synthetic) in {made.wall:.1f} s")
    rng = np.random.default_rng(args.seed)
    ids = list(Person.objects.values_list("pk", flat=True))
    chosen = Person.objects.in_bulk([int(i) for i in rng.choice(ids, args.probes, replace=False)])
    probes = []
    for pk, person in chosen.items():
        birth = typo_of(person.birth)
        probes.append(
            {
                "pk": pk,
                "given_names": identity.normalize_name(person.given_names),
                "family_names": person.family_names,
                "birth_date": birth.isoformat(),
                "municipality_id": person.municipality_id,
                "year_index": identity.birth_year_index(birth.year, person.municipality_id),
            }
        )
    runs: dict[str, list[_measure.Run]] = {"civica": [], "peer": []}
    decrypted, peer_rows, found, peer_found = [], [], 0, 0
    for number, p in enumerate(probes):
        decrypted.append(Person.objects.filter(birth_year_index=p["year_index"]).count())
        run, (candidates, _exact) = _measure.call(
            "civica",
            lambda p=p: services.find_duplicates(
                SYSTEM,
                given_names=p["given_names"],
                family_names=p["family_names"],
                birth_date=p["birth_date"],
                municipality_id=p["municipality_id"],
            ),
        )
        runs["civica"].append(run)
        found += p["pk"] in {c.pk for c in candidates}
        if number < args.peer_probes:
            peer_rows.append(Person.objects.filter(municipality_id=p["municipality_id"]).count())
            run, pks = _measure.call("peer", lambda p=p: peer(p))
            runs["peer"].append(run)
            peer_found += p["pk"] in pks
    print(
        f"civica: {len(probes)} probes, found {found}/{len(probes)}; persons decrypted per "
        f"probe median {statistics.median(decrypted):.0f}, max {max(decrypted)}"
    )
    print(
        f"peer (decrypt the municipality): {len(runs['peer'])} probes, found "
        f"{peer_found}/{len(runs['peer'])}; persons decrypted per probe median "
        f"{statistics.median(peer_rows):.0f}"
    )
    print(
        _measure.table(
            ["look-up (per probe)", "probes", *_measure.MEASURE_HEADER],
            [
                [name, len(measured), *_measure.summary_row(measured, 4)]
                for name, measured in runs.items()
            ],
        )
    )
    print(
        f"ratio peer / civica: {_measure.ratio(runs['peer'], runs['civica'])} wall, "
        f"{_measure.ratio(runs['peer'], runs['civica'], 'cpu')} CPU"
    )
    print(f"peak RSS of the process (every probe): {_measure.peak_mb():,.0f} MB")


if __name__ == "__main__":
    main()
