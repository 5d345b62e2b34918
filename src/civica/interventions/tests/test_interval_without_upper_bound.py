"""An interval the data cannot bound above is said in words, never as "inf" or an overflow."""

from __future__ import annotations

from django.template import Context, Template
from django.utils import translation

from civica.interventions.headline import effect_clause
from civica.stats.evaluation import rirr


def _unbounded():
    return rirr(3, 2, 40, 50, dispersion=4.0, df=0.02)


def test_the_sentence_says_no_upper_bound_in_both_languages():
    effect = _unbounded()
    with translation.override("en"):
        text = effect_clause(effect, "Robo")
    assert "no upper bound" in text and "inf" not in text
    with translation.override("es-mx"):
        text = effect_clause(effect, "Robo")
    assert "sin límite superior" in text and "inf" not in text


def test_pages_write_the_bound_as_words():
    template = Template(
        "{% load evaluation_numbers %}{{ v|percent_bound:0 }} {{ w|percent_bound:0 }}"
    )
    with translation.override("es-mx"):
        text = template.render(Context({"v": _unbounded().percent_upper, "w": 12.4}))
    assert text == "sin límite superior 12%"
