"""Two people editing the same record: the second save is refused with the differences."""

import pytest

from civica.participants.models import Person
from civica.participants.services import StaleRecord, save_versioned
from civica.participants.tests.factories import register

pytestmark = pytest.mark.django_db


def test_the_second_save_of_a_stale_version_is_refused_with_the_differences(staff, territory):
    person = register(staff, territory, phone="5511111111")
    first = Person.objects.get(pk=person.pk)
    second = Person.objects.get(pk=person.pk)
    save_versioned(
        actor=staff.worker_a, obj=first, version=first.version, changes={"phone": "5522222222"}
    )
    with pytest.raises(StaleRecord) as caught:
        save_versioned(
            actor=staff.worker_a2,
            obj=second,
            version=second.version,
            changes={"phone": "5533333333", "address": ""},
        )
    differences = caught.value.differences
    assert [(d["field"], d["stored"], d["submitted"]) for d in differences] == [
        ("phone", "5522222222", "5533333333")
    ]
    # The message names the field, never the values.
    assert "55" not in str(caught.value)
    stored = Person.objects.get(pk=person.pk)
    assert stored.phone == "5522222222" and stored.version == 2


def test_a_saved_change_updates_the_derived_columns(staff, territory):
    person = register(staff, territory)
    save_versioned(
        actor=staff.worker_a, obj=person, version=1, changes={"birth_date": "2001-12-31"}
    )
    stored = Person.objects.get(pk=person.pk)
    assert stored.birth_month_index == 2001 * 12 + 11 and stored.version == 2
