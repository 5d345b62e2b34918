"""An intervention in six real CDMX sectors of six alcaldías: accepted, evaluated pooled and
per alcaldía, and seen in part by an analyst of one alcaldía."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from civica.accounts.access import SYSTEM
from civica.interventions import methods, selectors, services
from civica.interventions.models import DataSource, Method
from civica.interventions.summary import program_summary
from civica.interventions.tests.cdmx_program import (
    AFTER,
    BEFORE,
    PAIRS,
    ingest_planted,
    load_cdmx,
    locked_program_design,
    program,
    sector,
)
from civica.territory.models import Municipality, Sector

pytestmark = pytest.mark.django_db


@pytest.fixture
def cdmx(personas, shared_data, tmp_path, settings):
    settings.CIVICA_WAREHOUSE_DIR = str(tmp_path / "warehouse")
    load_cdmx(shared_data, tmp_path)
    ingest_planted(tmp_path)
    return personas


def test_six_sectors_in_six_alcaldias_make_one_intervention(cdmx):
    intervention = program()

    assert [m.cvegeo for m in intervention.municipalities()] == [
        "09015",
        "09003",
        "09005",
        "09007",
        "09014",
        "09017",
    ]
    assert intervention.target_sectors.count() == 6
    assert "Cuauhtémoc" in intervention.places_label
    assert "Iztapalapa" in intervention.places_label


def test_a_sector_of_another_state_is_refused(cdmx):
    with pytest.raises(ValidationError) as caught:
        services.create_intervention(
            actor=SYSTEM,
            target_sectors=[sector("ROMA"), Sector.objects.get(municipality__cvegeo="02004")],
            name="Fuera de la ciudad",
            kind="other",
            municipality=Municipality.objects.get(cvegeo="09015"),
            target_crimes=["ROBO A TRANSEUNTE"],
            start_date=dt.date(2016, 1, 1),
        )
    assert "more_municipalities" in caught.value.error_dict


def test_the_pooled_result_names_every_alcaldia_and_each_has_its_own_estimate(cdmx):
    design = locked_program_design(program())
    result = methods.evaluate(SYSTEM, design)

    assert (result.target.before, result.target.after) == (6 * BEFORE, sum(AFTER.values()))
    headline = methods.headline(result, "es-mx")
    for name in ("Cuauhtémoc", "Iztapalapa", "Gustavo A. Madero", "Coyoacán"):
        assert name in headline
    parts = {p.code: p for p in result.parts}
    assert set(parts) == set(PAIRS)
    for code, after in AFTER.items():
        # Each alcaldía's target against its own comparison sector (50 → 50).
        assert parts[code].effect.rirr == pytest.approx(after / BEFORE)
        assert parts[code].comparison.names == (PAIRS[code][1],)
    assert methods.figures(result).estimate == pytest.approx(sum(AFTER.values()) / 240)


def test_the_summary_shows_the_pooled_estimate_beside_each_alcaldia(cdmx):
    locked_program_design(program())

    row = program_summary(SYSTEM).rows[0]

    assert [p.code for p in row.parts] == sorted(PAIRS)
    assert row.figures.percent_change == pytest.approx((sum(AFTER.values()) / 240 - 1) * 100)


def test_an_alcaldia_analyst_sees_and_counts_only_their_part(cdmx):
    analyst = cdmx.analyst_cuauhtemoc
    design = locked_program_design(program())

    intervention = selectors.intervention_by_id(analyst, design.intervention_id)
    assert not selectors.covers(analyst, intervention)
    assert [
        s.name for s in selectors.visible_sectors(analyst, intervention.target_sectors.all())
    ] == ["CORREDOR-CENTRO"]
    result = methods.evaluate(analyst, selectors.design_by_id(analyst, design.pk))
    assert result.partial
    assert (result.target.before, result.target.after) == (BEFORE, AFTER["09015"])
    assert result.comparison.names == ("ANGEL-ZONA ROSA",)
    assert result.parts == ()
    assert "su parte" in methods.headline(result, "es-mx")
    with pytest.raises(Http404):
        selectors.intervention_by_id(cdmx.analyst_tijuana, design.intervention_id)


def test_an_alcaldia_analyst_edits_only_their_own_sectors(cdmx):
    analyst = cdmx.analyst_cuauhtemoc
    intervention = program()
    version = intervention.updated_at.isoformat()

    with pytest.raises(PermissionDenied):
        services.update_intervention(
            actor=analyst,
            intervention=intervention,
            loaded_version=version,
            target_sectors=[sector("ROMA")],
            name="Otro nombre",
        )
    services.update_intervention(
        actor=analyst,
        intervention=intervention,
        loaded_version=version,
        target_sectors=[sector("ROMA")],  # the others' sectors are not theirs to drop
    )
    names = set(intervention.target_sectors.values_list("name", flat=True))
    assert names == {"ROMA"} | {target for code, (target, _c) in PAIRS.items() if code != "09015"}
    with pytest.raises(PermissionDenied):
        services.create_design(
            actor=analyst,
            intervention=intervention,
            source=DataSource.INCIDENTS,
            incident_layer="cdmx-plantado",
            before_start=dt.date(2015, 1, 1),
            before_end=dt.date(2015, 12, 31),
            after_start=dt.date(2016, 1, 1),
            after_end=dt.date(2016, 12, 31),
        )


def test_the_state_analyst_creates_and_locks_the_design(cdmx):
    intervention = program(actor=cdmx.state_analyst_cdmx)
    design = locked_program_design(intervention)
    assert methods.evaluate(cdmx.state_analyst_cdmx, design).partial is False


def test_a_synthetic_control_of_several_alcaldias_is_refused(cdmx):
    intervention = program(codes=("09015", "09007"))
    with pytest.raises(ValidationError) as caught:
        services.create_design(
            actor=SYSTEM,
            intervention=intervention,
            source=DataSource.SESNSP,
            method=Method.SYNTHETIC_CONTROL,
            before_start=dt.date(2015, 1, 1),
            before_end=dt.date(2015, 12, 31),
            after_start=dt.date(2016, 1, 1),
            after_end=dt.date(2016, 12, 31),
        )
    assert "method" in caught.value.error_dict


def test_a_panel_of_several_alcaldias_counts_every_treated_sector(cdmx):
    design = locked_program_design(program(), method=Method.PANEL)
    result = methods.evaluate(SYSTEM, design)
    assert sum(len(s) for _start, s in result.cohorts) == 6
    assert "Iztapalapa" in methods.headline(result, "es-mx")


def test_a_panel_of_several_alcaldias_gives_each_its_own_estimate(cdmx):
    design = locked_program_design(program(), method=Method.PANEL)
    result = methods.evaluate(SYSTEM, design)

    parts = {p.code: p for p in result.parts}
    assert set(parts) == set(PAIRS)
    for code, after in AFTER.items():
        part = parts[code]
        # Its own target sector (40 → after) against its own comparison sector (50 → 50):
        # the fixed-effects rate ratio is the ratio of the two ratios.
        assert (part.target.before, part.target.after) == (BEFORE, after)
        assert part.target.names == (PAIRS[code][0],)
        assert part.problem == ""
        assert part.percent_change == pytest.approx((after / BEFORE - 1) * 100, abs=0.01)
        assert part.effect.percent_lower < part.percent_change < part.effect.percent_upper
    _rows, facts = methods.table(result)
    assert facts["percent_change_09015"] == pytest.approx(-50, abs=0.01)
    summary_row = program_summary(SYSTEM).rows[0]
    assert [p.code for p in summary_row.parts] == sorted(PAIRS)
