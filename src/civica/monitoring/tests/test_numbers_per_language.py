"""One number format per language on every page: Django's es_MX format (29,651.5), the same
figure written the same way on the monitoring dashboard, a municipality's population table
and in the chart helper, in Spanish and in English."""

import pytest
from django.urls import reverse
from django.utils import translation

from civica.monitoring.catalogue import default_catalogue_path, load_indicators_csv
from civica.monitoring.models import Indicator, Target
from civica.monitoring.tests.factories import cover, make_activity
from civica.tables import number_text

pytestmark = pytest.mark.django_db


def test_the_helper_writes_django_s_locale_format():
    assert number_text(29651.5, "es-mx") == "29,651.5"
    assert number_text(29651.5, "es") == "29,651.5"  # not Spain's 29.651,5
    assert number_text(29651, "en") == "29,651"
    with translation.override("es-mx"):
        assert number_text(1234567) == "1,234,567"


@pytest.mark.parametrize("language", ["es-mx", "en"])
def test_a_dashboard_target_and_a_population_read_the_same_in_each_language(
    client, territory, personas, language
):
    load_indicators_csv(path=default_catalogue_path())
    cover(make_activity(), territory.cuauhtemoc, "direct")
    Target.objects.create(
        indicator=Indicator.objects.get(code="CJ-MUN"), period="FY2023", value=29651
    )
    client.force_login(personas.officer)
    headers = {"HTTP_ACCEPT_LANGUAGE": language}
    dashboard = client.get("/monitoring/?period=FY2023", **headers).content.decode()
    assert "29,651" in dashboard and "29\u00a0651" not in dashboard
    place = client.get(reverse("territory:municipality", args=["09015"]), **headers)
    assert "550,000" in place.content.decode()
