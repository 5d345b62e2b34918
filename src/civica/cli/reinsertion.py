"""``civica reinsertion …``: facilities, imports of stays and follow-ups, and the lottery."""

from __future__ import annotations

from pathlib import Path

import click
from django.utils.translation import gettext as _

from civica.accounts.access import SYSTEM
from civica.cli.output import emit, format_option
from civica.cli.runtime import django_command, echo_lines


@click.group()
def reinsertion():
    """Women in detention, community-based reinsertion and fair allocation of places.

    \b
    Example:
        civica reinsertion lottery evaluate 1 --months 12
    """


def _organization(name):
    from civica.organizations.models import Organization

    org = Organization.objects.filter(name=name).first()
    if org is None:
        raise click.ClickException(_("No organization is named %(name)s.") % {"name": name})
    return org


def _summary(result) -> None:
    click.echo(
        _("%(created)s created from %(rows)s rows.")
        % {"created": result.created, "rows": result.rows}
    )


def _imported(function, **kwargs):
    from civica.core.imports import ImportFailed

    try:
        _summary(function(actor=SYSTEM, **kwargs))
    except ImportFailed as error:
        echo_lines(error.lines())
        raise click.exceptions.Exit(1) from None


@reinsertion.command("facility")
@click.argument("name")
@click.option("--state", "state_code", required=True, help="INEGI state code (two digits).")
@click.option(
    "--kind", type=click.Choice(["women", "mixed", "federal", "adolescent"]), required=True
)
@click.option(
    "--organization",
    "organizations",
    multiple=True,
    help="An organization working inside (repeatable).",
)
@click.option(
    "--record",
    "recordable",
    multiple=True,
    type=click.Choice(["attendance", "certificates", "work_income", "transition"]),
    help="What may be recorded inside (repeatable).",
)
@click.option("--enter", "entry_roles", multiple=True, help="A role that may enter (repeatable).")
@django_command
def facility(name, state_code, kind, organizations, recordable, entry_roles):
    """Register a facility with its rules (what may be recorded inside, who may enter).

    \b
    Example:
        civica reinsertion facility "CERESO Femenil" --state 02 --kind women --enter case_worker
    """
    from civica.reinsertion.services import create_facility
    from civica.territory.models import State

    state = State.objects.filter(code=state_code).first()
    if state is None:
        raise click.ClickException(_("No state has the code %(code)s.") % {"code": state_code})
    place = create_facility(
        actor=SYSTEM,
        state=state,
        name=name,
        kind=kind,
        organizations=[_organization(o) for o in organizations],
        recordable=recordable,
        entry_roles=entry_roles,
    )
    click.echo(_("Facility %(id)s: %(name)s") % {"id": place.pk, "name": place.name})


@reinsertion.command("facilities")
@format_option
@django_command
def facilities(fmt):
    """Facilities with their state, kind, organizations and rules.

    \b
    Example:
        civica reinsertion facilities --format csv
    """
    from civica.reinsertion.models import Facility

    rows = [
        {
            "id": f.pk,
            "state": f.state.name,
            "name": f.name,
            "kind": f.kind,
            "organizations": "; ".join(o.name for o in f.organizations.all()),
            "recordable": "; ".join(f.recordable),
            "entry_roles": "; ".join(f.entry_roles),
        }
        for f in Facility.objects.select_related("state").prefetch_related("organizations")
    ]
    emit(rows, fmt)


@reinsertion.command("import-stays")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--facility", "facility_id", type=int, required=True)
@click.option(
    "--organization", required=True, help="Organization working inside that keeps the cases."
)
@django_command
def import_stays(file, facility_id, organization):
    """Admissions and releases from CSV (pid, legal_status, admission_date, expected_release,
    actual_release); all rows or none, with line, column and rule.

    \b
    Example:
        civica reinsertion import-stays ingresos.csv --facility 1 --organization "Fundación A"
    """
    from civica.reinsertion.imports import import_stays as run
    from civica.reinsertion.models import Facility

    place = Facility.objects.filter(pk=facility_id).first()
    if place is None:
        raise click.ClickException(_("No facility %(id)s.") % {"id": facility_id})
    _imported(run, facility=place, organization=_organization(organization), source=file)


@reinsertion.command("import-follow-ups")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--organization", required=True)
@django_command
def import_follow_ups(file, organization):
    """Follow-ups after release from CSV (pid, months, date, housing, activity,
    monthly_income, family_contact, new_arrest, new_imprisonment); all rows or none.

    \b
    Example:
        civica reinsertion import-follow-ups seguimientos.csv --organization "Fundación A"
    """
    from civica.reinsertion.imports import import_follow_ups as run

    _imported(run, organization=_organization(organization), source=file)


@reinsertion.group()
def lottery():
    """Fair allocation of places: a stratified, seeded lottery and its evaluation.

    \b
    Example:
        civica reinsertion lottery draw 1
    """


def _lottery(lottery_id):
    from civica.reinsertion.models import Lottery

    found = Lottery.objects.filter(pk=lottery_id).first()
    if found is None:
        raise click.ClickException(_("No lottery %(id)s.") % {"id": lottery_id})
    return found


@lottery.command("create")
@click.option("--organization", required=True)
@click.option("--name", required=True)
@click.option("--places", type=click.IntRange(1), required=True)
@click.option(
    "--stratum",
    "strata",
    multiple=True,
    type=click.Choice(["sex", "municipality", "risk_level"]),
    help="Stratify by (repeatable).",
)
@click.option(
    "--track",
    type=click.Choice(["reinsertion", "women_detention", "prevention", "secondary"]),
    default="reinsertion",
    show_default=True,
)
@django_command
def lottery_create(organization, name, places, strata, track):
    """Create a lottery taking applicants.

    \b
    Example:
        civica reinsertion lottery create --organization "Fundación A" --name 2025 --places 40
    """
    from civica.reinsertion.lottery import create_lottery

    made = create_lottery(
        actor=SYSTEM,
        organization=_organization(organization),
        name=name,
        places=places,
        strata=strata,
        track=track,
    )
    click.echo(_("Lottery %(id)s: %(name)s") % {"id": made.pk, "name": made.name})


@lottery.command("import-applicants")
@click.argument("lottery_id", type=int)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@django_command
def lottery_import(lottery_id, file):
    """Applicants from CSV (pid, applied_on, risk_level, eligible); refused once drawn.

    \b
    Example:
        civica reinsertion lottery import-applicants 1 solicitantes.csv
    """
    from civica.reinsertion.imports import import_applicants

    _imported(import_applicants, lottery=_lottery(lottery_id), source=file)


@lottery.command("instrument")
@click.argument("lottery_id", type=int)
@click.argument("code")
@click.option(
    "--version",
    "version",
    type=click.IntRange(1),
    default=None,
    help="The instrument's version (default: its latest).",
)
@django_command
def lottery_instrument(lottery_id, code, version):
    """Choose the eligibility screening instrument (participants' versioned instruments);
    refused once drawn. Prints its rule.

    \b
    Example:
        civica reinsertion lottery instrument 1 yset --version 2
    """
    from civica.participants.models import Instrument
    from civica.reinsertion.lottery import choose_instrument, eligibility_rule

    found = Instrument.objects.filter(code=code)
    found = (found.filter(version=version) if version else found).order_by("-version").first()
    if found is None:
        raise click.ClickException(_("No instrument %(code)s.") % {"code": code})
    choose_instrument(actor=SYSTEM, lottery=_lottery(lottery_id), instrument=found)
    click.echo(f"{found}: {eligibility_rule(found)}")


@lottery.command("draw")
@click.argument("lottery_id", type=int)
@click.option(
    "--seed",
    type=click.IntRange(0),
    default=None,
    help="A seed to use (default: drawn from the system's secure generator).",
)
@django_command
def lottery_draw(lottery_id, seed):
    """Draw and lock the lottery (once); prints the seed and the counts, not the names.

    \b
    Example:
        civica reinsertion lottery draw 1
    """
    from civica.reinsertion.lottery import draw

    drawn = draw(actor=SYSTEM, lottery=_lottery(lottery_id), seed=seed)
    counts = {a: drawn.applicants.filter(arm=a).count() for a in ("program", "control")}
    click.echo(
        _(
            "Drawn and locked: seed %(seed)s, %(program)s places, %(control)s on the waiting list, "
            "fingerprint %(fp)s."
        )
        % {
            "seed": drawn.seed,
            "program": counts["program"],
            "control": counts["control"],
            "fp": drawn.fingerprint[:16],
        }
    )


@lottery.command("show")
@click.argument("lottery_id", type=int)
@format_option
@django_command
def lottery_show(lottery_id, fmt):
    """The draw by pseudonymous id: group, stratum, rank, waiting-list position, enrolled.

    \b
    Example:
        civica reinsertion lottery show 1 --format csv
    """
    from civica.reinsertion.lottery import verify

    found = _lottery(lottery_id)
    rows = [
        {
            "pid": a.person.pid,
            "eligible": a.eligible,
            "stratum": a.stratum,
            "group": a.arm,
            "waitlist": a.waitlist_position,
            "enrolled": a.took_up,
            "crossover": bool(a.crossover_on),
        }
        for a in found.applicants.select_related("person").order_by(
            "arm", "waitlist_position", "id"
        )
    ]
    meta = {
        "lottery": found.name,
        "status": found.status,
        "places": found.places,
        "strata": ",".join(found.strata),
        "seed": found.seed,
        "verified": verify(found) if found.drawn else None,
    }
    emit(rows, fmt, meta=meta)


@lottery.command("evaluate")
@click.argument("lottery_id", type=int)
@click.option("--months", type=click.Choice(["6", "12"]), default="12", show_default=True)
@format_option
@django_command
def lottery_evaluate(lottery_id, months, fmt):
    """CONSORT flow, balance and effects (intention to treat, treatment on the treated).

    \b
    Example:
        civica reinsertion lottery evaluate 1 --months 12 --format json
    """
    from civica.reinsertion.evaluation import OUTCOMES, evaluate

    found = _lottery(lottery_id)
    if not found.drawn:
        raise click.ClickException(_("The lottery has not been drawn."))
    result = evaluate(found)
    months = int(months)
    effects = [e for e in result.effects if e.months == months]
    flow = effects[0].flow
    rows = []
    for row in result.balance:
        rows.append(
            {
                "table": "balance",
                "name": row.field,
                "program": row.mean_treated,
                "control": row.mean_control,
                "estimate": row.std_difference,
                "lower": None,
                "upper": None,
                "p_value": None,
                "note": "imbalanced" if row.imbalanced else "",
            }
        )
    for e in effects:
        for kind, effect in (("itt", e.itt), ("tot", e.tot)):
            rows.append(
                {
                    "table": kind,
                    "name": str(OUTCOMES[e.outcome]),
                    "program": e.mean_program,
                    "control": e.mean_control,
                    "estimate": effect.estimate if effect else None,
                    "lower": effect.lower if effect else None,
                    "upper": effect.upper if effect else None,
                    "p_value": effect.p_value if effect else None,
                    "note": e.problem if effect is None else ("weak" if effect.weak else ""),
                }
            )
    first = effects[0]
    meta = {"months": months, **{f"flow_{k}": v for k, v in vars(flow).items()}}
    # Where the outcomes came from, and who has none (attrition), for the first outcome.
    meta |= {
        "lost_program": first.lost_program,
        "lost_control": first.lost_control,
        "from_follow_ups": first.from_follow_ups,
        "from_other_source": first.from_other_source,
    }
    emit(rows, fmt, meta=meta)
