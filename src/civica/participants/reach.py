"""Unique persons reached and services delivered: the counts program monitoring reports.

Definitions (the contract the monitoring indicators rely on):

* A person is **reached** in ``[start, end]`` (both inclusive) when at least one **attended**
  service of theirs is dated in the period. Screenings, contacts and enrollments alone do not
  count: the fact sheet counts youth *supported*, i.e. served. Merged duplicates cannot be
  double counted: a merge moves every service to the surviving record.
* ``track`` and ``organization_id`` are those of the enrollment the service was given under;
  ``municipality_id``, ``state_id`` and ``sex`` are the person's (residence, as registered).
* ``age_band`` is computed at the person's **first attended service in the period** (among the
  services the filters keep), with month precision from the non-personal birth month index:
  bands ``<10``, ``10-14``, ``15-17``, ``18-19``, ``20-24``, ``25-29``, ``30+``, ``unknown``.
  A person therefore has one band per period, whatever the grouping.
* A person counts once per group and once in a total without ``by``, however many tracks,
  organizations or services they had. Groups are not additive when ``by`` holds ``track`` or
  ``organization_id`` (a person served by two tracks appears in both).

Results hold no personal data: only group keys and counts. No user is taken and no small-cell
suppression is applied: aggregate reports built on this do both.

The counting is one SQL statement (portable between SQLite and PostgreSQL): the period's
attended services reduced to one row per person (per person and track/organization when
grouped by those), joined with each person's first date in the period and the person's own
columns, then counted per group. A covering index on services (date, person, attended,
enrollment) lets both reductions read the index alone.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence

from django.db import connection

from civica.participants.identity import AGE_BANDS, UNKNOWN_AGE
from civica.participants.models import Enrollment, Person, Service, Track
from civica.territory.models import Municipality

__all__ = ["GROUP_KEYS", "persons_reached", "services_delivered"]

GROUP_KEYS = ("track", "municipality_id", "state_id", "sex", "age_band", "organization_id")


def _month_index_sql(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"(EXTRACT(YEAR FROM {column})::int * 12 + EXTRACT(MONTH FROM {column})::int - 1)"
    if connection.vendor == "sqlite":
        return (
            f"(CAST(strftime('%%Y', {column}) AS INTEGER) * 12"
            f" + CAST(strftime('%%m', {column}) AS INTEGER) - 1)"
        )
    raise NotImplementedError(
        f"Reach counts run on SQLite and PostgreSQL, not {connection.vendor}."
    )


def _age_band_sql(months: str) -> str:
    cases = " ".join(
        f"WHEN {months} < {high} THEN '{label}'" for label, _low, high in AGE_BANDS if high
    )
    return f"CASE WHEN {months} IS NULL THEN '{UNKNOWN_AGE}' {cases} ELSE '{AGE_BANDS[-1][0]}' END"


def _check(by: Sequence[str], start, end, tracks) -> list[str]:
    if isinstance(by, str):
        raise ValueError(f"by must be a sequence of keys, not the string {by!r}")
    unknown = [key for key in by if key not in GROUP_KEYS]
    if unknown:
        raise ValueError(f"Unknown grouping {unknown}; use any of {', '.join(GROUP_KEYS)}.")
    if len(set(by)) != len(by):
        raise ValueError(f"A grouping key is repeated in {list(by)}.")
    if not isinstance(start, datetime.date) or not isinstance(end, datetime.date):
        raise ValueError("start and end must be dates.")
    if end < start:
        raise ValueError(f"The period ends ({end}) before it starts ({start}).")
    if tracks is not None:
        bad = sorted(set(tracks) - set(Track.values))
        if bad:
            raise ValueError(f"Unknown tracks {bad}; use any of {', '.join(Track.values)}.")
    return list(by)


def _in(column: str, values, params: list) -> str:
    values = list(values)
    if not values:
        return "1 = 0"
    params.extend(values)
    return f"{column} IN ({', '.join(['%s'] * len(values))})"


def _count(*, start, end, by, tracks, municipality_ids, organization_ids, with_services):
    by = _check(by, start, end, tracks)
    service = Service._meta.db_table
    enrollment = Enrollment._meta.db_table
    person = Person._meta.db_table
    municipality = Municipality._meta.db_table
    params: list = [start, end]
    where = ["s.attended", "s.date >= %s", "s.date <= %s"]
    if tracks is not None:
        where.append(_in("e.track", tracks, params))
    if organization_ids is not None:
        where.append(_in("e.organization_id", organization_ids, params))
    if municipality_ids is not None:
        where.append(_in("p.municipality_id", municipality_ids, params))
    service_keys = [key for key in by if key in ("track", "organization_id")]
    joins = []
    if tracks is not None or organization_ids is not None or service_keys:
        joins.append(f"JOIN {enrollment} e ON e.id = s.enrollment_id")
    if municipality_ids is not None:
        joins.append(f"JOIN {person} p ON p.id = s.person_id")
    # The period's services as the filters keep them; only fixed fragments are formatted in,
    # every value is a parameter.
    matched = f"FROM {service} s {' '.join(joins)} WHERE {' AND '.join(where)}"
    # One row per person (and per track/organization when grouped by them): grouping by
    # person-level keys then needs COUNT(*), not COUNT(DISTINCT).
    unit = ", ".join(["s.person_id", *(f"e.{key}" for key in service_keys)])
    first_date = "f.first_date"
    if not service_keys:
        # One row per person: the first date and the services come from the same scan.
        inner = (
            f"SELECT s.person_id, MIN(s.date) AS first_date, COUNT(*) AS n {matched} "
            "GROUP BY s.person_id"
        )
        first_date = "u.first_date"
    elif with_services:
        inner = f"SELECT {unit}, COUNT(*) AS n {matched} GROUP BY {unit}"
    else:
        inner = f"SELECT DISTINCT {unit} {matched}"
    sources = [f"({inner}) u"]
    if "age_band" in by and service_keys:
        first = f"SELECT s.person_id, MIN(s.date) AS first_date {matched} GROUP BY s.person_id"
        sources.append(f"JOIN ({first}) f ON f.person_id = u.person_id")
        params = params + params
    if {"municipality_id", "state_id", "sex", "age_band"} & set(by):
        sources.append(f"JOIN {person} p ON p.id = u.person_id")
    if "state_id" in by:
        sources.append(f"JOIN {municipality} m ON m.id = p.municipality_id")
    columns = {
        "track": "u.track",
        "organization_id": "u.organization_id",
        "municipality_id": "p.municipality_id",
        "sex": "p.sex",
        "state_id": "m.state_id",
        "age_band": _age_band_sql(f"(({_month_index_sql(first_date)}) - p.birth_month_index)"),
    }
    group_exprs = [columns[key] for key in by]
    select_exprs = [f"{columns[key]} AS {key}" for key in by]
    # Each unit row is one person of its group: the unit holds exactly the track/organization
    # keys of ``by``, and the other keys are the person's own, so no DISTINCT is needed.
    counts = ["COUNT(*) AS persons"]
    if with_services:
        counts.append("COALESCE(SUM(u.n), 0) AS services")
    sql = f"SELECT {', '.join(select_exprs + counts)} FROM {' '.join(sources)}"  # noqa: S608
    if group_exprs:
        sql += f" GROUP BY {', '.join(group_exprs)} ORDER BY {', '.join(group_exprs)}"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [c[0] for c in cursor.description]
        rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    order = [*by, "persons"] + (["services"] if with_services else [])
    return [{key: row[key] for key in order} for row in rows]


def persons_reached(
    *,
    start: datetime.date,
    end: datetime.date,
    by: Sequence[str] = (),
    tracks: Iterable[str] | None = None,
    municipality_ids: Iterable[int] | None = None,
    organization_ids: Iterable[int] | None = None,
) -> list[dict]:
    """Unique persons reached in [start, end] (inclusive), one dict per group: the keys named
    in ``by`` (any of "track", "municipality_id", "state_id", "sex", "age_band",
    "organization_id") plus "persons". A person counts once per group and once in the total
    even if served by several tracks/organizations. See the module docstring for what
    "reached" means and when the age band is taken. Without ``by``: one row (0 when nobody)."""
    return _count(
        start=start,
        end=end,
        by=by,
        tracks=tracks,
        municipality_ids=municipality_ids,
        organization_ids=organization_ids,
        with_services=False,
    )


def services_delivered(
    *,
    start: datetime.date,
    end: datetime.date,
    by: Sequence[str] = (),
    tracks: Iterable[str] | None = None,
    municipality_ids: Iterable[int] | None = None,
    organization_ids: Iterable[int] | None = None,
) -> list[dict]:
    """Attended services in [start, end] and the unique persons who received them, per group
    (same keys and rules as :func:`persons_reached`, plus "services")."""
    return _count(
        start=start,
        end=end,
        by=by,
        tracks=tracks,
        municipality_ids=municipality_ids,
        organization_ids=organization_ids,
        with_services=True,
    )
