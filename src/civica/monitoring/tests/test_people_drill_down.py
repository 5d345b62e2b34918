"""The drill-down behind the people figures: aggregate breakdown and the persons behind it.

Hand-built records (FY2023, first service 1 Feb 2023):

* organization A, Cuauhtémoc (CDMX), reinsertion: 43 persons — 3 women 15–17, 22 men 15–17,
  18 men 18–19 — one service each;
* organization B, prevention: 6 men 18–19 in Tijuana (BC) with one service each, and 1 man
  18–19 in Ensenada (BC) with 10 services.

So 50 persons and 59 services. With the threshold 5: by municipality 43 / 1 / 6 shows
Cuauhtémoc only (Ensenada is below 5, Tijuana its complement); by sex 3 / 47 shows nothing.
"""

import datetime as dt

import pytest
from django.conf import settings

from civica.accounts.access import SYSTEM
from civica.audit.models import Action, AuditEvent
from civica.indicators import Context
from civica.monitoring import people_views
from civica.monitoring.catalogue import default_catalogue_path, load_indicators_csv
from civica.monitoring.periods import parse_period
from civica.monitoring.reports import people
from civica.monitoring.reports.report import indicator_rows
from civica.participants import casework
from civica.participants.models import Person, Sex, Track
from civica.participants.tests.factories import consent, enrolled, register

pytestmark = pytest.mark.django_db

FEB = dt.date(2023, 2, 1)


def _person(personas, territory, n, *, sex, born, org, worker, municipality, track, services=1):
    person = register(
        personas,
        territory,
        actor=worker,
        organization=org,
        not_duplicate_of=[p.pid for p in Person.objects.all()],
        given_names=f"Persona {n}",
        family_names=f"Prueba {n}",
        birth_date=(born + dt.timedelta(days=n)).isoformat(),
        sex=sex,
        municipality=municipality,
    )
    consent(person)
    enrollment = enrolled(personas, person, organization=org, track=track, worker=worker)
    for day in range(services):
        casework.record_service(
            actor=worker, enrollment=enrollment, kind="mentoring", date=FEB + dt.timedelta(day)
        )
    return person


@pytest.fixture
def personas(personas, territory):
    """The shared personas, with 43 persons of A and 7 of B reached in FY2023."""
    load_indicators_csv(path=default_catalogue_path())
    a = (
        [(Sex.FEMALE, dt.date(2006, 6, 1))] * 3
        + [(Sex.MALE, dt.date(2006, 6, 1))] * 22
        + [(Sex.MALE, dt.date(2004, 6, 1))] * 18
    )
    for n, (sex, born) in enumerate(a):
        _person(
            personas,
            territory,
            n,
            sex=sex,
            born=born,
            org=personas.org_a,
            worker=personas.worker_a,
            municipality=territory.cuauhtemoc,
            track=Track.REINSERTION,
        )
    for n in range(7):
        _person(
            personas,
            territory,
            100 + n,
            sex=Sex.MALE,
            born=dt.date(2004, 6, 1),
            org=personas.org_b,
            worker=personas.worker_b,
            municipality=territory.ensenada if n == 6 else territory.tijuana,
            track=Track.PREVENTION,
            services=10 if n == 6 else 1,
        )
    # Case workers and supervisors see the figure of their territory: here all of it.
    for user in (personas.worker_b, personas.supervisor_a):
        user.nationwide = True
        user.save()
    personas.pids_a = set(
        Person.objects.filter(organization=personas.org_a).values_list("pid", flat=True)
    )
    personas.pids_b = set(
        Person.objects.filter(organization=personas.org_b).values_list("pid", flat=True)
    )
    return personas


FY2023 = Context(period=parse_period("FY2023"))


def _values(groups):
    return [(g.label, g.value, g.suppressed) for g in groups]


def test_the_breakdown_matches_the_hand_count_with_small_cells_and_complements_hidden(personas):
    groups = people.breakdown(SYSTEM, FY2023, kind="persons")
    assert _values(groups["municipality_id"]) == [
        ("Cuauhtémoc (Ciudad de México)", 43, False),
        ("Ensenada (Baja California)", None, True),  # 1 person
        ("Tijuana (Baja California)", None, True),  # else 50 − 43 − 6 gives the 1 back
    ]
    assert _values(groups["state_id"]) == [
        ("Baja California", 7, False),
        ("Ciudad de México", 43, False),
    ]
    assert [(g.key, g.value) for g in groups["track"]] == [("prevention", 7), ("reinsertion", 43)]
    assert [(g.key, g.value, g.suppressed) for g in groups["sex"]] == [
        ("F", None, True),
        ("M", None, True),
    ]
    assert [(g.key, g.value) for g in groups["age_band"]] == [("15-17", 25), ("18-19", 25)]


def test_the_breakdown_agrees_with_the_indicator_tables_cells(personas):
    """Reference: the indicator table computes sex and age band cells its own way (the
    computation's cells through ``report._cells``); the drill-down must say the same."""
    youth = {r.code: r for r in indicator_rows(FY2023)}["YOUTH-REACHED"]
    assert youth.value == 50
    table = {dict(c.categories).popitem(): (c.value, c.suppressed) for c in youth.cells}
    groups = people.breakdown(SYSTEM, FY2023, kind="persons", tracks=list(Track.values))
    drill = {(d, g.key): (g.value, g.suppressed) for d in ("sex", "age_band") for g in groups[d]}
    assert drill == table


def test_a_service_group_of_few_persons_is_hidden_however_many_services(personas):
    groups = people.breakdown(SYSTEM, FY2023, kind="services")
    by_place = {g.label.split(" (")[0]: (g.value, g.suppressed) for g in groups["municipality_id"]}
    # Ensenada: 10 services but one youth; Tijuana hidden as its complement.
    assert by_place == {
        "Cuauhtémoc": (43, False),
        "Ensenada": (None, True),
        "Tijuana": (None, True),
    }
    assert [(g.key, g.value) for g in groups["track"]] == [("prevention", 16), ("reinsertion", 43)]


def test_a_higher_threshold_hides_more(personas, settings):
    settings.CIVICA_SUPPRESSION_THRESHOLD = 8
    groups = people.breakdown(SYSTEM, FY2023, kind="persons")
    assert _values(groups["state_id"]) == [
        ("Baja California", None, True),
        ("Ciudad de México", None, True),
    ]


def test_the_indicator_table_links_people_figures_for_aggregate_viewers(client, personas):
    client.force_login(personas.donor)
    page = client.get("/monitoring/?period=FY2023")
    rows = {r["row"].code: r["row"] for r in page.context["rows"]}
    url = rows["YOUTH-REACHED"].records_url
    assert url.startswith("/monitoring/people/?period=FY2023&kind=persons&tracks=prevention")
    assert url.endswith("&indicator=YOUTH-REACHED")
    assert rows["SERVICES"].records_url.endswith("kind=services&indicator=SERVICES")
    assert "/monitoring/people/?period=FY2023Q2&amp;kind=persons" in page.content.decode()
    assert "/monitoring/coverage/" not in page.content.decode()  # still no records for donors
    sheet = client.get("/monitoring/factsheet/?period=FY2023").content.decode()
    assert "/monitoring/people/?period=FY2023&amp;kind=persons" in sheet
    assert "indicator=YOUTH-REACHED" in sheet


def test_a_donor_sees_the_breakdown_but_no_person_and_cannot_export(client, personas):
    client.force_login(personas.donor)
    response = client.get("/monitoring/people/?period=FY2023&indicator=YOUTH-REACHED")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Cuauhtémoc (Ciudad de México)" in text and "Grupo de edad" in text
    assert response.context["behind"] is None
    assert not any(pid in text for pid in personas.pids_a | personas.pids_b)
    assert "/monitoring/people.csv" not in text
    assert client.get("/monitoring/people.csv?period=FY2023&kind=persons").status_code == 403
    # A municipal analyst's breakdown counts their municipality only.
    client.force_login(personas.analyst_tijuana)
    tijuana = client.get("/monitoring/people/?period=FY2023&kind=persons").context
    assert tijuana["total"] == "6" and tijuana["behind"] is None
    (places,) = [s["groups"] for s in tijuana["sections"] if s["title"] == "Municipio"]
    assert [(g["label"], g["display"]) for g in places] == [("Tijuana (Baja California)", "6")]


def test_a_case_worker_of_b_sees_only_bs_pids_and_how_many_are_outside(client, personas):
    client.force_login(personas.worker_b)
    viewed = AuditEvent.objects.filter(action=Action.VIEW, personal_data=True)
    before = viewed.count()
    response = client.get("/monitoring/people/?period=FY2023&indicator=YOUTH-REACHED")
    assert response.status_code == 200
    behind = response.context["behind"]
    assert set(behind.pids) == personas.pids_b and behind.outside == 43 and behind.total == 50
    text = response.content.decode()
    assert not any(pid in text for pid in personas.pids_a)
    assert f'href="/participants/{sorted(personas.pids_b)[0]}/"' in text
    assert "fuera de sus organizaciones: 43" in text
    assert response.context["sections"] == []  # a case worker has no aggregates
    assert "María" not in text and "Prueba" not in text  # never names
    assert viewed.count() == before  # ids only: not a view of personal data


def test_a_small_outside_count_is_written_below_the_threshold(client, personas):
    client.force_login(personas.supervisor_a)
    response = client.get("/monitoring/people/?period=FY2023&kind=persons&state=02")
    behind = response.context["behind"]
    assert behind.pids == [] and behind.outside == 7 and response.context["outside"] == "7"
    response = client.get(
        "/monitoring/people/?period=FY2023&kind=services&tracks=prevention&state=02"
    )
    assert response.context["behind"].total == 7
    client.force_login(personas.worker_b)
    response = client.get("/monitoring/people/?period=FY2023&kind=persons&tracks=prevention")
    assert response.context["outside"] == "0"
    personas.worker_b.nationwide = False
    personas.worker_b.save()
    personas.worker_b.municipalities.set([personas.org_b.municipality])
    response = client.get("/monitoring/people/?period=FY2023&kind=persons")
    # Tijuana only: B's 6 persons, none outside.
    assert len(response.context["behind"].pids) == 6 and response.context["outside"] == "0"


def test_the_supervisors_list_is_paginated_and_in_english(client, personas, monkeypatch):
    monkeypatch.setattr(people_views, "PIDS_PER_PAGE", 20)
    client.force_login(personas.supervisor_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    url = "/monitoring/people/?period=FY2023&indicator=YOUTH-REACHED"
    first = client.get(url)
    assert first.context["page"].paginator.num_pages == 3
    text = first.content.decode()
    assert (
        "Age band" in text and "Page 1 of 3" in text and "43 persons of your organizations" in text
    )
    assert "Persons of this figure outside your organizations: 7 (not listed)." in text
    last = client.get(url + "&page=3")
    shown = set(first.context["page"].object_list) | set(last.context["page"].object_list)
    assert len(last.context["page"].object_list) == 3 and shown <= personas.pids_a


def test_the_csv_export_is_suppressed_and_audited(client, personas):
    client.force_login(personas.officer)
    response = client.get("/monitoring/people.csv?period=FY2023&indicator=YOUTH-REACHED")
    lines = response.content.decode().splitlines()
    assert lines[0] == "period,figure,unit,dimension,category,label,value,suppressed"
    assert "FY2023,YOUTH-REACHED,persons,sex,F,Mujer,,true" in lines
    assert (
        f"FY2023,YOUTH-REACHED,persons,state_id,{personas.org_a.municipality.state_id},"
        "Ciudad de México,43,false" in lines
    )
    assert not any(pid in response.content.decode() for pid in personas.pids_a | personas.pids_b)
    services = client.get("/monitoring/people.csv?period=FY2023&indicator=SERVICES")
    rows = services.content.decode().splitlines()
    assert "FY2023,SERVICES,services,track,prevention,Prevención,16,false" in rows
    ensenada = personas.org_b.municipality.__class__.objects.get(name="Ensenada").pk
    # Ten services but one youth: hidden.
    assert (
        f"FY2023,SERVICES,services,municipality_id,{ensenada},Ensenada (Baja California),,true"
        in rows
    )
    events = AuditEvent.objects.filter(action=Action.EXPORT, actor=personas.officer)
    assert events.count() == 2 and {e.object_type for e in events} == {
        "monitoring.persons_reached",
        "monitoring.services_delivered",
    }
    # An officer sees aggregates only: no pid list on the page.
    assert client.get("/monitoring/people/?period=FY2023&kind=persons").context["behind"] is None


def test_a_figure_that_is_not_about_people_has_no_such_drill_down(client, personas):
    client.force_login(personas.officer)
    assert client.get("/monitoring/people/?period=FY2023&indicator=CJ-MUN").status_code == 404
    assert client.get("/monitoring/people/?period=FY2023&kind=incidents").status_code == 404
    wrong = client.get("/monitoring/people/?period=FY2O23&kind=persons")
    assert wrong.status_code == 200 and wrong.context["period_error"]
    assert wrong.context["period_error"] in wrong.content.decode()


def test_the_ids_follow_the_participants_scope_rule_including_enrollments(personas, territory):
    """Reference: ``participants.selectors.persons`` (the person pages' scope). A person
    registered by A and enrolled with B is B's too."""
    from civica.participants.selectors import persons

    shared = _person(
        personas,
        territory,
        200,
        sex=Sex.FEMALE,
        born=dt.date(2005, 1, 1),
        org=personas.org_a,
        worker=personas.worker_a,
        municipality=territory.cuauhtemoc,
        track=Track.REINSERTION,
    )
    enrollment = enrolled(personas, shared, organization=personas.org_b, worker=personas.worker_b)
    casework.record_service(
        actor=personas.worker_b, enrollment=enrollment, kind="mentoring", date=FEB
    )
    for user in (personas.worker_b, personas.supervisor_a, personas.worker_a):
        behind = people.persons_behind(user, FY2023, kind="services")
        figure = set(
            Person.objects.filter(services__attended=True, services__date=FEB).values_list(
                "pid", flat=True
            )
        )
        assert set(behind.pids) == set(persons(user).values_list("pid", flat=True)) & figure
        assert behind.total == 51 and behind.outside == 51 - len(behind.pids)
    assert shared.pid in people.persons_behind(personas.worker_b, FY2023, kind="persons").pids
    assert len(people.persons_behind(personas.worker_b, FY2023, kind="persons").pids) == 8
