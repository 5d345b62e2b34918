"""A transition task is marked done from her path page, checked against the version the
page showed: a task someone changed meanwhile is refused and nothing is written."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from civica.audit.models import AuditEvent
from civica.reinsertion import services
from civica.reinsertion.models import TransitionTask
from civica.reinsertion.tests.factories import admitted, facility


def _task(personas, territory):
    stay = admitted(personas, territory, facility(personas, territory))
    plan = services.start_plan(
        actor=personas.worker_a, custody=stay, started_on=dt.date(2024, 1, 10)
    )
    task = services.add_task(
        actor=personas.worker_a, plan=plan, area="id_documents", description="Acta de nacimiento"
    )
    return stay, task


def test_a_task_is_marked_done_from_the_path_page(client, personas, territory):
    stay, task = _task(personas, territory)
    pid = stay.enrollment.person.pid
    client.force_login(personas.worker_a)
    page = client.get(reverse("reinsertion:path", args=[pid])).content.decode()
    assert "Marcar como hecho" in page
    url = reverse("reinsertion:task_done", args=[pid, task.pk])
    response = client.post(url, {"on": "2024-02-01", "version": task.version}, follow=True)
    task.refresh_from_db()
    assert task.done_on == dt.date(2024, 2, 1) and task.version == 2
    assert "Tarea marcada como hecha." in response.content.decode()
    event = AuditEvent.objects.get(object_type="reinsertion.TransitionTask", action="update")
    assert event.object_label == f"{pid} #{task.pk}" and event.detail["fields"] == ["done_on"]


def test_a_stale_version_is_refused_and_nothing_is_written(client, personas, territory):
    stay, task = _task(personas, territory)
    pid = stay.enrollment.person.pid
    services.finish_task(actor=personas.supervisor_a, task=task, on=dt.date(2024, 2, 3), version=1)
    client.force_login(personas.worker_a)
    response = client.post(
        reverse("reinsertion:task_done", args=[pid, task.pk]),
        {"on": "2024-02-05", "version": 1},
        follow=True,
    )
    assert "Alguien guardó este expediente después de que usted lo abrió" in (
        response.content.decode()
    )
    assert TransitionTask.objects.get(pk=task.pk).done_on == dt.date(2024, 2, 3)


def test_a_task_done_before_its_plan_started_is_refused(client, personas, territory):
    stay, task = _task(personas, territory)
    client.force_login(personas.worker_a)
    response = client.post(
        reverse("reinsertion:task_done", args=[stay.enrollment.person.pid, task.pk]),
        {"on": "2023-12-01", "version": task.version},
        follow=True,
    )
    assert "antes de que empezara el plan" in response.content.decode()
    assert TransitionTask.objects.get(pk=task.pk).done_on is None
