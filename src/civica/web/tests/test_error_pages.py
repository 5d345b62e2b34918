"""404, 403 and 500 pages in the site's style and the user's language, with a way back."""

import pytest
from django.test import override_settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_missing_page_is_in_spanish_with_the_navigation(client, personas):
    client.force_login(personas.donor)
    page = client.get("/no-existe/", HTTP_ACCEPT_LANGUAGE="es-mx")
    body = page.content.decode()
    assert page.status_code == 404
    assert "Página no encontrada" in body and "Volver al tablero" in body
    assert 'class="topbar"' in body and reverse("home") in body


def test_a_forbidden_page_says_who_to_ask(client, personas):
    client.force_login(personas.case_worker)
    page = client.get("/monitoring/", HTTP_ACCEPT_LANGUAGE="es-mx")
    body = page.content.decode()
    assert page.status_code == 403
    assert "Acceso no permitido" in body and "administrador" in body and 'class="topbar"' in body


@override_settings(DEBUG=False)
def test_the_server_error_page_renders_on_its_own():
    from django.template import loader
    from django.utils import translation

    with translation.override("es-mx"):
        body = loader.get_template("500.html").render()
    assert "Algo salió mal" in body and "civica.css" in body and 'href="/"' in body


def test_record_types_read_as_words_in_the_audit_log():
    from django.utils import translation

    from civica.web.templatetags.civica_labels import model_label, model_labels

    with translation.override("es-mx"):
        assert model_label("participants.Person") == "persona"
        assert model_labels("participants.Instrument 2026-12") == "instrumento de tamizaje 2026-12"
        assert model_label("gone.Model") == "gone.Model"
