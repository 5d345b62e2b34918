"""The analyst opens the example intervention's edit form (dates, a number, sectors chosen from
a long list, crimes typed one per line) and saves it untouched, in Spanish and English: every
stored field, the version and the audit trail stay as they were."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

READ = """
from civica.audit.models import AuditEvent
from civica.interventions.models import Intervention
i = Intervention.objects.get(pk={key})
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


def _example(page):
    href = (
        page.locator("main a[href^='/interventions/'][href$='/']")
        .filter(has_text="Ejemplo ilustrativo")
        .first.get_attribute("href")
    )
    return int(href.strip("/").split("/")[-1])


def _dates_shown(page, before):
    assert before["sectors"] and before["start_date"], "the demo's example has sectors and dates"
    expect(page.locator("input[name=start_date]")).to_have_value(before["start_date"])


@pytest.mark.parametrize(("language", "save"), [("es-mx", "Guardar"), ("en", "Save")])
def test_saving_an_untouched_intervention_form_changes_nothing(save_untouched, language, save):
    before, after = save_untouched(
        username="analista",
        language=language,
        save=save,
        viewport={"width": 1280, "height": 900},
        list_path="/interventions/",
        find=_example,
        paths=lambda pk: (f"/interventions/{pk}/edit/", f"/interventions/{pk}/"),
        read=READ,
        check=_dates_shown,
    )
    assert after == before, (before, after)
