"""The synthetic case book of ``civica demo``: two municipalities × three years of juzgado
records at real volumes, written through the justice models (labelled synthetic).

:func:`load` draws the plain records of :mod:`civica.justice.synthetic_book` and writes them
with bulk inserts: synthetic juzgados, presented persons (encrypted names and birth dates,
the keyed ``link_index`` that links their presentations), cases with every stage, their
faltas, mediations and follow-ups. Each municipality uses the catalogue of faltas in force
(CDMX's Ley de Cultura Cívica where the demo loaded it); one without a catalogue gets a small
synthetic Bando with CDMX's classes. A second run keeps the book it finds.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import time
from decimal import ROUND_CEILING, Decimal

import numpy as np
import pandas as pd
from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civica.core.crypto import EncryptedTextField
from civica.justice.models import (
    Case,
    FollowUp,
    Juzgado,
    Mediation,
    Offence,
    OffenceCatalogue,
    PresentedPerson,
    SanctionClass,
    link_index,
)
from civica.justice.synthetic_book import Book, MunicipalityBook, generate_book
from civica.participants import identity
from civica.territory.models import Municipality

__all__ = ["DEMO_BOOKS", "SYNTHETIC_BANDO", "load", "load_demo", "write_book"]

#: Tijuana at about 7,000 presentations a year (two juzgados), Cuauhtémoc at about 3,000.
DEMO_BOOKS = (
    MunicipalityBook("02004", 7000, juzgados=2, rnd_share=0.85, screened_share=0.7),
    MunicipalityBook("09015", 3000, juzgados=1, rnd_share=0.65, screened_share=0.4),
)

#: Classes (fine in UMA, community-work hours, arrest hours) and faltas of the synthetic
#: Bando given to a municipality without a catalogue (CDMX's classes A–D).
SYNTHETIC_CLASSES = {
    "A": (1, 10, 3, 6, 6, 12),
    "B": (11, 40, 6, 12, 13, 24),
    "C": (21, 30, 12, 18, 25, 36),
    "D": (0, 0, 10, 18, 20, 36),
}
SYNTHETIC_BANDO = (
    ("S-1", "5", "I", "seguridad", "A", "Ingerir bebidas alcohólicas en la vía pública."),
    ("S-2", "5", "II", "seguridad", "C", "Conducir en estado de ebriedad."),
    ("S-3", "5", "III", "seguridad", "B", "Portar objetos para agredir."),
    (
        "T-1",
        "6",
        "I",
        "tranquilidad",
        "A",
        "Producir ruido que altere la tranquilidad (escándalo).",
    ),
    ("T-2", "6", "II", "tranquilidad", "B", "Provocar riñas."),
    ("T-3", "6", "III", "tranquilidad", "A", "Molestar a los vecinos (conflicto vecinal)."),
    ("E-1", "7", "I", "entorno", "A", "Orinar o defecar en la vía pública."),
    ("E-2", "7", "II", "entorno", "B", "Dañar el mobiliario urbano."),
    ("E-3", "7", "III", "entorno", "D", "Tirar basura en la vía pública."),
    ("D-1", "8", "I", "dignidad", "A", "Vejar o maltratar verbalmente a una persona."),
    ("D-2", "8", "II", "dignidad", "B", "Realizar actos de exhibicionismo."),
)
UNIT_VALUE = Decimal("113.14")  # pesos per UMA (2025), used when the catalogue gives none
MEASURES = (
    "Taller de manejo de emociones",
    "Tratamiento de adicciones",
    "Programa de mentoría juvenil",
    "Terapia familiar",
)
_UTC_OFFSET = np.timedelta64(6, "h")  # the book's wall-clock times are read at UTC−6


def _municipalities(books) -> list[tuple[MunicipalityBook, Municipality]]:
    """The demo municipalities if the territory has them, else the first ones it has."""
    found = {m.cvegeo: m for m in Municipality.objects.filter(cvegeo__in=[b.code for b in books])}
    if len(found) == len(books):
        return [(b, found[b.code]) for b in books]
    others = list(Municipality.objects.order_by("cvegeo")[: len(books)])
    return [
        (MunicipalityBook(m.cvegeo, b.per_year, b.juzgados, b.rnd_share, b.screened_share), m)
        for b, m in zip(books, others, strict=False)
    ]


def _catalogue(municipality: Municipality, day: dt.date) -> OffenceCatalogue:
    catalogue = (
        OffenceCatalogue.objects.filter(municipality=municipality).order_by("-valid_from").first()
    )
    if catalogue is not None and catalogue.offences.exists():
        return catalogue
    catalogue = OffenceCatalogue.objects.create(
        municipality=municipality,
        ordenamiento=f"Bando de Policía y Gobierno de {municipality.name} (sintético)",
        valid_from=day,
        unit_value=UNIT_VALUE,
        source="Catálogo sintético de demostración (no es un ordenamiento real).",
        synthetic=True,
    )
    classes = {
        code: SanctionClass.objects.create(
            catalogue=catalogue,
            code=code,
            fine_min=f0,
            fine_max=f1,
            community_hours_min=c0,
            community_hours_max=c1,
            arrest_hours_min=a0,
            arrest_hours_max=a1,
        )
        for code, (f0, f1, c0, c1, a0, a1) in SYNTHETIC_CLASSES.items()
    }
    Offence.objects.bulk_create(
        Offence(
            catalogue=catalogue,
            code=code,
            article=article,
            fraction=fraction,
            text=text,
            family=family,
            sanction_class=classes[klass],
            conciliable=code == "T-3",
        )
        for code, article, fraction, family, klass, text in SYNTHETIC_BANDO
    )
    return catalogue


def _utc(values) -> np.ndarray:
    """Wall-clock datetimes at UTC−6 → UTC instants (``datetime64[s]``, NaT kept)."""
    return np.asarray(values, dtype="datetime64[s]") + _UTC_OFFSET


def _datetimes_for_database(values: np.ndarray) -> list:
    """UTC instants as the database takes them: Django's naive UTC text on SQLite, aware
    datetimes elsewhere; ``None`` for NaT."""
    missing = np.isnat(values)
    if connection.vendor == "sqlite":
        text = np.char.replace(np.datetime_as_string(values, unit="s"), "T", " ")
        return [None if m else str(t) for m, t in zip(missing, text, strict=True)]
    aware = pd.DatetimeIndex(values).tz_localize("UTC").to_pydatetime()
    return [None if m else v for m, v in zip(missing, aware, strict=True)]


def _dates(values) -> list:
    series = pd.Series(pd.to_datetime(values))
    return [None if pd.isna(v) else v.date() for v in series]


def _insert(model, columns: dict[str, list], n: int) -> None:
    """Insert ``n`` rows of ``model`` given column by column (field name → values), in one
    ``executemany`` (a ``COPY`` on PostgreSQL): every other field takes its default
    (``auto_now`` ones: now). Values are made ready for the database once per distinct value
    where they repeat, so tens of thousands of rows take seconds, not the minutes of model
    instances."""
    now = timezone.now()
    names, prepared = [], []
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        name = field.attname
        if name in columns:
            values = columns[name]
        elif name == field.name and field.name in columns:
            values = columns[field.name]
        elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            values = [now] * n
        else:
            values = [field.get_default()] * n
        if isinstance(values, np.ndarray) and values.dtype.kind == "M":
            values = _datetimes_for_database(values)
        elif isinstance(field, models.DateTimeField) and connection.vendor == "sqlite":
            values = _datetimes_for_database(
                np.array(
                    [np.datetime64(v.astimezone(dt.UTC).replace(tzinfo=None), "s") for v in values],
                    dtype="datetime64[s]",
                )
            )
        else:
            cache: dict = {}
            out = []
            secret = isinstance(field, EncryptedTextField)
            for value in values:
                if secret and value:  # every ciphertext drawn anew, never shared
                    out.append(field.get_db_prep_save(value, connection))
                    continue
                try:
                    out.append(cache[value])
                except (KeyError, TypeError):
                    ready = field.get_db_prep_save(value, connection)
                    with contextlib.suppress(TypeError):
                        cache[value] = ready
                    out.append(ready)
            values = out
        names.append(field.column)
        prepared.append(values)
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 - names from the model
        quote(model._meta.db_table),
        ", ".join(quote(c) for c in names),
        ", ".join(["%s"] * len(names)),
    )
    rows = list(zip(*prepared, strict=True))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY streams the rows in one command: a million cases in a minute, where an
            # executemany of the same rows took most of an hour on the shared machine.
            copy_sql = "COPY {} ({}) FROM STDIN".format(
                quote(model._meta.db_table), ", ".join(quote(c) for c in names)
            )
            with cursor.cursor.copy(copy_sql) as copy:
                for row in rows:
                    copy.write_row(row)
            return
        for start in range(0, n, 5000):
            cursor.executemany(sql, rows[start : start + 5000])


def load_demo(juzgado: Juzgado | None = None) -> list[str]:
    """What ``civica demo`` writes (called by ``justice.demo.load``): the book of
    :data:`DEMO_BOOKS`, whose first juzgado of the demo juzgado's municipality is that
    juzgado (so its judge sees the night's persons on the board)."""
    given = {juzgado.municipality.cvegeo: juzgado} if juzgado is not None else {}
    return load(given_juzgados=given)


def load(
    *,
    end: dt.datetime | None = None,
    seed: int = 1,
    books=DEMO_BOOKS,
    scale: float = 1.0,
    given_juzgados: dict | None = None,
) -> list[str]:
    """Write the demo case book once (a repeat keeps it); lines to print. ``scale``
    multiplies the volumes (the invented territory of ``civica demo --synthetic`` takes a
    tenth)."""
    if Case.objects.filter(synthetic=True).exists():
        return [_("Synthetic civic-justice case book already present; kept as it is.")]
    books = [
        MunicipalityBook(
            b.code, max(1, round(b.per_year * scale)), b.juzgados, b.rnd_share, b.screened_share
        )
        for b in books
    ]
    places = _municipalities(books)
    if not places:
        return [_("No municipality in the territory: no synthetic civic-justice case book.")]
    end = end or timezone.localtime().replace(tzinfo=None, second=0, microsecond=0)
    started = time.perf_counter()
    book = generate_book([b for b, _m in places], end=end, seed=seed)
    counts = write_book(book, {b.code: m for b, m in places}, given_juzgados=given_juzgados)
    seconds = time.perf_counter() - started
    per_year = book.presentations_per_year()
    return [
        _(
            "Synthetic civic-justice case book (not real): %(cases)s presentations of "
            "%(persons)s persons in %(places)s over three years, written in %(seconds).0f s."
        )
        % {
            "cases": f"{counts['cases']:,}",
            "persons": f"{counts['persons']:,}",
            "places": ", ".join(f"{m.name} ({per_year[b.code]:,.0f}/año)" for b, m in places),
            "seconds": seconds,
        }
    ]


@transaction.atomic
def write_book(
    book: Book, municipalities: dict[str, Municipality], *, given_juzgados: dict | None = None
) -> dict[str, int]:
    """Write ``book`` through the justice models with bulk inserts; counts written.
    ``given_juzgados`` (municipality code → juzgado) stands in for the first synthetic
    juzgado of that municipality."""
    start_day = book.start.date()
    juzgados: dict[tuple[str, int], Juzgado] = {}
    offences: dict[str, dict[str, list[Offence]]] = {}
    catalogues: dict[str, OffenceCatalogue] = {}
    cases = book.cases
    for code, municipality in municipalities.items():
        catalogue = _catalogue(municipality, start_day)
        catalogues[code] = catalogue
        by_family: dict[str, list[Offence]] = {}
        for offence in catalogue.offences.select_related("sanction_class").order_by("code"):
            by_family.setdefault(offence.family, []).append(offence)
        offences[code] = by_family
        for k in sorted(set(cases.loc[cases["municipality"] == code, "juzgado"])):
            if k == 0 and code in (given_juzgados or {}):
                juzgados[(code, 0)] = given_juzgados[code]
                continue
            juzgados[(code, int(k))] = Juzgado.objects.get_or_create(
                municipality=municipality,
                name=f"Juzgado Cívico {k + 1} de {municipality.name} (sintético)",
                defaults={"synthetic": True},
            )[0]

    # Persons: encrypted fields, the linking index, a pseudonymous id.
    taken = set(PresentedPerson.objects.values_list("pid", flat=True))
    people: dict[str, list] = {
        key: []
        for key in (
            "pid",
            "given_names",
            "family_names",
            "birth_date",
            "sex",
            "municipality_id",
            "link_index",
            "birth_month_index",
        )
    }
    for row in book.persons.itertuples(index=False):
        pid = "J" + identity.new_pid()[1:]
        while pid in taken:
            pid = "J" + identity.new_pid()[1:]
        taken.add(pid)
        birth = pd.Timestamp(row.birth_date).date()
        family_names = f"{row.family_names} Sintético"
        people["pid"].append(pid)
        people["given_names"].append(row.given_names)
        people["family_names"].append(family_names)
        people["birth_date"].append(birth.isoformat())
        people["sex"].append(row.sex)
        people["municipality_id"].append(municipalities[row.municipality].pk)
        people["link_index"].append(
            link_index(curp="", given_names=row.given_names, family_names=family_names, birth=birth)
        )
        people["birth_month_index"].append(identity.birth_month_index(birth))
    n_persons = len(people["pid"])
    _insert(PresentedPerson, {**people, "synthetic": [True] * n_persons}, n_persons)
    ids = dict(PresentedPerson.objects.filter(synthetic=True).values_list("pid", "id"))
    person_of = dict(
        zip(book.persons["person"].tolist(), (ids[p] for p in people["pid"]), strict=True)
    )

    times = {
        column: _utc(cases[column].to_numpy())
        for column in (
            "presented_at",
            "detained_at",
            "medical_at",
            "unfit_until",
            "screened_at",
            "guardian_at",
            "hearing_started_at",
            "hearing_ended_at",
            "resolved_at",
            "closed_at",
        )
    }
    years = cases["presented_at"].dt.year.to_numpy()
    # The indicators' grouping keys (Case.refresh_keys): local month, age that month, sex.
    local = (
        pd.DatetimeIndex(times["presented_at"]).tz_localize("UTC").tz_convert(settings.TIME_ZONE)
    )
    months = (local.year * 12 + local.month - 1).to_numpy()
    born = dict(zip(book.persons["person"].tolist(), people["birth_month_index"], strict=True))
    sexes = dict(zip(book.persons["person"].tolist(), people["sex"], strict=True))
    elapsed_hours = np.ceil(
        (times["resolved_at"] - times["detained_at"]).astype("timedelta64[s]").astype(float) / 3600
    )
    screened = ~np.isnat(times["screened_at"])
    rows: list[dict] = []
    picked = []
    folio_count: dict[tuple[str, int, int], int] = {}
    for i, row in enumerate(cases.itertuples(index=False)):
        family = offences[row.municipality]
        choices = family.get(row.family) or [o for group in family.values() for o in group]
        offence = choices[min(int(row.offence_draw * len(choices)), len(choices) - 1)]
        picked.append(offence)
        klass = offence.sanction_class
        juzgado = juzgados[(row.municipality, int(row.juzgado))]
        year = int(years[i])
        key = (row.municipality, int(row.juzgado), year)
        folio_count[key] = folio_count.get(key, 0) + 1
        sanction = row.sanction
        # Keep the sanction inside what the falta's class allows.
        if sanction == "multa" and not klass.fine_max:
            sanction = "trabajo"
        if sanction == "arresto" and not klass.arrest_hours_max:
            sanction = "multa" if klass.fine_max else "trabajo"
        draw = float(row.amount_draw)
        fine = arrest = community = None
        unit = catalogues[row.municipality].unit_value or UNIT_VALUE
        wage = (
            None if math.isnan(row.declared_daily_wage) else Decimal(str(row.declared_daily_wage))
        )
        commutation = row.commutation if sanction in ("multa", "arresto") else "not_asked"
        if sanction == "multa":
            low, high = float(klass.fine_min), float(klass.fine_max)
            fine = Decimal(round(low + draw * (high - low)))
            if row.occupation in ("worker", "no_income"):
                # At most one day's wage or income: the declared amount covers the fine.
                wage = max(wage or Decimal(0), (fine * unit).quantize(Decimal("1"), ROUND_CEILING))
        elif sanction == "arresto":
            low, high = klass.arrest_hours_min, klass.arrest_hours_max
            needed = int(elapsed_hours[i])
            arrest = max(round(low + draw * (high - low)), needed)
            if arrest > high:  # the night took longer than the class allows: a fine
                sanction, arrest = ("multa" if klass.fine_max else "trabajo"), None
                commutation = "not_asked"
                if sanction == "multa":
                    fine = Decimal(
                        round(float(klass.fine_min) + draw * float(klass.fine_max - klass.fine_min))
                    )
        if (
            sanction == "trabajo"
            or commutation == "granted"
            or (row.community_work and sanction in ("multa", "arresto"))
        ):
            low, high = klass.community_hours_min or 3, klass.community_hours_max or 6
            community = round(low + draw * (high - low))
        rows.append(
            dict(
                juzgado_id=juzgado.pk,
                folio=f"SINT-{juzgado.pk}-{year}-{folio_count[key]:05d}",
                person_id=person_of[row.person],
                iph_folio=f"IPH-SINT-{i:07d}",
                detection=row.detection,
                use_of_force=bool(row.use_of_force),
                boleta=f"BR-SINT-{i:07d}",
                rnd_folio=row.rnd_folio,
                intoxication=row.intoxication,
                clinical_age=None if row.clinical_age < 0 else int(row.clinical_age),
                fit=None if row.fit is None else bool(row.fit),
                risk_level=row.risk_level,
                screening_consent=bool(row.screening_consent) and bool(screened[i]),
                guardian_name="Madre o padre (sintético)" if row.minor else "",
                responsible=None if row.responsible is None else bool(row.responsible),
                sanction=sanction,
                fine_amount=fine,
                fine_unit=catalogues[row.municipality].fine_unit if fine is not None else "",
                unit_value=unit if fine is not None else None,
                occupation=row.occupation if fine is not None else "",
                declared_daily_wage=wage if fine is not None else None,
                arrest_hours=arrest,
                community_hours=community,
                measure=MEASURES[i % len(MEASURES)] if sanction == "mmcc" else "",
                commutation=commutation,
                commutation_reason=row.commutation_reason if commutation != "not_asked" else "",
                repeat=bool(row.repeat),
                minor=bool(row.minor),
                closure=row.closure,
                synthetic=True,
                presented_month=int(months[i]),
                age_years=None
                if born[row.person] is None
                else (int(months[i]) - born[row.person]) // 12,
                sex=sexes[row.person] or "",
                family=offence.family,
            )
        )
    columns = {key: [r[key] for r in rows] for key in rows[0]} if rows else {}
    columns.update(times)
    columns["event_at"] = times["detained_at"]
    columns["hearing_scheduled_at"] = times["hearing_started_at"]
    _insert(Case, columns, len(rows))
    case_ids = dict(Case.objects.filter(synthetic=True).values_list("folio", "id"))
    case_id = [case_ids[r["folio"]] for r in rows]
    through = Case.offences.through
    _insert(
        through,
        {"case_id": case_id, "offence_id": [o.pk for o in picked]},
        len(rows),
    )

    m = book.mediations
    agreed = _dates(m["agreed_on"].to_numpy())
    n_mediations = len(m)
    _insert(
        Mediation,
        {
            "case_id": [case_id[int(c)] for c in m["case"]],
            "parties": ["Vecinos del mismo inmueble (sintético)"] * n_mediations,
            "agreement": ["Acuerdo de convivencia (sintético)" if a else "" for a in agreed],
            "agreed_on": agreed,
            "checked_30_on": _dates(m["checked_30_on"].to_numpy()),
            "kept_30": [None if v is None else bool(v) for v in m["kept_30"]],
            "checked_90_on": _dates(m["checked_90_on"].to_numpy()),
            "kept_90": [None if v is None else bool(v) for v in m["kept_90"]],
        },
        n_mediations,
    )

    f = book.follow_ups
    hours = []
    for case, kind, sessions in zip(f["case"], f["kind"], f["sessions"], strict=True):
        served = rows[int(case)]["community_hours"]
        hours.append(
            (Decimal(served) / Decimal(int(sessions))).quantize(Decimal("0.1"))
            if kind == "hours" and served
            else None
        )
    n_follow_ups = len(f)
    _insert(
        FollowUp,
        {
            "case_id": [case_id[int(c)] for c in f["case"]],
            "kind": f["kind"].tolist(),
            "on": _dates(f["on"].to_numpy()),
            "hours": hours,
            "attended": [None if v is None else bool(v) for v in f["attended"]],
            "note": ["sintético"] * n_follow_ups,
        },
        n_follow_ups,
    )
    return {
        "persons": n_persons,
        "cases": len(rows),
        "mediations": n_mediations,
        "follow_ups": n_follow_ups,
        "juzgados": len(juzgados),
    }
