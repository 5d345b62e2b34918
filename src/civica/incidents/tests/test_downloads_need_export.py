"""A file of incidents leaves only to a role that may export, whatever the page it comes from."""

import pytest
from django.urls import reverse

from civica.audit.models import Action, AuditEvent
from civica.territory.models import Municipality
from civica.testing.personas import make_user


@pytest.fixture
def case_worker(synthetic_incidents):
    return make_user(
        "caso", "case_worker", municipalities=[Municipality.objects.get(cvegeo="99001")]
    )


@pytest.mark.parametrize("name", ["points", "sectors", "hotspots"])
def test_a_case_worker_cannot_download_a_layer(client, case_worker, name):
    client.force_login(case_worker)
    url = reverse(f"incidents:{name}", args=["sintetico"])
    assert client.get(url).status_code == 200  # the map may draw it
    response = client.get(url, {"download": "1"})
    assert response.status_code == 403
    assert "attachment" not in response.get("Content-Disposition", "")
    assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()


def test_an_analyst_downloads_the_points_audited_and_not_cached(client, synthetic_incidents):
    analyst = make_user(
        "ana", "municipal_analyst", municipalities=[Municipality.objects.get(cvegeo="99001")]
    )
    client.force_login(analyst)
    response = client.get(reverse("incidents:points", args=["sintetico"]), {"download": "1"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="incidents_sintetico.geojson"'
    assert response["Cache-Control"] == "no-store"
    assert AuditEvent.objects.filter(action=Action.EXPORT, actor=analyst).count() == 1
