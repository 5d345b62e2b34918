"""Imports of stays, follow-ups and applicants: all rows or none, each problem with its line,
column and rule (a release before the admission, a follow-up before the release)."""

from __future__ import annotations

import datetime as dt

import pytest

from civica.accounts.access import SYSTEM
from civica.core.imports import ImportFailed
from civica.reinsertion import imports, lottery
from civica.reinsertion.models import Applicant, Custody, ReleaseFollowUp
from civica.reinsertion.tests.factories import admitted, facility, woman


def test_stays_with_a_release_before_admission_are_refused_whole(personas, territory):
    place = facility(personas, territory)
    one, two = woman(personas, territory, 1), woman(personas, territory, 2)
    text = (
        "pid,legal_status,admission_date,expected_release,actual_release\n"
        f"{one.pid},sentenced,2023-03-01,2024-03-01,\n"
        f"{two.pid},pre_trial,2023-05-01,,2023-04-01\n"
    )
    with pytest.raises(ImportFailed) as error:
        imports.import_stays(
            actor=SYSTEM,
            facility=place,
            organization=personas.org_a,
            source=text.encode(),
            name="ingresos.csv",
        )
    lines = error.value.lines()
    assert lines == [
        "ingresos.csv, línea 3, columna “actual_release”: La liberación es anterior al ingreso."
    ]
    assert not Custody.objects.exists()
    imports.import_stays(
        actor=SYSTEM,
        facility=place,
        organization=personas.org_a,
        source=text.replace("2023-04-01", "2023-09-01").encode(),
    )
    assert Custody.objects.count() == 2


def test_follow_ups_before_release_are_refused_with_the_line(personas, territory):
    place = facility(personas, territory)
    stay = admitted(personas, territory, place, 3)
    stay.actual_release = dt.date(2024, 2, 1)
    stay.save()
    pid = stay.enrollment.person.pid
    text = (
        "pid,months,date,housing,activity,monthly_income,family_contact,new_arrest,new_imprisonment\n"
        f"{pid},1,2024-01-20,stable,employed,4000,sí,no,no\n"
        f"{pid},7,2024-03-05,palacio,employed,,,,\n"
    )
    with pytest.raises(ImportFailed) as error:
        imports.import_follow_ups(
            actor=SYSTEM, organization=personas.org_a, source=text.encode(), name="seguimientos.csv"
        )
    text_lines = error.value.lines()
    assert any("línea 2" in line and "anterior a la liberación" in line for line in text_lines)
    assert any("línea 3" in line and "months" in line for line in text_lines)
    assert not ReleaseFollowUp.objects.exists()
    good = text.splitlines()[0] + f"\n{pid},1,2024-03-02,stable,studying,,yes,no,no\n"
    imports.import_follow_ups(actor=SYSTEM, organization=personas.org_a, source=good.encode())
    assert ReleaseFollowUp.objects.get().activity == "studying"


def test_applicants_import_refused_after_the_draw(personas, territory):
    drawn = lottery.create_lottery(actor=SYSTEM, organization=personas.org_a, name="L", places=1)
    people = [woman(personas, territory, n) for n in range(3)]
    rows = "pid,applied_on,risk_level,eligible\n" + "".join(
        f"{p.pid},2024-01-0{i + 1},high,sí\n" for i, p in enumerate(people)
    )
    bad = rows + f"{people[0].pid},2024-01-05,extreme,\n"
    with pytest.raises(ImportFailed) as error:
        imports.import_applicants(actor=SYSTEM, lottery=drawn, source=bad.encode())
    assert len(error.value.problems) == 1 and error.value.problems[0].line == 5
    imports.import_applicants(actor=SYSTEM, lottery=drawn, source=rows.encode())
    assert Applicant.objects.count() == 3
    lottery.draw(actor=SYSTEM, lottery=drawn, seed=1)
    with pytest.raises(Exception, match=r"bloqueado|locked"):
        imports.import_applicants(actor=SYSTEM, lottery=drawn, source=rows.encode())
