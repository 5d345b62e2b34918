"""A case worker opens a person's edit form and saves it untouched, in Spanish and English:
the birth date survives, the version stays and the audit trail records no change."""

import json
import os
import subprocess
import sys

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

READ = """
import json, django; django.setup()
from civica.audit.models import AuditEvent
from civica.participants.models import Person
person = Person.objects.get(pid={pid!r})
print(json.dumps({{
    "birth_date": person.birth_date,
    "version": person.version,
    "updates": AuditEvent.objects.filter(
        action="update", object_type__icontains="person", object_id=str(person.pk)
    ).count(),
}}))
"""


def _stored(live_site, pid):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CIVICA_", "DATABASE_"))}
    env.update(
        CIVICA_HOME=str(live_site["home"]),
        DJANGO_SETTINGS_MODULE=os.environ.get("DJANGO_SETTINGS_MODULE", "civica.settings"),
    )
    done = subprocess.run(
        [sys.executable, "-c", READ.format(pid=pid)],
        env=env,
        check=True,
        timeout=120,
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize(("language", "save"), [("es-mx", "Guardar"), ("en", "Save")])
def test_saving_an_untouched_person_form_changes_nothing(browser, live_site, language, save):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="es-MX")
    page = context.new_page()
    page.goto(live_site["url"] + "/accounts/login/")
    page.get_by_label("Usuario").fill("trabajadora")
    page.get_by_label("Contraseña").fill(live_site["passwords"]["trabajadora"])
    page.get_by_role("button", name="Iniciar sesión").click()
    if language != "es-mx":
        with page.expect_navigation():
            page.select_option("#language-select", language)
    page.goto(live_site["url"] + "/participants/")
    first = page.locator("td a.code").first
    pid = first.inner_text()
    before = _stored(live_site, pid)
    assert before["birth_date"], "the demo's synthetic persons have birth dates"
    page.goto(live_site["url"] + f"/participants/{pid}/edit/")
    birth = page.locator("input[name=birth_date]")
    expect(birth).to_have_value(before["birth_date"])
    page.get_by_role("button", name=save).click()
    expect(page).to_have_url(live_site["url"] + f"/participants/{pid}/")
    after = _stored(live_site, pid)
    assert after == before
    context.close()
