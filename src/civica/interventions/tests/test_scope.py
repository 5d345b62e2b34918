"""A municipal analyst sees only the interventions of their own municipality; an
administrator sees all of them."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from civica.interventions import selectors
from civica.interventions.services import create_intervention
from civica.interventions.tests.factories import (
    intervention_fields,
    make_design,
    make_intervention,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def cuauhtemoc_intervention(territory):
    return make_intervention(territory)


@pytest.fixture
def tijuana_intervention(territory):
    return make_intervention(
        territory,
        name="Policía de proximidad",
        municipality=territory.tijuana,
        sectors=[territory.sectors["02004"]],
    )


def test_the_tijuana_analyst_sees_nothing_of_cuauhtemoc(
    personas, cuauhtemoc_intervention, tijuana_intervention
):
    user = personas.analyst_tijuana
    assert list(selectors.interventions(user)) == [tijuana_intervention]
    with pytest.raises(Http404):
        selectors.intervention_by_id(user, cuauhtemoc_intervention.pk)
    make_design(cuauhtemoc_intervention)
    with pytest.raises(Http404):
        selectors.designs(user, cuauhtemoc_intervention)


def test_the_administrator_sees_every_intervention(
    personas, cuauhtemoc_intervention, tijuana_intervention
):
    user = personas.admin
    assert set(selectors.interventions(user)) == {cuauhtemoc_intervention, tijuana_intervention}
    assert selectors.intervention_by_id(user, cuauhtemoc_intervention.pk) == (
        cuauhtemoc_intervention
    )


def test_the_state_analyst_sees_the_interventions_of_the_state(
    personas, cuauhtemoc_intervention, tijuana_intervention
):
    assert list(selectors.interventions(personas.state_analyst_cdmx)) == [cuauhtemoc_intervention]


def test_an_anonymous_user_sees_nothing(cuauhtemoc_intervention):
    from django.contrib.auth.models import AnonymousUser

    assert not selectors.interventions(AnonymousUser()).exists()


def test_the_designs_of_an_intervention_in_scope_are_listed(personas, cuauhtemoc_intervention):
    design = make_design(cuauhtemoc_intervention)
    assert list(selectors.designs(personas.analyst_cuauhtemoc, cuauhtemoc_intervention)) == [design]


def test_an_analyst_cannot_create_an_intervention_in_another_municipality(personas, territory):
    with pytest.raises(PermissionDenied):
        create_intervention(actor=personas.analyst_tijuana, **intervention_fields(territory))


def test_a_donor_cannot_create_an_intervention(personas, territory):
    with pytest.raises(PermissionDenied):
        create_intervention(actor=personas.donor, **intervention_fields(territory))
