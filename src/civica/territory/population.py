"""Import of CONAPO population tables (state and municipal; total, men, women)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from django.db import transaction

from civica.sources.conapo import combine_sexes, read_conapo
from civica.territory import catalog
from civica.territory.models import Municipality, PopulationEstimate, State
from civica.territory.reports import ImportReport

__all__ = ["import_population"]


def import_population(
    *,
    paths: Iterable[str | Path],
    years: Iterable[int] | None = None,
    source: str = "CONAPO 2023",
) -> ImportReport:
    """Store CONAPO population (state and/or municipal, total/men/women) for every year.

    Areas the tables have and the database lacks are created, never dropped: states from
    the INEGI catalogue, municipalities with CONAPO's name and no boundary (CONAPO lists
    municipalities created after the boundary vintage). They are listed in the report.
    """
    tables = [read_conapo(path) for path in paths]
    if not tables:
        raise ValueError("import_population needs at least one file")
    values = combine_sexes(tables, years=years)
    with transaction.atomic():
        states = dict(State.objects.values_list("code", "id"))
        new_states = [
            State(code=code, name=info.name, abbreviation=info.abbreviation)
            for code in sorted({value.code[:2] for value in values} - states.keys())
            if (info := catalog.state_by_code(code))
        ]
        State.objects.bulk_create(new_states)
        states = dict(State.objects.values_list("code", "id"))
        municipalities = dict(Municipality.objects.values_list("cvegeo", "id"))
        new_municipalities = {
            value.code: Municipality(
                cvegeo=value.code, state_id=states[value.code[:2]], name=value.municipality_name
            )
            for value in values
            if value.level == "municipal" and value.code not in municipalities
        }
        Municipality.objects.bulk_create(new_municipalities.values(), batch_size=500)
        municipalities = dict(Municipality.objects.values_list("cvegeo", "id"))
        stored = {
            (municipality_id or None, state_id if municipality_id is None else None, year): row
            for *row, municipality_id, state_id, year in PopulationEstimate.objects.values_list(
                "id", "total", "men", "women", "source", "municipality_id", "state_id", "year"
            )
        }
        created, changed = [], []
        for value in values:
            municipal = value.level == "municipal"
            municipality_id = municipalities[value.code] if municipal else None
            state_id = states[value.code[:2]]
            key = (municipality_id, None if municipal else state_id, value.year)
            fields = [value.total, value.men, value.women, source]
            row = stored.get(key)
            if row is not None and row[1:] == fields:
                continue
            estimate = PopulationEstimate(
                id=row[0] if row else None,
                state_id=state_id,
                municipality_id=municipality_id,
                year=value.year,
                total=value.total,
                men=value.men,
                women=value.women,
                source=source,
            )
            (changed if row else created).append(estimate)
        PopulationEstimate.objects.bulk_create(created, batch_size=2000)
        # An upsert on the primary key: bulk_update's CASE expressions took a minute for a
        # new CONAPO round (126k changed rows); INSERT … ON CONFLICT takes seconds.
        PopulationEstimate.objects.bulk_create(
            changed,
            batch_size=2000,
            update_conflicts=True,
            unique_fields=["id"],
            update_fields=["total", "men", "women", "source"],
        )
        without = (
            Municipality.objects.without_boundary()
            .filter(population__isnull=False)
            .distinct()
            .values_list("cvegeo", "name")
        )
    return ImportReport(
        subject="population",
        created=len(created),
        updated=len(changed),
        unchanged=len(values) - len(created) - len(changed),
        created_areas=tuple(f"{state.code} {state.name}" for state in new_states)
        + tuple(f"{m.cvegeo} {m.name}" for m in new_municipalities.values()),
        without_boundary=tuple(f"{code} {name}" for code, name in without),
    )
