"""One number format per language: the texts that ``stats/`` writes without Django (its notes,
headline pieces) read as :func:`civica.tables.number_text` writes the same figure on a page,
in Spanish and in English, and the intervention headlines use that function."""

import pytest

from civica.stats import _text
from civica.tables import number_text, signed_number_text


@pytest.mark.parametrize("language", ["es-mx", "en"])
@pytest.mark.parametrize("value", [0, 7, 1234, 29651.5, 1234567.25, 0.5])
def test_stats_texts_read_as_pages_write_them(language, value):
    assert _text.rate_text(value) == number_text(value, language, decimals=1)
    whole = float(round(value))
    assert _text.count_text(whole) == number_text(whole, language)


@pytest.mark.parametrize("language", ["es-mx", "en"])
def test_signed_figures_carry_their_sign(language):
    assert signed_number_text(12.4, language, decimals=0) == "+12"
    assert signed_number_text(-1234, language, decimals=0) == "-1,234"
    assert signed_number_text(0, language, decimals=0) == "0"
    assert signed_number_text(None, language) == "—"
