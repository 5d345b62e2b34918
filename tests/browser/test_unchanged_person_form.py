"""A case worker opens a person's edit form and saves it untouched, in Spanish and English:
the birth date survives, the version stays and the audit trail records no change."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

READ = """
from civica.audit.models import AuditEvent
from civica.participants.models import Person
person = Person.objects.get(pid={key!r})
print(json.dumps({{
    "birth_date": person.birth_date,
    "version": person.version,
    "updates": AuditEvent.objects.filter(
        action="update", object_type__icontains="person", object_id=str(person.pk)
    ).count(),
}}))
"""


def _birth_date_shown(page, before):
    assert before["birth_date"], "the demo's synthetic persons have birth dates"
    expect(page.locator("input[name=birth_date]")).to_have_value(before["birth_date"])


@pytest.mark.parametrize(("language", "save"), [("es-mx", "Guardar"), ("en", "Save")])
def test_saving_an_untouched_person_form_changes_nothing(save_untouched, language, save):
    before, after = save_untouched(
        username="trabajadora",
        language=language,
        save=save,
        viewport={"width": 390, "height": 844},
        list_path="/participants/",
        find=lambda page: page.locator("td a.code").first.inner_text(),
        paths=lambda pid: (f"/participants/{pid}/edit/", f"/participants/{pid}/"),
        read=READ,
        check=_birth_date_shown,
    )
    assert after == before
