"""The case worker's participants caseload shows reinsertion's reminders too: the transition
plan 30 days before the expected release, and follow-ups after release due or overdue."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from civica.reinsertion import services
from civica.reinsertion.tests.factories import admitted, facility


def test_the_caseload_shows_the_plan_and_the_follow_ups_due(client, personas, territory):
    today = timezone.localdate()
    place = facility(personas, territory)
    soon = admitted(
        personas,
        territory,
        place,
        1,
        admission=dt.date(2023, 3, 1),
        expected=today + dt.timedelta(days=20),
    )
    out = admitted(personas, territory, place, 2, admission=dt.date(2023, 3, 1))
    services.record_release(
        actor=personas.worker_a, custody=out, actual_release=today - dt.timedelta(days=40)
    )
    client.force_login(personas.worker_a)
    page = client.get(reverse("participants:caseload")).content.decode()
    plan_due = (soon.expected_release - dt.timedelta(days=30)).isoformat()
    assert f"plan de transición · {plan_due}" in page
    # Released 40 days ago: the follow-up a month after release is overdue.
    assert "vencido: seguimiento a 1 meses tras la liberación" in page
    assert reverse("reinsertion:path", args=[out.enrollment.person.pid]) in page
