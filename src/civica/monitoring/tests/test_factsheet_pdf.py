"""The fact sheet PDF, rendered page by page to PNG and looked at by numbers."""

import numpy as np
import pypdfium2
import pytest

from civica.indicators import Context
from civica.monitoring import demo
from civica.monitoring.periods import parse_period
from civica.monitoring.reports import factsheet
from civica.monitoring.tests.test_demo_program import national_territory  # noqa: F401
from civica.territory.tests.factories import square

A4_POINTS = (595, 842)


@pytest.fixture
def demo_program(national_territory):  # noqa: F811
    from civica.territory.models import Municipality, State

    # Boundaries so the coverage map has something to draw.
    for index, state in enumerate(State.objects.order_by("code")):
        state.geometry = square(-110 + 2 * (index % 5), 20 + 2 * (index // 5), 1.9)
        state.save()
        for n, place in enumerate(state.municipalities.order_by("cvegeo")):
            place.geometry = square(-110 + 2 * (index % 5) + 0.3 * n, 20.5 + 2 * (index // 5), 0.25)
            place.save()
    assert Municipality.objects.exclude(geometry="").exists()
    demo.load()


def _pages(pdf_bytes, tmp_path):
    document = pypdfium2.PdfDocument(pdf_bytes)
    pages = []
    for index in range(len(document)):
        page = document[index]
        size = tuple(round(v) for v in page.get_size())
        image = page.render(scale=1).to_pil().convert("L")
        image.save(tmp_path / f"page-{index + 1}.png")
        pages.append((size, np.asarray(image)))
    return pages


@pytest.mark.parametrize("language", ["es", "en"])
def test_the_pdf_has_a_few_a4_pages_with_ink_on_each(demo_program, tmp_path, language):
    sheet = factsheet.build(Context(period=parse_period("FY2023")), language=language)
    pdf = factsheet.render_pdf(sheet)
    assert pdf.startswith(b"%PDF")
    pages = _pages(pdf, tmp_path)
    # 32 catalogue indicators (program, civic justice, reinsertion) fit in three pages: the
    # ones without data in the period share one line. More would mean the layout broke (a
    # table row per page, an unscaled map).
    assert 1 <= len(pages) <= 3
    for size, pixels in pages:
        assert size == A4_POINTS
        assert abs(pixels.shape[0] - 842) <= 1 and abs(pixels.shape[1] - 595) <= 1
        assert (pixels < 200).mean() > 0.005  # text and shapes, not a blank page
    # The first page carries the headline and the coloured coverage map.
    first = pages[0][1]
    assert (first < 200).mean() > 0.03
    assert (tmp_path / "page-1.png").stat().st_size > 10_000


def test_the_pdf_text_holds_the_computed_achievement(demo_program):
    sheet = factsheet.build(Context(period=parse_period("FY2023")), language="en")
    document = pypdfium2.PdfDocument(factsheet.render_pdf(sheet))
    text = " ".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    text = " ".join(text.split())
    assert "67 cities across 13 states received support for civic justice" in text
    assert "not available: no participant records" in text
    assert "Synthetic demo data" in text
    # Indicators without data in the period: one line naming them, not a row each.
    assert text.count("Without data for this period:") == 1
    # (Spaces dropped: a line may break after a code's hyphen, which the text layer gives as
    # U+FFFE.)
    tail = text.split("Without data for this period:")[1].replace("\ufffe", "-")
    without = "".join(tail.split())
    missing = [r.code for r in sheet.rows if r.result.value is None]
    assert missing and [code for code in missing if code not in without] == []
