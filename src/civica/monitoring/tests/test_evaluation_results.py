"""Locked evaluations become the CRIME-CHANGE indicator and its fact-sheet sentence: the range
of reductions, the number of cities, each city's interval and how many results remain
significant after Holm's adjustment — computed from real evaluations of a synthetic layer.

Hand computation (95% Wald intervals on log RIRR, z = 1.959964):

* Sector A1 (Municipio Sintético A): (30/60)/(100/100) = 0.5, SE = √0.07 = 0.264575,
  interval 0.29766–0.83987 (−70.2% to −16.0%), z = 2.61985, p = 0.008797.
* Sector C1 (Municipio Sintético C): (36/40)/(100/100) = 0.9, SE = √(1/36+1/40+1/100+1/100)
  = 0.269774, interval 0.53041–1.52713 (−47.0% to +52.7%), z = 0.390552, p = 0.69613.
* Holm (1979): the smaller p times 2 = 0.017594 (significant), the larger times 1 = 0.69613.
"""

import math

import pytest
from django.utils import translation
from scipy import stats
from statsmodels.stats.multitest import multipletests

from civica.indicators import Context, registry
from civica.interventions.tests.evaluation_data import DEFAULT_COUNTS, ingest, locked_design
from civica.monitoring.catalogue import load_indicators_csv
from civica.monitoring.periods import parse_period
from civica.monitoring.reports.factsheet import build, render_html
from civica.monitoring.reports.report import indicator_rows
from civica.territory.models import Municipality

pytestmark = pytest.mark.django_db

COUNTS = DEFAULT_COUNTS | {
    ("second_target", 2013): 40,
    ("second_target", 2014): 40,
    ("second_target", 2015): 36,
}
Z = 1.959964


@pytest.fixture
def two_cities(settings, tmp_path):
    from civica.demo import synthetic

    settings.CIVICA_WAREHOUSE_DIR = str(tmp_path / "warehouse")
    synthetic.load()
    ingest(tmp_path, COUNTS)
    locked_design()
    locked_design(
        target="Sector C1", municipality="99003", name="Parque iluminado", buffer_metres=None
    )
    load_indicators_csv(path=_catalogue())


def _catalogue():
    from civica.monitoring.catalogue import default_catalogue_path

    return default_catalogue_path()


def _compute(period="FY2016", **context):
    return registry.compute(
        "priority_crime_change", Context(period=parse_period(period), **context), {}
    )


def test_the_range_the_cities_and_each_interval_are_the_hand_computed_ones(two_cities):
    result = _compute()
    assert result.parts["cities"] == 2
    assert result.parts["evaluations"] == 2
    assert result.parts["range"] == "10–50"
    assert (result.parts["low"], result.parts["high"]) == (-50.0, -10.0)
    assert result.value == -10.0  # the least favourable change
    a, c, pooled = result.intervals
    # The pooled row comes last: random effects of the two (civica.stats.pooling).
    assert pooled.city_code == "" and pooled.adjusted_p is None
    assert result.parts["pooled"] == pytest.approx(pooled.change, abs=0.05)
    assert pooled.lower < min(a.change, c.change) and pooled.upper > max(a.change, c.change)
    assert (a.city, a.intervention) == ("Municipio Sintético A", "Senderos seguros")
    assert a.change == pytest.approx(-50.0)
    assert a.lower == pytest.approx((0.5 * math.exp(-Z * math.sqrt(0.07)) - 1) * 100, rel=1e-6)
    assert a.upper == pytest.approx((0.5 * math.exp(Z * math.sqrt(0.07)) - 1) * 100, rel=1e-6)
    se_c = math.sqrt(1 / 36 + 1 / 40 + 1 / 100 + 1 / 100)
    assert c.city == "Municipio Sintético C"
    assert c.change == pytest.approx(-10.0)
    assert (c.lower, c.upper) == (
        pytest.approx(-46.959, abs=1e-3),
        pytest.approx(52.713, abs=1e-3),
    )
    assert se_c == pytest.approx(0.269774, rel=1e-5)
    assert {cell.categories: cell.value for cell in result.cells} == {
        (("municipality", "99001"),): -50.0,
        (("municipality", "99003"),): -10.0,
    }


def test_significance_is_holm_adjusted_against_the_hand_value_and_statsmodels(two_cities):
    result = _compute()
    a, c, _pooled = result.intervals
    raw = [2 * stats.norm.sf(math.log(2) / math.sqrt(0.07)), 2 * stats.norm.sf(0.390552)]
    assert a.adjusted_p == pytest.approx(0.017594, abs=1e-5)
    assert c.adjusted_p == pytest.approx(0.69613, abs=1e-4)
    reference = multipletests(raw, method="holm")[1]
    assert [a.adjusted_p, c.adjusted_p] == pytest.approx(list(reference), rel=1e-4)
    assert (a.significant, c.significant) == (True, False)
    assert result.parts["significant"] == 1


def test_the_fact_sheet_sentence_and_intervals_in_english_and_spanish(two_cities):
    context = Context(period=parse_period("FY2016"))
    rows = {r.code: r for r in indicator_rows(context)}
    assert rows["CRIME-CHANGE"].statement("en", "FY2016") == (
        "10–50 percent reduction in priority crime rates in selected sectors of 2 cities; 1 of "
        "2 results remains significant after adjusting for multiple comparisons (Holm)."
    )
    assert rows["CRIME-CHANGE"].statement("es", "FY2016") == (
        "Reducción de 10–50 % en las tasas de delitos prioritarios en sectores seleccionados de "
        "2 ciudades; 1 de 2 resultados sigue siendo significativo tras ajustar por comparaciones "
        "múltiples (Holm)."
    )
    english = render_html(build(context, language="en"))
    assert "<td>Municipio Sintético A</td><td>Senderos seguros</td>" in english
    assert '<td class="num">-50 %</td><td class="num">-70 to -16</td>' in english
    assert '<td class="num">0.018</td><td>yes</td>' in english
    assert '<td class="num">-10 %</td><td class="num">-47 to +53</td>' in english
    assert '<td class="num">0.696</td><td>no</td>' in english
    spanish = render_html(build(context, language="es"))
    assert "2 ciudades; 1 de 2 resultados sigue siendo significativo" in spanish
    assert '<td class="num">-50 %</td><td class="num">-70 a -16</td>' in spanish
    assert '<td class="num">0.018</td><td>sí</td>' in spanish
    assert "p ajustada (Holm)" in spanish and "Cambio porcentual" in spanish


def test_one_city_in_scope_is_singular_and_adjusted_alone(two_cities):
    city_a = Municipality.objects.get(cvegeo="99001")
    context = Context(period=parse_period("FY2016"), municipality_ids=frozenset({city_a.pk}))
    result = registry.compute("priority_crime_change", context, {})
    assert [i.city for i in result.intervals] == ["Municipio Sintético A"]
    assert result.intervals[0].adjusted_p == pytest.approx(0.008797, abs=1e-5)  # one test
    row = next(r for r in indicator_rows(context) if r.code == "CRIME-CHANGE")
    assert row.statement("en", "FY2016") == (
        "50 percent reduction in priority crime rates in selected sectors of 1 city; 1 of 1 "
        "result remains significant after adjusting for multiple comparisons (Holm)."
    )
    assert row.statement("es", "FY2016").startswith(
        "Reducción de 50 % en las tasas de delitos prioritarios en sectores seleccionados de "
        "1 ciudad; 1 de 1 resultado sigue siendo significativo"
    )


def test_a_period_reports_only_designs_whose_after_window_ends_in_it(two_cities):
    # Both after windows end on 2015-12-31: inside 2015 and FY2016, not in FY2015 or 2016.
    assert _compute("2015").parts["cities"] == 2
    for period in ("FY2015", "2016"):
        result = _compute(period)
        assert result.value is None
        assert "ventana posterior" in result.unavailable
    with translation.override("en"):
        rows = indicator_rows(Context(period=parse_period("FY2015")))
    row = next(r for r in rows if r.code == "CRIME-CHANGE")
    assert row.statement("en", "FY2015") == (
        "Change in priority crime rates in evaluated sectors: not available: no locked "
        "evaluation design has its after window ending in FY2015"
    )


def test_no_reduction_sentence_when_a_city_saw_crime_rise(settings, tmp_path):
    from civica.demo import synthetic

    settings.CIVICA_WAREHOUSE_DIR = str(tmp_path / "warehouse")
    synthetic.load()
    ingest(tmp_path, COUNTS | {("second_target", 2015): 60})  # C1: (60/40)/(100/100) = 1.5
    locked_design()
    locked_design(
        target="Sector C1", municipality="99003", name="Parque iluminado", buffer_metres=None
    )
    load_indicators_csv(path=_catalogue())
    context = Context(period=parse_period("FY2016"))
    result = registry.compute("priority_crime_change", context, {})
    assert "range" not in result.parts
    assert (result.parts["low"], result.parts["high"]) == (-50.0, 50.0)
    assert result.value == 50.0
    row = next(r for r in indicator_rows(context) if r.code == "CRIME-CHANGE")
    # No "reduction": the signed range of the changes, with the pooled estimate (two very
    # different results: its interval is as wide as random effects make it).
    assert row.statement("en", "FY2016").startswith(
        "Changes of -50 to +50 percent in priority crime rates in selected sectors of 2 "
        "cities; 1 of 2 results remains significant after adjusting for multiple comparisons "
        "(Holm); pooled estimate -13 percent (95% CI -100 to "
    )
    english = render_html(build(context, language="en"))
    assert "percent reduction" not in english
    assert '<td class="num">+50 %</td>' in english


def test_the_pdf_lists_each_interval_under_the_sentence(two_cities):
    import pypdfium2

    from civica.monitoring.reports.factsheet import render_pdf

    pdf = render_pdf(build(Context(period=parse_period("FY2016")), language="es"))
    document = pypdfium2.PdfDocument(pdf)
    text = " ".join(
        " ".join(document[i].get_textpage().get_text_range().split()) for i in range(len(document))
    )
    assert "Reducción de 10–50 % en las tasas de delitos prioritarios" in text
    assert "p ajustada (Holm)" in text
    assert "-50 % -70 a -16 0.018 sí" in text
    assert "-10 % -47 a +53 0.696 no" in text


def test_a_tiny_adjusted_p_is_written_as_below_a_thousandth():
    from civica.indicators import Interval
    from civica.monitoring.reports.factsheet import _interval_row

    item = Interval("Cuauhtémoc", "09015", "Patrullaje", -48.8, -57.8, -38.0, 2e-9, True)
    with translation.override("en"):
        row = _interval_row(item, "en")
    assert (row["change"], row["interval"], row["adjusted_p"]) == ("-49 %", "-58 to -38", "<0.001")
