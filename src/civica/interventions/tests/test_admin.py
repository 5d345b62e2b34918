"""The admin pages of interventions and designs work, check the sector rules on the form,
and show a locked design read-only."""

import pytest
from django.urls import reverse

from civica.interventions.models import Intervention
from civica.interventions.services import lock_design
from civica.interventions.tests.factories import make_design, make_intervention

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, personas):
    client.force_login(personas.admin)
    return client


def test_the_admin_lists_and_adds_interventions(admin_client, territory):
    make_intervention(territory)
    assert (
        admin_client.get(reverse("admin:interventions_intervention_changelist")).status_code == 200
    )
    assert admin_client.get(reverse("admin:interventions_intervention_add")).status_code == 200
    assert admin_client.get(reverse("admin:interventions_evaluationdesign_add")).status_code == 200


def test_the_admin_form_refuses_a_sector_of_another_municipality(admin_client, territory):
    response = admin_client.post(
        reverse("admin:interventions_intervention_add"),
        {
            "name": "Patrullaje",
            "kind": "patrol",
            "municipality": territory.cuauhtemoc.pk,
            "target_sectors": [territory.sectors["02004"].pk],
            "target_crimes": '["ROBO"]',
            "start_date": "2023-09-15",
            "ramp_up_days": "0",
        },
    )
    assert response.status_code == 200
    assert "target_sectors" in response.context["adminform"].form.errors
    assert not Intervention.objects.exists()


def test_a_locked_design_is_read_only_in_the_admin(admin_client, territory, personas):
    design = make_design(make_intervention(territory))
    lock_design(design=design, actor=personas.admin)
    url = reverse("admin:interventions_evaluationdesign_change", args=[design.pk])
    response = admin_client.get(url)
    assert response.status_code == 200
    assert not response.context["adminform"].form.fields
    assert not response.context["has_delete_permission"]
