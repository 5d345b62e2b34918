import pytest

from civica.accounts.models import User
from civica.accounts.roles import CAPABILITIES, Capability, Role

pytestmark = pytest.mark.django_db


def test_every_role_has_a_capability_row():
    assert set(CAPABILITIES) == set(Role.values)


def test_the_administrator_role_is_the_only_way_into_django_admin():
    admin = User.objects.create_user("a", password="x-very-long-1", role=Role.ADMINISTRATOR)
    analyst = User.objects.create_user(
        "b", password="x-very-long-1", role=Role.ANALYST, is_staff=True, is_superuser=True
    )
    assert admin.is_staff and admin.is_superuser
    # A superuser flag set by hand promotes to administrator rather than disagreeing with it.
    assert analyst.role == Role.ADMINISTRATOR
    analyst.role = Role.ANALYST
    analyst.is_superuser = False
    analyst.save()
    assert not analyst.is_staff


def test_a_donor_viewer_sees_aggregates_only():
    donor = User.objects.create_user("d", password="x-very-long-1", role=Role.DONOR_VIEWER)
    assert donor.can(Capability.VIEW_AGGREGATES)
    assert not donor.can(Capability.VIEW_RECORDS)
    assert not donor.can(Capability.VIEW_PERSONAL_DATA)
    assert not donor.can(Capability.EXPORT)


def test_an_inactive_user_can_do_nothing():
    user = User.objects.create_user(
        "i", password="x-very-long-1", role=Role.ADMINISTRATOR, is_active=False
    )
    assert not user.can(Capability.VIEW_AGGREGATES)


def test_only_people_workers_see_personal_data():
    allowed = {r for r in Role.values if Capability.VIEW_PERSONAL_DATA in CAPABILITIES[r]}
    assert allowed == {Role.ADMINISTRATOR, Role.CASE_WORKER, Role.SUPERVISOR, Role.CIVIC_JUDGE}
