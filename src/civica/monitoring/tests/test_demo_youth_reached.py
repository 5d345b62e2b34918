"""The fact sheet's youth figure is computed from participant records: the synthetic demo
participants give 8,700 high-risk youth reached in FY2023 in 30 municipalities of 12 states."""

import pytest

from civica.indicators import Context, registry
from civica.monitoring.periods import parse_period
from civica.participants.reach import persons_reached
from civica.participants.synthetic import FACT_SHEET, generate
from civica.territory.models import Municipality, State

pytestmark = pytest.mark.django_db


@pytest.fixture
def national_territory(db):
    """20 states with 5 municipalities each (the generator draws 30 in 12 of them)."""
    for s in range(1, 21):
        state = State.objects.create(code=f"{s:02d}", name=f"Estado {s:02d}")
        Municipality.objects.bulk_create(
            Municipality(cvegeo=f"{s:02d}{n:03d}", state=state, name=f"Municipio {s:02d}{n:03d}")
            for n in range(1, 6)
        )


def test_the_youth_indicator_counts_8700_in_30_municipalities_of_12_states(national_territory):
    generate(seed=1, **FACT_SHEET)
    context = Context(period=parse_period("FY2023"))
    result = registry.compute(
        "persons_reached", context, {"tracks": ["prevention", "secondary", "reinsertion"]}
    )
    assert result.value == 8_700
    rows = persons_reached(start=context.period.start, end=context.period.end, by=("state_id",))
    assert len(rows) == 12
    rows = persons_reached(
        start=context.period.start, end=context.period.end, by=("municipality_id",)
    )
    assert len(rows) == 30
    assert sum(r["persons"] for r in rows) == 8_700  # one municipality per person
