"""A municipality-level design on the real Guanajuato SESNSP homicide series: the synthetic
control from the other municipalities, placebo inference, and the refusals."""

import datetime as dt

import pandas as pd
import pytest
from django.utils import translation

from civica.accounts.access import SYSTEM
from civica.interventions.areas import EvaluationError
from civica.interventions.methods.synthetic_control import evaluate_municipality
from civica.interventions.methods.synthetic_control import headline as municipal_headline
from civica.interventions.models import DataSource, InterventionKind, Method
from civica.interventions.services import create_design, create_intervention, lock_design
from civica.stats.synthetic_control import placebo_in_space
from civica.territory.models import Municipality, State

pytestmark = pytest.mark.django_db

FILE = "sesnsp_municipal/guanajuato_homicidios_2020-2025_formato_IDM.csv"


@pytest.fixture
def guanajuato(settings, tmp_path, shared_data):
    """The SESNSP file ingested, and its municipalities in the catalogue."""
    from civica.official.services import ingest_sesnsp

    settings.CIVICA_WAREHOUSE_DIR = str(tmp_path / "warehouse")
    ingest_sesnsp(path=shared_data / FILE, cut="2025-11")
    frame = pd.read_csv(shared_data / FILE, encoding="utf-8", dtype=str)
    state = State.objects.create(code="11", name="Guanajuato")
    codes = sorted(
        {
            f"{int(row['Clave_Ent']):02d}{int(row['Cve. Municipio']) % 1000:03d}"
            for _, row in frame.iterrows()
        }
    )
    for code in codes:
        if not code.endswith(("998", "999")):
            Municipality.objects.create(cvegeo=code, state=state, name=f"Municipio {code}")
    return codes


def design_for(code: str, start=dt.date(2023, 1, 1), outcome_scale="auto", **window):
    intervention = create_intervention(
        actor=SYSTEM,
        name="Ejemplo",
        kind=InterventionKind.CIVIC_JUSTICE,
        municipality=Municipality.objects.get(cvegeo=code),
        target_crimes=["Homicidio doloso"],
        start_date=start,
    )
    fields = {
        "before_start": dt.date(2021, 1, 1),
        "before_end": dt.date(2022, 12, 31),
        "after_start": dt.date(2023, 1, 1),
        "after_end": dt.date(2024, 12, 31),
    } | window
    design = create_design(
        actor=SYSTEM,
        intervention=intervention,
        source=DataSource.SESNSP,
        method=Method.SYNTHETIC_CONTROL,
        outcome_scale=outcome_scale,
        **fields,
    )
    return lock_design(design=design, actor=SYSTEM)


def test_irapuato_against_the_other_municipalities(guanajuato, shared_data):
    result = evaluate_municipality(SYSTEM, design_for("11017"))
    fit = result.fit
    assert fit.treated == "11017"
    assert "11017" not in result.donor_names
    assert (
        len(result.donor_names) == len([c for c in guanajuato if c[-3:] not in ("998", "999")]) - 1
    )
    assert sum(w for _, w in fit.weights) == pytest.approx(1.0)
    assert not fit.poor_pre_fit
    # The service feeds the estimator exactly the table a user would build by hand.
    frame = pd.read_csv(shared_data / FILE, dtype=str)
    frame = frame[frame["Subtipo de delito"] == "Homicidio doloso"]
    months = ["Enero", "Febrero", "Marzo", "Abril", "Mayo", "Junio", "Julio", "Agosto",
              "Septiembre", "Octubre", "Noviembre", "Diciembre"]  # fmt: skip
    long = frame.melt(
        id_vars=["Año", "Clave_Ent", "Cve. Municipio"], value_vars=months, var_name="mes"
    )
    long["value"] = long["value"].astype(float)
    long["code"] = [f"11{int(c) % 1000:03d}" for c in long["Cve. Municipio"]]
    long["period"] = [
        pd.Period(year=int(y), month=months.index(m) + 1, freq="M")
        for y, m in zip(long["Año"], long["mes"], strict=True)
    ]
    table = long.pivot_table(index="code", columns="period", values="value", aggfunc="sum")
    table = table.loc[
        [*result.donor_names, "11017"], pd.period_range("2021-01", "2024-12", freq="M")
    ]
    by_hand = placebo_in_space(table, "11017", pd.Period("2023-01", freq="M"))
    assert [d for d, _ in by_hand.fit.weights] == [d for d, _ in fit.weights]
    assert [w for _, w in by_hand.fit.weights] == pytest.approx([w for _, w in fit.weights])
    assert by_hand.p_value == result.p_value
    assert by_hand.fit.effect_percent == pytest.approx(fit.effect_percent)


def test_the_headline_gives_the_gap_and_the_placebo_rank(guanajuato):
    result = evaluate_municipality(SYSTEM, design_for("11017"))
    english = municipal_headline(result, "en")
    assert english.startswith("Homicidio doloso in Municipio 11017 was ")
    assert f"placebo rank {result.inference.rank} of {result.inference.n_included + 1}" in english
    assert "2023–2024" in english
    assert municipal_headline(result, "es-mx").startswith(
        "Homicidio doloso en Municipio 11017 fue "
    )


def test_the_largest_municipality_gets_a_poor_fit_warning_not_an_effect(guanajuato):
    result = evaluate_municipality(SYSTEM, design_for("11020"))  # León, above every donor
    assert result.fit.poor_pre_fit
    assert result.notices[0].code == "poor_pre_fit"
    with translation.override("en"):
        assert "not evidence either way" in municipal_headline(result, "en")


def test_windows_across_the_2026_methodology_change_are_refused(guanajuato):
    design = design_for(
        "11017",
        start=dt.date(2026, 1, 1),
        before_start=dt.date(2024, 1, 1),
        before_end=dt.date(2025, 12, 31),
        after_start=dt.date(2026, 1, 1),
        after_end=dt.date(2027, 12, 31),
    )
    with translation.override("en"), pytest.raises(EvaluationError) as info:
        evaluate_municipality(SYSTEM, design)
    assert "2026 change of SESNSP methodology" in str(info.value)


def test_an_unreported_month_of_the_treated_municipality_is_not_a_zero(guanajuato):
    # December 2025 is not reported yet in the November 2025 cut.
    design = design_for(
        "11017",
        start=dt.date(2025, 1, 1),
        before_start=dt.date(2024, 1, 1),
        before_end=dt.date(2024, 12, 31),
        after_start=dt.date(2025, 1, 1),
        after_end=dt.date(2025, 12, 31),
    )
    with translation.override("en"), pytest.raises(EvaluationError) as info:
        evaluate_municipality(SYSTEM, design)
    assert "2025-12" in str(info.value)
    assert "not a zero" in str(info.value)


def _result_page(client, design):
    """The result page once the background job has run (the first request starts it and
    shows its progress)."""
    from django.urls import reverse

    from civica.jobs.testing import run_queued_jobs

    url = reverse("interventions:design", args=[design.pk])
    first = client.get(url)
    assert "data-job-status" in first.content.decode()
    assert run_queued_jobs() == 1
    return client.get(url)


def test_the_result_page_shows_weights_fit_and_placebo_rank(client, guanajuato):

    from civica.accounts.models import User

    admin = User.objects.create_superuser("root", password="x" * 12, role="administrator")
    client.force_login(admin)
    design = design_for("11017")
    page = _result_page(client, design)
    body = page.content.decode()
    assert page.status_code == 200
    assert page.context["synthetic"].fit.treated == "11017"
    assert page.context["headline_en"] in body
    assert "Celaya" in body or "Municipio 11007" in body  # a donor with weight
    assert 'id="evaluation-chart"' in body


def test_the_estimators_notes_are_worded_in_spanish_on_the_page(client, guanajuato):

    from civica.accounts.models import User

    admin = User.objects.create_superuser("root", password="x" * 12, role="administrator")
    client.force_login(admin)
    design = design_for("11020")  # León: above every donor in some months
    page = _result_page(client, design)
    notes = page.context["synthetic_notes"]
    assert any(n.startswith("En ") and "por encima o por debajo" in n for n in notes)
    assert all(n in page.content.decode() for n in notes)
