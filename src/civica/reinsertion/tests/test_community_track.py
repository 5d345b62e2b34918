"""Community-based reinsertion as a track with its own pages: a case opened on a referral
from civic justice, screened with a versioned instrument (verdict and rule shown), mentoring
sessions through participants' services, the exit through participants' closing page, and
the follow-ups after the exit — an impossible date refused with its rule."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from civica.participants import casework
from civica.participants.models import Enrollment, Service, Track
from civica.participants.tests.factories import answers, make_instrument
from civica.reinsertion.models import ReleaseFollowUp
from civica.reinsertion.tests.factories import woman


def test_a_community_case_from_referral_to_follow_up(client, personas, territory):
    person = woman(personas, territory, 7)
    pid = person.pid
    client.force_login(personas.worker_a)
    page = client.get(reverse("reinsertion:community")).content.decode()
    assert "Aún no hay casos de reinserción comunitaria" in page
    # The referral sources offered are the justice system's doors.
    assert 'value="civic_judge"' in page and 'value="court"' in page
    assert 'value="school"' not in page
    response = client.post(
        reverse("reinsertion:community"),
        {
            "pid": pid,
            "organization": personas.org_a.pk,
            "referral_source": "civic_judge",
            "start_date": "2024-02-01",
        },
    )
    assert response.status_code == 302
    case = Enrollment.objects.get(person=person)
    assert case.track == Track.REINSERTION and case.referral_source == "civic_judge"

    instrument = make_instrument()
    client.post(
        reverse("participants:screening", args=[pid, instrument.pk]),
        {"date": "2024-02-02"} | {f"item_{k}": v for k, v in answers(5).items()},
    )
    page = client.get(reverse("reinsertion:community_case", args=[pid])).content.decode()
    assert f"{pid}: elegible — 5 de 9 escalas en el umbral, se necesitan 4" in page
    assert "Elegible cuando al menos 4 de sus 9 escalas alcanzan su umbral" in page

    form = client.get(reverse("reinsertion:community_session", args=[pid])).content.decode()
    assert 'value="mentoring" selected' in form
    assert f'href="{reverse("reinsertion:community_case", args=[pid])}"' in form  # the crumb
    client.post(
        reverse("reinsertion:community_session", args=[pid]),
        {
            "enrollment": case.pk,
            "kind": "mentoring",
            "provider": "Mentora",
            "date": "2024-02-10",
            "attended": "on",
        },
    )
    assert Service.objects.get(enrollment=case).kind == "mentoring"
    listing = client.get(reverse("reinsertion:community")).content.decode()
    assert "elegible · 2024-02-02" in listing

    casework.close_enrollment(
        actor=personas.worker_a,
        enrollment=case,
        version=case.version,
        exit_date=dt.date(2024, 6, 30),
        closure_reason="completed",
    )
    refused = client.post(
        reverse("reinsertion:follow_up", args=[pid]),
        {"months": 1, "date": "2024-06-01", "housing": "stable", "activity": "studying"},
    )
    assert "anterior a la liberación" in refused.content.decode()
    client.post(
        reverse("reinsertion:follow_up", args=[pid]),
        {"months": 1, "date": "2024-08-01", "housing": "stable", "activity": "studying"},
    )
    assert ReleaseFollowUp.objects.get(enrollment=case).months == 1
    page = client.get(reverse("reinsertion:community_case", args=[pid])).content.decode()
    assert "2024-08-01" in page and "Mentora" in page
    # The closed case stays on the track's list while its follow-ups are due.
    assert pid in client.get(reverse("reinsertion:community")).content.decode()


def test_another_organization_does_not_see_the_case(client, personas, territory):
    person = woman(personas, territory, 8)
    casework.enroll(
        actor=personas.worker_a,
        person=person,
        organization=personas.org_a,
        track=Track.REINSERTION,
        referral_source="detention",
        start_date=dt.date(2024, 2, 1),
        case_worker=personas.worker_a,
    )
    client.force_login(personas.worker_b)
    assert client.get(reverse("reinsertion:community_case", args=[person.pid])).status_code == 404
    assert person.pid not in client.get(reverse("reinsertion:community")).content.decode()
