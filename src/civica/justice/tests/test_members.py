"""Juzgado members managed on a page: by a judge of it or an administrator of its
municipality, scoped, audited; a member then sees only their juzgado's cases."""

from __future__ import annotations

import pytest
from django.urls import reverse

from civica.accounts.roles import Role
from civica.audit.models import AuditEvent
from civica.justice import selectors
from civica.justice.tests.factories import cdmx_world
from civica.testing.personas import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(territory, shared_data):
    return cdmx_world(territory, shared_data)


def test_a_judge_adds_and_removes_members_with_their_role(client, world, territory):
    juzgado, _other, judge, staff = world
    physician = make_user("medica", Role.PHYSICIAN, municipalities=[territory.cuauhtemoc])
    analyst = make_user("ana_j", Role.MUNICIPAL_ANALYST, municipalities=[territory.cuauhtemoc])
    client.force_login(judge)
    url = reverse("justice:juzgado-members", args=[juzgado.pk])
    page = client.get(url).content.decode()
    assert "medica" in page and "Médico del juzgado cívico" in page
    assert "ana_j" not in page  # not a civic-justice role
    assert client.post(url, {"member-user": staff.pk}).status_code == 302
    assert client.post(url, {"member-user": physician.pk}).status_code == 302
    assert set(juzgado.members.all()) == {staff, physician}
    refused = client.post(url, {"member-user": analyst.pk})
    assert refused.status_code == 200 and analyst not in juzgado.members.all()
    events = AuditEvent.objects.filter(actor=judge, object_type="justice.Juzgado")
    assert {e.detail.get("added") for e in events} == {staff.pk, physician.pk}

    # The member now sees only this juzgado.
    assert list(selectors.juzgados(staff)) == [juzgado]
    page = client.get(url).content.decode()
    assert "Barandilla" in page or "barandilla" in page
    assert client.post(url, {"remove": physician.pk}).status_code == 302
    assert set(juzgado.members.all()) == {staff}
    assert AuditEvent.objects.filter(actor=judge, detail__removed=physician.pk).exists()


def test_only_a_judge_or_an_administrator_of_the_municipality_manages(client, world, territory):
    juzgado, other, judge, staff = world
    client.force_login(staff)  # juzgado staff: records intake, manages nobody
    assert client.get(reverse("justice:juzgado-members", args=[juzgado.pk])).status_code == 404
    client.force_login(judge)  # another municipality's juzgado
    assert client.get(reverse("justice:juzgado-members", args=[other.pk])).status_code == 404
    admin_cuh = make_user("admin_cuh", Role.ADMINISTRATOR, municipalities=[territory.cuauhtemoc])
    client.force_login(admin_cuh)
    listing = client.get(reverse("justice:juzgados")).content.decode()
    assert juzgado.name in listing and other.name not in listing
    assert client.get(reverse("justice:juzgado-members", args=[other.pk])).status_code == 404
    assert (
        client.post(
            reverse("justice:juzgado-members", args=[juzgado.pk]), {"member-user": staff.pk}
        ).status_code
        == 302
    )
