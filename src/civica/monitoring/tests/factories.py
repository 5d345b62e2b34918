"""Program records for tests."""

from __future__ import annotations

import datetime as dt

from civica.monitoring.models import Activity, Coverage
from civica.organizations.models import Organization, OrganizationKind


def make_activity(code="cj", start=dt.date(2020, 10, 1), end=dt.date(2024, 9, 30), **fields):
    implementer, _ = Organization.objects.get_or_create(
        name="Implementador", defaults={"kind": OrganizationKind.IMPLEMENTER}
    )
    fields.setdefault("name", f"Actividad {code}")
    fields.setdefault("goals", ["local_institutions"])
    return Activity.objects.create(
        code=code, implementer=implementer, start_date=start, end_date=end, **fields
    )


def cover(activity, municipality, support_type="direct", components=("civic_justice",), **dates):
    return Coverage.objects.create(
        activity=activity,
        municipality=municipality,
        start_date=dates.get("start", activity.start_date),
        end_date=dates.get("end", activity.end_date),
        support_type=support_type,
        components=list(components),
    )
