"""The one set of users and organizations every test shares (the ``personas`` fixture).

Built on the small territory of ``civica.territory.tests.factories.make_small_territory``:

==================== ================================= ==========================================
attribute            role                              scope
==================== ================================= ==========================================
``admin``            administrator                     everything
``analyst_cuauhtemoc`` municipal analyst               09015 Cuauhtémoc
``analyst_tijuana``  municipal analyst                 02004 Tijuana: must see nothing of 09015
``state_analyst_cdmx`` analyst                         the state 09 (Cuauhtémoc and Coyoacán)
``donor``            donor viewer                      nationwide aggregates, no records
``officer``          program M&E officer               nationwide; organizations A and B
``worker_a``         case worker                       organization A; 09015
``worker_a2``        case worker                       organization A (a colleague of worker_a)
``supervisor_a``     case supervisor                   organization A
``worker_b``         case worker                       organization B
``judge_cuauhtemoc``  civic judge                      09015 Cuauhtémoc (its juzgados)
``judge_tijuana``    civic judge                       02004 Tijuana: must see no case of 09015
==================== ================================= ==========================================

``case_worker`` is ``worker_a``: the case worker of access tests. Organization ``org_a``
(Fundación A) works in Cuauhtémoc, ``org_b`` (Colectivo B) in Tijuana. Every user's password
is ``PASSWORD``. A test that needs another kind of user makes it with ``make_user``.
"""

from __future__ import annotations

from types import SimpleNamespace

PASSWORD = "correct-horse-battery-9"  # noqa: S105 (test users only)

__all__ = ["PASSWORD", "make_personas", "make_user"]


def make_user(username: str, role: str, *, municipalities=(), states=(), nationwide=False):
    """A user with ``PASSWORD``, the given role and territorial scope."""
    from civica.accounts.models import User

    user = User.objects.create_user(
        username=username, password=PASSWORD, role=role, nationwide=nationwide
    )
    user.municipalities.set(municipalities)
    user.states.set(states)
    return user


def make_personas(territory) -> SimpleNamespace:
    """The shared users and organizations (see the module's table)."""
    from civica.accounts.roles import Role
    from civica.organizations.models import Organization, OrganizationKind

    org_a = Organization.objects.create(
        name="Fundación A", kind=OrganizationKind.CIVIL_SOCIETY, municipality=territory.cuauhtemoc
    )
    org_b = Organization.objects.create(
        name="Colectivo B", kind=OrganizationKind.CIVIL_SOCIETY, municipality=territory.tijuana
    )

    def member(username, role, organizations, **scope):
        user = make_user(username, role, **scope)
        user.organizations.set(organizations)
        return user

    worker_a = member("carlos", Role.CASE_WORKER, [org_a], municipalities=[territory.cuauhtemoc])
    return SimpleNamespace(
        org_a=org_a,
        org_b=org_b,
        admin=make_user("admin", Role.ADMINISTRATOR),
        analyst_cuauhtemoc=make_user(
            "ana", Role.MUNICIPAL_ANALYST, municipalities=[territory.cuauhtemoc]
        ),
        analyst_tijuana=make_user(
            "tomas", Role.MUNICIPAL_ANALYST, municipalities=[territory.tijuana]
        ),
        state_analyst_cdmx=make_user("sofia", Role.ANALYST, states=[territory.cdmx]),
        donor=make_user("dora", Role.DONOR_VIEWER, nationwide=True),
        officer=member("mario", Role.ME_OFFICER, [org_a, org_b], nationwide=True),
        worker_a=worker_a,
        case_worker=worker_a,
        worker_a2=member("wendy", Role.CASE_WORKER, [org_a]),
        supervisor_a=member("susana", Role.SUPERVISOR, [org_a]),
        worker_b=member("beto", Role.CASE_WORKER, [org_b]),
        judge_cuauhtemoc=make_user(
            "julia", Role.CIVIC_JUDGE, municipalities=[territory.cuauhtemoc]
        ),
        judge_tijuana=make_user("jorge", Role.CIVIC_JUDGE, municipalities=[territory.tijuana]),
    )
