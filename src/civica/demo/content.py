"""Demo organizations, accounts (one per role that has demo data) and screening instrument,
labelled as demo."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from civica.accounts.models import User
from civica.accounts.roles import Role
from civica.accounts.services import reset_password
from civica.organizations.models import Organization, OrganizationKind
from civica.territory.models import Municipality

ADMIN_USERNAME = "admin"
DEMO_ORGANIZATIONS = [
    ("Programa de Prevención (demo)", OrganizationKind.IMPLEMENTER),
    ("Donante del Programa (demo)", OrganizationKind.DONOR),
    ("Red Comunitaria de Prevención (demo)", OrganizationKind.CIVIL_SOCIETY),
]
INSTRUMENT_CODE = "tamizaje-demo"
# An invented instrument shaped like the YSET (scales of items answered 0–4, a threshold per
# scale, eligible from two scales at or above it). Not validated: for trying the pages only.
INSTRUMENT_CSV = """scale,scale_label,item,item_label,threshold,scoring,min,max
conducta,Conducta de riesgo,c1,Se ha metido en peleas en el último año,5,sum,0,4
conducta,Conducta de riesgo,c2,Ha dañado cosas a propósito,5,sum,0,4
pares,Pares en riesgo,p1,Sus amistades han sido detenidas,5,sum,0,4
pares,Pares en riesgo,p2,Sus amistades consumen drogas,5,sum,0,4
familia,Vínculos familiares débiles,f1,Pasa muchas horas sin un adulto en casa,5,sum,0,4
familia,Vínculos familiares débiles,f2,Discute con frecuencia en casa,5,sum,0,4
escuela,Desvinculación escolar,e1,Ha faltado a la escuela sin permiso,5,sum,0,4
escuela,Desvinculación escolar,e2,Ha pensado en dejar la escuela,5,sum,0,4
"""


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    label: str  # shown as the account's first name, so it is clear what it is for


ACCOUNTS = [
    DemoAccount(ADMIN_USERNAME, Role.ADMINISTRATOR, "Administración (demo)"),
    DemoAccount("analista", Role.MUNICIPAL_ANALYST, "Analista municipal (demo)"),
    DemoAccount("investigadora", Role.ANALYST, "Analista nacional (demo)"),
    DemoAccount("monitoreo", Role.ME_OFFICER, "Monitoreo y evaluación (demo)"),
    DemoAccount("trabajadora", Role.CASE_WORKER, "Trabajadora de caso (demo)"),
    DemoAccount("supervisora", Role.SUPERVISOR, "Supervisora de caso (demo)"),
    DemoAccount("donante", Role.DONOR_VIEWER, "Donante (demo)"),
    DemoAccount("juez", Role.CIVIC_JUDGE, "Juez cívico (demo)"),
    DemoAccount("barandilla", Role.JUZGADO_STAFF, "Barandilla del juzgado cívico (demo)"),
]


def program_organization() -> Organization | None:
    """The organization holding the most demo case records: the case worker's and the
    supervisor's, so their caseload is not empty."""
    return (
        Organization.objects.filter(synthetic=True)
        .annotate(cases=Count("enrollments"))
        .filter(cases__gt=0)
        .order_by("-cases", "name")
        .first()
    )


@transaction.atomic
def load(
    *, analyst_municipality: str | None = None, new_passwords: bool = False
) -> dict[str, str | None]:
    """Create (or refresh the scope of) the demo accounts; returns username → password.

    An account that already exists keeps its password (``None`` in the result) unless
    ``new_passwords`` is given: the only copy of a password is the one printed when it was
    made, and a second run of the demo should not lock people out.
    """
    for name, kind in DEMO_ORGANIZATIONS:
        Organization.objects.get_or_create(name=name, defaults={"kind": kind, "synthetic": True})
    implementer = Organization.objects.get(name=DEMO_ORGANIZATIONS[0][0])
    program = program_organization()
    municipality = (
        Municipality.objects.filter(cvegeo=analyst_municipality).first()
        if analyst_municipality
        else None
    ) or Municipality.objects.filter(sectors__isnull=False).order_by("cvegeo").first()
    civic = Municipality.objects.filter(cvegeo="09015").first()
    scopes = {
        ADMIN_USERNAME: {},
        "analista": (
            {"municipalities": [municipality], "organizations": [implementer]}
            if municipality
            else None
        ),
        "investigadora": {"nationwide": True},
        "monitoreo": {
            "nationwide": True,
            "organizations": list(Organization.objects.filter(synthetic=True)),
        },
        "trabajadora": {"organizations": [program]} if program else None,
        "supervisora": {"organizations": [program]} if program else None,
        "donante": {"nationwide": True},
        # The juzgado's accounts work in the demo juzgado of Cuauhtémoc (civica.justice.demo).
        "juez": {"municipalities": [civic]} if civic else None,
        "barandilla": {"municipalities": [civic]} if civic else None,
    }
    credentials: dict[str, str | None] = {}
    for account in ACCOUNTS:
        scope = scopes[account.username]
        if scope is None:  # no data for this role in this demo (e.g. the synthetic territory)
            continue
        user, created = User.objects.get_or_create(
            username=account.username, defaults={"role": account.role}
        )
        user.role = account.role
        user.first_name = account.label
        user.nationwide = scope.get("nationwide", False)
        user.save()
        if "municipalities" in scope:
            user.municipalities.set(scope["municipalities"])
        if "organizations" in scope:
            user.organizations.set(scope["organizations"])
        if account.role == Role.CASE_WORKER:
            _assign_cases(user, program)
        if created or new_passwords or not user.has_usable_password():
            credentials[user.username] = reset_password(user=user)
        else:
            credentials[user.username] = None
    return credentials


def _assign_cases(worker: User, organization: Organization, count: int = 20) -> None:
    """Make the case worker responsible for some open synthetic cases of the organization
    (a case worker's caseload lists only their own cases)."""
    from civica.participants.models import Enrollment

    if Enrollment.objects.filter(case_worker=worker).exists():
        return
    open_cases = Enrollment.objects.filter(
        organization=organization, case_worker__isnull=True, exit_date__isnull=True
    ).order_by("start_date", "id")
    ids = list(open_cases.values_list("id", flat=True)[:count])
    Enrollment.objects.filter(id__in=ids).update(case_worker=worker)


def load_instrument() -> list[str]:
    """The demo screening instrument, once."""
    from civica.participants.imports import import_instrument_csv
    from civica.participants.models import Instrument

    if Instrument.objects.filter(code=INSTRUMENT_CODE).exists():
        return [_("Demo screening instrument already present; kept as it is.")]
    instrument = import_instrument_csv(
        code=INSTRUMENT_CODE,
        name=_("Demo screening (invented, not validated)"),
        min_scales=2,
        text=INSTRUMENT_CSV,
    )
    return [_("Demo screening instrument: %(name)s.") % {"name": instrument}]
