"""After acceptance a problem's priority and owner change on its page: the owner is someone
who may work on its municipalities, every change is audited, and a save over a newer version
is refused with both versions shown."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from civica.accounts.access import SYSTEM
from civica.audit.models import AuditEvent
from civica.problems import selectors, services
from civica.problems.catalog import CHEERS_KEYS

pytestmark = pytest.mark.django_db


@pytest.fixture
def problem(territory):
    return services.create_problem(
        actor=SYSTEM,
        title="Robos en la plaza",
        municipality=territory.cuauhtemoc,
        crimes=["ROBO"],
        sectors=[territory.sectors["09015"]],
        cheers=dict.fromkeys(CHEERS_KEYS, True),
    )


def test_owners_are_those_who_may_work_on_its_municipalities(problem, personas):
    candidates = set(selectors.owner_candidates(problem))
    assert {personas.admin, personas.analyst_cuauhtemoc, personas.state_analyst_cdmx} <= candidates
    assert personas.analyst_tijuana not in candidates  # another territory
    assert personas.donor not in candidates  # sees everything, changes nothing


def test_a_change_is_saved_once_and_audited(problem, personas):
    version = problem.updated_at.isoformat()
    services.update_priority_and_owner(
        actor=personas.analyst_cuauhtemoc,
        problem=problem,
        loaded_version=version,
        priority="high",
        owner=personas.analyst_cuauhtemoc,
    )
    problem.refresh_from_db()
    assert (problem.priority, problem.owner) == ("high", personas.analyst_cuauhtemoc)
    event = AuditEvent.objects.filter(object_id=str(problem.pk), action="update").get()
    assert set(event.detail["changed"]) == {"priority", "owner"}
    # The same values again write nothing: same version, no audit entry.
    services.update_priority_and_owner(
        actor=personas.analyst_cuauhtemoc,
        problem=problem,
        loaded_version=problem.updated_at.isoformat(),
        priority="high",
        owner=personas.analyst_cuauhtemoc,
    )
    assert AuditEvent.objects.filter(object_id=str(problem.pk), action="update").count() == 1


def test_a_save_over_a_newer_version_is_refused_with_both_versions(problem, personas):
    stale = problem.updated_at.isoformat()
    services.update_priority_and_owner(
        actor=personas.admin, problem=problem, loaded_version=stale, priority="low", owner=None
    )
    with pytest.raises(services.EditConflictError) as caught:
        services.update_priority_and_owner(
            actor=personas.analyst_cuauhtemoc,
            problem=problem,
            loaded_version=stale,
            priority="high",
            owner=None,
        )
    assert [(theirs, yours) for _label, theirs, yours in caught.value.changes] == [
        ("Baja", "Alta")
    ] or [(theirs, yours) for _label, theirs, yours in caught.value.changes] == [("Low", "High")]
    problem.refresh_from_db()
    assert problem.priority == "low"


def test_an_owner_from_another_territory_is_refused(problem, personas):
    with pytest.raises(ValidationError) as caught:
        services.update_priority_and_owner(
            actor=personas.admin,
            problem=problem,
            loaded_version=problem.updated_at.isoformat(),
            priority="high",
            owner=personas.analyst_tijuana,
        )
    assert "owner" in caught.value.error_dict


def test_the_page_shows_the_conflict(problem, personas, client):
    client.force_login(personas.analyst_cuauhtemoc)
    url = reverse("problems:priority-owner", args=[problem.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert personas.analyst_tijuana.username not in page.content.decode()
    stale = problem.updated_at.isoformat()
    services.update_priority_and_owner(
        actor=SYSTEM, problem=problem, loaded_version=stale, priority="low", owner=None
    )
    answer = client.post(
        url,
        {"priority": "high", "owner": personas.analyst_cuauhtemoc.pk, "loaded_version": stale},
    )
    assert answer.status_code == 200
    assert "Alguien guardó este problema" in answer.content.decode()
    fresh = answer.context["form"].data["loaded_version"]
    answer = client.post(
        url,
        {"priority": "high", "owner": personas.analyst_cuauhtemoc.pk, "loaded_version": fresh},
    )
    assert answer.status_code == 302
    problem.refresh_from_db()
    assert problem.owner == personas.analyst_cuauhtemoc


def test_a_problem_in_scanning_sends_its_page_back_saying_why(territory, personas, client):
    # The problem's page links here only once it is accepted; typed by hand, the address no
    # longer shows a form that every save refuses.
    scanning = services.create_problem(
        actor=SYSTEM,
        title="Riñas en el mercado",
        municipality=territory.cuauhtemoc,
        crimes=["LESIONES"],
        sectors=[territory.sectors["09015"]],
    )
    client.force_login(personas.analyst_cuauhtemoc)
    url = reverse("problems:priority-owner", args=[scanning.pk])
    version = scanning.updated_at

    for answer in (
        client.get(url, follow=True),
        client.post(url, {"priority": "high", "loaded_version": version.isoformat()}, follow=True),
    ):
        assert answer.redirect_chain == [(reverse("problems:detail", args=[scanning.pk]), 302)]
        assert "Acepte el problema (prueba CHEERS) antes de elegir a su responsable." in (
            answer.content.decode()
        )
    scanning.refresh_from_db()
    assert scanning.updated_at == version  # nothing was written


def test_the_command_line_assigns_the_owner(problem, personas):
    from click.testing import CliRunner

    from civica.cli.main import cli

    runner = CliRunner()
    done = runner.invoke(
        cli, ["problems", "assign", str(problem.pk), "--priority", "low", "--owner", "ana"]
    )
    assert done.exit_code == 0, done.output
    problem.refresh_from_db()
    assert (problem.priority, problem.owner) == ("low", personas.analyst_cuauhtemoc)
    refused = runner.invoke(cli, ["problems", "assign", str(problem.pk), "--owner", "tomas"])
    assert refused.exit_code != 0
    problem.refresh_from_db()
    assert problem.owner == personas.analyst_cuauhtemoc
