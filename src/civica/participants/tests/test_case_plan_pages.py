"""Pages of the case plan: goals (versioned), family/network members (personal, audited),
and closing a case (versioned, stale save refused with the differences)."""

import datetime as dt

import pytest
from django.db import connection
from django.urls import reverse

from civica.audit.models import AuditEvent
from civica.participants import casework
from civica.participants.models import Enrollment, Goal, NetworkMember
from civica.participants.tests.factories import consent, enrolled, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(personas, territory):
    person = register(personas, territory)
    consent(person)
    return enrolled(personas, person, start=dt.date(2023, 1, 15))


def login(client, user):
    client.force_login(user)
    return client


def test_a_goal_is_added_and_shown_on_the_person_page(client, personas, case):
    login(client, personas.worker_a)
    pid = case.person.pid
    response = client.post(
        reverse("participants:goal", args=[pid]),
        {
            "enrollment": case.pk,
            "description": "Terminar la secundaria",
            "target_date": "2024-07-01",
        },
    )
    assert response.status_code == 302
    goal = Goal.objects.get()
    assert goal.enrollment == case and goal.status == "open" and goal.version == 1
    assert AuditEvent.objects.filter(action="create", object_id=str(goal.pk)).exists()
    html = client.get(reverse("participants:person", args=[pid])).content.decode()
    assert "Terminar la secundaria" in html and "En curso" in html
    assert reverse("participants:goal_edit", args=[pid, goal.pk]) in html


def test_a_goal_needs_a_description(client, personas, case):
    login(client, personas.worker_a)
    page = client.post(
        reverse("participants:goal", args=[case.person.pid]), {"enrollment": case.pk}
    )
    assert page.status_code == 200 and Goal.objects.count() == 0
    assert "requerido" in page.content.decode()


def test_a_goal_status_change_is_saved_and_a_stale_one_shows_the_differences(
    client, personas, case
):
    goal = casework.add_goal(actor=personas.worker_a, enrollment=case, description="Empleo formal")
    url = reverse("participants:goal_edit", args=[case.person.pid, goal.pk])
    login(client, personas.worker_a)
    views = AuditEvent.objects.filter(action="view", personal_data=True)
    before = views.count()
    html = client.get(url).content.decode()
    assert 'name="version" value="1"' in html and "Empleo formal" in html
    assert views.count() == before + 1 and views.latest("id").object_label == case.person.pid
    assert client.post(url, {"status": "met", "version": 1}).status_code == 302
    goal.refresh_from_db()
    assert goal.status == "met" and goal.version == 2
    # A second worker who loaded version 1 saves "dropped": refused, nothing overwritten.
    login(client, personas.worker_a2)
    stale = client.post(url, {"status": "dropped", "version": 1})
    html = stale.content.decode()
    assert stale.status_code == 200 and "Cumplida" in html and "Descartada" in html
    assert 'name="version" value="2"' in html  # saving again now is a deliberate choice
    goal.refresh_from_db()
    assert goal.status == "met" and goal.version == 2


def test_a_network_member_is_added_encrypted_and_listed_on_the_audited_page(client, personas, case):
    login(client, personas.worker_a)
    pid = case.person.pid
    response = client.post(
        reverse("participants:network", args=[pid]),
        {"relationship": "Madre", "name": "Rosa Hernández", "phone": "5511112222", "engaged": "on"},
    )
    assert response.status_code == 302 and response["Location"].endswith(f"/{pid}/")
    member = NetworkMember.objects.get()
    assert member.engaged and member.recorded_by == personas.worker_a
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM participants_networkmember WHERE id = %s", [member.pk])
        stored = cursor.fetchone()[0]
    assert stored.startswith("gAAAA") and "Rosa" not in stored
    created = AuditEvent.objects.get(object_type="participants.NetworkMember")
    assert created.personal_data and "Rosa" not in str(created.detail) + created.object_label
    before = AuditEvent.objects.filter(action="view", personal_data=True).count()
    html = client.get(reverse("participants:person", args=[pid])).content.decode()
    assert "Madre: Rosa Hernández" in html and "5511112222" in html
    assert AuditEvent.objects.filter(action="view", personal_data=True).count() == before + 1


def test_a_network_member_without_consent_is_refused_with_the_reason(client, personas, territory):
    person = register(personas, territory, birth_date="2001-01-01")
    login(client, personas.worker_a)
    page = client.post(
        reverse("participants:network", args=[person.pid]), {"relationship": "Padre", "name": "X"}
    )
    assert page.status_code == 200 and NetworkMember.objects.count() == 0
    assert "consentimiento" in page.content.decode()


def test_another_organization_does_not_see_the_network_written_by_the_first(client, personas, case):
    casework.add_network_member(
        actor=personas.worker_a, person=case.person, relationship="Tía", name="Lucía Ramos"
    )
    # Organization B serves the person too (after a referral): it sees its own notes only.
    enrolled(personas, case.person, organization=personas.org_b, worker=personas.worker_b)
    login(client, personas.worker_b)
    html = client.get(reverse("participants:person", args=[case.person.pid])).content.decode()
    assert "Lucía Ramos" not in html


def test_a_case_is_closed_with_exit_date_and_reason(client, personas, case):
    login(client, personas.worker_a)
    url = reverse("participants:close", args=[case.person.pid, case.pk])
    page = client.post(url, {"exit_date": "2023-12-01", "closure_reason": "", "version": 1})
    assert page.status_code == 200 and "requerido" in page.content.decode()
    early = client.post(url, {"exit_date": "2022-12-01", "closure_reason": "moved", "version": 1})
    assert early.status_code == 200 and "anterior al inicio" in early.content.decode()
    done = client.post(
        url, {"exit_date": "2023-12-01", "closure_reason": "completed", "version": 1}
    )
    assert done.status_code == 302
    case.refresh_from_db()
    assert case.exit_date == dt.date(2023, 12, 1) and case.closure_reason == "completed"
    assert case.version == 2
    # Closed cases leave the caseload; the person page offers to change the closure.
    assert case.person.pid not in client.get(reverse("participants:caseload")).content.decode()
    html = client.get(reverse("participants:person", args=[case.person.pid])).content.decode()
    assert "Plan concluido" in html


def test_a_stale_closure_is_refused_with_the_differences(client, personas, case):
    url = reverse("participants:close", args=[case.person.pid, case.pk])
    login(client, personas.worker_a)
    client.post(url, {"exit_date": "2023-12-01", "closure_reason": "completed", "version": 1})
    login(client, personas.supervisor_a)
    stale = client.post(url, {"exit_date": "2023-11-15", "closure_reason": "moved", "version": 1})
    html = stale.content.decode()
    assert stale.status_code == 200 and "Alguien guardó" in html
    assert "Plan concluido" in html and "Cambió de domicilio" in html  # labels, not codes
    case.refresh_from_db()
    assert case.closure_reason == "completed" and case.exit_date == dt.date(2023, 12, 1)


def test_a_worker_of_another_organization_gets_404_on_every_case_plan_page(client, personas, case):
    goal = casework.add_goal(actor=personas.worker_a, enrollment=case, description="Empleo")
    pid = case.person.pid
    login(client, personas.worker_b)
    urls = [
        reverse("participants:goal", args=[pid]),
        reverse("participants:network", args=[pid]),
        reverse("participants:goal_edit", args=[pid, goal.pk]),
        reverse("participants:close", args=[pid, case.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"status": "dropped", "version": 1}).status_code == 404, url
    goal.refresh_from_db()
    assert goal.status == "open" and Enrollment.objects.get().exit_date is None


def test_an_enrollment_of_another_organization_cannot_be_closed_through_a_shared_person(
    client, personas, case
):
    # The person is in both organizations' scope; B's enrollment id is not A's to close.
    theirs = enrolled(personas, case.person, organization=personas.org_b, worker=personas.worker_b)
    goal_b = casework.add_goal(actor=personas.worker_b, enrollment=theirs, description="Taller")
    login(client, personas.worker_a)
    pid = case.person.pid
    assert client.get(reverse("participants:close", args=[pid, theirs.pk])).status_code == 404
    assert client.get(reverse("participants:goal_edit", args=[pid, goal_b.pk])).status_code == 404
    assert "Taller" not in client.get(reverse("participants:person", args=[pid])).content.decode()


def test_the_case_plan_pages_work_in_english(client, personas, case, settings):
    settings.LANGUAGE_CODE = "en"
    login(client, personas.worker_a)
    page = client.get(
        reverse("participants:close", args=[case.person.pid, case.pk]), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "Close the case" in page.content.decode()


def test_the_case_plan_workflow_leaves_no_personal_value_in_urls_logs_or_audit(
    client, personas, case, caplog
):
    import logging

    caplog.set_level(logging.DEBUG)
    secrets = ("Yolotl Ek", "5533445566", "Dejar la pandilla del barrio")
    pid = case.person.pid
    login(client, personas.worker_a)
    urls = [
        client.post(
            reverse("participants:network", args=[pid]),
            {"relationship": "Hermano", "name": secrets[0], "phone": secrets[1]},
        )["Location"],
        client.post(
            reverse("participants:goal", args=[pid]),
            {"enrollment": case.pk, "description": secrets[2]},
        )["Location"],
    ]
    goal = Goal.objects.get()
    edit = reverse("participants:goal_edit", args=[pid, goal.pk])
    client.get(edit)
    client.post(edit, {"status": "met", "version": 1})
    client.post(edit, {"status": "dropped", "version": 1})  # stale
    client.get(reverse("participants:person", args=[pid]))
    urls += [e.path for e in AuditEvent.objects.all()]
    text = " ".join(urls) + " ".join(r.getMessage() for r in caplog.records)
    text += " ".join(f"{e.object_label} {e.detail}" for e in AuditEvent.objects.all())
    for secret in secrets:
        assert secret not in text, secret
