"""The police models in Django admin: every one registered with the stale-save guard, a
stale scenario form refused, a fresh one saved as a new version (issue 17)."""

from decimal import Decimal

import pytest
from django.contrib import admin
from django.urls import reverse

from civica.core.admin_guard import StaleEditGuardMixin
from civica.core.tests.test_admin_refuses_stale_saves import _drawn
from civica.police import models as m

pytestmark = pytest.mark.django_db


def _scenario(territory):
    return m.Scenario.objects.create(
        municipality=territory.tijuana,
        name="Base",
        target=m.Target.RATIO,
        current_officers=2500,
        monthly_pay=Decimal("21500"),
        monthly_benefits=Decimal("6000"),
        one_off_per_hire=Decimal("120000"),
        first_year=2026,
        budget=Decimal("800000000"),
        funds_per_year=Decimal("0"),
    )


def test_every_police_model_is_in_admin_with_the_guard():
    for model in (
        m.Headcount,
        m.PayStep,
        m.Benefit,
        m.ShiftAssignment,
        m.StaffMovement,
        m.Certification,
        m.BudgetLine,
        m.Scenario,
    ):
        assert isinstance(admin.site._registry[model], StaleEditGuardMixin), model


def test_a_stale_admin_form_does_not_undo_a_scenario_edited_meanwhile(client, personas, territory):
    scenario = _scenario(territory)
    client.force_login(personas.admin)
    url = reverse("admin:police_scenario_change", args=[scenario.pk])
    stale = _drawn(client, url)
    m.Scenario.objects.filter(pk=scenario.pk).update(ratio_per_1000=Decimal("2.5"), version=1)
    stale["name"] = "Renombrado"
    response = client.post(url, stale)
    assert response.status_code == 200
    scenario.refresh_from_db()
    assert (scenario.name, scenario.ratio_per_1000) == ("Base", Decimal("2.5"))

    fresh = _drawn(client, url)
    fresh["name"] = "Renombrado"
    assert client.post(url, fresh).status_code == 302
    scenario.refresh_from_db()
    # A new version: a scenario page opened before the admin save cannot save over it.
    assert (scenario.name, scenario.version) == ("Renombrado", 2)
