"""The API and the CSV import: scoped, no guessable ids, atomic with a per-row report."""

import pytest
from rest_framework.test import APIClient

from civica.participants.imports import ImportFailed, import_instrument_csv, import_persons_csv
from civica.participants.models import Enrollment, Instrument, Person
from civica.participants.tests.factories import consent, enrolled, register

pytestmark = pytest.mark.django_db

HEADER = (
    "given_names,family_names,birth_date,sex,curp,municipality,consent_given_by,"
    "guardian_name,consent_date,follow_up,track,referral_source,start_date\n"
)
GOOD = (
    "Ana,Ruiz,2009-02-03,F,,09015,guardian,Rosa Ruiz,2023-01-02,sí,prevention,school,2023-01-05\n"
)


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_list_has_no_personal_fields_and_only_the_organization(personas, territory):
    mine = register(personas, territory)
    register(
        personas, territory, actor=personas.worker_b, organization=personas.org_b, given_names="Eva"
    )
    body = api(personas.worker_a).get("/api/persons/").json()
    assert [row["pid"] for row in body["results"]] == [mine.pid]
    assert set(body["results"][0]) == {"pid", "sex", "municipality", "age_band"}


def test_another_organizations_person_is_404_by_pid_and_absent_from_filters(personas, territory):
    theirs = register(personas, territory, actor=personas.worker_b, organization=personas.org_b)
    client = api(personas.worker_a)
    assert client.get(f"/api/persons/{theirs.pid}/").status_code == 404
    assert client.get(f"/api/persons/{theirs.pid}/services/").status_code == 404
    assert client.get("/api/persons/", {"pid": theirs.pid}).json()["results"] == []
    assert client.get(f"/api/persons/{theirs.pk}/").status_code == 404  # a database id


def test_officers_get_403(personas):
    assert api(personas.officer).get("/api/persons/").status_code == 403


def test_a_duplicate_registration_answers_409_with_the_candidate(personas, territory):
    mine = register(personas, territory)
    response = api(personas.worker_a).post(
        "/api/persons/",
        {
            "given_names": "María Fernanda",
            "family_names": "López Hernández",
            "birth_date": "2008-05-20",
            "sex": "F",
            "municipality": "09015",
        },
        format="json",
    )
    assert response.status_code == 409 and response.json()["candidates"] == [mine.pid]


def test_a_service_is_recorded_through_the_api(personas, territory):
    person = register(personas, territory)
    consent(person)
    enrolled(personas, person)
    client = api(personas.worker_a)
    response = client.post(
        f"/api/persons/{person.pid}/services/",
        {"kind": "mentoring", "date": "2023-02-01"},
        format="json",
    )
    assert response.status_code == 201
    assert client.get(f"/api/persons/{person.pid}/services/").json()[0]["kind"] == "mentoring"


def test_the_import_is_all_or_nothing_with_line_and_column(personas, territory):
    bad = "Luis,Soto,2008-01-01,Q,,99999,guardian,X,2023-13-01,,prevention,school,2023-01-05\n"
    with pytest.raises(ImportFailed) as caught:
        import_persons_csv(
            actor=personas.worker_a, organization=personas.org_a, text=HEADER + GOOD + bad
        )
    found = {(e.line, e.column) for e in caught.value.errors}
    assert found == {(3, "sex"), (3, "municipality"), (3, "consent_date")}
    assert Person.objects.count() == 0
    result = import_persons_csv(
        actor=personas.worker_a, organization=personas.org_a, text=HEADER + GOOD
    )
    assert len(result.pids) == 1
    assert Enrollment.objects.get().person.pid == result.pids[0]


def test_a_rule_broken_in_a_row_is_reported_for_its_column(personas, territory):
    minor_alone = GOOD.replace("guardian,Rosa Ruiz", "person,")
    with pytest.raises(ImportFailed) as caught:
        import_persons_csv(
            actor=personas.worker_a, organization=personas.org_a, text=HEADER + minor_alone
        )
    assert [(e.line, e.column) for e in caught.value.errors] == [(2, "consent_given_by")]
    assert Person.objects.count() == 0


def test_the_api_import_reports_errors_as_json(personas, territory):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("p.csv", (HEADER + GOOD.replace(",F,", ",Z,")).encode())
    response = api(personas.worker_a).post(
        "/api/persons/import/", {"file": upload}, format="multipart"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["line"] == 2
    assert response.json()["errors"][0]["column"] == "sex"


def test_an_instrument_is_imported_from_a_sheet_as_a_new_version():
    sheet = "scale,scale_label,item,item_label,threshold,scoring,min,max\n" + "".join(
        f"S{n},Escala {n},s{n}{k},Pregunta,5,sum,0,4\n" for n in range(1, 10) for k in "ab"
    )
    first = import_instrument_csv(code="yset", name="YSET", min_scales=4, text=sheet)
    second = import_instrument_csv(code="yset", name="YSET", min_scales=4, text=sheet)
    assert (first.version, second.version) == (1, 2)
    assert len(first.scales) == 9 and first.definition["answers"] == {"min": 0.0, "max": 4.0}
    assert first.scales[0]["item_labels"] == {"s1a": "Pregunta", "s1b": "Pregunta"}
    assert first.score(
        {f"s{n}{k}": 3 for n in range(1, 5) for k in "ab"}
        | {f"s{n}{k}": 0 for n in range(5, 10) for k in "ab"}
    ).eligible
    with pytest.raises(ImportFailed):
        import_instrument_csv(code="yset", name="YSET", min_scales=12, text=sheet)
    assert Instrument.objects.count() == 2
