"""Every edit page saved without touching anything changes nothing: the record's stored
fields and version are as before, and no change is audited. The form is submitted as a browser
would submit it (``civica.testing.forms``), in Spanish and in English. The records are the
access matrix's, each of another scope, opened by an administrator.

A URL whose name says it edits (``edit``, ``priority-owner``) must be listed in
``RECORDS`` below. The last test fails for one that is not, so a new edit page is covered
when it is added."""

from __future__ import annotations

import pytest
from django.urls import get_resolver, reverse

from civica.accounts.roles import Role
from civica.accounts.tests.access_world import make_other_scope
from civica.audit.models import Action, AuditEvent
from civica.testing.forms import changed, stored, submitted
from civica.testing.personas import make_user

pytestmark = pytest.mark.django_db

# URL name → (its arguments, the record it edits), from the world of the access matrix.
RECORDS = {
    "interventions:edit": lambda w: ([w.intervention.pk], w.intervention),
    "problems:analysis-edit": lambda w: ([w.problem.pk], w.problem),
    "problems:priority-owner": lambda w: ([w.problem.pk], w.problem),
    "participants:edit": lambda w: ([w.person.pid], w.person),
    "participants:goal_edit": lambda w: ([w.person.pid, w.goal.pk], w.goal),
    "police:scenario-edit": lambda w: ([w.scenario.pk], w.scenario),
}
EDITING = ("edit", "priority-owner")


@pytest.fixture
def world(territory, settings, tmp_path):
    from civica.problems.models import Problem, Stage

    settings.CIVICA_WAREHOUSE_DIR = str(tmp_path / "warehouse")
    world = make_other_scope(territory, tmp_path)
    # A problem has an owner only once accepted (its page links the form only then). The
    # intervention keeps a target crime the world's incident layer does not know: held names
    # stay valid (``InterventionForm.clean_target_crimes``).
    Problem.objects.filter(pk=world.problem.pk).update(stage=Stage.ANALYSIS)
    return world


@pytest.mark.parametrize("language", ["es-mx", "en"])
@pytest.mark.parametrize("name", sorted(RECORDS))
def test_an_edit_page_saved_untouched_changes_nothing(client, world, name, language):
    arguments, record = RECORDS[name](world)
    client.force_login(make_user("admin_rt", Role.ADMINISTRATOR))
    url = reverse(name, args=arguments)
    page = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert page.status_code == 200
    before = stored(record)
    audited = AuditEvent.objects.filter(action=Action.UPDATE).count()

    response = client.post(url, submitted(page.content.decode()), HTTP_ACCEPT_LANGUAGE=language)

    assert response.status_code == 302, response.content.decode()[-3000:]
    assert changed(before, stored(record)) == {}
    assert AuditEvent.objects.filter(action=Action.UPDATE).count() == audited


def test_every_edit_page_is_listed():
    names = set()

    def walk(patterns, namespace=""):
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, inner)
            elif pattern.name and not namespace.startswith("admin"):
                names.add(f"{namespace}{pattern.name}")

    walk(get_resolver().url_patterns)
    editing = {n for n in names if any(n.split(":")[-1].endswith(word) for word in EDITING)}
    editing -= {n for n in editing if n.startswith("api:")}
    assert editing - set(RECORDS) == set(), "add these edit pages to RECORDS"
    assert set(RECORDS) <= editing, "RECORDS names a page that no longer exists"
