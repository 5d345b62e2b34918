"""A period has at most one national target and one target per state for an indicator: the
database refuses a repetition (a NULL territory escapes an ordinary unique index) and the
admin says which rows repeat instead of failing with an error page."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from civica.monitoring.models import Indicator, Target
from civica.territory.models import State

pytestmark = pytest.mark.django_db


@pytest.fixture
def indicator(db):
    return Indicator.objects.create(
        code="CJ-MUN",
        name_es="Municipios",
        name_en="Municipalities",
        definition_es="d",
        definition_en="d",
        unit="municipalities",
        direction="increase",
        data_source="s",
        computation="municipalities_covered",
        parameters={"component": "civic_justice"},
    )


def test_the_database_refuses_a_second_national_target(indicator):
    Target.objects.create(indicator=indicator, period="FY2023", value=60)
    with pytest.raises(IntegrityError), transaction.atomic():
        Target.objects.create(indicator=indicator, period="FY2023", value=70)
    Target.objects.create(indicator=indicator, period="FY2024", value=70)  # another period
    assert Target.objects.filter(indicator=indicator, period="FY2023").count() == 1


def test_the_database_refuses_a_second_target_for_a_state(indicator, territory):
    state = State.objects.get(code="09")
    Target.objects.create(indicator=indicator, period="FY2023", value=60)
    Target.objects.create(indicator=indicator, period="FY2023", state=state, value=5)
    with pytest.raises(IntegrityError), transaction.atomic():
        Target.objects.create(indicator=indicator, period="FY2023", state=state, value=6)
    assert Target.objects.filter(indicator=indicator).count() == 2


def test_full_clean_explains_the_repetition(indicator):
    Target.objects.create(indicator=indicator, period="FY2023", value=60)
    with pytest.raises(ValidationError, match="ya tiene una meta nacional para este periodo"):
        Target(indicator=indicator, period="FY2023", value=70).full_clean()


def _indicator_form(indicator, targets):
    form = {
        field: getattr(indicator, field)
        for field in (
            "code",
            "name_es",
            "name_en",
            "definition_es",
            "definition_en",
            "unit",
            "direction",
            "data_source",
            "computation",
            "order",
        )
    }
    form |= {
        "disaggregations": json.dumps(indicator.disaggregations),
        "parameters": json.dumps(indicator.parameters),
        "targets-INITIAL_FORMS": "0",
        "targets-MIN_NUM_FORMS": "0",
        "targets-MAX_NUM_FORMS": "1000",
        "targets-TOTAL_FORMS": str(len(targets)),
    }
    for i, (period, value) in enumerate(targets):
        form |= {
            f"targets-{i}-period": period,
            f"targets-{i}-value": str(value),
            f"targets-{i}-state": "",
            f"targets-{i}-municipality": "",
        }
    return form


def test_the_admin_refuses_a_duplicate_national_target(client, personas, indicator):
    url = f"/admin/monitoring/indicator/{indicator.pk}/change/"
    client.force_login(personas.admin)
    response = client.post(url, _indicator_form(indicator, [("FY2023", 60)]))
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Target.objects.filter(indicator=indicator).count() == 1

    response = client.post(url, _indicator_form(indicator, [("FY2023", 70)]))
    assert response.status_code == 200
    assert "La meta 1 repite una meta guardada del mismo periodo y territorio" in (
        response.content.decode()
    )

    Target.objects.all().delete()
    response = client.post(url, _indicator_form(indicator, [("FY2024", 60), ("FY2024", 70)]))
    assert response.status_code == 200
    assert "Las metas 1 y 2 son del mismo periodo y territorio" in response.content.decode()
    assert not Target.objects.exists()
