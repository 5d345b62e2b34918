"""A synthetic control on rates per 100,000 when the municipalities' sizes differ widely (the
default), on counts when asked, and every sentence says which scale was used."""

import re

import pandas as pd
import pytest
from django.utils import translation

from civica.accounts.access import SYSTEM
from civica.interventions import methods
from civica.interventions.models import OutcomeScale
from civica.interventions.tests.test_synthetic_control_design import (  # noqa: F401
    design_for,
    guanajuato,
)
from civica.territory.models import Municipality, PopulationEstimate

pytestmark = pytest.mark.django_db


@pytest.fixture
def populations(guanajuato):  # noqa: F811
    """Sizes from 5,000 to about 1.7 million, one per municipality and year."""
    sizes = {}
    for i, municipality in enumerate(Municipality.objects.filter(state__code="11")):
        sizes[municipality.cvegeo] = 5_000 + 37_000 * i
        for year in range(2020, 2026):
            PopulationEstimate.objects.create(
                state=municipality.state,
                municipality=municipality,
                year=year,
                total=sizes[municipality.cvegeo] + 100 * (year - 2020),
            )
    return sizes


def test_sizes_that_differ_widely_give_rates_and_the_sentence_says_so(populations):
    design = design_for("11017")
    assert design.frozen["scale"] == OutcomeScale.RATE
    result = methods.evaluate(SYSTEM, design)
    assert result.scale == OutcomeScale.RATE
    # The treated path is its monthly count over its population that year, × 100,000.
    observed = pd.Series(result.fit.observed, index=result.fit.months)
    january_2021 = observed[pd.Period("2021-01", freq="M")]
    count = methods.evaluate(SYSTEM, design_for("11017", outcome_scale="counts")).fit.observed[0]
    assert january_2021 == pytest.approx(count / (populations["11017"] + 100) * 1e5)
    assert methods.figures(result).scale == "rate_per_100k"
    with translation.override("en"):
        assert "outcome: rates per 100,000 inhabitants" in methods.headline(result)
    with translation.override("es-mx"):
        assert "tasas por 100,000 habitantes" in methods.headline(result)


def test_counts_when_asked(populations):
    result = methods.evaluate(SYSTEM, design_for("11017", outcome_scale="counts"))
    assert result.scale == OutcomeScale.COUNTS
    with translation.override("en"):
        assert methods.headline(result).endswith("; outcome: counts of events.")


def test_without_populations_auto_stays_on_counts(guanajuato):  # noqa: F811
    result = methods.evaluate(SYSTEM, design_for("11017"))
    assert result.scale == OutcomeScale.COUNTS


def test_the_page_gives_the_rates_with_their_unit(populations, client, personas):
    from django.urls import reverse

    from civica.jobs.testing import run_queued_jobs

    design = design_for("11017")
    client.force_login(personas.admin)
    url = reverse("interventions:design", args=[design.pk])
    client.get(url)  # starts the job
    assert run_queued_jobs() == 1
    page = client.get(url)
    assert page.context["synthetic"].scale == OutcomeScale.RATE
    # The observed and synthetic totals with their unit (not only the headline's words).
    units = re.findall(r"\d[.,]\d por 100,000 habitantes</dd>", page.content.decode())
    assert len(units) == 2
