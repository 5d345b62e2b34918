"""The pages of a woman's path, cohorts and a lottery answer in Spanish, write through the
services and show the rules' refusals in place."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from civica.accounts.access import SYSTEM
from civica.reinsertion import lottery
from civica.reinsertion.models import Applicant, Arm, Cohort, Custody, ReleaseFollowUp
from civica.reinsertion.tests.factories import facility, woman


def test_a_woman_path_from_admission_to_follow_up(client, personas, territory):
    place = facility(personas, territory)
    person = woman(personas, territory, 4)
    client.force_login(personas.worker_a)
    pid = person.pid
    response = client.post(
        reverse("reinsertion:admit", args=[pid]),
        {
            "facility": place.pk,
            "organization": personas.org_a.pk,
            "legal_status": "sentenced",
            "admission_date": "2023-03-01",
            "expected_release": "2024-03-01",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    stay = Custody.objects.get()
    page = client.get(reverse("reinsertion:home")).content.decode()
    assert pid in page and "Reinserción" in page
    response = client.post(
        reverse("reinsertion:release", args=[pid]),
        {"actual_release": "2023-01-01", "legal_status": "sentenced"},
    )
    assert "La liberación es anterior al ingreso." in response.content.decode()
    client.post(
        reverse("reinsertion:plan", args=[pid]),
        {"started_on": "2024-01-10", "received_by": "Su hermana"},
    )
    client.post(
        reverse("reinsertion:task", args=[pid]),
        {
            "area": "housing",
            "description": "Cuarto con su hermana",
            "owner": personas.worker_a.pk,
            "due_date": "2024-02-20",
        },
    )
    client.post(
        reverse("reinsertion:release", args=[pid]),
        {"actual_release": "2024-03-01", "legal_status": "sentenced"},
    )
    stay.refresh_from_db()
    assert stay.actual_release == dt.date(2024, 3, 1) and stay.plan.tasks.count() == 1
    response = client.post(
        reverse("reinsertion:follow_up", args=[pid]),
        {
            "months": "1",
            "date": "2024-02-01",
            "housing": "stable",
            "activity": "employed",
        },
    )
    assert "anterior a la liberación" in response.content.decode()
    client.post(
        reverse("reinsertion:follow_up", args=[pid]),
        {
            "months": "12",
            "date": "2025-03-03",
            "housing": "stable",
            "activity": "studying",
            "family_contact": "on",
        },
    )
    assert ReleaseFollowUp.objects.get().months == 12
    page = client.get(reverse("reinsertion:path", args=[pid])).content.decode()
    assert "Su hermana" in page and "Estudia" in page


def test_cohort_sessions_hours_and_certificate(client, personas, territory):
    from civica.reinsertion import services

    place = facility(personas, territory)
    person = woman(personas, territory, 5)
    services.admit(
        actor=personas.worker_a,
        person=person,
        facility=place,
        organization=personas.org_a,
        legal_status="pre_trial",
        admission_date=dt.date(2023, 1, 5),
    )
    client.force_login(personas.worker_a)
    client.post(
        reverse("reinsertion:cohort_new"),
        {
            "facility": place.pk,
            "organization": personas.org_a.pk,
            "kind": "course",
            "name": "Panadería",
            "start_date": "2023-02-01",
            "required_hours": "3",
            "certifies": "on",
        },
    )
    group = Cohort.objects.get()
    url = reverse("reinsertion:cohort", args=[group.pk])
    client.post(url, {"do": "member", "pid": person.pid})
    member = group.members.get()
    client.post(url, {"do": "session", "date": "2023-02-02", "hours": "3", "present": [member.pk]})
    client.post(url, {"do": "complete", "member": member.pk})
    member.refresh_from_db()
    assert member.certificate
    assert member.certificate in client.get(url).content.decode()


def test_lottery_pages_draw_enroll_and_evaluate(client, personas, territory):
    client.force_login(personas.supervisor_a)
    client.post(
        reverse("reinsertion:lotteries"),
        {
            "organization": personas.org_a.pk,
            "name": "Sorteo de prueba",
            "places": "3",
            "strata": ["sex"],
        },
    )
    made = lottery.Lottery.objects.get()
    url = reverse("reinsertion:lottery", args=[made.pk])
    for n in range(8):
        p = woman(personas, territory, n)
        client.post(
            url,
            {
                "do": "applicant",
                "pid": p.pid,
                "applied_on": "2024-01-05",
                "risk_level": "high",
                "eligible": "on",
            },
        )
    assert Applicant.objects.count() == 8
    page = client.get(url).content.decode()
    assert "Semilla" not in page
    client.post(url, {"do": "draw"})  # not confirmed
    made.refresh_from_db()
    assert not made.drawn
    client.post(url, {"do": "draw", "confirm": "yes"})
    made.refresh_from_db()
    assert made.drawn
    page = client.get(url).content.decode()
    assert str(made.seed) in page and "mismo resultado" in page
    control = Applicant.objects.filter(arm=Arm.CONTROL).order_by("waitlist_position").first()
    client.post(
        url,
        {
            "do": "enroll",
            "applicant": control.pk,
            "start_date": "2024-02-01",
            "referral_source": "civil_society",
        },
    )
    control.refresh_from_db()
    assert not control.took_up  # refused: no crossover recorded
    winner = Applicant.objects.filter(arm=Arm.PROGRAM).first()
    client.post(
        url,
        {
            "do": "enroll",
            "applicant": winner.pk,
            "start_date": "2024-02-01",
            "referral_source": "civil_society",
        },
    )
    winner.refresh_from_db()
    assert winner.took_up
    evaluation = client.get(reverse("reinsertion:lottery_evaluation", args=[made.pk]))
    assert (
        evaluation.status_code == 200 and "Diferencia estandarizada" in evaluation.content.decode()
    )


def test_the_evaluation_download_is_audited_and_needs_export(client, personas, territory):
    from civica.audit.models import AuditEvent

    made = lottery.create_lottery(actor=SYSTEM, organization=personas.org_a, name="L", places=2)
    for n in range(5):
        lottery.add_applicant(
            actor=SYSTEM,
            lottery=made,
            person=woman(personas, territory, n),
            applied_on=dt.date(2024, 1, 1),
            risk_level="low",
        )
    lottery.draw(actor=SYSTEM, lottery=made, seed=5)
    url = reverse("reinsertion:lottery_evaluation", args=[made.pk])
    client.force_login(personas.supervisor_a)
    assert client.get(url, {"download": "csv"}).status_code == 403
    client.force_login(personas.officer)
    response = client.get(url, {"download": "csv"})
    assert response.status_code == 200 and b"balance" in response.content
    assert AuditEvent.objects.filter(action="export", object_type="reinsertion.Lottery").exists()


def test_the_api_gives_the_evaluation_as_numbers(client, personas, territory):
    made = lottery.create_lottery(actor=SYSTEM, organization=personas.org_a, name="L", places=2)
    for n in range(6):
        lottery.add_applicant(
            actor=SYSTEM,
            lottery=made,
            person=woman(personas, territory, n),
            applied_on=dt.date(2024, 1, 1),
            risk_level="low",
        )
    lottery.draw(actor=SYSTEM, lottery=made, seed=9)
    url = reverse("api:lottery-evaluation", args=[made.pk])
    client.force_login(personas.supervisor_a)
    body = client.get(url).json()
    assert body["seed"] == "9" and body["effects"][0]["flow"]["randomized"] == 6
    assert isinstance(body["balance"][0]["std_difference"], float)
    client.force_login(personas.worker_b)
    assert client.get(url).status_code == 403  # a case worker reads no aggregates
