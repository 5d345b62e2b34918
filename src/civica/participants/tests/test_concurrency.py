"""Two people editing the same record: the second save is refused with the differences."""

import pytest

from civica.participants.models import Person
from civica.participants.services import StaleRecord, save_versioned
from civica.participants.tests.factories import register

pytestmark = pytest.mark.django_db


def test_the_second_save_of_a_stale_version_is_refused_with_the_differences(personas, territory):
    person = register(personas, territory, phone="5511111111")
    first = Person.objects.get(pk=person.pk)
    second = Person.objects.get(pk=person.pk)
    save_versioned(
        actor=personas.worker_a, obj=first, version=first.version, changes={"phone": "5522222222"}
    )
    with pytest.raises(StaleRecord) as caught:
        save_versioned(
            actor=personas.worker_a2,
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


def test_a_saved_change_updates_the_derived_columns(personas, territory):
    person = register(personas, territory)
    save_versioned(
        actor=personas.worker_a, obj=person, version=1, changes={"birth_date": "2001-12-31"}
    )
    stored = Person.objects.get(pk=person.pk)
    assert stored.birth_month_index == 2001 * 12 + 11 and stored.version == 2


def test_closing_a_case_checks_its_version_and_moves_the_follow_ups(personas, territory):
    import datetime as dt

    from civica.participants import casework, selectors
    from civica.participants.tests.factories import consent, enrolled

    person = register(personas, territory)
    consent(person)
    enrollment = enrolled(personas, person, start=dt.date(2023, 1, 15))
    casework.close_enrollment(
        actor=personas.worker_a,
        enrollment=enrollment,
        version=1,
        exit_date=dt.date(2023, 6, 30),
        closure_reason="completed",
    )
    with pytest.raises(StaleRecord):
        casework.close_enrollment(
            actor=personas.worker_a2,
            enrollment=enrollment,
            version=1,
            exit_date=dt.date(2023, 7, 31),
            closure_reason="moved",
        )
    enrollment.refresh_from_db()
    assert (enrollment.exit_date, enrollment.version) == (dt.date(2023, 6, 30), 2)
    due = selectors.due_follow_ups([enrollment], today=dt.date(2024, 1, 1))
    assert due[enrollment.pk] == [(6, dt.date(2023, 12, 30), True)]
