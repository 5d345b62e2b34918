"""Mexicali's and Ensenada's pages show INEGI's real figures beside their state and the
nation (the published totals of SOURCE.md, checked here by hand)."""

import pytest

from civica.police import selectors


def _category(profile, code):
    return next(row for row in profile.staff.categories if row.code == code)


def test_mexicali_staff_by_category_and_sex_are_inegis(police_env, personas):
    profile = selectors.official_profile(personas.analyst_tijuana, municipality_code="02002")
    assert _category(profile, 1).total == 1714
    assert _category(profile, 1).women == 492
    assert _category(profile, 2).total == 242
    assert _category(profile, 7).total == 9
    assert _category(profile, 8).total == 306
    assert profile.staff.personnel == 2271
    assert profile.staff.police == 1714 + 242 + 9


def test_ensenada_staff_spending_and_funds_are_inegis(police_env, personas):
    profile = selectors.official_profile(personas.analyst_tijuana, municipality_code="02001")
    assert profile.staff.personnel == 913
    assert _category(profile, 1).women == 155
    chapters = {row.chapter: row for row in profile.spending.chapters}
    assert chapters["1000"].amount == pytest.approx(477_114_231, abs=1)
    assert chapters["5000"].amount is None and chapters["5000"].status == "NSS"
    assert not profile.spending.complete  # chapters 5000 and 6000 unknown: no total share
    assert profile.spending.personal_services_share is None
    assert profile.spending.per_officer == pytest.approx(477_114_231.3 / (841 + 11))
    assert [(f.reference_year, f.fund, f.amount) for f in profile.funds] == [
        (1, "FORTASEG", 19_716_245),
        (2, "FORTASEG", 20_307_732),
    ]


def test_mexicali_rate_is_beside_its_state_and_the_nation(police_env, personas):
    profile = selectors.official_profile(personas.analyst_tijuana, municipality_code="02002")
    own, state, nation = profile.comparisons
    assert own.population > 1_000_000  # CONAPO 2020
    assert own.rate == pytest.approx(1965 / own.population * 1000)
    assert state.label == "Baja California" and state.municipalities >= 5
    assert 1 <= state.rank <= state.municipalities
    assert nation.municipalities > 2000
    assert 1.3 < nation.rate < 1.6  # INEGI: 1.4 municipal police per 1,000
    spending = profile.spending
    assert {row.chapter: row.amount for row in spending.chapters}["1000"] == pytest.approx(
        876_557_207, abs=1
    )


def test_the_nation_adds_up_to_inegis_published_totals(police_env, personas):
    profile = selectors.official_profile(personas.analyst_tijuana)
    # Municipalities with ND/NSS in any category are left out of sums, so the sums are at
    # most INEGI's published totals of every numeric cell (189,498 and 172,213).
    assert profile.staff.personnel <= 189_498
    assert profile.staff.police <= 172_213
    assert profile.staff.unreported > 0
    assert profile.spending.personal_services_share == pytest.approx(0.590, abs=0.0005)
    assert profile.calls.total == 14_396_627 and profile.calls.genuine == 4_949_725
    assert profile.state_income[0].band == 1
    assert sum(b.persons for b in profile.state_income) == 221_281


def test_baja_california_calls_come_only_from_rosarito_and_say_why(police_env, personas):
    state = selectors.official_profile(personas.analyst_tijuana, state_code="02")
    assert state.calls.total == 51_567
    mexicali = selectors.official_profile(personas.analyst_tijuana, municipality_code="02002")
    assert mexicali.calls.total is None and mexicali.calls.status == "NA"
    assert any("9-1-1" in note for note in mexicali.notes)
    assert mexicali.family_violence_911[0] == ("2019-01", 2782)


def test_pages_show_the_figures_beside_state_and_nation(police_env, personas, client):
    client.force_login(personas.analyst_tijuana)
    page = client.get("/police/municipalities/02002/").content.decode()
    assert "1,714" in page or "1714" in page
    assert "Baja California" in page and "Nacional" in page
    assert "876,557,207" in page
    assert "FORTASEG" in page
    assert "1.8" in page  # the Modelo Óptimo reference, explained
    ensenada = client.get("/police/municipalities/02001/").content.decode()
    assert "477,114,231" in ensenada and "913" in ensenada
    state = client.get("/police/states/02/").content.decode()
    assert "Mexicali" in state and "Playas de Rosarito" in state
    nation = client.get("/police/").content.decode()
    assert "14,396,627" in nation


def test_api_and_command_give_the_same_figures(police_env, personas, client):
    import json

    from click.testing import CliRunner

    from civica.cli.main import cli

    client.force_login(personas.donor)
    answer = client.get("/api/police/profiles/02002/").json()
    assert answer["staff"]["personnel"] == 2271
    assert answer["modelo_optimo_reference"] == 1.8
    assert client.get("/api/police/profiles/123/").status_code == 404
    result = CliRunner().invoke(cli, ["police", "profile", "02002", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["staff"]["personnel"] == 2271
