"""The cases' columns kept by juzgado and month (``civica.justice.columns``) are never older
than the cases: every way of writing a case (the services, ``save``, ``QuerySet.update``,
plain SQL, a delete, a bulk insert) makes the next figures read that month again, and only
that month; a change made while a month is built is read at the next view; kept months of
another layout are built again. The figures with kept months equal the reference computed
from the cases (``reference_analysis``) after each write."""

from __future__ import annotations

import datetime as dt
import importlib
import threading
import time
from types import SimpleNamespace

import pytest
from django.db import connection, connections, transaction

from civica.accounts.access import SYSTEM
from civica.justice import analysis, columns, services
from civica.justice.models import Case, CaseMonth, CaseMonthChange
from civica.justice.synthetic import load
from civica.justice.synthetic_book import MunicipalityBook
from civica.justice.tests import reference_analysis as reference
from civica.testing.concurrency import write_while_another_is_open

pytestmark = pytest.mark.django_db

END = dt.datetime(2026, 11, 30, 4, 0)
START, STOP = dt.date(2025, 1, 1), dt.date(2025, 12, 31)
MARCH = 2025 * 12 + 2


@pytest.fixture
def book(territory, settings):
    settings.CIVICA_SUPPRESSION_THRESHOLD = 3
    load(end=END, seed=5, books=(MunicipalityBook("09015", 200),))
    return territory


@pytest.fixture
def builds(monkeypatch):
    """The (juzgado, months) built from the cases, call by call."""
    made = []
    build = columns._build

    def counting(juzgado, months):
        made.append((juzgado, tuple(months)))
        return build(juzgado, months)

    monkeypatch.setattr(columns, "_build", counting)
    return made


def _table():
    return analysis.table(None, start=START, end=STOP)


def _same_as_the_reference(figures) -> None:
    for got in figures:
        want = reference.figure(
            got.measure.name,
            municipality_ids=None,
            start=START,
            end=STOP,
            parameter=got.parameter,
        )
        assert (got.total.numerator, got.total.denominator) == (
            want.total.numerator,
            want.total.denominator,
        ), got.measure.name
        assert (got.total.value is None) == (want.total.value is None)
        if got.total.value is not None:
            assert got.total.value == pytest.approx(want.total.value, rel=1e-12)


def _march():
    return Case.objects.filter(presented_month=MARCH)


def _save_each(cases):
    for case in cases:
        case.medical_at = None
        case.save()


def _update(cases):
    cases.update(medical_at=None)


def _plain_sql(cases):
    ids = list(cases.values_list("id", flat=True))
    marks = ", ".join(["%s"] * len(ids))
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE justice_case SET medical_at = NULL WHERE id IN ({marks})", ids)  # noqa: S608


def _delete(cases):
    # A case's follow-ups, mediations and faltas go with it.
    for case in cases:
        case.follow_ups.all().delete()
        case.mediations.all().delete()
    cases.delete()


@pytest.mark.parametrize("write", [_save_each, _update, _plain_sql, _delete])
def test_every_way_of_writing_a_month_is_read_at_the_next_view(book, builds, write):
    before = _table()
    # The book's writer kept every month: nothing is read from the cases.
    assert builds == [] and CaseMonth.objects.exists()
    march = _march()
    assert march.filter(medical_at__isnull=False).exists()
    juzgados = set(march.values_list("juzgado_id", flat=True))
    write(march)
    after = _table()
    assert after != before  # the share with a medical certificate moved
    _same_as_the_reference(after)
    # Only March of those juzgados was read again.
    assert sorted(builds) == sorted((j, (MARCH,)) for j in juzgados)


def test_a_new_case_through_the_services_is_counted_at_once(book, builds):
    before = analysis.figure("medical_certificate", municipality_ids=None, start=START, end=STOP)
    juzgado = _march().first().juzgado
    builds.clear()
    services.open_case(
        actor=SYSTEM,
        juzgado=juzgado,
        person={"given_names": "Nueva", "family_names": "Persona", "birth_date": "2000-01-01"},
        presented_at=dt.datetime(2025, 3, 15, 23, 0, tzinfo=dt.UTC),
        folio="NUEVO-1",
    )
    after = analysis.figure("medical_certificate", municipality_ids=None, start=START, end=STOP)
    assert after.total.denominator == before.total.denominator + 1
    assert builds == [(juzgado.pk, (MARCH,))]


def test_a_change_made_while_a_month_is_built_is_read_at_the_next_view(book, monkeypatch):
    _table()
    case = _march().filter(medical_at__isnull=False).first()
    case.rnd_folio = "RND-1"
    case.save()  # March is stale
    build = columns._build

    def build_then_change(juzgado, months):
        built = build(juzgado, months)
        # Written after the build read the cases, before it was kept.
        Case.objects.filter(pk=case.pk).update(medical_at=None)
        return built

    monkeypatch.setattr(columns, "_build", build_then_change)
    during = analysis.figure("medical_certificate", municipality_ids=None, start=START, end=STOP)
    monkeypatch.setattr(columns, "_build", build)
    after = analysis.figure("medical_certificate", municipality_ids=None, start=START, end=STOP)
    assert after.total.numerator == during.total.numerator - 1
    _same_as_the_reference([after])


def test_kept_months_of_another_layout_are_built_again(book, builds, monkeypatch):
    before = _table()
    kept = CaseMonth.objects.filter(month__gte=columns.month_of(START)).count()
    builds.clear()
    monkeypatch.setattr(columns, "LAYOUT", columns.LAYOUT + 1)
    assert _table() == before
    assert sum(len(months) for _j, months in builds) == kept


def test_the_import_keeps_the_months_it_wrote(book):
    kept = set(CaseMonth.objects.values_list("juzgado_id", "month", "version"))
    changes = {}
    for juzgado, month, n in CaseMonthChange.objects.values_list("juzgado_id", "month", "changes"):
        changes[(juzgado, month)] = changes.get((juzgado, month), 0) + n
    # The synthetic book's writer kept every month it wrote, at its current version.
    assert kept == {(j, m, v) for (j, m), v in changes.items()}
    assert set(Case.objects.values_list("juzgado_id", "presented_month")) == set(changes)


def test_the_migration_counts_the_months_that_hold_cases(book):
    months = set(Case.objects.values_list("juzgado_id", "presented_month"))
    CaseMonthChange.objects.all().delete()
    migration = importlib.import_module("civica.justice.migrations.0008_case_months")
    migration.count_existing(None, SimpleNamespace(connection=connection))
    assert set(CaseMonthChange.objects.values_list("juzgado_id", "month")) == months


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL appends changes")
def test_postgresql_appends_a_row_per_statement_and_folds_them_keeping_the_version(book, builds):
    _table()
    case = _march().first()
    key = {"juzgado_id": case.juzgado_id, "month": MARCH}
    rows = CaseMonthChange.objects.filter(**key)
    total = sum(rows.values_list("changes", flat=True))
    n = rows.count()
    for _ in range(columns.FOLD_AT + 1):
        Case.objects.filter(pk=case.pk).update(rnd_folio="X")
    assert rows.count() == n + columns.FOLD_AT + 1  # appended, no row updated
    _table()  # reads March again and folds its rows
    assert rows.count() == 1
    assert rows.get().changes == total + columns.FOLD_AT + 1
    builds.clear()
    _table()
    assert builds == []  # folding kept the version: March stays kept


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL appends changes")
def test_two_writers_of_one_month_do_not_wait_for_each_other(book):
    """Each statement appends its own change row: the second writer of March gets through
    while the first is still open (one counter row per month would make it wait, here fail
    on its ``lock_timeout``), and both changes count once committed."""
    first_case, second_case = _march().order_by("id")[:2]
    key = {"juzgado_id": first_case.juzgado_id, "month": MARCH}
    if second_case.juzgado_id != first_case.juzgado_id:
        second_case = _march().filter(juzgado_id=first_case.juzgado_id).exclude(pk=first_case.pk)[0]
    before = sum(CaseMonthChange.objects.filter(**key).values_list("changes", flat=True))
    errors = write_while_another_is_open(
        lambda: Case.objects.filter(pk=first_case.pk).update(rnd_folio="PRIMERO"),
        lambda: Case.objects.filter(pk=second_case.pk).update(rnd_folio="SEGUNDO"),
    )
    assert errors == []
    after = sum(CaseMonthChange.objects.filter(**key).values_list("changes", flat=True))
    assert after == before + 2


def test_keeping_months_is_no_change_of_the_inputs_of_kept_figures(book, builds):
    """The monitoring keeps figures by the count of changes of the justice tables; the kept
    months are not among them (else every figure computed while months are kept would be
    stale at once)."""
    from civica.monitoring import kept

    before = kept.input_versions(["justice"])
    assert before is not None
    CaseMonth.objects.all().delete()
    _table()
    assert builds  # months were read from the cases and kept again
    assert kept.input_versions(["justice"]) == before
    Case.objects.filter(pk=_march().first().pk).update(rnd_folio="X")
    assert kept.input_versions(["justice"]) != before  # a case is an input


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="a row lock of PostgreSQL")
def test_a_view_does_not_wait_to_keep_a_month_another_writer_holds(book):
    """Another transaction holds March's kept row: the view reads March from the cases,
    answers after at most its one-second lock timeout, and leaves March to the next view."""
    Case.objects.filter(pk=_march().first().pk).update(rnd_folio="X")  # March is stale
    held = CaseMonth.objects.filter(month=MARCH).values_list("pk", flat=True)[0]
    holding, release = threading.Event(), threading.Event()

    def holder():
        try:
            with transaction.atomic():
                list(CaseMonth.objects.select_for_update().filter(pk=held))
                holding.set()
                release.wait(20)
        finally:
            connections.close_all()

    thread = threading.Thread(target=holder)
    thread.start()
    assert holding.wait(10)
    started = time.monotonic()
    figures = _table()
    took = time.monotonic() - started
    release.set()
    thread.join(30)
    assert took < 10
    _same_as_the_reference(figures)


def test_migrate_keeps_the_months_of_an_upgraded_workspace(book):
    """After ``migrate`` (an upgrade from a workspace without kept months) every month that
    holds cases is kept, so the first view reads none from the cases."""
    from civica.justice.apps import keep_case_months

    CaseMonth.objects.all().delete()
    keep_case_months()
    kept = set(CaseMonth.objects.values_list("juzgado_id", "month"))
    assert kept == set(Case.objects.values_list("juzgado_id", "presented_month"))
