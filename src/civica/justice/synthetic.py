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
import secrets
import time
from decimal import Decimal

import numpy as np
import pandas as pd
from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civica.core.crypto import EncryptedTextField, encrypt_many
from civica.justice import columns as kept_columns
from civica.justice.models import (
    Case,
    FollowUp,
    Juzgado,
    Mediation,
    Offence,
    OffenceCatalogue,
    PresentedPerson,
    SanctionClass,
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
    """UTC instants as the database takes them: Django's naive UTC text on SQLite, the same
    text marked UTC for PostgreSQL's ``COPY``; ``None`` for NaT."""
    missing = np.isnat(values)
    text = np.char.replace(np.datetime_as_string(values, unit="s"), "T", " ")
    if connection.vendor != "sqlite":
        text = np.char.add(text, "+00:00")
    return [None if m else t for m, t in zip(missing.tolist(), text.tolist(), strict=True)]


def _micros_between(earlier: np.ndarray, later: np.ndarray) -> list:
    """``Case.resolution_micros`` of whole columns (as ``micros_to_resolution``): the
    microseconds from ``earlier`` to ``later``, ``None`` where either is NaT."""
    spent = (later - earlier).astype("timedelta64[us]")
    missing = np.isnat(spent)
    values = spent.astype(np.int64).tolist()
    return [None if m else v for m, v in zip(missing.tolist(), values, strict=True)]


def _dates(values) -> list:
    """Dates as ISO text (``None`` for NaT): the date fields take them as they are."""
    days = np.asarray(values, dtype="datetime64[D]")
    text = np.datetime_as_string(days, unit="D").tolist()
    return [None if m else t for m, t in zip(np.isnat(days).tolist(), text, strict=True)]


#: Fields whose Python values (str, int, bool, None) the database takes as they are.
_PLAIN = (
    models.CharField,
    models.IntegerField,
    models.BooleanField,
    models.ForeignKey,
)


def _insert(model, columns: dict[str, list], n: int) -> None:
    """Insert ``n`` rows of ``model`` given column by column (field name → values), in
    ``executemany`` chunks (a ``COPY`` on PostgreSQL): every other field takes its default
    (``auto_now`` ones: now). Encrypted fields are sealed in one batch
    (:func:`civica.core.crypto.encrypt_many`, a fresh IV each); plain values (text,
    integers, booleans) go as they are; other values are made ready for the database once per
    distinct value, so a million rows take a minute, not the hour of model instances."""
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
        elif isinstance(field, models.DateTimeField):
            values = [field.get_default()] * n
        else:
            # The default made ready once (a JSON default is not a key of the cache).
            values = [field.get_db_prep_save(field.get_default(), connection)] * n
            names.append(field.column)
            prepared.append(values)
            continue
        if isinstance(values, np.ndarray) and values.dtype.kind == "M":
            values = _datetimes_for_database(values)
        elif isinstance(field, models.DateTimeField):
            values = _datetimes_for_database(
                np.array(
                    [
                        np.datetime64("NaT")
                        if v is None
                        else np.datetime64(v.astimezone(dt.UTC).replace(tzinfo=None), "s")
                        for v in values
                    ],
                    dtype="datetime64[s]",
                )
            )
        elif isinstance(field, EncryptedTextField):
            values = [None if v is None else str(v) for v in encrypt_many(list(values))]
        elif isinstance(field, _PLAIN) and not isinstance(field, models.TextField):
            values = list(values)
        else:
            cache: dict = {}
            out = []
            for value in values:
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
    chunk = 50_000
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY streams the rows in one command, where an executemany of a million
            # cases took most of an hour on the shared machine.
            copy_sql = "COPY {} ({}) FROM STDIN".format(
                quote(model._meta.db_table), ", ".join(quote(c) for c in names)
            )
            with cursor.cursor.copy(copy_sql) as copy:
                for start in range(0, n, chunk):
                    for row in zip(*(v[start : start + chunk] for v in prepared), strict=True):
                        copy.write_row(row)
            return
        for start in range(0, n, chunk):
            cursor.executemany(
                sql, list(zip(*(v[start : start + chunk] for v in prepared), strict=True))
            )


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


def _pids(n: int, taken: set[str]) -> list[str]:
    """``n`` new pseudonymous ids of presented persons (``J-`` and six characters of the
    participants' alphabet, as ``services._new_pid``), none among ``taken`` nor repeated."""
    alphabet = np.array(list(identity.PID_ALPHABET))
    rng = np.random.default_rng(secrets.randbits(128))
    out: list[str] = []
    seen = set(taken)
    while len(out) < n:
        draws = alphabet[rng.integers(0, len(alphabet), size=(n - len(out), identity.PID_LENGTH))]
        for pid in ("J-" + "".join(chars) for chars in draws.tolist()):
            if pid not in seen:
                seen.add(pid)
                out.append(pid)
    return out


def _link_indexes(given: list[str], family: list[str], births: list[str]) -> list[str]:
    """``link_index`` of each synthetic person (name and birth date, no CURP): the same
    keyed index as the model's, with each distinct name normalised once."""
    parts: dict[str, str] = {}

    def part(text: str) -> str:
        if text not in parts:
            parts[text] = identity.normalize_name(text)
        return parts[text]

    out = []
    for g, f, birth in zip(given, family, births, strict=True):
        a, b = part(g), part(f)
        # Normalising "given family" joins the two normalised parts by one space.
        name = f"{a} {b}" if a and b else identity.normalize_name(f"{g} {f}")
        out.append(identity.blind_index("justice-name-birth", f"{name}|{birth}"))
    return out


def _tenths(served: np.ndarray, sessions: np.ndarray) -> np.ndarray:
    """``served / sessions`` in tenths, rounded half to even as ``Decimal.quantize``."""
    q, r = np.divmod(served * 10, sessions)
    up = (2 * r > sessions) | ((2 * r == sessions) & (q % 2 == 1))
    return q + up


def _case_columns(cases, offences, catalogues, juzgados, elapsed_hours, screened):
    """The falta, sanction amounts and record fields of every case, column by column: each
    falta drawn inside the case's family (``offence_draw``), the sanction kept inside what
    the falta's class allows and its amount placed in the class by ``amount_draw``."""
    n = len(cases)
    code = cases["municipality"].to_numpy()
    wanted = cases["family"].to_numpy()
    draw = cases["amount_draw"].to_numpy(np.float64)
    offence_draw = cases["offence_draw"].to_numpy(np.float64)
    table: list[Offence] = []
    index: dict[int, int] = {}

    def at(offence: Offence) -> int:
        if offence.pk not in index:
            index[offence.pk] = len(table)
            table.append(offence)
        return index[offence.pk]

    pick = np.zeros(n, dtype=np.int64)
    unit_cents = np.zeros(n, dtype=np.int64)
    for place in np.unique(code).tolist():
        by_family = offences[place]
        everything = [o for group in by_family.values() for o in group]
        in_place = code == place
        unit_cents[in_place] = int((catalogues[place].unit_value or UNIT_VALUE) * 100)
        for family in np.unique(wanted[in_place]).tolist():
            rows = np.flatnonzero(in_place & (wanted == family))
            choices = np.array([at(o) for o in (by_family.get(family) or everything)])
            k = np.minimum((offence_draw[rows] * len(choices)).astype(np.int64), len(choices) - 1)
            pick[rows] = choices[k]
    picked = [table[i] for i in pick.tolist()]

    def of_class(name: str, default=0) -> np.ndarray:
        values = [float(getattr(o.sanction_class, name) or default) for o in table]
        return np.array(values, dtype=np.float64)[pick]

    fine_min, fine_max = of_class("fine_min"), of_class("fine_max")
    arrest_min, arrest_max = of_class("arrest_hours_min"), of_class("arrest_hours_max")
    work_min, work_max = of_class("community_hours_min", 3), of_class("community_hours_max", 6)
    has_fine, has_arrest = fine_max > 0, arrest_max > 0

    sanction = cases["sanction"].to_numpy().astype(object)
    sanction = np.where((sanction == "multa") & ~has_fine, "trabajo", sanction)
    sanction = np.where(
        (sanction == "arresto") & ~has_arrest, np.where(has_fine, "multa", "trabajo"), sanction
    )
    commutation = np.where(
        np.isin(sanction, ("multa", "arresto")), cases["commutation"].to_numpy(), "not_asked"
    ).astype(object)
    fine = np.where(sanction == "multa", np.round(fine_min + draw * (fine_max - fine_min)), np.nan)
    occupation = cases["occupation"].to_numpy()
    declared = cases["declared_daily_wage"].to_numpy(np.float64)
    # At most one day's wage or income: the declared amount covers the fine.
    covers = (sanction == "multa") & np.isin(occupation, ("worker", "no_income"))
    needed_wage = -(-np.nan_to_num(fine).astype(np.int64) * unit_cents // 100)
    raise_wage = covers & ~(np.nan_to_num(declared, nan=0.0) >= needed_wage)
    # Arrest: at least the hours the night took; beyond the class, a fine instead.
    arrest = np.where(
        sanction == "arresto",
        np.maximum(
            np.round(arrest_min + draw * (arrest_max - arrest_min)),
            np.nan_to_num(elapsed_hours, nan=0.0),
        ),
        np.nan,
    )
    too_long = (sanction == "arresto") & (arrest > arrest_max)
    sanction = np.where(too_long, np.where(has_fine, "multa", "trabajo"), sanction)
    arrest = np.where(too_long, np.nan, arrest)
    commutation = np.where(too_long, "not_asked", commutation)
    fine = np.where(too_long & has_fine, np.round(fine_min + draw * (fine_max - fine_min)), fine)
    work = (
        (sanction == "trabajo")
        | (commutation == "granted")
        | (cases["community_work"].to_numpy(bool) & np.isin(sanction, ("multa", "arresto")))
    )
    community = np.where(work, np.round(work_min + draw * (work_max - work_min)), np.nan)
    with_fine = ~np.isnan(fine)

    decimals: dict = {}

    def decimal(value) -> Decimal:
        return decimals.setdefault(value, Decimal(value))

    wages = [
        None if not f else decimal(int(w)) if up else None if np.isnan(d) else decimal(str(d))
        for f, up, w, d in zip(
            with_fine.tolist(),
            raise_wage.tolist(),
            needed_wage.tolist(),
            declared.tolist(),
            strict=True,
        )
    ]
    juzgado_pk = np.array(
        [juzgados[(c, int(k))].pk for c, k in zip(code, cases["juzgado"].to_numpy(), strict=True)]
    )
    years = cases["presented_at"].dt.year.to_numpy()
    count = (
        pd.DataFrame({"m": code, "j": cases["juzgado"].to_numpy(), "y": years})
        .groupby(["m", "j", "y"], sort=False)
        .cumcount()
        .to_numpy()
        + 1
    )
    fine_unit = np.array([catalogues[c].fine_unit for c in code.tolist()], dtype=object)
    unit = np.array([catalogues[c].unit_value or UNIT_VALUE for c in code.tolist()], dtype=object)
    minor = cases["minor"].to_numpy(bool)
    clinical = cases["clinical_age"].to_numpy(np.int64)

    def maybe(values) -> list:
        return [None if v is None else bool(v) for v in values]

    def whole(values: np.ndarray) -> list:
        return [None if np.isnan(v) else int(v) for v in values.tolist()]

    columns = dict(
        juzgado_id=juzgado_pk.tolist(),
        folio=[
            f"SINT-{j}-{y}-{c:05d}"
            for j, y, c in zip(juzgado_pk.tolist(), years.tolist(), count.tolist(), strict=True)
        ],
        iph_folio=[f"IPH-SINT-{i:07d}" for i in range(n)],
        detection=cases["detection"].tolist(),
        use_of_force=cases["use_of_force"].to_numpy(bool).tolist(),
        boleta=[f"BR-SINT-{i:07d}" for i in range(n)],
        rnd_folio=cases["rnd_folio"].tolist(),
        intoxication=cases["intoxication"].tolist(),
        clinical_age=[None if a < 0 else a for a in clinical.tolist()],
        fit=maybe(cases["fit"]),
        risk_level=cases["risk_level"].tolist(),
        screening_consent=(cases["screening_consent"].to_numpy(bool) & screened).tolist(),
        guardian_name=np.where(minor, "Madre o padre (sintético)", "").tolist(),
        responsible=maybe(cases["responsible"]),
        sanction=sanction.tolist(),
        fine_amount=[None if f is None else decimal(f) for f in whole(fine)],
        fine_unit=np.where(with_fine, fine_unit, "").tolist(),
        unit_value=np.where(with_fine, unit, None).tolist(),
        occupation=np.where(with_fine, occupation, "").tolist(),
        declared_daily_wage=wages,
        arrest_hours=whole(arrest),
        community_hours=whole(community),
        measure=[
            MEASURES[i % len(MEASURES)] if s == "mmcc" else ""
            for i, s in enumerate(sanction.tolist())
        ],
        commutation=commutation.tolist(),
        commutation_reason=np.where(
            commutation != "not_asked", cases["commutation_reason"].to_numpy(), ""
        ).tolist(),
        repeat=cases["repeat"].to_numpy(bool).tolist(),
        minor=minor.tolist(),
        closure=cases["closure"].tolist(),
        synthetic=[True] * n,
        family=[o.family for o in picked],
    )
    return picked, columns


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

    if connection.vendor == "sqlite":
        # A million rows go into B-trees keyed at random (pid, link index): with SQLite's
        # default 2 MB page cache each insert rereads pages from disk. 1 GB at most, for this
        # connection.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -1000000")

    # Persons: encrypted fields, the linking index, a pseudonymous id.
    persons = book.persons
    n_persons = len(persons)
    family_names = [f"{f} Sintético" for f in persons["family_names"].tolist()]
    given = persons["given_names"].tolist()
    birth = persons["birth_date"].to_numpy("datetime64[D]")
    birth_text = np.datetime_as_string(birth, unit="D").tolist()
    birth_month = birth.astype("datetime64[M]").astype(np.int64) + 1970 * 12
    people = {
        "pid": _pids(n_persons, set(PresentedPerson.objects.values_list("pid", flat=True))),
        "given_names": given,
        "family_names": family_names,
        "birth_date": birth_text,
        "sex": persons["sex"].tolist(),
        "municipality_id": [municipalities[code].pk for code in persons["municipality"]],
        "link_index": _link_indexes(given, family_names, birth_text),
        "birth_month_index": birth_month.tolist(),
    }
    _insert(PresentedPerson, {**people, "synthetic": [True] * n_persons}, n_persons)
    ids = dict(PresentedPerson.objects.filter(synthetic=True).values_list("pid", "id"))
    person_ids = np.array([ids[p] for p in people["pid"]], dtype=np.int64)
    # Case.person_key: the first person with the same link index (any already written too).
    every = pd.DataFrame.from_records(
        PresentedPerson.objects.values_list("id", "link_index"), columns=["id", "link"]
    )
    first = every[every["link"] != ""].groupby("link")["id"].min()
    person_keys = (
        pd.Series(people["link_index"]).map(first).fillna(pd.Series(person_ids)).astype(np.int64)
    ).to_numpy()
    row_of_person = pd.Index(persons["person"].to_numpy())

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
    n = len(cases)
    # The indicators' grouping keys (Case.refresh_keys): local month, age that month, sex.
    local = (
        pd.DatetimeIndex(times["presented_at"]).tz_localize("UTC").tz_convert(settings.TIME_ZONE)
    )
    months = (local.year * 12 + local.month - 1).to_numpy().astype(np.int64)
    person_row = row_of_person.get_indexer(cases["person"].to_numpy())
    elapsed_hours = np.ceil(
        (times["resolved_at"] - times["detained_at"]).astype("timedelta64[s]").astype(float) / 3600
    )
    screened = ~np.isnat(times["screened_at"])
    picked, columns = _case_columns(cases, offences, catalogues, juzgados, elapsed_hours, screened)
    columns.update(
        person_id=person_ids[person_row].tolist(),
        presented_month=months.tolist(),
        age_years=[int(a) for a in (months - birth_month[person_row]) // 12],
        sex=persons["sex"].to_numpy()[person_row].tolist(),
        person_key=person_keys[person_row].tolist(),
        resolution_micros=_micros_between(times["presented_at"], times["resolved_at"]),
    )
    columns.update(times)
    columns["event_at"] = times["detained_at"]
    columns["hearing_scheduled_at"] = times["hearing_started_at"]
    _insert(Case, columns, n)
    case_ids = dict(Case.objects.filter(synthetic=True).values_list("folio", "id"))
    case_id = np.array([case_ids[f] for f in columns["folio"]], dtype=np.int64)
    through = Case.offences.through
    _insert(
        through,
        {"case_id": case_id.tolist(), "offence_id": [o.pk for o in picked]},
        n,
    )

    m = book.mediations
    agreed = _dates(m["agreed_on"].to_numpy())
    n_mediations = len(m)
    _insert(
        Mediation,
        {
            "case_id": case_id[m["case"].to_numpy(np.int64)].tolist(),
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
    rows_of = f["case"].to_numpy(np.int64)
    served = np.array([0 if c is None else c for c in columns["community_hours"]], dtype=np.int64)[
        rows_of
    ]
    sessions = f["sessions"].to_numpy(np.int64)
    with_hours = (f["kind"].to_numpy() == "hours") & (served > 0)
    tenths = _tenths(served, np.where(with_hours, sessions, 1))
    decimals: dict[int, Decimal] = {}
    hours = [
        decimals.setdefault(t, Decimal(t) / 10) if ok else None
        for t, ok in zip(tenths.tolist(), with_hours.tolist(), strict=True)
    ]
    n_follow_ups = len(f)
    _insert(
        FollowUp,
        {
            "case_id": case_id[rows_of].tolist(),
            "kind": f["kind"].tolist(),
            "on": _dates(f["on"].to_numpy()),
            "hours": hours,
            "attended": [None if v is None else bool(v) for v in f["attended"]],
            "note": ["sintético"] * n_follow_ups,
        },
        n_follow_ups,
    )
    if connection.vendor == "postgresql":
        # Statistics of the tables just filled: until autovacuum comes by, the planner knows
        # nothing of the new rows and may walk a million to find a person's key on intake.
        with connection.cursor() as cursor:
            for model in (PresentedPerson, Case, FollowUp, Mediation):
                cursor.execute(f'ANALYZE "{model._meta.db_table}"')
    # The indicators' columns of the months written, so the first view reads them kept.
    kept_columns.refresh({m.pk for m in municipalities.values()})
    return {
        "persons": n_persons,
        "cases": n,
        "mediations": n_mediations,
        "follow_ups": n_follow_ups,
        "juzgados": len(juzgados),
    }
