"""``civica reinsertion lottery …`` from creation to evaluation, and the facility commands."""

from __future__ import annotations

import datetime as dt
import json

from click.testing import CliRunner

from civica.accounts.access import SYSTEM
from civica.cli.main import cli
from civica.reinsertion.models import Applicant, Arm, Lottery
from civica.reinsertion.tests.factories import woman


def run(*args):
    result = CliRunner().invoke(cli, ["--lang", "en", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_lottery_from_the_command_line(personas, territory, tmp_path):
    from civica.reinsertion import lottery

    run(
        "reinsertion",
        "lottery",
        "create",
        "--organization",
        personas.org_a.name,
        "--name",
        "Cohorte",
        "--places",
        "4",
        "--stratum",
        "sex",
    )
    made = Lottery.objects.get()
    people = [woman(personas, territory, n, sex="F" if n % 2 else "M") for n in range(10)]
    path = tmp_path / "solicitantes.csv"
    path.write_text(
        "pid,applied_on,risk_level\n" + "".join(f"{p.pid},2024-01-02,medium\n" for p in people)
    )
    assert "10 created" in run(
        "reinsertion", "lottery", "import-applicants", str(made.pk), str(path)
    )
    out = run("reinsertion", "lottery", "draw", str(made.pk), "--seed", "99")
    assert "seed 99" in out and "4 places" in out
    shown = json.loads(run("reinsertion", "lottery", "show", str(made.pk), "--format", "json"))
    assert shown["verified"] is True and len(shown["rows"]) == 10
    again = CliRunner().invoke(
        cli, ["--lang", "en", "reinsertion", "lottery", "draw", str(made.pk)]
    )
    assert again.exit_code != 0 and "already drawn" in again.output
    for a in Applicant.objects.filter(lottery=made):
        if a.arm == Arm.PROGRAM:
            lottery.enroll_applicant(
                actor=SYSTEM,
                applicant=a,
                start_date=dt.date(2024, 2, 1),
                referral_source="civic_judge",
            )
        Applicant.objects.filter(pk=a.pk)
    evaluation = json.loads(
        run("reinsertion", "lottery", "evaluate", str(made.pk), "--months", "6", "--format", "json")
    )
    assert evaluation["flow_randomized"] == 10 and evaluation["flow_received_program"] == 4
    assert any(row["table"] == "balance" for row in evaluation["rows"])


def test_facility_commands(personas, territory):
    out = run(
        "reinsertion",
        "facility",
        "CERESO Femenil Prueba",
        "--state",
        territory.bc.code,
        "--kind",
        "women",
        "--organization",
        personas.org_a.name,
        "--record",
        "attendance",
        "--enter",
        "case_worker",
    )
    assert "CERESO Femenil Prueba" in out
    assert "attendance" in run("reinsertion", "facilities", "--format", "csv")


def test_the_eligibility_instrument_is_chosen_from_the_command_line(personas):
    from civica.participants.tests.factories import make_instrument
    from civica.reinsertion import lottery

    make_instrument(1)
    latest = make_instrument(2)
    made = lottery.create_lottery(
        actor=SYSTEM, organization=personas.org_a, name="Con tamizaje", places=2
    )
    output = run("reinsertion", "lottery", "instrument", str(made.pk), "yset-like")
    made.refresh_from_db()
    assert made.instrument == latest
    assert "Eligible when at least 4 of its 9 scales reach their threshold" in output
