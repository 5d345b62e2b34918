"""Reinsertion's API reads facilities, stays, cohorts and lotteries through the pages'
scoped selectors (pseudonymous ids, never a name; lotteries by counts), and creates a
follow-up with the pages' rules: an impossible date is refused with its rule's code."""

from __future__ import annotations

import datetime as dt

from rest_framework.test import APIClient

from civica.reinsertion import lottery, services
from civica.reinsertion.models import ReleaseFollowUp
from civica.reinsertion.tests.factories import admitted, facility, woman


def _api(user):
    api = APIClient()
    api.force_authenticate(user)
    return api


def test_reads_are_scoped_and_carry_no_names(personas, territory):
    place = facility(personas, territory)
    stay = admitted(personas, territory, place, 3)
    services.create_cohort(
        actor=personas.worker_a,
        facility=place,
        organization=personas.org_a,
        kind="course",
        name="Costura",
        start_date=dt.date(2023, 4, 1),
        required_hours=10,
    )
    made = lottery.create_lottery(
        actor=personas.supervisor_a, organization=personas.org_a, name="Sorteo", places=1
    )
    for n in (5, 6):
        lottery.add_applicant(
            actor=personas.supervisor_a,
            lottery=made,
            person=woman(personas, territory, n),
            applied_on=dt.date(2024, 1, 5),
            risk_level="high",
        )
    lottery.draw(actor=personas.supervisor_a, lottery=made, seed=3)
    api = _api(personas.worker_a)
    facilities = api.get("/api/reinsertion/facilities/").json()["results"]
    assert [f["name"] for f in facilities] == ["CERESO Femenil Prueba"]
    stays = api.get("/api/reinsertion/stays/").json()["results"]
    assert stays[0]["pid"] == stay.enrollment.person.pid
    assert stays[0]["admission_date"] == "2023-03-01"
    body = str(stays)
    assert stay.enrollment.person.given_names not in body
    assert stay.enrollment.person.family_names not in body
    cohorts = api.get("/api/reinsertion/cohorts/").json()["results"]
    assert cohorts[0]["name"] == "Costura" and cohorts[0]["members"] == 0
    lotteries = _api(personas.supervisor_a).get("/api/reinsertion/lotteries/").json()["results"]
    assert lotteries[0]["applicants"] == 2 and lotteries[0]["program"] == 1
    assert lotteries[0]["seed"] == "3" and "pid" not in str(lotteries)
    # Another organization's user sees none of it; a guessed id answers 404.
    other = _api(personas.worker_b)
    assert other.get("/api/reinsertion/stays/").json()["results"] == []
    assert other.get(f"/api/reinsertion/stays/{stay.pk}/").status_code == 404
    assert other.get(f"/api/reinsertion/facilities/{place.pk}/").status_code == 404


def test_a_follow_up_is_created_with_the_pages_rules(personas, territory):
    stay = admitted(personas, territory, facility(personas, territory), 4)
    pid = stay.enrollment.person.pid
    api = _api(personas.worker_a)
    payload = {"pid": pid, "months": 1, "date": "2024-04-02", "housing": "stable"}
    payload["activity"] = "employed"
    # No release recorded yet.
    refused = api.post("/api/reinsertion/follow-ups/", payload, format="json")
    assert refused.status_code == 400
    assert refused.json()["__all__"][0]["code"] == "no_release"
    services.record_release(
        actor=personas.worker_a, custody=stay, actual_release=dt.date(2024, 3, 1)
    )
    early = api.post(
        "/api/reinsertion/follow-ups/", payload | {"date": "2024-02-01"}, format="json"
    )
    assert early.status_code == 400
    assert early.json()["date"][0]["code"] == "follow_up_before_release"
    assert "anterior a la liberación" in early.json()["date"][0]["message"]
    made = api.post("/api/reinsertion/follow-ups/", payload, format="json")
    assert made.status_code == 201, made.json()
    assert made.json()["pid"] == pid and ReleaseFollowUp.objects.get().months == 1
    # Another organization cannot write on her case: 404, as if she did not exist.
    other = _api(personas.worker_b).post(
        "/api/reinsertion/follow-ups/", payload | {"months": 3}, format="json"
    )
    assert other.status_code == 404
