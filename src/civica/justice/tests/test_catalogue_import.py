"""The CDMX Ley de Cultura Cívica catalogue loads from the shared data, and any municipality's
Bando arrives by CSV: all or nothing, errors with line and column."""

from __future__ import annotations

import datetime as dt

import pytest

from civica.core.imports import ImportFailed
from civica.justice.catalogue import catalogue_on, import_catalogue_csv, load_cdmx_catalogue
from civica.justice.models import Family, Offence, OffenceCatalogue, SanctionClass

pytestmark = pytest.mark.django_db

HEADER = (
    "code,article,fraction,text,family,class,fine_min,fine_max,community_hours_min,"
    "community_hours_max,arrest_hours_min,arrest_hours_max,commutable,conciliable,"
    "needs_complaint,note\n"
)


def test_cdmx_catalogue_has_51_faltas_in_four_families(territory, shared_data):
    loaded = load_cdmx_catalogue(
        shared_data / "cdmx_lcc_catalogo_faltas", municipalities=[territory.cuauhtemoc]
    )
    catalogue = loaded[0]
    assert catalogue.offences.count() == 51
    families = dict(
        (f, catalogue.offences.filter(family=f).count())
        for f in (Family.DIGNITY, Family.TRANQUILLITY, Family.CITIZEN_SAFETY)
    )
    assert families == {Family.DIGNITY: 10, Family.TRANQUILLITY: 8, Family.CITIZEN_SAFETY: 18}
    assert catalogue.offences.filter(family=Family.URBAN_ENVIRONMENT).count() == 15
    b = SanctionClass.objects.get(catalogue=catalogue, code="B")
    assert (b.fine_min, b.fine_max, b.arrest_hours_min, b.arrest_hours_max) == (11, 40, 13, 24)
    assert catalogue.fine_unit == "UC"
    photo = Offence.objects.get(catalogue=catalogue, code="LCC-28-XVIII")
    assert photo.sanction_class.code == "FC"
    assert Offence.objects.get(catalogue=catalogue, code="LCC-26-III").conciliable
    # Loading again keeps the version already there.
    again = load_cdmx_catalogue(
        shared_data / "cdmx_lcc_catalogo_faltas", municipalities=[territory.cuauhtemoc]
    )
    assert again == loaded
    assert OffenceCatalogue.objects.count() == 1


def test_a_bando_by_csv_becomes_a_new_version_closing_the_previous(territory):
    first = HEADER + "B-1,10,I,Escándalo en vía pública,tranquilidad,A,1,10,3,6,6,12,sí,no,no,\n"
    second = HEADER + "B-1,10,I,Escándalo,tranquilidad,A,2,20,3,6,6,12,si,no,no,\n"
    old, summary = import_catalogue_csv(
        source=first.encode(),
        municipality=territory.tijuana,
        valid_from=dt.date(2020, 1, 1),
        ordenamiento="Bando de Policía y Gobierno de Tijuana",
    )
    assert summary.created == 1
    new, _ = import_catalogue_csv(
        source=second.encode(),
        municipality=territory.tijuana,
        valid_from=dt.date(2024, 1, 1),
        ordenamiento="Bando de Policía y Gobierno de Tijuana",
    )
    old.refresh_from_db()
    assert old.valid_to == dt.date(2023, 12, 31)
    assert catalogue_on(territory.tijuana.pk, dt.date(2022, 5, 1)) == old
    assert catalogue_on(territory.tijuana.pk, dt.date(2025, 5, 1)) == new


def test_a_bad_bando_is_refused_with_line_and_column_and_nothing_written(territory):
    bad = (
        HEADER
        + "B-1,10,I,Escándalo,tranquilidad,A,1,10,3,6,6,12,sí,no,no,\n"
        + "B-2,10,II,Grafiti,vandalismo,A,1,10,3,6,6,12,sí,no,no,\n"
        + "B-3,10,III,Riña,seguridad,B,1,10,3,6,6,48,sí,no,no,\n"
        + "B-4,10,IV,Orinar,entorno,A,1,99,3,6,6,12,sí,no,no,\n"
    )
    with pytest.raises(ImportFailed) as refused:
        import_catalogue_csv(
            source=bad.encode(),
            name="bando.csv",
            municipality=territory.tijuana,
            valid_from=dt.date(2020, 1, 1),
            ordenamiento="Bando",
        )
    text = str(refused.value)
    assert "línea 3, columna “family”" in text
    assert "línea 4, columna “arrest_hours_max”" in text
    assert "36 horas" in text
    assert not OffenceCatalogue.objects.exists()
    assert not Offence.objects.exists()


def test_rows_of_one_class_must_agree_on_its_ranges(territory):
    bad = (
        HEADER
        + "B-1,10,I,Escándalo,tranquilidad,A,1,10,3,6,6,12,sí,no,no,\n"
        + "B-1,10,II,Orinar,entorno,A,1,99,3,6,6,12,sí,no,no,\n"
    )
    with pytest.raises(ImportFailed) as refused:
        import_catalogue_csv(
            source=bad.encode(),
            name="bando.csv",
            municipality=territory.tijuana,
            valid_from=dt.date(2020, 1, 1),
            ordenamiento="Bando",
        )
    text = str(refused.value)
    assert "línea 3, columna “code”" in text
    assert "línea 3, columna “fine_max”: la clase A tiene otros rangos en la línea 2" in text
    assert not OffenceCatalogue.objects.exists()
