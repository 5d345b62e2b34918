"""The persons import checks its rows as the models would, in fewer steps, and leaves no
staging tables behind when it fails."""

import pytest
from django.db import IntegrityError, connection

from civica.core import staging
from civica.participants import imports
from civica.participants.imports import ImportFailed, import_persons_csv
from civica.participants.models import Consent, Enrollment, Person

pytestmark = pytest.mark.django_db

HEADER = (
    "given_names,family_names,birth_date,sex,curp,municipality,consent_given_by,"
    "guardian_name,consent_date,follow_up,track,referral_source,start_date\n"
)
ROW = "Ana,Peña,2009-02-03,F,,09015,guardian,Rosa Ruiz,2023-01-02,sí,prevention,school,2023-01-05\n"
OTHER = (
    "Luis,Soto Vega,2007-06-01,M,,09015,guardian,Eva Soto,2023-01-02,,prevention,school,"
    "2023-01-05\n"
)


def _shadow_tables() -> list[str]:
    return [t for t in connection.introspection.table_names() if t.startswith(staging.PREFIX)]


def test_the_checked_choices_are_the_models_choices():
    """The import checks choices for the whole row instead of each model's field checks:
    the same values must be allowed."""
    fields = {
        "sex": Person._meta.get_field("sex"),
        "track": Enrollment._meta.get_field("track"),
        "referral_source": Enrollment._meta.get_field("referral_source"),
        "consent_given_by": Consent._meta.get_field("given_by"),
    }
    for column, field in fields.items():
        assert sorted(imports.CHOICES[column]) == sorted(value for value, _ in field.choices)
        assert max(map(len, imports.CHOICES[column])) <= field.max_length


@pytest.mark.parametrize(
    ("change", "column", "words"),
    [
        (("2009-02-03", "2009-02-31"), "birth_date", "AAAA-MM-DD"),
        (("2009-02-03", "2099-02-03"), "birth_date", "futuro"),
        ((",F,,", ",F,XYZ,"), "curp", "18"),
        (("guardian,Rosa Ruiz", "person,"), "consent_given_by", "menor"),
        (("guardian,Rosa Ruiz", "guardian,"), "guardian_name", "tutor"),
        (("prevention", ""), "track", "obligatorio"),
        (("school", "teacher"), "referral_source", "school"),
    ],
)
def test_each_model_rule_is_reported_with_its_line_and_column(
    personas, territory, change, column, words
):
    bad = ROW.replace(*change)
    with pytest.raises(ImportFailed) as caught:
        import_persons_csv(
            actor=personas.worker_a, organization=personas.org_a, text=HEADER + OTHER + bad
        )
    assert [(p.line, p.column) for p in caught.value.problems] == [(3, column)]
    assert words.lower() in caught.value.problems[0].message.lower()
    assert Person.objects.count() == 0


def test_a_failed_import_drops_its_staging_tables_at_once(personas, territory, monkeypatch):
    """An ordinary failure while writing (here a conflict on the second batch) leaves no
    shadow table for the next import to clean up."""
    real_add = staging.Staging.add
    calls = []

    def add(self, model, objects):
        calls.append(model)
        if model is Person and calls.count(Person) == 2:
            raise IntegrityError("written meanwhile")
        return real_add(self, model, objects)

    monkeypatch.setattr(staging.Staging, "add", add)
    with pytest.raises(ImportFailed, match=r"nothing was imported|no se importó"):
        import_persons_csv(
            actor=personas.worker_a,
            organization=personas.org_a,
            text=HEADER + ROW + OTHER,
            batch_size=1,
        )
    assert calls.count(Person) == 2
    assert _shadow_tables() == []
    assert Person.objects.count() == 0


def test_an_import_failing_when_applied_drops_its_staging_tables(personas, territory, monkeypatch):
    def apply(self, model, **kwargs):
        raise IntegrityError("a CURP registered meanwhile")

    monkeypatch.setattr(staging.Staging, "apply", apply)
    with pytest.raises(ImportFailed):
        import_persons_csv(actor=personas.worker_a, organization=personas.org_a, text=HEADER + ROW)
    assert _shadow_tables() == []
    assert Person.objects.count() == 0


def test_a_successful_import_leaves_no_staging_tables(personas, territory):
    import_persons_csv(
        actor=personas.worker_a,
        organization=personas.org_a,
        text=HEADER + ROW + OTHER,
        batch_size=1,
    )
    assert _shadow_tables() == []
    assert Person.objects.count() == 2 and Enrollment.objects.count() == 2
