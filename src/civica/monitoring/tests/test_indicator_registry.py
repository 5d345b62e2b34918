"""Each app registers its own indicator computations; monitoring reports whatever is there."""

from __future__ import annotations

import csv
import re

import pytest

from civica.indicators import Context, Registry, Result, registry
from civica.monitoring.catalogue import default_catalogue_path, load_indicators_csv
from civica.monitoring.csvfiles import CsvImportError
from civica.monitoring.periods import parse_period
from civica.monitoring.reports.report import indicator_rows
from civica.testing.fixtures import REPO_ROOT

OWNERS = {
    "municipalities_covered": "civica.monitoring.computations",
    "states_covered": "civica.monitoring.computations",
    "activities": "civica.monitoring.computations",
    "alliances": "civica.monitoring.computations",
    "priority_crime_change": "civica.interventions.indicators",
    "persons_reached": "civica.participants.indicators",
    "services_delivered": "civica.participants.indicators",
    "sesnsp_total": "civica.official.indicators",
    "police_operational_per_1000": "civica.police.indicators",
    "police_share_salario_digno": "civica.police.indicators",
    "police_share_state_minimum": "civica.police.indicators",
    "police_weekly_hours": "civica.police.indicators",
    "police_attrition_rate": "civica.police.indicators",
    "police_cup_coverage": "civica.police.indicators",
    "police_confianza_coverage": "civica.police.indicators",
    "police_personal_services_share": "civica.police.indicators",
    "justice_presentations_rate": "civica.justice.indicators",
    "justice_medical_certificate": "civica.justice.indicators",
    "justice_screened": "civica.justice.indicators",
    "justice_risk_level": "civica.justice.indicators",
    "justice_sanction_mix": "civica.justice.indicators",
    "justice_alternative_sanctions": "civica.justice.indicators",
    "justice_commutation": "civica.justice.indicators",
    "justice_community_work_compliance": "civica.justice.indicators",
    "justice_mediation_kept": "civica.justice.indicators",
    "justice_hours_to_resolution": "civica.justice.indicators",
    "justice_arrests_within_36h": "civica.justice.indicators",
    "justice_rnd_folio": "civica.justice.indicators",
    "justice_reincidence": "civica.justice.indicators",
    "reinsertion_women": "civica.reinsertion.indicators",
}


def test_each_app_registers_its_own_computations_when_django_starts():
    owners = {name: registry.get(name).function.__module__ for name in registry.names()}
    assert owners == OWNERS


def test_every_registered_computation_is_documented():
    text = (REPO_ROOT / "docs" / "monitoring.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `(\w+)` \|", text, flags=re.M))
    assert set(registry.names()) <= documented, set(registry.names()) - documented


def test_a_name_is_registered_once():
    fresh = Registry()
    fresh.register("cases_opened")(lambda context: Result(value=1.0))
    with pytest.raises(ValueError, match="cases_opened"):
        fresh.register("cases_opened")(lambda context: Result(value=2.0))


@pytest.fixture
def civic_justice_computation(monkeypatch):
    """What a new app (civic justice) does in its ``indicators.py``, on a copy of the registry
    so the test leaves the real one as it found it."""
    monkeypatch.setattr(registry, "_items", dict(registry._items))

    @registry.register(
        "hearings_held",
        parameters={"kind": ("mediation", "hearing")},
        description="Hearings held in the period.",
    )
    def hearings_held(context, kind=None) -> Result:
        held = {"mediation": 12.0, "hearing": 30.0}
        return Result(value=held[kind] if kind else 42.0, parts={"kind": kind or ""})

    return hearings_held


def _catalogue(path, computation: str, parameters: str):
    header = default_catalogue_path().read_text(encoding="utf-8").splitlines()[0]
    row = {"code": "JC-MED", "name_es": "Mediaciones", "name_en": "Mediations"}
    row |= {"definition_es": "Mediaciones en el periodo.", "definition_en": "Mediations held."}
    row |= {"unit": "hearings", "direction": "increase", "data_source": "Juzgado cívico"}
    row |= {"computation": computation, "parameters": parameters, "disclosure_control": "no"}
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=header.split(","), restval="")
        writer.writeheader()
        writer.writerow(row)
    return path


@pytest.mark.django_db
def test_a_new_apps_computation_is_accepted_by_the_catalogue_and_reported(
    civic_justice_computation, tmp_path
):
    load_indicators_csv(
        path=_catalogue(tmp_path / "jc.csv", "hearings_held", '{"kind": "mediation"}')
    )
    rows = {row.code: row for row in indicator_rows(Context(period=parse_period("FY2023")))}
    assert rows["JC-MED"].value == 12.0


@pytest.mark.django_db
def test_the_catalogue_refuses_a_parameter_the_app_did_not_declare(
    civic_justice_computation, tmp_path
):
    with pytest.raises(CsvImportError, match="trial"):
        load_indicators_csv(
            path=_catalogue(tmp_path / "jc.csv", "hearings_held", '{"kind": "trial"}')
        )
