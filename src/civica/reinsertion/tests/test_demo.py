"""The demo's synthetic facility, cohorts, releases and lottery: labelled, loaded once, and
its lottery reads balance and effects."""

from __future__ import annotations

from civica.organizations.models import Organization, OrganizationKind
from civica.reinsertion import demo, lottery
from civica.reinsertion.evaluation import evaluate
from civica.reinsertion.models import Cohort, Custody, Facility, Lottery, ReleaseFollowUp


def test_the_demo_is_synthetic_loaded_once_and_evaluable(territory):
    Organization.objects.create(
        name="Organización sintética de reinserción",
        kind=OrganizationKind.CIVIL_SOCIETY,
        municipality=territory.tijuana,
        synthetic=True,
    )
    lines = demo.load()
    assert "sintético" in lines[0] or "Synthetic" in lines[0] or "sintétic" in lines[0].lower()
    facility = Facility.objects.get()
    assert facility.synthetic and "sintético" in facility.name
    assert Custody.objects.count() == 24 and Custody.objects.exclude(actual_release=None).exists()
    assert Cohort.objects.filter(synthetic=True).count() == 2
    assert ReleaseFollowUp.objects.exists()
    made = Lottery.objects.get()
    assert made.synthetic and made.drawn and lottery.verify(made)
    result = evaluate(made)
    assert result.take_up_control == 2
    assert any(e.itt is not None for e in result.effects)
    # Outcomes of the enrolled come from the follow-ups of their cases, the others' from the
    # evaluation's survey; some have neither (attrition).
    twelve = [e for e in result.effects if e.months == 12]
    assert all(e.from_follow_ups > 0 and e.from_other_source > 0 for e in twelve)
    assert all(e.lost_program + e.lost_control > 0 for e in twelve)
    assert demo.load() and Facility.objects.count() == 1
