"""On a lottery's page: choose the eligibility instrument and screen applicants with it (the
score decides, and the page says by which rule); add applicants from a CSV file — all rows
or none, each problem with its line and column, one audit entry."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from civica.audit.models import AuditEvent
from civica.participants.tests.factories import answers, make_instrument
from civica.reinsertion import lottery as service
from civica.reinsertion.models import Applicant
from civica.reinsertion.tests.factories import woman


def _lottery(personas):
    return service.create_lottery(
        actor=personas.supervisor_a, organization=personas.org_a, name="Sorteo 2025", places=2
    )


def test_applicants_are_screened_with_the_chosen_instrument(client, personas, territory):
    made = _lottery(personas)
    instrument = make_instrument()
    high, low = woman(personas, territory, 1), woman(personas, territory, 2)
    client.force_login(personas.worker_a)
    url = reverse("reinsertion:lottery", args=[made.pk])
    client.post(url, {"do": "instrument", "instrument": instrument.pk})
    made.refresh_from_db()
    assert made.instrument == instrument
    page = client.get(url).content.decode()
    assert "Elegible cuando al menos 4 de sus 9 escalas alcanzan su umbral" in page
    screen = reverse("reinsertion:lottery_screen", args=[made.pk])
    for person, scales in ((high, 5), (low, 2)):
        data = {f"item_{k}": v for k, v in answers(scales).items()}
        data |= {"pid": person.pid, "risk_level": "high", "date": "2024-02-01"}
        response = client.post(screen, data, follow=True)
        assert response.status_code == 200
    page = response.content.decode()
    assert f"{low.pid}: no elegible — 2 de 9 escalas en el umbral, se necesitan 4" in page
    eligible = dict(Applicant.objects.filter(lottery=made).values_list("person__pid", "eligible"))
    assert eligible == {high.pid: True, low.pid: False}
    assert Applicant.objects.get(person=high).screening.instrument == instrument
    # A missing answer is refused on the page, naming the items.
    data = {"pid": high.pid, "risk_level": "high", "date": "2024-09-01"}
    response = client.post(screen, data)
    assert "Este campo es requerido." in response.content.decode()


def test_applicants_are_added_from_a_csv_file_all_or_none(client, personas, territory):
    made = _lottery(personas)
    people = [woman(personas, territory, n) for n in range(3)]
    client.force_login(personas.worker_a)
    url = reverse("reinsertion:lottery", args=[made.pk])
    bad = (
        "pid,applied_on,risk_level,eligible\n"
        f"{people[0].pid},2024-02-01,high,sí\n"
        f"{people[1].pid},2024-02-31,medium,no\n"
    )
    response = client.post(
        url,
        {"do": "upload", "file": SimpleUploadedFile("solicitantes.csv", bad.encode())},
        follow=True,
    )
    page = response.content.decode()
    assert "línea 3" in page and "applied_on" in page
    assert not Applicant.objects.filter(lottery=made).exists()
    good = "pid,applied_on,risk_level\n" + "".join(f"{p.pid},2024-02-01,high\n" for p in people)
    response = client.post(
        url,
        {"do": "upload", "file": SimpleUploadedFile("solicitantes.csv", good.encode())},
        follow=True,
    )
    assert Applicant.objects.filter(lottery=made).count() == 3
    assert "3 postulantes agregados de 3 filas." in response.content.decode()
    event = AuditEvent.objects.get(object_type="core.ImportedFile", detail__lottery=made.pk)
    assert event.detail["created"] == 3 and event.actor == personas.worker_a
    assert Applicant.objects.get(person=people[0]).applied_on == dt.date(2024, 2, 1)
