"""A municipal analyst sees only the incidents of their municipality, everywhere."""

import json

from django.urls import reverse

from civica.testing.personas import make_user


def test_points_of_another_municipality_never_reach_the_map(client, analyst_a, analyst_b):
    url = reverse("incidents:points", args=["sintetico"])
    client.force_login(analyst_a)
    features = json.loads(client.get(url).content)["features"]
    assert len(features) == 10 and {f["properties"]["crime"] for f in features} == {"ROBO"}
    client.force_login(analyst_b)
    assert json.loads(client.get(url).content)["features"] == []
    asked = client.get(url, {"municipality": "99001"})
    assert json.loads(asked.content)["features"] == []


def test_exports_are_scoped_and_audited(client, analyst_a):
    from civica.audit.models import Action, AuditEvent

    client.force_login(analyst_a)
    response = client.get(reverse("incidents:sectors", args=["sintetico"]), {"download": "csv"})
    assert "Sector A1" in response.content.decode()
    assert "Sector D4" not in response.content.decode()
    assert AuditEvent.objects.filter(action=Action.EXPORT, actor=analyst_a).count() == 1


def test_a_donor_viewer_sees_no_incident_records(client, synthetic_incidents):
    client.force_login(make_user("dona", "donor_viewer", nationwide=True))
    assert client.get(reverse("incidents:map", args=["sintetico"])).status_code == 403


def test_the_map_page_renders_with_leaflet_from_the_app(client, analyst_a):
    client.force_login(analyst_a)
    body = client.get(reverse("incidents:map", args=["sintetico"])).content.decode()
    assert "/static/leaflet/leaflet.js" in body and "incident-map-config" in body
    assert "unpkg" not in body and "cdn" not in body.lower()


def test_the_near_repeat_page_shows_the_table_and_heatmap(client, analyst_a):
    from civica.jobs.testing import run_queued_jobs

    client.force_login(analyst_a)
    url = reverse("incidents:near-repeat", args=["sintetico"])
    client.get(url, {"crime": "ROBO", "quick": "1"})  # starts the background job
    run_queued_jobs()
    response = client.get(url, {"crime": "ROBO", "quick": "1"})
    body = response.content.decode()
    assert response.status_code == 200 and "<svg" in body and "<table>" in body
    assert "10 incidentes" in body or "10 incidents" in body  # only A's robberies


def test_an_analyst_with_no_incidents_in_scope_gets_empty_layers(client, analyst_b):
    client.force_login(analyst_b)
    response = client.get(reverse("incidents:sectors", args=["sintetico"]))
    assert response.status_code == 200
    assert json.loads(response.content)["features"] == []
