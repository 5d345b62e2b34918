"""Forms that offer the municipality list read names, never the boundaries (a boundary's
GeoJSON is kilobytes: 2,475 of them made the organizations page and the registration form
take half a second), and label each as "Name (State)"."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from civica.organizations.forms import OrganizationForm
from civica.participants.forms import PersonForm

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("form_class", [OrganizationForm, PersonForm])
def test_the_municipality_list_reads_no_boundary(form_class, territory):
    form = form_class()
    with CaptureQueriesContext(connection) as queries:
        choices = list(form.fields["municipality"].choices)
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert "territory_municipality" in sql and "geometry" not in sql
    labels = [label for _value, label in choices]
    assert f"{territory.cuauhtemoc.name} ({territory.cuauhtemoc.state.name})" in labels
