"""Incidents are placed in sectors, rejects are counted by reason, versions are kept."""

from civica.accounts.access import SYSTEM
from civica.audit.models import Action, AuditEvent
from civica.core.services import warehouse
from civica.incidents.selectors import Selection, incidents, sector_rates


def test_every_kept_incident_lands_in_its_sector(synthetic_incidents):
    assert synthetic_incidents.source.rows_read == 17
    assert synthetic_incidents.source.rows_kept == 15
    assert synthetic_incidents.placed == {"sector": 15, "municipality": 15}
    frame = incidents(SYSTEM, Selection("sintetico"))
    assert frame.groupby("sector").size().to_dict() == {"Sector A1": 10, "Sector D4": 5}
    assert set(frame["municipality_code"]) == {"99001", "99004"}


def test_rejected_rows_are_counted_by_reason_and_kept_in_a_file(synthetic_incidents):
    rejected = {k: v for k, v in synthetic_incidents.source.rejected.items() if v}
    assert rejected == {"no_coordinates": 1, "impossible_date": 1}
    text = synthetic_incidents.source.rejects.read_text(encoding="utf-8")
    assert "x1" in text and "x2" in text


def test_the_import_is_published_versioned_and_audited(synthetic_incidents):
    snapshot = warehouse().manifest().current("incidents-sintetico")
    assert snapshot.cut == "2015-12" and snapshot.rows == 15
    assert AuditEvent.objects.filter(
        action=Action.CREATE, object_label="incidents-sintetico 2015-12"
    ).exists()


def test_sector_rates_are_per_km2_of_the_sector(synthetic_incidents):
    from civica.territory.models import Sector

    rates = sector_rates(SYSTEM, Selection("sintetico"))
    a1 = rates[rates["name"] == "Sector A1"].iloc[0]
    area = Sector.objects.get(name="Sector A1").area_km2
    assert a1["count"] == 10 and abs(a1["per_km2"] - 10 / area) < 1e-9
