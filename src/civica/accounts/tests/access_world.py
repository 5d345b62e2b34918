"""A world for the access matrix: one user per role in Cuauhtémoc and organization A, and a
record of every kind in Tijuana and organization B, each carrying the marker ``ZZOTRO`` so a
leak shows in any answer's body."""

from __future__ import annotations

import csv
import datetime as dt
from types import SimpleNamespace

from civica.accounts.access import SYSTEM
from civica.accounts.roles import Role
from civica.organizations.models import Organization, OrganizationKind
from civica.territory.models import Sector, SectorKind
from civica.territory.tests.factories import square
from civica.testing.personas import make_user

MARKER = "ZZOTRO"


def make_personas(territory, org_a) -> dict:
    """One signed-in user per role, scoped to Cuauhtémoc and organization A."""
    users = {}
    for role in Role:
        user = make_user(
            f"u_{role.value}",
            role,
            municipalities=[] if role == Role.ADMINISTRATOR else [territory.cuauhtemoc],
        )
        user.organizations.set([org_a])
        users[role.value] = user
    return users


def _incident_layer(path, territory):
    from civica.incidents import services

    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["folio", "fecha", "hora", "delito", "lat", "lon"])
        for i in range(6):
            writer.writerow([f"c{i}", f"2024-03-{i + 1:02d}", "12:00", "ROBO", 19.435, -99.155])
            writer.writerow([f"t{i}", f"2024-03-{i + 1:02d}", "12:00", MARKER, 32.465, -116.985])
    services.ingest_incidents(
        path=path,
        layer="capa",
        mapping={"id": "folio", "date": "fecha", "time": "hora", "crime": "delito"}
        | {"lat": "lat", "lon": "lon"},
        sectors_layer="sectores",
        version="2024-04",
    )


def make_other_scope(territory, tmp_path) -> SimpleNamespace:
    """Records of Tijuana and organization B that no persona but the administrator may see."""
    from civica.interventions.models import EvaluationDesign
    from civica.interventions.tests.factories import design_fields, make_intervention
    from civica.participants import casework, services
    from civica.participants.models import Track
    from civica.participants.tests.factories import make_instrument

    org_a = Organization.objects.create(
        name="Fundación A", kind=OrganizationKind.CIVIL_SOCIETY, municipality=territory.cuauhtemoc
    )
    # Organizations are a directory every signed-in user reads (organizations:list): the
    # other one's name is no secret, its persons are.
    org_b = Organization.objects.create(
        name="Colectivo B",
        kind=OrganizationKind.CIVIL_SOCIETY,
        municipality=territory.tijuana,
    )
    worker_b = make_user("wb", Role.CASE_WORKER, municipalities=[territory.tijuana])
    worker_b.organizations.set([org_b])
    sector = Sector.objects.create(
        municipality=territory.tijuana,
        layer="sectores",
        kind=SectorKind.SECTOR,
        name=f"Sector {MARKER}",
        geometry=square(-116.97, 32.47),
        area_km2=1.0,
    )
    intervention = make_intervention(
        territory, sectors=[sector], municipality=territory.tijuana, name=f"Patrullaje {MARKER}"
    )
    design = EvaluationDesign.objects.create(intervention=intervention, **design_fields())
    person = services.register_person(
        actor=worker_b,
        organization=org_b,
        given_names=MARKER,
        family_names=f"{MARKER} López",
        birth_date="2008-05-20",
        sex="F",
        municipality=territory.tijuana,
    )
    services.record_consent(
        actor=worker_b,
        person=person,
        given_by="guardian",
        guardian_name=f"Rosa {MARKER}",
        given_on=dt.date(2024, 1, 10),
        participation=True,
        follow_up=True,
    )
    enrollment = casework.enroll(
        actor=worker_b,
        person=person,
        organization=org_b,
        track=Track.PREVENTION,
        referral_source="school",
        start_date=dt.date(2024, 1, 15),
        case_worker=worker_b,
    )
    goal = casework.add_goal(actor=worker_b, enrollment=enrollment, description=MARKER)
    _incident_layer(tmp_path / "incidentes.csv", territory)
    from civica.jobs.models import Job

    job = Job.objects.create(owner=worker_b, kind="near_repeat", label=MARKER, key="k")
    from civica.problems.models import Milestone, Problem, ProblemAnalysis, ProblemResponse

    problem = Problem.objects.create(
        title=f"Robos {MARKER}", municipality=territory.tijuana, crimes=["ROBO"]
    )
    problem.sectors.set([sector])
    problem_analysis = ProblemAnalysis.objects.create(
        problem=problem, kind="temporal_profile", summary=MARKER
    )
    problem_response = ProblemResponse.objects.create(
        problem=problem,
        intervention=intervention,
        technique="target_harden",
        owner=MARKER,
        start_date=dt.date(2024, 1, 1),
    )
    milestone = Milestone.objects.create(
        response=problem_response, name=MARKER, planned_date=dt.date(2024, 2, 1)
    )
    from civica.police.models import Scenario

    scenario = Scenario.objects.create(
        municipality=territory.tijuana,
        name=f"Escenario {MARKER}",
        target="ratio",
        current_officers=100,
        monthly_pay=20000,
        monthly_benefits=5000,
        one_off_per_hire=100000,
        first_year=2025,
        budget=1000000,
        funds_per_year=0,
    )
    justice = _justice_case(territory)
    lottery, cohort, task = _reinsertion(territory, org_b, worker_b, person)
    declined = _declined_court_referral(territory, org_a)
    return SimpleNamespace(
        problem=problem,
        problem_analysis=problem_analysis,
        problem_response=problem_response,
        milestone=milestone,
        scenario=scenario,
        juzgado=justice.juzgado,
        justice_case=justice.case,
        mediation=justice.mediation,
        catalogue=justice.catalogue,
        offence=justice.offence,
        org_a=org_a,
        org_b=org_b,
        sector=sector,
        intervention=intervention,
        design=design,
        person=person,
        declined=declined,
        enrollment=enrollment,
        goal=goal,
        job=job,
        instrument=make_instrument(),
        lottery=lottery,
        cohort=cohort,
        task=task,
    )


def _justice_case(territory) -> SimpleNamespace:
    """A juzgado of Tijuana with a case (its person named with the marker) and a mediation;
    Tijuana's catalogue of faltas is law, readable by everyone, so it carries no marker."""
    from django.utils import timezone

    from civica.accounts.access import SYSTEM
    from civica.justice import services as justice
    from civica.justice.catalogue import import_catalogue_csv
    from civica.justice.models import Juzgado

    bando = (
        "code,article,fraction,text,family,class,fine_min,fine_max,community_hours_min,"
        "community_hours_max,arrest_hours_min,arrest_hours_max\n"
        "TIJ-1,5,I,Escandalizar en la vía pública,tranquilidad,A,1,10,3,6,6,12\n"
    )
    catalogue, _summary = import_catalogue_csv(
        source=bando.encode(),
        municipality=territory.tijuana,
        valid_from=dt.date(2020, 1, 1),
        ordenamiento="Bando de Policía y Gobierno de Tijuana",
    )
    juzgado = Juzgado.objects.create(municipality=territory.tijuana, name=f"Juzgado {MARKER}")
    now = timezone.now()
    case = justice.open_case(
        actor=SYSTEM,
        juzgado=juzgado,
        person={
            "given_names": MARKER,
            "family_names": f"{MARKER} Ruiz",
            "birth_date": "1990-01-01",
        },
        presented_at=now - dt.timedelta(hours=2),
        detained_at=now - dt.timedelta(hours=3),
        narrative=MARKER,
        folio=f"{MARKER}-1",
        offences=list(catalogue.offences.all()),
    )
    mediation = justice.add_mediation(actor=SYSTEM, case=case, parties=MARKER, agreement=MARKER)
    return SimpleNamespace(
        juzgado=juzgado,
        case=case,
        mediation=mediation,
        catalogue=catalogue,
        offence=catalogue.offences.get(),
    )


def _reinsertion(territory, org_b, worker_b, person):
    """A facility, a cohort, a drawn lottery and a woman's transition task of organization B
    (reinsertion)."""
    from civica.reinsertion import lottery, services

    facility = services.create_facility(
        actor=SYSTEM,
        state=territory.bc,
        name=f"CERESO {MARKER}",
        kind="women",
        organizations=[org_b],
        recordable=["attendance", "transition"],
        entry_roles=["case_worker"],
    )
    stay = services.admit(
        actor=SYSTEM,
        person=person,
        facility=facility,
        organization=org_b,
        legal_status="sentenced",
        admission_date=dt.date(2024, 1, 12),
        expected_release=dt.date(2030, 6, 1),
    )
    plan = services.start_plan(actor=SYSTEM, custody=stay, started_on=dt.date(2024, 1, 13))
    task = services.add_task(actor=SYSTEM, plan=plan, area="housing", description=MARKER)
    cohort = services.create_cohort(
        actor=worker_b,
        facility=facility,
        organization=org_b,
        kind="course",
        name=f"Curso {MARKER}",
        start_date=dt.date(2024, 1, 1),
    )
    draw = lottery.create_lottery(
        actor=worker_b, organization=org_b, name=f"Sorteo {MARKER}", places=1
    )
    lottery.add_applicant(
        actor=worker_b,
        lottery=draw,
        person=person,
        applied_on=dt.date(2024, 1, 20),
        risk_level="high",
    )
    return draw, cohort, task


def _declined_court_referral(territory, org_a):
    """A person a civic court referred to organization A — the personas' own — which declined:
    registered for the referral only, so out of A's reach like any other scope's record
    (``Person.held_for_referral``). Returns the person."""
    from civica.justice.diversion import IDENTIFICATION
    from civica.participants import casework, services

    person = services.register_person(
        actor=SYSTEM,
        organization=org_a,
        held_for_referral=True,
        given_names=MARKER,
        family_names=f"{MARKER} Canalizado",
        birth_date="2004-03-02",
        sex="M",
        municipality=territory.cuauhtemoc,
    )
    services.record_consent(
        actor=SYSTEM,
        person=person,
        given_by="person",
        given_on=dt.date(2024, 2, 1),
        participation=True,
        follow_up=True,
        share_with=[org_a],
        shared_fields=IDENTIFICATION,
    )
    referral = casework.refer_from_court(
        actor=SYSTEM,
        person=person,
        to_organization=org_a,
        reference=f"Juzgado {MARKER} · 1",
        reason="Medida para Mejorar la Convivencia Cotidiana (MMCC)",
        track="prevention",
    )
    casework.answer_referral(actor=SYSTEM, referral=referral, accept=False, decline_reason=MARKER)
    return person
