import pytest
from django.core.exceptions import ValidationError

from civica.accounts import scope, services
from civica.audit.models import Action, AuditEvent

pytestmark = pytest.mark.django_db


def test_it_creates_a_scoped_user_and_audits_it(territory):
    user, password = services.create_user(
        username="ana", role="municipal_analyst", municipalities=["09015"]
    )
    assert user.check_password(password) and len(password) >= 12
    assert scope.municipality_ids(user) == {territory.cuauhtemoc.pk}
    event = AuditEvent.objects.get(action=Action.CREATE)
    assert event.object_label == "ana" and event.personal_data


def test_it_rejects_unknown_municipality_codes_and_creates_nothing(territory):
    with pytest.raises(ValidationError, match="99999"):
        services.create_user(username="x", role="municipal_analyst", municipalities=["99999"])
    assert not services.User.objects.filter(username="x").exists()


def test_it_refuses_a_municipal_role_without_a_scope(territory):
    with pytest.raises(ValidationError, match="scope"):
        services.create_user(username="x", role="case_worker")


def test_it_refuses_a_weak_password(territory):
    with pytest.raises(ValidationError):
        services.create_user(username="x", role="analyst", nationwide=True, password="123")


def test_a_state_in_scope_covers_all_its_municipalities(territory):
    user, _ = services.create_user(username="s", role="analyst", states=["02"])
    assert scope.municipality_ids(user) == {territory.tijuana.pk, territory.ensenada.pk}
