"""The dashboard's activity filter offers only activities of the viewer's territory (issue 12,
item 11: it listed other scopes' activity names)."""

import datetime as dt

import pytest

from civica.monitoring.models import Activity, Coverage
from civica.organizations.models import Organization, OrganizationKind

pytestmark = pytest.mark.django_db


def test_the_activity_filter_lists_only_activities_in_scope(client, territory, personas):
    implementer = Organization.objects.create(name="Impl", kind=OrganizationKind.IMPLEMENTER)
    start, end = dt.date(2022, 10, 1), dt.date(2023, 9, 30)
    for code, municipality in (("cdmx", territory.cuauhtemoc), ("tij", territory.tijuana)):
        activity = Activity.objects.create(
            code=code,
            name=f"Actividad secreta {code}",
            implementer=implementer,
            start_date=start,
            end_date=end,
            goals=["local_institutions"],
        )
        Coverage.objects.create(
            activity=activity,
            municipality=municipality,
            start_date=start,
            end_date=end,
            support_type="direct",
        )
    client.force_login(personas.analyst_tijuana)
    page = client.get("/monitoring/", {"period": "FY2023"})
    assert page.status_code == 200
    assert [a.code for a in page.context["activities"]] == ["tij"]
    assert "Actividad secreta cdmx" not in page.content.decode()
