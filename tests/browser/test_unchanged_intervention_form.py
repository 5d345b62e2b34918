"""The analyst opens the example intervention's edit form (dates, a number, sectors chosen from
a long list, crimes typed one per line) and saves it untouched, in Spanish and English: every
stored field, the version and the audit trail stay as they were."""

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
from civica.interventions.models import Intervention
i = Intervention.objects.get(pk={pk})
print(json.dumps({{
    "name": i.name,
    "kind": i.kind,
    "sectors": sorted(i.target_sectors.values_list("pk", flat=True)),
    "crimes": i.target_crimes,
    "start_date": i.start_date.isoformat(),
    "end_date": i.end_date.isoformat() if i.end_date else None,
    "ramp_up_days": i.ramp_up_days,
    "organization": i.organization_id,
    "activity_name": i.activity_name,
    "description": i.description,
    "version": i.updated_at.isoformat(),
    "updates": AuditEvent.objects.filter(
        action="update", object_type__icontains="intervention", object_id=str(i.pk)
    ).count(),
}}))
"""


def _stored(live_site, pk):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CIVICA_", "DATABASE_"))}
    env.update(
        CIVICA_HOME=str(live_site["home"]),
        DJANGO_SETTINGS_MODULE=os.environ.get("DJANGO_SETTINGS_MODULE", "civica.settings"),
    )
    done = subprocess.run(
        [sys.executable, "-c", READ.format(pk=pk)],
        env=env,
        check=True,
        timeout=120,
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize(("language", "save"), [("es-mx", "Guardar"), ("en", "Save")])
def test_saving_an_untouched_intervention_form_changes_nothing(browser, live_site, language, save):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="es-MX")
    page = context.new_page()
    page.goto(live_site["url"] + "/accounts/login/")
    page.get_by_label("Usuario").fill("analista")
    page.get_by_label("Contraseña").fill(live_site["passwords"]["analista"])
    page.get_by_role("button", name="Iniciar sesión").click()
    if language != "es-mx":
        with page.expect_navigation():
            page.select_option("#language-select", language)
    page.goto(live_site["url"] + "/interventions/")
    href = (
        page.locator("main a[href^='/interventions/'][href$='/']")
        .filter(has_text="Ejemplo ilustrativo")
        .first.get_attribute("href")
    )
    pk = int(href.strip("/").split("/")[-1])
    before = _stored(live_site, pk)
    assert before["sectors"] and before["start_date"], "the demo's example has sectors and dates"
    page.goto(live_site["url"] + f"/interventions/{pk}/edit/")
    expect(page.locator("input[name=start_date]")).to_have_value(before["start_date"])
    page.locator("main form").get_by_role("button", name=save).click()
    expect(page).to_have_url(live_site["url"] + f"/interventions/{pk}/")
    after = _stored(live_site, pk)
    assert after == before, (before, after)
    context.close()
