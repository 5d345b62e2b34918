"""The aggregate pages of civic justice: dashboard, breakdown and reincidence, with CSV files
through the audited download; no personal data on them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from civica.audit.models import AuditEvent
from civica.justice.models import PresentedPerson
from civica.justice.synthetic import load
from civica.justice.synthetic_book import MunicipalityBook

pytestmark = pytest.mark.django_db

END = dt.datetime(2026, 11, 30, 4, 0)
BOOKS = (MunicipalityBook("09015", 500),)
QUERY = "start=2025-01-01&end=2025-06-30"


@pytest.fixture
def book(personas):
    load(end=END, seed=8, books=BOOKS)


def test_the_dashboard_shows_every_indicator_with_its_denominator(client, personas, book):
    client.force_login(personas.analyst_cuauhtemoc)
    page = client.get(reverse("justice:indicators") + "?" + QUERY)
    assert page.status_code == 200
    text = page.content.decode()
    assert "<svg" in text and "Cuauhtémoc" in text
    assert text.count("justice/indicators/breakdown/?measure=") == 16
    person = PresentedPerson.objects.first()
    assert person.pid not in text and person.family_names not in text


def test_the_breakdown_lists_groups_by_each_dimension(client, personas, book):
    client.force_login(personas.analyst_cuauhtemoc)
    url = reverse("justice:indicator") + f"?measure=screened&{QUERY}"
    text = client.get(url).content.decode()
    for group in ("2025-01", "2025-06", "Juzgado Cívico 1"):
        assert group in text
    csv = client.get(url + "&format=csv")
    assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")
    body = b"".join(csv.streaming_content if csv.streaming else [csv.content]).decode()
    assert body.splitlines()[0].startswith("indicator,parameter,start")
    assert AuditEvent.objects.filter(object_type="justice.Indicator").exists()


def test_reincidence_shows_the_cohort_curves_and_the_not_an_effect_note(client, personas, book):
    client.force_login(personas.analyst_cuauhtemoc)
    text = client.get(
        reverse("justice:reincidence") + "?start=2024-01-01&end=2024-12-31"
    ).content.decode()
    assert "Kaplan" in text and "<polygon" in text
    assert "no un efecto" in text
    assert "nuevo contacto" in text.lower()


def test_an_analyst_of_another_municipality_sees_nothing_of_it(client, personas, book):
    client.force_login(personas.analyst_tijuana)
    text = client.get(reverse("justice:indicators") + "?" + QUERY).content.decode()
    assert "Cuauhtémoc" not in text
    assert client.get(reverse("justice:indicators") + "?municipality=09015").status_code == 404
