"""Dashboard, fact sheet page, drill-down and exports, by role and scope."""

import json

import pytest

from civica.audit.models import Action, AuditEvent
from civica.monitoring.catalogue import default_catalogue_path, load_indicators_csv
from civica.monitoring.tests.factories import cover, make_activity


@pytest.fixture
def program(territory):
    load_indicators_csv(path=default_catalogue_path())
    activity = make_activity()
    cover(activity, territory.cuauhtemoc, "direct")
    cover(activity, territory.tijuana, "collaborative")
    return activity


@pytest.fixture
def officer(personas):
    return personas.officer


def test_the_dashboard_shows_status_map_and_links_to_the_records(client, program, officer):
    client.force_login(officer)
    page = client.get("/monitoring/?period=FY2023").content.decode()
    assert "CJ-MUN" in page and 'class="support-direct"' in page
    assert "/monitoring/coverage/?period=FY2023&amp;component=civic_justice" in page
    assert "sin registros de participantes" in page  # honest empty state, in Spanish


def test_the_drill_down_lists_only_the_records_in_the_viewers_scope(client, program, personas):
    client.force_login(personas.analyst_tijuana)
    page = client.get("/monitoring/coverage/?period=FY2023&component=civic_justice")
    text = page.content.decode()
    assert "Tijuana" in text and "Cuauhtémoc" not in text
    # Aggregates count the viewer's scope too.
    dashboard = client.get("/monitoring/?period=FY2023").context["rows"]
    assert {r["row"].code: r["row"].value for r in dashboard}["CJ-MUN"] == 1


def test_a_donor_sees_aggregates_but_not_the_records_behind_them(client, program, personas):
    client.force_login(personas.donor)
    page = client.get("/monitoring/?period=FY2023")
    assert page.status_code == 200
    assert "/monitoring/coverage/" not in page.content.decode()
    assert client.get("/monitoring/coverage/?period=FY2023").status_code == 403
    assert client.get("/monitoring/indicators.csv?period=FY2023").status_code == 403


def test_a_case_worker_has_no_monitoring_aggregates(client, program, personas):
    client.force_login(personas.case_worker)
    assert client.get("/monitoring/?period=FY2023").status_code == 403


def test_exports_are_audited_and_dhis2_uses_the_financial_october_period(client, program, officer):
    client.force_login(officer)
    response = client.get("/monitoring/indicators.dhis2?period=FY2023")
    payload = json.loads(response.content)
    values = {(v["dataElement"], v["categoryOptionCombo"]): v for v in payload["dataValues"]}
    assert values[("CJ-MUN", "default")]["value"] == "2"
    assert values[("CJ-MUN", "support_type_direct")]["value"] == "1"
    assert values[("CJ-MUN", "default")]["period"] == "2022Oct"
    assert values[("CJ-MUN", "default")]["orgUnit"] == "MX"
    assert not any(v["dataElement"] == "YOUTH-REACHED" for v in payload["dataValues"])
    csv_text = client.get("/monitoring/indicators.csv?period=FY2023&state=02").content.decode()
    assert "CJ-MUN,Municipios con apoyo en justicia cívica,municipalities,FY2023,02,,1," in csv_text
    xlsx = client.get("/monitoring/indicators.xlsx?period=FY2023")
    assert xlsx.content[:2] == b"PK"
    assert AuditEvent.objects.filter(action=Action.EXPORT, actor=officer).count() == 3


def test_the_fact_sheet_page_is_in_english_when_asked(client, program, officer):
    client.force_login(officer)
    page = client.get("/monitoring/factsheet/?period=FY2023", HTTP_ACCEPT_LANGUAGE="en")
    text = page.content.decode()
    assert "Key achievements" in text or "Logros clave" in text
    client.cookies["django_language"] = "en"
    text = client.get("/monitoring/factsheet/?period=FY2023").content.decode()
    assert (
        "2 cities across 2 states received support for civic justice, with direct technical "
        "assistance in 1 city and collaborative efforts in 1 other." in text
    )
    assert "not available: no participant records" in text


def test_a_bad_period_falls_back_and_says_why(client, program, officer):
    client.force_login(officer)
    page = client.get("/monitoring/?period=FY23").content.decode()
    assert "FY23" in page and "FY2023Q1" in page


def test_the_api_gives_the_same_table_within_the_scope(client, program, personas):
    client.force_login(personas.analyst_tijuana)
    body = client.get("/api/monitoring/indicators/?period=FY2023").json()
    values = {(r["indicator"], r["disaggregation"]): r["value"] for r in body["rows"]}
    assert values[("CJ-MUN", "")] == 1
    assert body["start"] == "2022-10-01"
    assert client.get("/api/monitoring/indicators/?period=FY23").status_code == 400
    client.force_login(personas.case_worker)
    assert client.get("/api/monitoring/indicators/?period=FY2023").status_code == 403


def test_the_navigation_offers_monitoring_to_roles_that_see_aggregates(client, personas):
    client.force_login(personas.donor)
    assert 'href="/monitoring/"' in client.get("/").content.decode()
    client.force_login(personas.case_worker)
    assert 'href="/monitoring/"' not in client.get("/").content.decode()
