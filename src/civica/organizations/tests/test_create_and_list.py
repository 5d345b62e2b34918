"""Organizations are created and listed from the command line and the web, so
``civica users create --organization NAME`` names one that can be made."""

import pytest
from click.testing import CliRunner
from django.urls import reverse

from civica.accounts.models import User
from civica.accounts.roles import Role
from civica.audit.models import Action, AuditEvent
from civica.cli.main import cli
from civica.organizations.models import Organization
from civica.testing.personas import make_user

pytestmark = pytest.mark.django_db


def test_the_command_line_creates_one_that_users_create_then_accepts(territory):
    made = CliRunner().invoke(
        cli,
        [
            "--lang",
            "en",
            "organizations",
            "create",
            "Fundación A",
            "--kind",
            "civil_society",
            "--municipality",
            "09015",
        ],
    )
    assert made.exit_code == 0, made.output
    assert Organization.objects.get(name="Fundación A").municipality.cvegeo == "09015"
    user = CliRunner().invoke(
        cli, ["users", "create", "carla", "--role", "case_worker", "--organization", "Fundación A"]
    )
    assert user.exit_code == 0, user.output
    assert User.objects.get(username="carla").organizations.get().name == "Fundación A"
    listed = CliRunner().invoke(cli, ["organizations", "list"])
    assert "Fundación A\t" in listed.output and "09015\t1" in listed.output
    assert AuditEvent.objects.filter(action=Action.CREATE, object_label="Fundación A").exists()


def test_a_duplicate_or_an_unknown_municipality_is_refused_with_the_reason(territory):
    Organization.objects.create(name="Fundación A", kind="civil_society")
    again = CliRunner().invoke(
        cli, ["--lang", "en", "organizations", "create", "fundación a", "--kind", "donor"]
    )
    assert again.exit_code == 1 and "already exists" in again.output
    nowhere = CliRunner().invoke(
        cli,
        [
            "--lang",
            "en",
            "organizations",
            "create",
            "B",
            "--kind",
            "donor",
            "--municipality",
            "99999",
        ],
    )
    assert nowhere.exit_code == 1 and "99999" in nowhere.output
    assert Organization.objects.count() == 1


def test_an_administrator_creates_one_on_the_web_and_everyone_sees_the_list(client, territory):
    admin = make_user("root", Role.ADMINISTRATOR)
    client.force_login(admin)
    url = reverse("organizations:list")
    response = client.post(
        url, {"name": "Donante X", "kind": "donor", "municipality": territory.cuauhtemoc.pk}
    )
    assert response.status_code == 302
    assert Organization.objects.filter(name="Donante X", kind="donor").exists()
    analyst = make_user("ana", Role.MUNICIPAL_ANALYST, municipalities=[territory.cuauhtemoc])
    client.force_login(analyst)
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="es-mx").content.decode()
    assert "Donante X" in page and "Nueva organización" not in page
    assert client.post(url, {"name": "Intrusa", "kind": "donor"}).status_code == 403
    assert not Organization.objects.filter(name="Intrusa").exists()


def test_the_list_holds_the_organizations_of_the_users_scope_only(client, territory):
    Organization.objects.create(
        name="Colectivo Tijuana", kind="civil_society", municipality=territory.tijuana
    )
    Organization.objects.create(
        name="Fundación Centro", kind="civil_society", municipality=territory.cuauhtemoc
    )
    analyst = make_user("ana", Role.MUNICIPAL_ANALYST, municipalities=[territory.cuauhtemoc])
    client.force_login(analyst)
    page = client.get(reverse("organizations:list")).content.decode()
    assert "Fundación Centro" in page and "Colectivo Tijuana" not in page


def test_a_civic_judge_also_sees_the_organizations_a_measure_may_refer_to(client, territory):
    # The resolution form offers every organization that serves persons as the measure's
    # organization; the organizations page lists them too, and still nothing else outside
    # the judge's municipality.
    Organization.objects.create(
        name="Colectivo Tijuana", kind="civil_society", municipality=territory.tijuana
    )
    Organization.objects.create(
        name="Donante de Tijuana", kind="donor", municipality=territory.tijuana
    )
    judge = make_user("juez", Role.CIVIC_JUDGE, municipalities=[territory.cuauhtemoc])
    analyst = make_user("ana", Role.MUNICIPAL_ANALYST, municipalities=[territory.cuauhtemoc])
    client.force_login(judge)
    page = client.get(reverse("organizations:list")).content.decode()
    assert "Colectivo Tijuana" in page and "Donante de Tijuana" not in page
    client.force_login(analyst)
    page = client.get(reverse("organizations:list")).content.decode()
    assert "Colectivo Tijuana" not in page
