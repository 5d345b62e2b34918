"""The built-in scanning sources, which read an incident layer (see :mod:`.scanning`).

``hot_spots``
    police sectors that are Getis–Ord Gi* hot spots (FDR-adjusted) of one crime in at least
    ``min_periods`` of the last ``periods`` quarters (:func:`civica.stats.persistent_hot_spots`);
``rising_crimes``
    a sector's priority crimes: those whose last four quarters are significantly above the
    sector's own earlier quarters (exact conditional test, Benjamini–Hochberg across every
    sector and crime, :func:`civica.stats.scanning.rising_counts`);
``repeat_places``
    places of 25 m where one crime happened again and again in the last four quarters: the
    first distance band of a near-repeat pattern (the full Knox table is an analysis the team
    attaches to the problem).

They share one pass over the incident layer (:class:`.scan_data.ScanData`). This module
needs pandas, DuckDB and pyproj (through the incident selectors), so :mod:`.scanning` names
it in ``MODULES`` and imports it on the first scan, never at start.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civica.problems.scan_data import ScanData, add_quarters, quarter_start
from civica.problems.scanning import Candidate, register

__all__ = ["hot_spots", "repeat_places", "rising_crimes"]


def _quarter_label(day: dt.date) -> str:
    return f"{day.year}-T{(day.month - 1) // 3 + 1}"


def _sector_candidate(source: str, sector, crime: str, **fields) -> Candidate:
    """A candidate about one crime in one police sector (its key, place and crime)."""
    return Candidate(
        source=source,
        key=f"{source}|{sector.pk}|{crime}",
        municipality_code=sector.municipality.cvegeo,
        municipality_name=sector.municipality.name,
        crimes=(crime,),
        sector_ids=(sector.pk,),
        sector_names=(sector.name,),
        **fields,
    )


def hot_spots(user, data: ScanData) -> list[Candidate]:
    from civica.stats.scanning import persistent_hot_spots

    if not data.sectors:
        return []
    found = []
    for crime in data.recent_crimes():
        counts = data.matrix(crime, data.quarters)
        result = persistent_hot_spots(counts, data.neighbours, min_periods=data.min_periods)
        for i in np.flatnonzero(result.persistent):
            sector = data.sectors[i]
            z = result.z[i]
            found.append(
                _sector_candidate(
                    "hot_spots",
                    sector,
                    crime,
                    title=_("%(crime)s hot spot in %(sector)s")
                    % {"crime": crime.capitalize(), "sector": sector.name},
                    score=float(np.mean(z)),
                    summary=_(
                        "A Gi* hot spot (FDR 5%%) in %(hot)s of the last %(periods)s quarters, "
                        "with %(counts)s incidents."
                    )
                    % {
                        "hot": int(result.hot_periods[i]),
                        "periods": len(data.quarters),
                        "counts": " · ".join(str(int(v)) for v in counts[i]),
                    },
                    evidence={
                        "quarters": [_quarter_label(q) for q in data.quarters],
                        "counts": [int(v) for v in counts[i]],
                        "z": [round(float(v), 3) for v in z],
                        "hot": [bool(v) for v in result.hot[i]],
                        **data.parameters(),
                    },
                )
            )
    return found


def rising_crimes(user, data: ScanData) -> list[Candidate]:
    from civica.stats.scanning import rising_counts

    if not data.sectors:
        return []
    # Only quarters the layer covers whole: a quarter before its first day is missing, not 0.
    covered = quarter_start(data.first)
    if covered != data.first:
        covered = add_quarters(covered, 1)
    all_quarters = [
        q
        for q in (
            add_quarters(data.last_quarter, -i) for i in range(data.baseline_quarters + 3, -1, -1)
        )
        if q >= covered
    ]
    if len(all_quarters) < 8:  # a year to compare with at least one year before
        return []
    recent_q, baseline_q = all_quarters[-4:], all_quarters[:-4]
    crimes = data.recent_crimes()
    rows = []
    for crime in crimes:
        counts = data.matrix(crime, all_quarters)
        rows.append((crime, counts[:, -4:].sum(axis=1), counts[:, :-4].sum(axis=1)))
    if not rows:
        return []
    recent = np.concatenate([r for _c, r, _b in rows])
    baseline = np.concatenate([b for _c, _r, b in rows])
    result = rising_counts(recent, baseline, recent_share=len(recent_q) / len(all_quarters))
    n = len(data.sectors)
    found = []
    for flat in np.flatnonzero(result.rising):
        crime, i = crimes[flat // n], flat % n
        sector = data.sectors[i]
        expected = baseline[flat] * len(recent_q) / len(baseline_q)
        found.append(
            _sector_candidate(
                "rising_crimes",
                sector,
                crime,
                title=_("%(crime)s rising in %(sector)s")
                % {"crime": crime.capitalize(), "sector": sector.name},
                score=float(-np.log10(max(result.q[flat], 1e-300))),
                summary=_(
                    "%(recent)s incidents in the last four quarters against %(expected)s "
                    "expected from the %(baseline)s before (q = %(q)s)."
                )
                % {
                    "recent": int(recent[flat]),
                    "expected": f"{expected:.1f}",
                    "baseline": len(baseline_q),
                    "q": f"{result.q[flat]:.2g}",
                },
                evidence={
                    "recent": int(recent[flat]),
                    "baseline": int(baseline[flat]),
                    "recent_quarters": [_quarter_label(q) for q in recent_q],
                    "baseline_quarters": [_quarter_label(q) for q in baseline_q],
                    "ratio": round(float(result.ratio[flat]), 3),
                    "q": float(result.q[flat]),
                    **data.parameters(),
                },
            )
        )
    return found


REPEAT_METRES = 25
REPEAT_MIN = 10


def repeat_places(user, data: ScanData) -> list[Candidate]:
    from civica.warehouse.incidents import repeat_places as query

    start = data.quarters[-4] if len(data.quarters) >= 4 else data.quarters[0]
    frame = query(
        data.path,
        municipality_codes=data.codes,
        start=start,
        end=data.end,
        metres=REPEAT_METRES,
        min_count=REPEAT_MIN,
        limit=25,
    )
    by_id = {s.pk: s for s in data.sectors}
    found = []
    for row in frame.itertuples(index=False):
        sector = by_id.get(int(row.sector_id)) if pd.notna(row.sector_id) else None
        if sector is None:
            continue
        found.append(
            Candidate(
                source="repeat_places",
                key=f"repeat_places|{sector.pk}|{row.crime}|{row.lat:.5f},{row.lon:.5f}",
                title=_("Repeat place: %(crime)s in %(sector)s")
                % {"crime": str(row.crime).capitalize(), "sector": sector.name},
                municipality_code=sector.municipality.cvegeo,
                municipality_name=sector.municipality.name,
                crimes=(str(row.crime),),
                sector_ids=(sector.pk,),
                sector_names=(sector.name,),
                score=float(row.count),
                summary=_(
                    "%(count)s incidents within %(metres)s m of one place (%(lat)s, %(lon)s) "
                    "between %(first)s and %(last)s."
                )
                % {
                    "count": int(row.count),
                    "metres": REPEAT_METRES,
                    "lat": f"{row.lat:.5f}",
                    "lon": f"{row.lon:.5f}",
                    "first": pd.Timestamp(row.first).date(),
                    "last": pd.Timestamp(row.last).date(),
                },
                evidence={
                    "count": int(row.count),
                    "lat": round(float(row.lat), 6),
                    "lon": round(float(row.lon), 6),
                    "metres": REPEAT_METRES,
                    "first": pd.Timestamp(row.first).date().isoformat(),
                    "last": pd.Timestamp(row.last).date().isoformat(),
                    **data.parameters(),
                },
            )
        )
    return found


register("hot_spots", gettext_lazy("Persistent hot spots (Gi*)"), hot_spots)
register("rising_crimes", gettext_lazy("A sector's priority crimes (rising)"), rising_crimes)
register("repeat_places", gettext_lazy("Repeat places (near repeat, distance 0)"), repeat_places)
