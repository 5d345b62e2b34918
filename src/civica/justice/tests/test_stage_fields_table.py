"""``services.STAGE_FIELDS`` is the one table of which stage writes which field of a case:
every editable field of ``Case`` is in it (or is named here as written otherwise)."""

from __future__ import annotations

from civica.justice.models import Case
from civica.justice.services import STAGE_FIELDS

# Written by the services themselves, not by a stage's form.
NOT_A_STAGE = {
    "id",
    "version",
    "juzgado",
    "folio",
    "person",
    "offences",
    "sector",
    "cuadrante",
    "physician",
    "screener",
    "judge",
    "repeat",
    "minor",
    "synthetic",
    "created_by",
    "created_at",
    "measure_referral",
    "updated_at",
    # The indicators' grouping keys (Case.refresh_keys and the faltas' receiver).
    "presented_month",
    "age_years",
    "sex",
    "family",
    # The person's linking key (Case.refresh_keys and the persons' receiver).
    "person_key",
    # The microseconds to resolution (Case.refresh_keys).
    "resolution_micros",
}


def test_every_field_of_a_case_has_its_stage():
    fields = {f.name for f in Case._meta.get_fields() if f.concrete or f.many_to_many}
    staged = {name for names in STAGE_FIELDS.values() for name in names}
    assert staged <= fields, staged - fields
    assert fields - staged == NOT_A_STAGE
