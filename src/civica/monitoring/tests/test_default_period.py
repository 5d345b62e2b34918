"""Pages open on the latest fiscal year with records, and say so, instead of a year of zeros."""

import datetime as dt

import pytest
from django.urls import reverse

from civica.monitoring.views import _default_period
from civica.participants import casework
from civica.participants.tests.factories import consent, enrolled, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def served_in_fy2023(personas, territory):
    person = register(personas, territory)
    consent(person)
    enrollment = enrolled(personas, person, start=dt.date(2023, 1, 15))
    casework.record_service(
        actor=personas.worker_a, enrollment=enrollment, kind="mentoring", date=dt.date(2023, 2, 1)
    )
    return personas


def test_without_records_the_current_fiscal_year_opens(db):
    assert _default_period(dt.date(2026, 12, 6)) == ("FY2027", "")


def test_a_year_without_records_gives_way_to_the_latest_with_some(served_in_fy2023):
    label, note = _default_period(dt.date(2026, 12, 6))
    assert label == "FY2023" and "FY2027" in note and "FY2023" in note
    # Once the current year has a record, it opens on the current year.
    assert _default_period(dt.date(2023, 3, 1)) == ("FY2023", "")


@pytest.mark.parametrize("name", ["monitoring:dashboard", "monitoring:factsheet"])
def test_the_pages_open_on_it_and_say_so(client, served_in_fy2023, name):
    client.force_login(served_in_fy2023.officer)
    body = client.get(reverse(name), HTTP_ACCEPT_LANGUAGE="es-mx").content.decode()
    assert "FY2023" in body
    assert "el último periodo con datos" in body


def test_an_explicit_period_is_kept_without_a_note(client, served_in_fy2023):
    client.force_login(served_in_fy2023.officer)
    body = client.get(reverse("monitoring:dashboard") + "?period=FY2025").content.decode()
    assert "FY2025" in body and "el último periodo con datos" not in body


def test_a_donor_downloads_the_fact_sheet_they_read(client, served_in_fy2023):
    client.force_login(served_in_fy2023.donor)
    page = client.get(reverse("monitoring:factsheet") + "?period=FY2023").content.decode()
    assert reverse("monitoring:factsheet-pdf") in page
    from civica.jobs.testing import run_queued_jobs

    url = reverse("monitoring:factsheet-pdf") + "?period=FY2023"
    assert client.get(url).status_code == 200  # the job's progress page
    assert run_queued_jobs() == 1
    pdf = client.get(url)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    client.force_login(served_in_fy2023.worker_a)
    assert client.get(reverse("monitoring:factsheet-pdf")).status_code == 403
