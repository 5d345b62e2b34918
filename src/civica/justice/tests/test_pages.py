"""The juzgado's pages: a night from intake to resolution, the board, scope and roles,
conflicts between two editors, audited reads of personal fields."""

from __future__ import annotations

import pytest
from django.urls import reverse

from civica.accounts.roles import Role
from civica.audit.models import AuditEvent
from civica.justice.models import Case
from civica.justice.tests.factories import at, cdmx_world, offence, open_case
from civica.testing.personas import make_user

pytestmark = pytest.mark.django_db


def fmt(value) -> str:
    from django.utils import timezone

    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def world(territory, shared_data):
    return cdmx_world(territory, shared_data)


def test_a_night_from_intake_to_resolution(client, world, territory):
    juzgado, _other, judge, staff = world
    client.force_login(staff)
    falta = offence(territory, "LCC-28-V")  # drinking in public, class C
    response = client.post(
        reverse("justice:intake"),
        {
            "juzgado": juzgado.pk,
            "given_names": "Pedro",
            "family_names": "Sánchez",
            "birth_date": "1995-02-03",
            "sex": "M",
            "detained_at": fmt(at(4)),
            "presented_at": fmt(at(3.5)),
            "offences": [falta.pk],
            "detection": "flagrancia",
            "rnd_folio": "RND-1",
        },
    )
    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("justice:case", args=[case.pk])
    board = client.get(reverse("justice:board"))
    assert case.folio in board.content.decode()
    assert "Certificado médico" in board.content.decode()

    client.force_login(judge)
    steps = [
        ("medical", {"medical_at": fmt(at(3)), "intoxication": "alcohol", "fit": "true"}),
        ("screening", {"screened_at": fmt(at(2.5)), "risk_level": "medium"}),
        ("hearing", {"hearing_started_at": fmt(at(2)), "hearing_ended_at": fmt(at(1.8))}),
        (
            "resolution",
            {
                "resolved_at": fmt(at(1.7)),
                "responsible": "true",
                "sanction": "arresto",
                "arrest_hours": "26",
                "commutation": "not_asked",
                "offences": [falta.pk],
            },
        ),
    ]
    for stage, data in steps:
        case.refresh_from_db()
        payload = {f"{stage}-{k}": v for k, v in data.items()} | {f"{stage}-version": case.version}
        response = client.post(reverse("justice:stage", args=[case.pk, stage]), payload)
        assert response.status_code == 302, response.content.decode()[-3000:]
    case.refresh_from_db()
    assert case.sanction == "arresto" and case.arrest_hours == 26
    assert case.judge == judge and case.stage == "follow_up"
    page = client.get(reverse("justice:case", args=[case.pk])).content.decode()
    assert "Pedro" in page and "Arresto" in page


def test_a_rule_broken_on_the_page_says_which_and_saves_nothing(client, world, territory):
    juzgado, _other, judge, _staff = world
    case = open_case(judge, juzgado, offences=[offence(territory, "LCC-26-I")])
    client.force_login(judge)
    response = client.post(
        reverse("justice:stage", args=[case.pk, "medical"]),
        {"medical-medical_at": fmt(at(10)), "medical-version": case.version},
    )
    assert response.status_code == 200
    assert "no puede ser antes de" in response.content.decode()
    case.refresh_from_db()
    assert case.medical_at is None


def test_two_editors_of_one_case_see_a_conflict(client, world, territory):
    juzgado, _other, judge, staff = world
    case = open_case(judge, juzgado)
    loaded = case.version
    client.force_login(judge)
    first = client.post(
        reverse("justice:stage", args=[case.pk, "hearing"]),
        {"hearing-hearing_scheduled_at": fmt(at(-2)), "hearing-version": loaded},
    )
    assert first.status_code == 302
    client.force_login(staff)
    second = client.post(
        reverse("justice:stage", args=[case.pk, "hearing"]),
        {"hearing-hearing_scheduled_at": fmt(at(-5)), "hearing-version": loaded},
    )
    text = second.content.decode()
    assert second.status_code == 200
    assert "Alguien guardó este expediente después de que usted lo abrió" in text
    assert "audiencia programada" in text.lower()
    case.refresh_from_db()
    assert case.version == loaded + 1


def test_a_role_records_only_its_stages(client, world, territory):
    juzgado, _other, judge, _staff = world
    physician = make_user("medica", Role.PHYSICIAN, municipalities=[territory.cuauhtemoc])
    case = open_case(judge, juzgado)
    client.force_login(physician)
    page = client.get(reverse("justice:case", args=[case.pk])).content.decode()
    assert 'id="stage-medical"' in page and 'id="stage-resolution"' not in page
    response = client.post(
        reverse("justice:stage", args=[case.pk, "resolution"]),
        {"resolution-resolved_at": fmt(at(1)), "resolution-version": case.version},
    )
    assert response.status_code == 200
    assert "Su rol no registra esta etapa" in response.content.decode()
    response = client.post(
        reverse("justice:stage", args=[case.pk, "medical"]),
        {"medical-medical_at": fmt(at(2)), "medical-version": case.version},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.physician == physician


def test_other_scopes_and_aggregate_roles_see_no_case(client, world, territory, personas):
    juzgado, _other, judge, _staff = world
    case = open_case(judge, juzgado)
    url = reverse("justice:case", args=[case.pk])
    for user in (personas.judge_tijuana, personas.analyst_cuauhtemoc, personas.officer):
        client.force_login(user)
        assert client.get(url).status_code == 404
    client.force_login(personas.judge_cuauhtemoc)
    assert client.get(url).status_code == 200
    client.force_login(personas.judge_tijuana)
    assert case.folio not in client.get(reverse("justice:board")).content.decode()


def test_reading_a_case_is_audited_as_personal_data(client, world, territory):
    juzgado, _other, judge, _staff = world
    case = open_case(judge, juzgado)
    client.force_login(judge)
    before = AuditEvent.objects.filter(personal_data=True, action="view").count()
    client.get(reverse("justice:case", args=[case.pk]))
    event = AuditEvent.objects.filter(personal_data=True, action="view").latest("id")
    assert AuditEvent.objects.filter(personal_data=True, action="view").count() == before + 1
    assert event.object_label == case.folio
    assert "Juan" not in str(event.detail)


def test_the_board_marks_persons_near_the_36_hours(client, world, territory):
    juzgado, _other, judge, _staff = world
    old = open_case(judge, juzgado, hours_ago=31)
    fresh = open_case(
        judge, juzgado, hours_ago=1, person={"given_names": "Ana", "family_names": "Ruiz"}
    )
    client.force_login(judge)
    page = client.get(reverse("justice:board")).content.decode()
    assert page.index(old.folio) < page.index(fresh.folio)
    assert "cerca de 36 h" in page
