"""A woman's path inside and after: admission, cohort hours and certificate, work income,
transition plan, release and the follow-ups after it; impossible dates and what the
facility's rules forbid are refused with the rule."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from civica.reinsertion import selectors, services
from civica.reinsertion.models import Recordable
from civica.reinsertion.tests.factories import admitted, facility


@pytest.fixture
def place(personas, territory):
    return facility(personas, territory)


def test_a_release_before_the_admission_is_refused(personas, territory, place):
    stay = admitted(personas, territory, place)
    with pytest.raises(ValidationError) as error:
        services.record_release(
            actor=personas.worker_a, custody=stay, actual_release=dt.date(2023, 2, 1)
        )
    assert error.value.error_dict["actual_release"][0].code == "release_before_admission"


def test_an_admission_with_release_before_it_writes_nothing(personas, territory, place):
    from civica.participants.models import Enrollment

    with pytest.raises(ValidationError):
        admitted(
            personas, territory, place, admission=dt.date(2023, 3, 1), expected=dt.date(2023, 1, 1)
        )
    assert not Enrollment.objects.exists()


def test_a_follow_up_before_the_release_is_refused(personas, territory, place):
    stay = admitted(personas, territory, place)
    fields = dict(months=1, housing="stable", activity="employed")
    with pytest.raises(ValidationError, match="liberación"):
        services.record_follow_up(
            actor=personas.worker_a, enrollment=stay.enrollment, date=dt.date(2024, 1, 1), **fields
        )
    services.record_release(
        actor=personas.worker_a, custody=stay, actual_release=dt.date(2024, 2, 1)
    )
    with pytest.raises(ValidationError) as error:
        services.record_follow_up(
            actor=personas.worker_a, enrollment=stay.enrollment, date=dt.date(2024, 1, 20), **fields
        )
    assert error.value.error_dict["date"][0].code == "follow_up_before_release"
    done = services.record_follow_up(
        actor=personas.worker_a, enrollment=stay.enrollment, date=dt.date(2024, 3, 2), **fields
    )
    assert done.employed_or_studying


def test_hours_completion_and_certificate(personas, territory, place):
    stay = admitted(personas, territory, place)
    cohort = services.create_cohort(
        actor=personas.worker_a,
        facility=place,
        organization=personas.org_a,
        kind="course",
        name="Costura industrial",
        start_date=dt.date(2023, 4, 1),
        required_hours=4,
        certifies=True,
    )
    member = services.add_member(actor=personas.worker_a, cohort=cohort, custody=stay)
    services.record_session(
        actor=personas.worker_a,
        cohort=cohort,
        date=dt.date(2023, 4, 3),
        hours=2,
        present=[member.pk],
    )
    with pytest.raises(ValidationError, match="todavía no concluye"):
        services.complete(actor=personas.worker_a, member=member, on=dt.date(2023, 4, 4))
    services.record_session(
        actor=personas.worker_a,
        cohort=cohort,
        date=dt.date(2023, 4, 5),
        hours=2.5,
        present=[member.pk],
    )
    services.record_session(
        actor=personas.worker_a, cohort=cohort, date=dt.date(2023, 4, 6), hours=3, present=[]
    )
    assert services.hours_of(member) == 4.5
    member = services.complete(actor=personas.worker_a, member=member, on=dt.date(2023, 4, 7))
    assert member.completed_on and member.certificate


def test_the_facility_rules_decide_what_is_recorded_and_who_enters(personas, territory):
    place = facility(
        personas, territory, recordable=[Recordable.ATTENDANCE], entry_roles=["supervisor"]
    )
    stay = admitted(personas, territory, place)
    with pytest.raises(ValidationError, match="no permiten registrar"):
        services.record_work(
            actor=personas.supervisor_a,
            custody=stay,
            month=dt.date(2023, 5, 1),
            product="Bolsas",
            units_sold=10,
            income=500,
            paid_how="savings",
        )
    cohort = services.create_cohort(
        actor=personas.worker_a,
        facility=place,
        organization=personas.org_a,
        kind="wellness",
        name="Grupo de bienestar",
        start_date=dt.date(2023, 4, 1),
    )
    with pytest.raises(PermissionDenied):
        services.record_session(
            actor=personas.worker_a, cohort=cohort, date=dt.date(2023, 4, 3), hours=1
        )
    services.record_session(
        actor=personas.supervisor_a, cohort=cohort, date=dt.date(2023, 4, 3), hours=1
    )


def test_plan_after_release_refused_and_reminders_on_the_caseload(personas, territory, place):
    stay = admitted(personas, territory, place, expected=dt.date(2024, 3, 1))
    due = selectors.due_after_release([stay.enrollment], today=dt.date(2024, 2, 10))
    assert due[stay.enrollment.pk][0][0] == "plan"
    plan = services.start_plan(
        actor=personas.worker_a,
        custody=stay,
        started_on=dt.date(2024, 1, 5),
        received_by="Su madre",
    )
    services.add_task(
        actor=personas.worker_a,
        plan=plan,
        area="id_documents",
        description="Tramitar INE",
        owner=personas.worker_a,
        due_date=dt.date(2024, 2, 1),
    )
    services.record_release(
        actor=personas.worker_a, custody=stay, actual_release=dt.date(2024, 3, 1)
    )
    due = selectors.due_after_release([stay.enrollment], today=dt.date(2024, 4, 5))
    assert [(m, overdue) for m, _day, overdue in due[stay.enrollment.pk]] == [(1, True)]
    services.record_follow_up(
        actor=personas.worker_a,
        enrollment=stay.enrollment,
        months=1,
        date=dt.date(2024, 4, 3),
        housing="temporary",
        activity="neither",
    )
    assert stay.enrollment.pk not in selectors.due_after_release(
        [stay.enrollment], today=dt.date(2024, 4, 5)
    )
    late = admitted(personas, territory, place, 1)
    services.record_release(
        actor=personas.worker_a, custody=late, actual_release=dt.date(2024, 1, 1)
    )
    with pytest.raises(ValidationError):
        services.start_plan(actor=personas.worker_a, custody=late, started_on=dt.date(2024, 1, 5))
