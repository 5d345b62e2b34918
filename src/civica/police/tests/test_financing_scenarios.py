"""Financing scenarios: officers needed, their cost and the gap over years, computed by hand;
built, saved, compared and exported on the pages."""

from decimal import Decimal

import pytest

from civica.police.models import Scenario
from civica.stats import staffing


def test_erlang_c_matches_its_textbook_values():
    assert staffing.probability_of_wait(2, 1.0) == pytest.approx(1 / 3)
    # 6 calls an hour × 45 min = 4.5 erlangs: 7 units leave too many calls waiting > 10 min.
    units = staffing.units_for_calls(
        calls_per_hour=6, service_minutes=45, standard_minutes=10, share=0.9
    )
    assert units == 8
    assert staffing.relief_factor(42, 0.0) == pytest.approx(4.0)


def test_a_plan_hires_for_attrition_and_the_target_and_counts_the_gap():
    rows = staffing.plan(
        first_year=2026,
        years=2,
        current_officers=1000,
        needed_by_year={2026: 1100, 2027: 1100},
        population_by_year={2026: 1_000_000, 2027: 1_000_000},
        monthly_pay=20_000,
        monthly_benefits=5_000,
        one_off_per_hire=100_000,
        attrition_rate=0.1,
        budget=300_000_000,
        budget_growth=0.05,
        funds_by_year={2026: 10_000_000, 2027: 10_000_000},
    )
    first, second = rows
    assert (first.exits, first.hires, first.officers) == (100, 200, 1100)
    assert first.cost == 1100 * 25_000 * 12 + 200 * 100_000
    assert first.gap == first.cost - 310_000_000
    assert (second.exits, second.hires) == (110, 110)
    assert second.available == pytest.approx(300_000_000 * 1.05 + 10_000_000)
    assert second.ratio == pytest.approx(1.1)


@pytest.fixture
def tijuana_population(personas, territory):
    from civica.territory.models import PopulationEstimate

    for year in range(2024, 2031):
        PopulationEstimate.objects.update_or_create(
            municipality=territory.tijuana,
            year=year,
            defaults={
                "state": territory.tijuana.state,
                "total": 2_000_000 + 10_000 * (year - 2024),
            },
        )
    return territory.tijuana


FORM = {
    "name": "",
    "target": "ratio",
    "ratio_per_1000": "1.8",
    "calls_per_hour": "10",
    "service_minutes": "45",
    "standard_minutes": "10",
    "share_within": "90",
    "officers_per_unit": "2",
    "weekly_hours": "48",
    "absence_share": "15",
    "current_officers": "2500",
    "monthly_pay": "21500",
    "monthly_benefits": "6000",
    "one_off_per_hire": "120000",
    "attrition_rate": "8",
    "first_year": "2026",
    "years": "3",
    "budget": "800000000",
    "budget_growth": "3",
    "funds_per_year": "40000000",
}


def test_build_save_compare_and_export(tijuana_population, personas, client):
    client.force_login(personas.analyst_tijuana)
    url = "/police/municipalities/02004/scenarios/"
    assert client.get(url).status_code == 200
    preview = client.post(url, {**FORM, "action": "preview"}).content.decode()
    assert 'data-gap="2026"' in preview, preview[preview.find("errorlist") - 300 :][:1500]
    assert not Scenario.objects.exists()
    unnamed = client.post(url, {**FORM, "action": "save"})
    assert unnamed.status_code == 200 and not Scenario.objects.exists()
    saved = client.post(url, {**FORM, "name": "Razón 1.8", "action": "save"})
    assert saved.status_code == 302
    calls = {**FORM, "name": "Llamadas", "target": "calls", "action": "save"}
    client.post(url, calls)
    ratio, by_calls = Scenario.objects.order_by("pk")
    # 1.8 per 1,000 of 2,020,000 inhabitants in 2026.
    page = client.get(f"/police/scenarios/{ratio.pk}/").content.decode()
    assert "3,636" in page
    compare = client.get(
        f"/police/municipalities/02004/scenarios/compare/?id={ratio.pk}&id={by_calls.pk}"
    ).content.decode()
    assert "Razón 1.8" in compare and "Llamadas" in compare and "<svg" in compare
    export = client.get(
        f"/police/municipalities/02004/scenarios/compare/?id={ratio.pk}&id={by_calls.pk}&download=csv"
    )
    text = b"".join(export.streaming_content if export.streaming else [export.content]).decode()
    assert text.splitlines()[0].startswith("scenario,year,population,needed")
    assert len(text.splitlines()) == 1 + 2 * 3
    client.force_login(personas.analyst_cuauhtemoc)
    assert client.get(f"/police/scenarios/{ratio.pk}/").status_code == 404


def test_defaults_come_from_the_official_figures_without_records(police_env, personas):
    from civica.police import scenarios
    from civica.territory.models import Municipality

    values = scenarios.defaults(Municipality.objects.get(cvegeo="02002"))["values"]
    assert values["current_officers"] == 1965
    assert float(values["budget"]) == pytest.approx(876_557_207, abs=1)


def test_a_saved_scenario_is_edited_and_a_stale_edit_overwrites_nothing(
    tijuana_population, personas, client
):
    from civica.audit.models import AuditEvent

    client.force_login(personas.analyst_tijuana)
    client.post(
        "/police/municipalities/02004/scenarios/", {**FORM, "name": "Base", "action": "save"}
    )
    scenario = Scenario.objects.get()
    url = f"/police/scenarios/{scenario.pk}/edit/"
    assert 'name="version" value="0"' in client.get(url).content.decode()
    # Two copies loaded at version 0; the first save wins …
    first = client.post(url, {**FORM, "name": "Base", "ratio_per_1000": "2.2", "version": "0"})
    assert first.status_code == 302
    scenario.refresh_from_db()
    assert (scenario.ratio_per_1000, scenario.version) == (Decimal("2.2"), 1)
    assert AuditEvent.objects.filter(action="update", object_id=str(scenario.pk)).count() == 1
    # … the second, from the old copy, is refused with what differs and writes nothing.
    stale = client.post(url, {**FORM, "name": "Base", "ratio_per_1000": "1.5", "version": "0"})
    page = stale.content.decode()
    assert stale.status_code == 200 and 'id="conflict"' in page
    assert "2.20" in page and "1.5" in page
    assert 'name="version" value="1"' in page  # saving again builds on the stored copy
    scenario.refresh_from_db()
    assert (scenario.ratio_per_1000, scenario.version) == (Decimal("2.2"), 1)
    # Saved again from the page it was shown: the user's value is kept.
    again = client.post(url, {**FORM, "name": "Base", "ratio_per_1000": "1.5", "version": "1"})
    assert again.status_code == 302
    scenario.refresh_from_db()
    assert (scenario.ratio_per_1000, scenario.version) == (Decimal("1.5"), 2)
    # Another municipality's user cannot reach it.
    client.force_login(personas.analyst_cuauhtemoc)
    assert client.get(url).status_code == 404
