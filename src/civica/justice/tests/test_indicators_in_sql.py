"""The indicators counted in the database (one GROUP BY over stored keys) give the figures
the pandas frame of every case gave (``reference_analysis``, the computation before), for
every measure × parameter × breakdown, on a varied case book: the synthetic book of two
municipalities (both sexes, minors, every sanction, commutations, mediations, community
work) plus cases written through the services at the edges (a custody of exactly 36 hours
and one microsecond more, a presentation at local midnight of a new month, an unknown
birth date, no falta, a falta changed afterwards), with a suppression threshold that hides
some groups and shows others."""

from __future__ import annotations

import datetime as dt
import importlib
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from civica.accounts.access import SYSTEM
from civica.justice import analysis, services
from civica.justice.measures import BY, MEASURES
from civica.justice.models import Case, Offence
from civica.justice.synthetic import load
from civica.justice.synthetic_book import MunicipalityBook
from civica.justice.tests import reference_analysis as reference

pytestmark = pytest.mark.django_db

END = dt.datetime(2026, 11, 30, 4, 0)
BOOKS = (MunicipalityBook("02004", 300, juzgados=2), MunicipalityBook("09015", 120))
START, STOP = dt.date(2025, 1, 1), dt.date(2025, 12, 31)
LOCAL = ZoneInfo("America/Mexico_City")


def _local(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=LOCAL)


def _edge_cases(territory) -> list[Case]:
    """Cases through ``services.open_case`` / ``record_stage`` at the edges of the keys and
    of the 36-hour rule."""
    juzgado = Case.objects.filter(juzgado__municipality=territory.cuauhtemoc).first().juzgado
    offences = list(
        Offence.objects.filter(catalogue__municipality=juzgado.municipality).order_by("code")
    )
    by_family = {}
    for o in offences:
        by_family.setdefault(o.family, o)
    families = sorted(by_family)
    made = []

    def case(n, presented, *, birth="1999-07-15", sex="F", faltas=(), **fields):
        made.append(
            services.open_case(
                actor=SYSTEM,
                juzgado=juzgado,
                person={
                    "given_names": f"Borde {n}",
                    "family_names": "Prueba",
                    "birth_date": birth,
                    "sex": sex,
                },
                presented_at=presented,
                detained_at=presented - dt.timedelta(hours=1),
                offences=faltas,
                folio=f"EDGE-{n}",
                **fields,
            )
        )
        return made[-1]

    # Local midnight of March 1st is 06:00 UTC: a case in March, one a minute before in
    # February; two families on one case (the first by code counts).
    case(1, _local(2025, 3, 1, 0, 0), faltas=[by_family[families[-1]], by_family[families[0]]])
    case(2, _local(2025, 2, 28, 23, 59), faltas=[by_family[families[1]]])
    case(3, _local(2025, 6, 10, 12, 0), birth="", sex="M")  # no birth date, no falta
    # A minor (16) and an adult turning 18 the month of the presentation.
    case(4, _local(2025, 8, 3, 10, 0), birth="2009-01-20", faltas=[offences[0]])
    case(5, _local(2025, 8, 3, 11, 0), birth="2007-08-30", sex="M", faltas=[offences[0]])
    # Arrests: custody of exactly 36 hours, and of 36 hours and one microsecond.
    for n, extra in ((6, dt.timedelta(0)), (7, dt.timedelta(microseconds=1))):
        made_case = case(n, _local(2025, 9, 1, 22, 0, 0, 250000), faltas=[offences[0]])
        # Saved with the fields it writes (not a queryset update): the stored keys follow.
        made_case.resolved_at = made_case.detained_at + dt.timedelta(hours=36) + extra
        made_case.responsible, made_case.sanction, made_case.arrest_hours = True, "arresto", 24
        made_case.save(update_fields=["resolved_at", "responsible", "sanction", "arrest_hours"])
    # The faltas changed afterwards, and the presentation moved to another month.
    moved = case(8, _local(2025, 4, 30, 20, 0), faltas=[by_family[families[0]]])
    services.record_stage(
        actor=SYSTEM,
        case=moved,
        stage="intake",
        version=moved.version,
        changes={"presented_at": _local(2025, 5, 2, 9, 0)},
        offences=[by_family[families[-1]]],
    )
    return made


@pytest.fixture
def world(territory, settings):
    settings.CIVICA_SUPPRESSION_THRESHOLD = 5
    load(end=END, seed=7, books=BOOKS)
    _edge_cases(territory)
    return territory


def _same(new, old) -> None:
    assert (new.key, new.hidden) == (old.key, old.hidden)
    for field in ("numerator", "denominator", "value"):
        a, b = getattr(new, field), getattr(old, field)
        assert (a is None) == (b is None), (new, old)
        if a is not None:
            assert a == pytest.approx(b, rel=1e-12), (new, old)


def _parameters(measure) -> tuple[str, ...]:
    return measure.choices or ("",)


def _every_request() -> list[tuple[str, str, str | None]]:
    return [
        (name, parameter, by)
        for name, measure in MEASURES.items()
        for parameter in _parameters(measure)
        for by in (None, *BY)
    ]


@pytest.mark.parametrize("scope", ["all", "cuauhtemoc"])
def test_every_measure_and_breakdown_equals_the_pandas_figures(world, scope):
    ids = None if scope == "all" else {world.cuauhtemoc.id}
    wanted = _every_request()
    new = analysis.figures(wanted, municipality_ids=ids, start=START, end=STOP)
    hidden = shown = 0
    for (name, parameter, by), got in zip(wanted, new, strict=True):
        old = reference.figure(
            name, municipality_ids=ids, start=START, end=STOP, by=by, parameter=parameter
        )
        assert (got.parameter, got.by, got.note) == (old.parameter, old.by, old.note), name
        _same(got.total, old.total)
        assert len(got.rows) == len(old.rows), (name, parameter, by)
        for a, b in zip(got.rows, old.rows, strict=True):
            _same(a, b)
            hidden += a.hidden
            shown += a.value is not None
    assert hidden and shown  # the threshold hid some groups and showed others


def test_one_figure_the_table_and_the_drill_down_are_the_same_path(world):
    one = analysis.figure("arrests_within_36h", municipality_ids=None, start=START, end=STOP)
    table = analysis.table(None, start=START, end=STOP)
    assert [(f.measure.name, f.parameter) for f in table] == list(analysis.DASHBOARD_MEASURES)
    assert next(f for f in table if f.measure.name == "arrests_within_36h") == one
    drill = analysis.breakdowns("screened", municipality_ids=None, start=START, end=STOP)
    assert [f.by for f in drill] == list(BY)


def test_edge_cases_counted_where_they_belong(world, settings):
    edge = Case.objects.filter(folio__startswith="EDGE-")
    keys = {c.folio: (c.presented_month, c.age_years, c.sex, c.family) for c in edge}
    families = sorted({o.family for o in Offence.objects.all()})
    assert keys["EDGE-1"][0] == 2025 * 12 + 2 and keys["EDGE-2"][0] == 2025 * 12 + 1
    assert keys["EDGE-1"][3] == families[0]  # the first of its two families
    assert keys["EDGE-3"][1:] == (None, "M", "")  # no birth date, no falta
    assert keys["EDGE-4"][1] == 16 and keys["EDGE-5"][1] == 18
    assert keys["EDGE-8"][0] == 2025 * 12 + 4 and keys["EDGE-8"][3] == families[-1]
    # Exactly 36 hours of custody is within; one microsecond more is not.
    settings.CIVICA_SUPPRESSION_THRESHOLD = 1
    day = {"municipality_ids": None, "start": dt.date(2025, 9, 1), "end": dt.date(2025, 9, 1)}
    before = analysis.figure("arrests_within_36h", **day).total
    _same(before, reference.figure("arrests_within_36h", **day).total)
    late = edge.get(folio="EDGE-7")
    # Detained an hour before the presentation, resolved 35 hours and a microsecond after
    # it: stored exactly.
    assert late.resolution_micros == 35 * 3600 * 10**6 + 1
    late.resolved_at -= dt.timedelta(microseconds=1)
    late.save(update_fields=["resolved_at"])
    assert Case.objects.get(pk=late.pk).resolution_micros == 35 * 3600 * 10**6
    after = analysis.figure("arrests_within_36h", **day).total
    assert after.numerator == before.numerator + 1
    assert after.denominator == before.denominator


def test_monthly_trend_equals_the_pandas_one(world):
    assert analysis.monthly(None, start=START, end=STOP) == reference.monthly(
        None, start=START, end=STOP
    )


@pytest.mark.parametrize("group", ["sanction", *BY])
def test_reincidence_frames_equal_the_pandas_ones(world, group):
    new = analysis.reincidence_frames(None, start=START, end=STOP, group=group)
    old = reference.reincidence_frames(None, start=START, end=STOP, group=group)
    # The stored person_key names the same persons as the reference's link index.
    linked = {
        key: link or f"p{person}"
        for key, link, person in Case.objects.values_list(
            "person_key", "person__link_index", "person_id"
        )
    }
    for a, b in zip(new, old, strict=True):
        a = a.assign(person=a["person"].map(linked))
        a = a.sort_values(list(a.columns)).reset_index(drop=True)
        b = b.sort_values(list(b.columns)).reset_index(drop=True)
        assert a.astype(str).equals(b.astype(str))


def test_data_migration_fills_the_keys_the_services_keep(world):
    """The migration's fill, run over the book with its keys wiped, writes what the writers
    and services had stored."""
    columns = ("pk", "presented_month", "age_years", "sex", "family")
    stored = {pk: rest for pk, *rest in Case.objects.values_list(*columns)}
    Case.objects.update(presented_month=None, age_years=None, sex="", family="")
    from django.apps import apps
    from django.db import connection

    migration = importlib.import_module("civica.justice.migrations.0005_case_indicator_keys")
    # fill_keys reads only the editor's connection (a schema editor cannot open inside the
    # test's transaction on SQLite).
    migration.fill_keys(apps, SimpleNamespace(connection=connection))
    assert {pk: rest for pk, *rest in Case.objects.values_list(*columns)} == stored


def test_data_migration_fills_the_resolution_micros_the_writers_keep(world):
    """0007's fill, over the book (the synthetic writer's and the services' cases) with the
    stored microseconds wiped, writes what they had stored, to the microsecond."""
    stored = dict(Case.objects.values_list("pk", "resolution_micros"))
    assert any(v is None for v in stored.values()) and any(v for v in stored.values())
    Case.objects.update(resolution_micros=None)
    from django.apps import apps
    from django.db import connection

    migration = importlib.import_module("civica.justice.migrations.0007_case_resolution_micros")
    migration.fill_resolution_micros(apps, SimpleNamespace(connection=connection))
    assert dict(Case.objects.values_list("pk", "resolution_micros")) == stored
