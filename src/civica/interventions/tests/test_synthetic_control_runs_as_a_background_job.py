"""A synthetic-control result page answers at once: the evaluation (every donor refitted as
a placebo) runs on the worker, the page shows its progress, then the result; the stored
result serves the next visit, and registering another intervention is a new question."""

import datetime as dt

import pytest
from django.urls import reverse

from civica.accounts.access import SYSTEM
from civica.interventions.tests.test_synthetic_control_design import (  # noqa: F401 (fixture)
    design_for,
    guanajuato,
)
from civica.jobs.testing import run_queued_jobs

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(client):
    from civica.accounts.models import User

    user = User.objects.create_superuser("root", password="x" * 12, role="administrator")
    client.force_login(user)
    return user


def test_the_page_shows_progress_then_the_stored_result(client, admin, guanajuato):  # noqa: F811
    from civica.jobs.models import CachedResult, Job

    design = design_for("11017")
    url = reverse("interventions:design", args=[design.pk])
    first = client.get(url)
    # The page answered without computing: its job is still waiting for the worker.
    assert Job.objects.get().status == "queued" and Job.objects.get().started_at is None
    assert "data-job-status" in first.content.decode() and "synthetic" not in first.context
    assert run_queued_jobs() == 1
    assert Job.objects.get().status == "done"
    stored = CachedResult.objects.get()
    assert stored.blob is not None and stored.seconds > 0
    second = client.get(url)
    assert second.context["synthetic"].fit.treated == "11017"
    again = client.get(url)
    assert Job.objects.filter(from_cache=True).count() == 2 and run_queued_jobs() == 0
    assert again.context["headline_es"] == second.context["headline_es"]


def test_another_intervention_on_the_same_crimes_is_a_new_question(guanajuato):  # noqa: F811
    from civica.interventions.jobs import EVALUATE
    from civica.interventions.models import InterventionKind
    from civica.interventions.services import create_intervention
    from civica.jobs.services import cache_key
    from civica.territory.models import Municipality

    design = design_for("11017")
    before = cache_key(SYSTEM, EVALUATE, {"design": design.pk})
    assert cache_key(SYSTEM, EVALUATE, {"design": design.pk}) == before
    # A donor with an intervention of its own leaves the pool: the result would change.
    create_intervention(
        actor=SYSTEM,
        name="Otra",
        kind=InterventionKind.CIVIC_JUSTICE,
        municipality=Municipality.objects.get(cvegeo="11007"),
        target_crimes=["Homicidio doloso"],
        start_date=dt.date(2023, 6, 1),
    )
    assert cache_key(SYSTEM, EVALUATE, {"design": design.pk}) != before
