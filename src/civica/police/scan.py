"""Calls for service as candidate problems for the SARA scan (``civica.problems.scanning``).

:func:`calls` is a scanning source: ``calls(user, data) -> list[Candidate]``, registered under
the name ``"calls"`` when this module is imported (``scanning.MODULES`` names it; every key
here starts with ``calls|``, which is how a candidate is found again when it is accepted).
It reads the CAD snapshot of each municipality of the user's scope that has one
(``cad-calls-<cvegeo>``) and proposes:

* **rising** — a sector whose *genuine* calls of the last four whole quarters are
  significantly above its own earlier quarters (up to twelve): the exact conditional test
  and Benjamini–Hochberg correction the incident scan uses for rising crimes
  (:func:`civica.stats.scanning.rising_counts`), across every sector of the municipality;
  at least eight whole quarters of calls are needed;
* **repeat places** — cells of about 25 m where at least ten genuine calls came in the last
  four quarters (calls placed by their coordinates only).

Genuine calls only: about three in four calls are not genuine and say more about the line
than about the place. Candidates name the sector polygon (``sector_ids``) when the calls'
sector is a polygon of the incident layer's sector layer, otherwise only its name.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civica.problems import scanning

__all__ = ["REPEAT_METRES", "REPEAT_MIN", "calls"]

REPEAT_METRES = 25
REPEAT_MIN = 10


def _quarter(day: dt.date) -> dt.date:
    return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def _shift(day: dt.date, quarters: int) -> dt.date:
    months = day.year * 12 + day.month - 1 + 3 * quarters
    return dt.date(months // 12, months % 12 + 1, 1)


def _label(day: dt.date) -> str:
    return f"{day.year}-T{(day.month - 1) // 3 + 1}"


def _snapshots(user, codes):
    """(municipality, snapshot, path) of each municipality in scope with calls loaded."""
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    from civica.core.services import warehouse
    from civica.police import records
    from civica.warehouse.calls import dataset_name

    store = warehouse()
    manifest = store.manifest()
    if codes is None:
        prefix = dataset_name("")
        codes = [d[len(prefix) :] for d in manifest.datasets() if d.startswith(prefix)]
    for code in sorted(codes):
        snapshot = manifest.current(dataset_name(code))
        if snapshot is None:
            continue
        try:
            municipality = records.municipality_in_scope(user, code)
        except (Http404, PermissionDenied):
            continue
        yield municipality, snapshot, store.path_of(snapshot)


def calls(user, data) -> list:
    """Candidate problems from calls for service (see the module's docstring).

    ``data`` is the scan's :class:`civica.problems.scanning.ScanData`: its municipalities
    (``codes``), its last day (``end``: calls after it are not read), its sector polygons
    (``sectors``) and ``parameters()`` for the evidence."""
    Candidate = scanning.Candidate
    sector_ids = {(s.municipality.cvegeo, s.name): s.pk for s in data.sectors}
    found = []
    for municipality, snapshot, path in _snapshots(user, data.codes):
        first = dt.date.fromisoformat(snapshot.metadata["first"][:10])
        last = min(dt.date.fromisoformat(snapshot.metadata["last"][:10]), data.end)
        # The last whole quarter up to ``last``; quarters before the calls begin are missing.
        end_quarter = _quarter(last)
        if _shift(end_quarter, 1) - dt.timedelta(days=1) != last:
            end_quarter = _shift(end_quarter, -1)
        begin = _quarter(first) if _quarter(first) == first else _shift(_quarter(first), 1)
        quarters = [q for q in (_shift(end_quarter, -i) for i in range(15, -1, -1)) if q >= begin]
        common = {
            "calls_snapshot": snapshot.cut,
            "municipality": municipality.cvegeo,
            **data.parameters(),
        }
        context = (municipality, sector_ids, common)
        if len(quarters) >= 8:
            found += _rising(context, path, quarters, Candidate)
        if quarters:
            recent_start = quarters[-4] if len(quarters) >= 4 else quarters[0]
            recent_end = _shift(end_quarter, 1) - dt.timedelta(days=1)
            found += _repeat_places(context, path, recent_start, recent_end, Candidate)
    return found


def _rising(context, path, quarters, Candidate) -> list:
    from civica.stats.scanning import rising_counts
    from civica.warehouse.calls import by_sector_and_quarter

    municipality, sector_ids, common = context
    end = _shift(quarters[-1], 1) - dt.timedelta(days=1)
    frame = by_sector_and_quarter(path, start=quarters[0], end=end)
    if frame.empty:
        return []
    table = frame.pivot_table(
        index="sector", columns="quarter", values="genuine", aggfunc="sum", fill_value=0
    )
    labels = [q.isoformat() for q in quarters]
    table = table.reindex(columns=labels, fill_value=0)
    recent = table[labels[-4:]].sum(axis=1).to_numpy(dtype=float)
    baseline = table[labels[:-4]].sum(axis=1).to_numpy(dtype=float)
    result = rising_counts(recent, baseline, recent_share=4 / len(quarters))
    out = []
    for i in np.flatnonzero(result.rising):
        sector = str(table.index[i])
        expected = baseline[i] * 4 / (len(quarters) - 4)
        pk = sector_ids.get((municipality.cvegeo, sector))
        out.append(
            Candidate(
                source="calls",
                key=f"calls|rising|{municipality.cvegeo}|{sector}",
                title=_("Genuine calls rising in %(sector)s") % {"sector": sector},
                municipality_code=municipality.cvegeo,
                municipality_name=municipality.name,
                crimes=(),
                sector_ids=(pk,) if pk else (),
                sector_names=(sector,),
                score=float(-np.log10(max(result.q[i], 1e-300))),
                summary=_(
                    "%(recent)s genuine calls for service in the last four quarters against "
                    "%(expected)s expected from the %(baseline)s before (q = %(q)s)."
                )
                % {
                    "recent": int(recent[i]),
                    "expected": f"{expected:.1f}",
                    "baseline": len(quarters) - 4,
                    "q": f"{result.q[i]:.2g}",
                },
                evidence={
                    "kind": "rising",
                    "sector": sector,
                    "quarters": [_label(q) for q in quarters],
                    "genuine_calls": [int(v) for v in table.iloc[i].to_numpy()],
                    "recent": int(recent[i]),
                    "baseline": int(baseline[i]),
                    "ratio": round(float(result.ratio[i]), 3),
                    "q": float(result.q[i]),
                    **common,
                },
            )
        )
    return out


def _repeat_places(context, path, start, end, Candidate) -> list:
    from civica.warehouse.calls import repeat_places

    municipality, sector_ids, common = context
    frame = repeat_places(path, start=start, end=end, metres=REPEAT_METRES, min_count=REPEAT_MIN)
    out = []
    for row in frame.head(25).itertuples(index=False):
        sector = None if row.sector is None or row.sector != row.sector else str(row.sector)
        pk = sector_ids.get((municipality.cvegeo, sector)) if sector else None
        out.append(
            Candidate(
                source="calls",
                key=f"calls|place|{municipality.cvegeo}|{row.lat:.5f},{row.lon:.5f}",
                title=_("Repeat calls at one place in %(place)s")
                % {"place": sector or municipality.name},
                municipality_code=municipality.cvegeo,
                municipality_name=municipality.name,
                crimes=(),
                sector_ids=(pk,) if pk else (),
                sector_names=(sector,) if sector else (),
                score=float(row.calls),
                summary=_(
                    "%(count)s genuine calls within about %(metres)s m of one place "
                    "(%(lat)s, %(lon)s) between %(first)s and %(last)s; most often CNIE "
                    "%(code)s."
                )
                % {
                    "count": int(row.calls),
                    "metres": REPEAT_METRES,
                    "lat": f"{row.lat:.5f}",
                    "lon": f"{row.lon:.5f}",
                    "first": start,
                    "last": end,
                    "code": row.cnie_code or "—",
                },
                evidence={
                    "kind": "repeat_place",
                    "calls": int(row.calls),
                    "lat": round(float(row.lat), 6),
                    "lon": round(float(row.lon), 6),
                    "metres": REPEAT_METRES,
                    "first": start.isoformat(),
                    "last": end.isoformat(),
                    "cnie_code": row.cnie_code,
                    **common,
                },
            )
        )
    return out


# Imported on the first scan once ``scanning.MODULES`` names this module for "calls".
scanning.register("calls", gettext_lazy("Calls for service: rising or repeated"), calls)
