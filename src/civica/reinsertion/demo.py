"""The demo's reinsertion records, all SYNTHETIC and labelled so: a women's facility
("Centro Femenil sintético"), women admitted and released with courses, wellness groups,
work, transition plans and follow-ups after release, and a community-reinsertion lottery
drawn with a recorded seed, its winners enrolled (two crossovers from the waiting list) and
outcomes at 6 and 12 months with a planted effect — from the follow-ups after the exit of
the enrolled ones' cases, and recorded from the evaluation's survey for the others.

The lottery's draw date is set a year and a half back after it is drawn, so that its 6- and
12-month outcomes can exist in a demo: only this synthetic lottery is dated so.
"""

from __future__ import annotations

import datetime as dt
import random

from dateutil.relativedelta import relativedelta
from django.utils import timezone
from django.utils.translation import gettext as _

from civica.accounts.access import SYSTEM

FACILITY = "Centro Femenil sintético de Cívica"
LOTTERY = "Reinserción comunitaria 2024 (sorteo sintético)"
GIVEN = [
    "Ana",
    "Berenice",
    "Carmen",
    "Dolores",
    "Elena",
    "Fabiola",
    "Gabriela",
    "Hilda",
    "Irma",
    "Jimena",
    "Karla",
    "Leticia",
    "Mónica",
    "Norma",
    "Olga",
    "Paola",
    "Rocío",
    "Sara",
    "Teresa",
    "Úrsula",
    "Valeria",
    "Ximena",
    "Yolanda",
    "Zoe",
]
MALE = [
    "Arturo",
    "Bruno",
    "César",
    "Diego",
    "Emilio",
    "Fernando",
    "Gerardo",
    "Hugo",
    "Iván",
    "Jorge",
    "Kevin",
    "Luis",
]

__all__ = ["load"]


def _register(organization, municipality, n, *, sex="F", rng):
    from civica.participants import services
    from civica.participants.services import DuplicateSuspected

    names = GIVEN if sex == "F" else MALE
    fields = dict(
        given_names=names[n % len(names)],
        family_names=f"Sintético-R{n}",
        birth_date=dt.date(
            1993 + rng.randrange(9), 1 + rng.randrange(12), 1 + rng.randrange(28)
        ).isoformat(),
        sex=sex,
        municipality=municipality,
    )
    try:
        person = services.register_person(
            actor=SYSTEM, organization=organization, synthetic=True, **fields
        )
    except DuplicateSuspected as error:  # synthetic namesakes are different persons by construction
        person = services.register_person(
            actor=SYSTEM,
            organization=organization,
            synthetic=True,
            not_duplicate_of=[p.pid for p in error.candidates],
            **fields,
        )
    services.record_consent(
        actor=SYSTEM,
        person=person,
        given_by="person",
        given_on=dt.date(2022, 1, 10),
        participation=True,
        follow_up=True,
    )
    return person


def _detention(organization, facility, municipality, worker, rng, today):
    from civica.reinsertion import services

    stays = []
    for n in range(24):
        person = _register(organization, municipality, 100 + n, rng=rng)
        admission = dt.date(2022, 3, 1) + dt.timedelta(days=rng.randrange(500))
        expected = admission + relativedelta(months=rng.choice([14, 18, 24, 30]))
        stays.append(
            services.admit(
                actor=SYSTEM,
                person=person,
                facility=facility,
                organization=organization,
                legal_status=rng.choice(["sentenced", "sentenced", "pre_trial"]),
                admission_date=admission,
                expected_release=expected,
                case_worker=worker,
            )
        )
    course = services.create_cohort(
        actor=SYSTEM,
        facility=facility,
        organization=organization,
        kind="course",
        name="Costura industrial (sintético)",
        start_date=dt.date(2023, 2, 6),
        end_date=dt.date(2023, 6, 30),
        required_hours=30,
        certifies=True,
        synthetic=True,
    )
    wellness = services.create_cohort(
        actor=SYSTEM,
        facility=facility,
        organization=organization,
        kind="wellness",
        name="Grupo de bienestar (sintético)",
        start_date=dt.date(2023, 3, 1),
        end_date=dt.date(2023, 8, 31),
        required_hours=12,
        certifies=False,
        synthetic=True,
    )
    inside = [s for s in stays if s.admission_date <= dt.date(2023, 2, 1)]
    for cohort, weeks, hours in ((course, 20, 2), (wellness, 12, 1.5)):
        members = [services.add_member(actor=SYSTEM, cohort=cohort, custody=s) for s in inside]
        for week in range(weeks):
            day = cohort.start_date + dt.timedelta(weeks=week)
            present = [m.pk for m in members if rng.random() < 0.85]
            services.record_session(
                actor=SYSTEM,
                cohort=cohort,
                date=day,
                hours=hours,
                present=present,
                topic=_("Session %(n)s") % {"n": week + 1},
            )
        for member in members:
            if services.hours_of(member) >= cohort.required_hours:
                services.complete(actor=SYSTEM, member=member, on=cohort.end_date)
    for stay in inside[:10]:
        for month in range(3):
            services.record_work(
                actor=SYSTEM,
                custody=stay,
                month=dt.date(2023, 4 + month, 1),
                product=rng.choice(["Bolsas tejidas", "Pan dulce", "Uniformes"]),
                units_sold=rng.randrange(5, 40),
                income=rng.randrange(300, 1800),
                paid_how=rng.choice(["savings", "family", "account"]),
            )
    released = 0
    for stay in stays:
        release = stay.expected_release
        if release > today:
            if release - today <= dt.timedelta(days=45) and rng.random() < 0.5:
                plan = services.start_plan(
                    actor=SYSTEM, custody=stay, started_on=release - dt.timedelta(days=50)
                )
                services.add_task(
                    actor=SYSTEM,
                    plan=plan,
                    area="id_documents",
                    description="Tramitar credencial del INE",
                    owner=worker,
                    due_date=release - dt.timedelta(days=10),
                )
            continue
        if rng.random() < 0.7:
            plan = services.start_plan(
                actor=SYSTEM,
                custody=stay,
                started_on=max(
                    stay.admission_date, release - dt.timedelta(days=rng.choice([15, 45, 60]))
                ),
                received_by="Familiar (sintético)",
            )
            for area in ("id_documents", "housing", "work_study", "reception"):
                services.add_task(
                    actor=SYSTEM,
                    plan=plan,
                    area=area,
                    description=_("Synthetic task"),
                    owner=worker,
                    due_date=release - dt.timedelta(days=5),
                )
        services.record_release(actor=SYSTEM, custody=stay, actual_release=release)
        released += 1
        for months in (1, 3, 6, 12):
            day = release + relativedelta(months=months) + dt.timedelta(days=rng.randrange(10))
            if day > today or rng.random() < 0.1:
                continue
            services.record_follow_up(
                actor=SYSTEM,
                enrollment=stay.enrollment,
                months=months,
                date=day,
                housing=rng.choice(["stable", "stable", "temporary"]),
                activity=rng.choice(["employed", "studying", "neither", "employed"]),
                monthly_income=rng.randrange(0, 9000),
                family_contact=rng.random() < 0.8,
                new_arrest=rng.random() < 0.1,
                new_imprisonment=rng.random() < 0.05,
            )
    return len(stays), released


def _lottery(organization, municipality, rng, today):
    from civica.reinsertion import lottery
    from civica.reinsertion.models import Applicant, Arm, Lottery

    made = lottery.create_lottery(
        actor=SYSTEM,
        organization=organization,
        name=LOTTERY,
        places=24,
        strata=["sex", "risk_level"],
    )
    Lottery.objects.filter(pk=made.pk).update(synthetic=True)
    applied = today - relativedelta(months=19)
    for n in range(64):
        sex = "F" if n % 3 else "M"
        person = _register(organization, municipality, 300 + n, sex=sex, rng=rng)
        lottery.add_applicant(
            actor=SYSTEM,
            lottery=made,
            person=person,
            applied_on=applied,
            risk_level=rng.choice(["medium", "high", "high"]),
            eligible=rng.random() > 0.08,
        )
    made = lottery.draw(actor=SYSTEM, lottery=made, seed=20240415)
    drawn_on = applied + dt.timedelta(days=14)
    Lottery.objects.filter(pk=made.pk).update(
        drawn_at=timezone.make_aware(dt.datetime.combine(drawn_on, dt.time(10)))
    )
    made.refresh_from_db()
    for applicant in Applicant.objects.filter(lottery=made, arm=Arm.PROGRAM):
        if rng.random() < 0.85:
            lottery.enroll_applicant(
                actor=SYSTEM,
                applicant=applicant,
                start_date=drawn_on + dt.timedelta(days=7),
                referral_source="civic_judge",
            )
    for _n in range(2):
        freed = lottery.next_on_waiting_list(made)
        lottery.enroll_applicant(
            actor=SYSTEM,
            applicant=freed,
            start_date=drawn_on + dt.timedelta(days=30),
            referral_source="civic_judge",
            crossover_reason="Lugar liberado por una ganadora que no se inscribió (sintético)",
        )
    # Outcomes: those who took a place are followed up after the exit of their case (their
    # outcome is read from those follow-ups); the others have no case, so the evaluation
    # organization's survey is recorded for them (an outcome from another source).
    from civica.participants import casework
    from civica.reinsertion import services

    drawn_applicants = list(
        Applicant.objects.filter(lottery=made).exclude(arm="").select_related("enrollment")
    )
    exit_date = drawn_on + relativedelta(months=3)
    # Every case closed first, then the follow-ups: the audit log's latest page reads the
    # follow-ups (labelled by codes only).
    for applicant in drawn_applicants:
        case = applicant.enrollment
        if case is not None:
            casework.close_enrollment(
                actor=SYSTEM,
                enrollment=case,
                version=case.version,
                exit_date=exit_date,
                closure_reason="completed",
            )
    for applicant in drawn_applicants:
        case = applicant.enrollment
        for months in (6, 12):
            if rng.random() < 0.12:
                continue
            chance = 0.35 + (0.2 if applicant.took_up else 0.0)
            working = rng.random() < chance
            contact = rng.random() < (0.12 if applicant.took_up else 0.2)
            if case is not None:
                services.record_follow_up(
                    actor=SYSTEM,
                    enrollment=case,
                    months=months,
                    date=exit_date + relativedelta(months=months),
                    housing=rng.choice(["stable", "stable", "temporary"]),
                    activity=rng.choice(["employed", "studying"]) if working else "neither",
                    family_contact=rng.random() < 0.8,
                    new_arrest=contact,
                )
            else:
                lottery.record_outcome(
                    actor=SYSTEM,
                    applicant=applicant,
                    months=months,
                    recorded_on=drawn_on + relativedelta(months=months),
                    employed_or_studying=working,
                    new_justice_contact=contact,
                )
    return made


def load() -> list[str]:
    """Write the synthetic reinsertion records once; a repeat keeps the first ones."""
    from civica.accounts.models import User
    from civica.demo.content import program_organization
    from civica.organizations.models import Organization
    from civica.reinsertion import services
    from civica.reinsertion.models import Facility
    from civica.territory.models import Municipality

    if Facility.objects.filter(name=FACILITY, synthetic=True).exists():
        return [_("Synthetic reinsertion records already present; kept as they are.")]
    organization = program_organization() or Organization.objects.filter(synthetic=True).first()
    municipality = (
        organization.municipality if organization else None
    ) or Municipality.objects.order_by("cvegeo").first()
    if organization is None or municipality is None:
        return [_("No synthetic organization or municipality: no reinsertion demo records.")]
    rng = random.Random(18)
    today = timezone.localdate()
    worker = User.objects.filter(username="trabajadora").first()
    facility = services.create_facility(
        actor=SYSTEM,
        state=municipality.state,
        municipality=municipality,
        name=FACILITY,
        kind="women",
        organizations=[organization],
        recordable=["attendance", "certificates", "work_income", "transition"],
        entry_roles=["case_worker", "supervisor"],
        synthetic=True,
    )
    women, released = _detention(organization, facility, municipality, worker, rng, today)
    made = _lottery(organization, municipality, rng, today)
    return [
        _(
            "Synthetic reinsertion: %(facility)s with %(women)s women (%(released)s released), "
            "2 cohorts, and the lottery “%(lottery)s” (seed %(seed)s)."
        )
        % {
            "facility": FACILITY,
            "women": women,
            "released": released,
            "lottery": made.name,
            "seed": made.seed,
        }
    ]
