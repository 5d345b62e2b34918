"""A problem's story: accepted from the scan, analyses attached as frozen snapshots, a
response linked to an intervention with milestones, its locked design read as the
assessment."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from civica.accounts.access import SYSTEM
from civica.interventions.tests.evaluation_data import ingest as ingest_evaluation
from civica.interventions.tests.evaluation_data import locked_design
from civica.problems import assessment, scanning, selectors, services
from civica.problems.catalog import CHEERS_KEYS, Stage
from civica.problems.models import FrozenError
from civica.problems.tests.scan_data import ingest

pytestmark = pytest.mark.django_db

ALL_CHEERS = dict.fromkeys(CHEERS_KEYS, True)


@pytest.fixture
def problem(settings, tmp_path):
    from civica.demo import synthetic

    settings.CIVICA_WAREHOUSE_DIR = str(tmp_path / "warehouse")
    synthetic.load()
    ingest(tmp_path)
    key = next(
        c.key
        for c in scanning.scan(SYSTEM, layer="scan")
        if c.source == "hot_spots" and c.sector_names == ("Sector A1",)
    )
    return services.accept_candidate(
        actor=SYSTEM, key=key, layer="scan", cheers=ALL_CHEERS, priority="high"
    )


def test_the_temporal_profile_is_attached_frozen_with_its_parameters(problem):
    analysis = services.attach_analysis(
        actor=SYSTEM,
        problem=problem,
        kind="temporal_profile",
        parameters={
            "layer": "scan",
            "crimes": ["ROBO"],
            "sector_ids": [s.pk for s in problem.sectors.all()],
            "start": dt.date(2015, 1, 1),
            "end": dt.date(2015, 12, 31),
        },
    )
    result = analysis.result
    assert result["total"] == 240  # A1's robberies of 2015
    assert result["peak_hour"] == 21
    assert sum(result["hour_weekday"][d][21] for d in range(7)) == 240
    assert sum(result["month"]) == 240
    assert analysis.parameters["start"] == "2015-01-01"
    analysis.summary = "otro"
    with pytest.raises(FrozenError):
        analysis.save()


def test_the_analysis_page_names_its_parameters_in_spanish(problem, client, personas):
    sectors = [s.pk for s in problem.sectors.all()]
    analysis = services.attach_analysis(
        actor=SYSTEM,
        problem=problem,
        kind="temporal_profile",
        parameters={
            "layer": "scan",
            "crimes": ["ROBO"],
            "sector_ids": sectors,
            "start": dt.date(2015, 1, 1),
            "end": None,
        },
    )
    client.force_login(personas.admin)
    page = client.get(reverse("problems:analysis", args=[analysis.pk])).content.decode()
    assert "Capa de incidentes: scan" in page
    assert "Delitos: ROBO" in page
    assert f"Sectores: {len(sectors)} sector" in page
    assert "Primer día: 2015-01-01" in page and "Último día: sin límite" in page
    for code in ("layer =", "start =", "sector_ids", "crimes ="):
        assert code not in page


def test_the_stages_need_what_each_one_reads(problem, tmp_path):
    with pytest.raises(ValidationError):
        services.advance(actor=SYSTEM, problem=problem)  # no analysis attached yet
    services.attach_analysis(
        actor=SYSTEM,
        problem=problem,
        kind="temporal_profile",
        parameters={"layer": "scan", "crimes": ["ROBO"]},
    )
    services.advance(actor=SYSTEM, problem=problem)
    assert problem.stage == Stage.RESPONSE
    with pytest.raises(ValidationError):
        services.advance(actor=SYSTEM, problem=problem)  # no response yet


def test_the_assessment_reads_the_locked_design_and_the_milestones(problem, tmp_path):
    ingest_evaluation(tmp_path)
    design = locked_design()
    response = services.add_response(
        actor=SYSTEM,
        problem=problem,
        intervention=design.intervention,
        technique="natural_surveillance",
        owner="Comandante de sector",
        start_date=dt.date(2015, 1, 1),
    )
    first = services.add_milestone(
        actor=SYSTEM, response=response, name="Luminarias", planned_date=dt.date(2015, 2, 1)
    )
    services.add_milestone(
        actor=SYSTEM, response=response, name="Poda", planned_date=dt.date(2015, 3, 1)
    )
    services.complete_milestone(actor=SYSTEM, milestone=first, done_date=dt.date(2015, 1, 25))

    result = assessment.assess(SYSTEM, problem, today=dt.date(2015, 4, 1))

    assert (result.process.planned, result.process.done, result.process.overdue) == (2, 1, 1)
    assert not result.process.as_planned
    (impact,) = result.impacts
    assert impact.figures.estimate == pytest.approx(0.5)
    assert "50%" in impact.headline


def test_the_problem_page_tells_the_story(problem, client, personas):
    client.force_login(personas.admin)
    page = client.get(reverse("problems:detail", args=[problem.pk])).content.decode()
    for text in ("Sector A1", "CHEERS", "Definir", "Analizar", "Medir"):
        assert text in page
    listing = client.get(reverse("problems:list")).content.decode()
    assert problem.title in listing


def test_a_municipal_analyst_elsewhere_does_not_see_it(problem, personas):
    from django.http import Http404

    with pytest.raises(Http404):
        selectors.problem_by_id(personas.analyst_tijuana, problem.pk)
