"""Persons reached through the participant records' contract, with disclosure control."""

import sys
import types

import pytest

from civica.monitoring.catalogue import default_catalogue_path, load_indicators_csv
from civica.monitoring.computations import Context, registry
from civica.monitoring.periods import parse_period
from civica.monitoring.report import indicator_rows


@pytest.fixture
def participants(monkeypatch):
    """A participant-records module answering as the contract says."""
    calls = []

    def persons_reached(*, start, end, by=(), tracks=None, municipality_ids=None, **_):
        calls.append({"start": start, "end": end, "by": tuple(by), "tracks": tracks})
        if by == ("sex",):
            return [{"sex": "F", "persons": 3}, {"sex": "M", "persons": 40}]
        if by == ("age_band",):
            return [{"age_band": "15-17", "persons": 25}, {"age_band": "18-19", "persons": 18}]
        return [{"persons": 43}]

    module = types.ModuleType("civica.participants.reach")
    module.persons_reached = persons_reached
    module.services_delivered = lambda **kwargs: []
    monkeypatch.setitem(sys.modules, "civica.participants", types.ModuleType("p"))
    monkeypatch.setitem(sys.modules, "civica.participants.reach", module)
    return calls


def test_unique_persons_are_asked_as_a_total_not_summed_over_groups(participants, db):
    context = Context(period=parse_period("FY2023"))
    result = registry.compute(
        "persons_reached", context, {"by": ["sex"], "tracks": ["reinsertion"]}
    )
    assert result.value == 43
    assert participants[0]["by"] == () and participants[0]["tracks"] == ["reinsertion"]
    assert str(participants[0]["start"]) == "2022-10-01"
    assert str(participants[0]["end"]) == "2023-09-30"


def test_a_small_cell_and_its_complement_are_suppressed_in_the_table(participants, db):
    load_indicators_csv(path=default_catalogue_path())
    rows = {r.code: r for r in indicator_rows(Context(period=parse_period("FY2023")))}
    youth = rows["YOUTH-REACHED"]
    assert youth.value == 43
    by_sex = {dict(c.categories)["sex"]: c for c in youth.cells if "sex" in dict(c.categories)}
    assert by_sex["F"].suppressed and by_sex["F"].value is None
    assert by_sex["M"].suppressed  # else 43 − 40 gives the hidden 3 back
    ages = [c for c in youth.cells if "age_band" in dict(c.categories)]
    assert [c.value for c in ages] == [25, 18]
    # No participant record in the period: not available, never zero.
    assert rows["SERVICES"].value is None
    assert rows["SERVICES"].display("es") == "no disponible: sin registros de participantes"


def test_a_total_below_the_threshold_is_shown_as_suppressed(participants, db, settings):
    settings.CIVICA_SUPPRESSION_THRESHOLD = 50
    load_indicators_csv(path=default_catalogue_path())
    youth = {r.code: r for r in indicator_rows(Context(period=parse_period("FY2023")))}[
        "YOUTH-REACHED"
    ]
    assert youth.value is None and youth.suppressed and youth.display("es") == "<50"
    assert youth.status == "not_available"
