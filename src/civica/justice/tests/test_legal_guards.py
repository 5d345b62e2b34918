"""The legal guards of DOMAIN.md §4, each refused with a clear message (es-MX by default)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from civica.justice import rules, services
from civica.justice.models import Case, Commutation, Occupation, Sanction
from civica.justice.tests.factories import at, cdmx_world, offence, open_case

pytestmark = pytest.mark.django_db

MINOR = {"given_names": "Luis", "family_names": "Gómez", "birth_date": "2011-03-01", "sex": "M"}


@pytest.fixture
def world(territory, shared_data):
    return cdmx_world(territory, shared_data, unit_value=Decimal("113.14"))


def heard(judge, juzgado, territory, *, person=None, code="LCC-27-I", hours_ago=5, **extra):
    """A case with its medical certificate and a hearing that started an hour ago."""
    case = open_case(
        judge, juzgado, hours_ago=hours_ago, person=person, offences=[offence(territory, code)]
    )
    case = services.record_stage(
        actor=judge,
        case=case,
        stage="medical",
        version=case.version,
        changes={"medical_at": at(hours_ago - 0.5), "fit": True, "intoxication": "alcohol"},
    )
    changes = {"hearing_started_at": at(1.5), "hearing_ended_at": at(1.2)} | extra
    return services.record_stage(
        actor=judge, case=case, stage="hearing", version=case.version, changes=changes
    )


def resolve(judge, case, **changes):
    changes = {"resolved_at": at(1), "responsible": True} | changes
    return services.record_stage(
        actor=judge, case=case, stage="resolution", version=case.version, changes=changes
    )


def messages(error) -> str:
    return " ".join(error.value.messages)


def test_dates_out_of_order_are_refused(world, territory):
    juzgado, _other, judge, _staff = world
    with pytest.raises(ValidationError) as refused:
        open_case(judge, juzgado, detained_at=at(1), hours_ago=3)
    assert "hora de la presentación no puede ser antes de hora de la detención" in messages(refused)
    case = open_case(judge, juzgado)
    with pytest.raises(ValidationError) as refused:
        services.record_stage(
            actor=judge,
            case=case,
            stage="medical",
            version=case.version,
            changes={"medical_at": at(10)},
        )
    assert "no puede ser antes de" in messages(refused)
    assert Case.objects.get(pk=case.pk).medical_at is None


def test_arrest_is_at_most_36_hours_counted_from_detention(world, territory):
    juzgado, _other, judge, _staff = world
    case = heard(judge, juzgado, territory, code="LCC-28-V")  # class C: 25–36 h of arrest
    with pytest.raises(ValidationError) as refused:
        resolve(judge, case, sanction=Sanction.ARREST, arrest_hours=40)
    assert "36 horas" in messages(refused)
    # Held since 5.5 h ago, resolved 1 h ago: an arrest of 4 h would have ended before.
    late = heard(judge, juzgado, territory, code="LCC-26-I", hours_ago=20)  # class A: 6–12 h
    with pytest.raises(ValidationError) as refused:
        resolve(judge, late, sanction=Sanction.ARREST, arrest_hours=12)
    assert "se cuenta desde la detención" in messages(refused)
    ok = resolve(judge, case, sanction=Sanction.ARREST, arrest_hours=30)
    assert ok.arrest_hours == 30


def test_sanction_must_be_inside_the_class_range(world, territory):
    juzgado, _other, judge, _staff = world
    case = heard(judge, juzgado, territory, code="LCC-26-I")  # class A: 1–10 UC, 3–6 h work
    with pytest.raises(ValidationError) as refused:
        resolve(judge, case, sanction=Sanction.FINE, fine_amount=Decimal(25), fine_unit="UC")
    assert "La clase A permite una multa de 1.00 a 10.00" in messages(refused)
    with pytest.raises(ValidationError) as refused:
        resolve(judge, case, sanction=Sanction.COMMUNITY_WORK, community_hours=12)
    assert "La clase A permite de 3 a 6 horas de trabajo comunitario" in messages(refused)
    assert resolve(judge, case, sanction=Sanction.COMMUNITY_WORK, community_hours=5).resolved_at


def test_a_workers_fine_is_at_most_one_days_wage(world, territory):
    juzgado, _other, judge, _staff = world
    case = heard(judge, juzgado, territory, code="LCC-27-III")  # class B: 11–40 UC
    base = {
        "sanction": Sanction.FINE,
        "fine_amount": Decimal(20),
        "fine_unit": "UC",
        "unit_value": Decimal("113.14"),
        "occupation": Occupation.WORKER,
    }
    with pytest.raises(ValidationError) as refused:
        resolve(judge, case, **base)
    assert "registre el monto diario declarado" in messages(refused)
    with pytest.raises(ValidationError) as refused:
        resolve(judge, case, **base, declared_daily_wage=Decimal(300))
    assert "La multa (2262.80 pesos) es mayor que un día" in messages(refused)
    done = resolve(judge, case, **(base | {"fine_amount": Decimal(11)}), declared_daily_wage=1300)
    assert done.fine_amount == 11


def test_minors_are_never_arrested_and_need_a_guardian_before_the_hearing(world, territory):
    juzgado, _other, judge, _staff = world
    with pytest.raises(ValidationError) as refused:
        heard(judge, juzgado, territory, person=MINOR, code="LCC-28-V")
    assert "La persona es menor de edad" in messages(refused)
    case = heard(
        judge,
        juzgado,
        territory,
        person=MINOR,
        code="LCC-28-V",
        guardian_name="María Gómez",
        guardian_at=at(2),
    )
    assert case.minor
    with pytest.raises(ValidationError) as refused:
        resolve(judge, case, sanction=Sanction.ARREST, arrest_hours=30)
    assert "nunca se le sanciona con arresto" in messages(refused)
    done = resolve(judge, case, sanction=Sanction.MEASURE, measure="Taller de convivencia")
    assert done.sanction == Sanction.MEASURE


def test_a_minor_presented_again_is_a_new_contact_never_a_reincident(world, territory):
    juzgado, _other, judge, _staff = world
    first = heard(judge, juzgado, territory, person=MINOR, guardian_name="María", guardian_at=at(2))
    resolve(judge, first, sanction=Sanction.REPRIMAND)
    again = open_case(judge, juzgado, hours_ago=0.5, person=dict(MINOR))
    assert again.person == first.person
    assert again.repeat and again.minor
    assert not again.is_reincident
    assert rules.contact_label(again) == "Nuevo contacto (adolescente)"
    adult = heard(judge, juzgado, territory)
    resolve(judge, adult, sanction=Sanction.REPRIMAND)
    adult_again = open_case(judge, juzgado, hours_ago=0.5)
    assert adult_again.is_reincident
    assert rules.contact_label(adult_again) == "Reincidente"


def test_commutation_denied_needs_a_reason(world, territory):
    juzgado, _other, judge, _staff = world
    case = heard(judge, juzgado, territory, code="LCC-26-I")
    with pytest.raises(ValidationError) as refused:
        resolve(
            judge,
            case,
            sanction=Sanction.ARREST,
            arrest_hours=8,
            commutation=Commutation.DENIED,
        )
    assert "motivo" in messages(refused)


def test_a_child_under_12_is_not_presented(world, territory):
    juzgado, _other, judge, _staff = world
    child = {"given_names": "Ana", "family_names": "Ruiz", "birth_date": "2018-01-01"}
    with pytest.raises(ValidationError) as refused:
        open_case(judge, juzgado, person=child)
    assert "menor de 12 años" in messages(refused)


def test_the_database_refuses_an_arrest_over_36_hours_or_of_a_minor(world, territory):
    from django.db import IntegrityError, transaction

    juzgado, _other, judge, _staff = world
    case = open_case(judge, juzgado)
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(pk=case.pk).update(arrest_hours=48)
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(pk=case.pk).update(minor=True, sanction="arresto")
    assert dt.timedelta(hours=36)
