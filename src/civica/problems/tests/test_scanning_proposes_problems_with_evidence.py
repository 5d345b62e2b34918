"""Scanning proposes persistent hot spots, rising crimes and repeat places, each with its
evidence, within the user's scope; a team accepts one with the CHEERS test."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from civica.accounts.access import SYSTEM
from civica.accounts.roles import Role
from civica.problems import scanning, services
from civica.problems.catalog import CHEERS_KEYS, Stage
from civica.problems.tests.scan_data import ingest
from civica.territory.models import Municipality
from civica.testing.personas import make_user

pytestmark = pytest.mark.django_db

ALL_CHEERS = dict.fromkeys(CHEERS_KEYS, True)


@pytest.fixture
def layer(settings, tmp_path):
    from civica.demo import synthetic

    settings.CIVICA_WAREHOUSE_DIR = str(tmp_path / "warehouse")
    synthetic.load()
    ingest(tmp_path)
    return "scan"


def _by_source(found):
    out = {}
    for candidate in found:
        out.setdefault(candidate.source, []).append(candidate)
    return out


def test_the_three_sources_find_the_planted_problems(layer):
    found = _by_source(scanning.scan(SYSTEM, layer=layer))

    hot = {c.sector_names[0]: c for c in found["hot_spots"]}
    assert "Sector A1" in hot
    assert hot["Sector A1"].evidence["counts"] == [60, 60, 60, 60]
    assert hot["Sector A1"].evidence["quarters"] == ["2015-T1", "2015-T2", "2015-T3", "2015-T4"]
    assert all(hot["Sector A1"].evidence["hot"])
    rising = {(c.sector_names[0], c.crimes[0]): c for c in found["rising_crimes"]}
    # B2's robberies (3 → 30 a quarter) and C1's new burglaries; nothing else moved.
    assert set(rising) == {("Sector B2", "ROBO"), ("Sector C1", "ALLANAMIENTO")}
    b2 = rising["Sector B2", "ROBO"].evidence
    assert (b2["recent"], b2["baseline"]) == (120, 24)
    repeat = found["repeat_places"]
    assert [(c.sector_names[0], c.crimes, c.evidence["count"]) for c in repeat] == [
        ("Sector C1", ("ALLANAMIENTO",), 12)
    ]


def test_a_user_scans_only_their_municipalities(layer):
    analyst = make_user(
        "analista_b",
        Role.MUNICIPAL_ANALYST,
        municipalities=[Municipality.objects.get(cvegeo="99002")],
    )
    found = scanning.scan(analyst, layer=layer)
    assert found  # B2 is theirs
    assert {c.municipality_code for c in found} == {"99002"}


def test_accepting_needs_every_cheers_element(layer):
    key = next(c.key for c in scanning.scan(SYSTEM, layer=layer) if c.source == "hot_spots")
    with pytest.raises(ValidationError) as caught:
        services.accept_candidate(
            actor=SYSTEM,
            key=key,
            layer=layer,
            cheers=ALL_CHEERS | {"expectation": False},
            priority="high",
        )
    assert "Expectation" in str(caught.value) or "Expectativa" in str(caught.value)

    problem = services.accept_candidate(
        actor=SYSTEM, key=key, layer=layer, cheers=ALL_CHEERS, priority="high"
    )
    assert problem.stage == Stage.ANALYSIS
    assert problem.cheers_passed
    assert problem.evidence["counts"] == [60, 60, 60, 60]
    assert problem.source == "hot_spots"
    assert [s.name for s in problem.sectors.all()] == ["Sector A1"]


def test_a_key_the_data_no_longer_propose_is_refused(layer):
    with pytest.raises(ValidationError):
        services.accept_candidate(
            actor=SYSTEM,
            key="hot_spots|999999|ROBO",
            layer=layer,
            cheers=ALL_CHEERS,
            priority="low",
        )


def test_other_apps_register_their_sources(layer):
    def recurring_faltas(user, data):
        return [
            scanning.Candidate(
                source="recurring_faltas",
                key="recurring_faltas|1",
                title="Riñas recurrentes",
                municipality_code="99001",
                municipality_name="Municipio Sintético A",
                crimes=("RIÑA",),
                sector_ids=(),
                sector_names=(),
                score=1.0,
                summary="12 faltas en 3 meses",
            )
        ]

    scanning.register("recurring_faltas", "Faltas recurrentes", recurring_faltas)
    try:
        found = scanning.scan(SYSTEM, layer=layer, only=["recurring_faltas"])
        assert [c.title for c in found] == ["Riñas recurrentes"]
        with pytest.raises(ValueError):
            scanning.register("recurring_faltas", "otra", lambda user, data: [])
    finally:
        scanning._SOURCES.pop("recurring_faltas")
