"""Importing a municipality's catalogue of faltas: any Bando by CSV, and CDMX's Ley de Cultura
Cívica from the shared data folder (``cdmx_lcc_catalogo_faltas``).

The CSV has one row per falta and carries its class's ranges on the row (``CATALOGUE_COLUMNS``);
rows of the same class must agree on them. The file becomes one new version of the
municipality's catalogue, valid from a date: the version it follows is closed the day before.
Everything goes through ``core.imports.import_records`` — all or nothing, every problem with
its line and column.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from civica.accounts.access import SYSTEM
from civica.audit.services import Action, record
from civica.core.imports import (
    ImportFailed,
    ImportSummary,
    Problem,
    RowError,
    Written,
    import_records,
    stage_rows,
)
from civica.justice.models import (
    MAX_ARREST_HOURS,
    Family,
    FineUnit,
    Offence,
    OffenceCatalogue,
    SanctionClass,
)
from civica.territory.models import Municipality

__all__ = [
    "CATALOGUE_COLUMNS",
    "CDMX_CLASSES_FILE",
    "CDMX_FALTAS_FILE",
    "CDMX_LCC",
    "catalogue_on",
    "cdmx_catalogue_csv",
    "import_catalogue_csv",
    "load_cdmx_catalogue",
]

CATALOGUE_COLUMNS = (
    "code",
    "article",
    "fraction",
    "text",
    "family",
    "class",
    "fine_min",
    "fine_max",
    "community_hours_min",
    "community_hours_max",
    "arrest_hours_min",
    "arrest_hours_max",
    "commutable",
    "conciliable",
    "needs_complaint",
    "note",
)
REQUIRED_COLUMNS = ("code", "article", "text", "family", "class")
RANGE_COLUMNS = CATALOGUE_COLUMNS[6:12]

CDMX_FALTAS_FILE = "faltas_lcc_cdmx.csv"
CDMX_CLASSES_FILE = "clases_sancion_lcc_cdmx.csv"
CDMX_LCC = "Ley de Cultura Cívica de la Ciudad de México"
#: Publication in the Gaceta Oficial de la Ciudad de México (SOURCE.md).
CDMX_LCC_DATE = dt.date(2019, 6, 7)
# The photo-detected traffic conduct is class "F" in the faltas file and "FC" in the classes.
CDMX_CLASS_ALIASES = {"F": "FC"}

_TRUE = {"1", "si", "sí", "yes", "true", "verdadero", "x"}
_FALSE = {"", "0", "no", "false", "falso"}


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower().strip()


def family_of(text: str) -> str | None:
    """The national family of a category as municipalities write it (``dignidad``, "contra la
    dignidad de las personas", ``seguridad ciudadana``…); ``None`` when none fits."""
    folded = _fold(text)
    for keyword, family in (
        ("dignidad", Family.DIGNITY),
        ("tranquilidad", Family.TRANQUILLITY),
        ("seguridad", Family.CITIZEN_SAFETY),
        ("entorno", Family.URBAN_ENVIRONMENT),
        ("otra", Family.OTHER),
        ("other", Family.OTHER),
    ):
        if keyword in folded:
            return family.value
    return None


def _number(row, column, *, integer=False):
    text = (row.get(column) or "").strip().replace(",", ".") or "0"
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise RowError(column, _("“%(value)s” is not a number.") % {"value": text}) from None
    if value < 0:
        raise RowError(column, _("the number cannot be negative."))
    if integer:
        if value != value.to_integral_value():
            raise RowError(column, _("write whole hours."))
        return int(value)
    return value


def _flag(row, column, default: bool) -> bool:
    text = _fold(row.get(column) or "")
    if not text:
        return default
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise RowError(column, _("write sí or no."))


def _stage_row(line: int, row: dict) -> dict:
    code = (row.get("code") or "").strip()
    if not code:
        raise RowError("code", _("the falta needs a code."))
    family = family_of(row.get("family") or "")
    if family is None:
        raise RowError(
            "family",
            _("unknown family; write dignidad, tranquilidad, seguridad, entorno or otra."),
        )
    class_code = (row.get("class") or "").strip().upper()
    if not class_code:
        raise RowError("class", _("the falta needs a sanction class."))
    ranges = {
        "fine_min": _number(row, "fine_min"),
        "fine_max": _number(row, "fine_max"),
        "community_hours_min": _number(row, "community_hours_min", integer=True),
        "community_hours_max": _number(row, "community_hours_max", integer=True),
        "arrest_hours_min": _number(row, "arrest_hours_min", integer=True),
        "arrest_hours_max": _number(row, "arrest_hours_max", integer=True),
    }
    for low, high in (
        ("fine_min", "fine_max"),
        ("community_hours_min", "community_hours_max"),
        ("arrest_hours_min", "arrest_hours_max"),
    ):
        if ranges[high] < ranges[low]:
            raise RowError(high, _("the maximum is below the minimum."))
    if ranges["arrest_hours_max"] > MAX_ARREST_HOURS:
        raise RowError(
            "arrest_hours_max",
            _("an arrest lasts at most 36 hours, counted from the detention."),
        )
    if not (row.get("text") or "").strip():
        raise RowError("text", _("the falta needs its text."))
    return {
        "line": line,
        "code": code,
        "article": (row.get("article") or "").strip(),
        "fraction": (row.get("fraction") or "").strip(),
        "text": row["text"].strip(),
        "family": family,
        "class": class_code,
        "ranges": ranges,
        "commutable": _flag(row, "commutable", True),
        "conciliable": _flag(row, "conciliable", False),
        "needs_complaint": _flag(row, "needs_complaint", False),
        "note": (row.get("note") or "").strip(),
    }


def import_catalogue_csv(
    *,
    source: Path | str | bytes,
    municipality: Municipality,
    valid_from: dt.date,
    ordenamiento: str,
    actor=SYSTEM,
    valid_to: dt.date | None = None,
    fine_unit: str = FineUnit.UMA,
    unit_value: Decimal | None = None,
    reincidents_may_commute: bool = True,
    source_note: str = "",
    name: str = "",
    synthetic: bool = False,
) -> tuple[OffenceCatalogue, ImportSummary]:
    """Create a new version of ``municipality``'s catalogue from a CSV of faltas, all or
    nothing. The open version before ``valid_from`` is closed the day before."""
    if valid_to and valid_to < valid_from:
        raise ImportFailed([Problem(0, "", _("The end of validity is before its start."))])
    created: dict = {}

    def stage(records):
        items = stage_rows(records, _stage_row)
        problems, classes, codes = [], {}, {}
        for item in items:
            if item["code"] in codes:
                problems.append(
                    Problem(
                        item["line"],
                        "code",
                        _("code %(code)s is already on line %(other)d.")
                        % {"code": item["code"], "other": codes[item["code"]]},
                    )
                )
            codes[item["code"]] = item["line"]
            first = classes.setdefault(item["class"], item)
            if first["ranges"] != item["ranges"]:
                column = next(c for c in RANGE_COLUMNS if first["ranges"][c] != item["ranges"][c])
                problems.append(
                    Problem(
                        item["line"],
                        column,
                        _("class %(code)s has other ranges on line %(other)d.")
                        % {"code": item["class"], "other": first["line"]},
                    )
                )
        if not items:
            problems.append(Problem(0, "", _("the file has no faltas.")))
        if OffenceCatalogue.objects.filter(
            municipality=municipality, valid_from=valid_from
        ).exists():
            problems.append(
                Problem(
                    0,
                    "",
                    _(
                        "%(municipality)s already has a catalogue valid from %(date)s; import "
                        "the new version with another --valid-from."
                    )
                    % {"municipality": municipality.name, "date": valid_from.isoformat()},
                )
            )
        if problems:
            raise ImportFailed(problems, file=records.name)
        return items

    def write(items) -> Written:
        previous = OffenceCatalogue.objects.filter(
            municipality=municipality, valid_from__lt=valid_from
        ).filter(valid_to__isnull=True) | OffenceCatalogue.objects.filter(
            municipality=municipality, valid_from__lt=valid_from, valid_to__gte=valid_from
        )
        for old in previous:
            old.valid_to = valid_from - dt.timedelta(days=1)
            old.save(update_fields=["valid_to"])
        later = (
            OffenceCatalogue.objects.filter(municipality=municipality, valid_from__gt=valid_from)
            .order_by("valid_from")
            .first()
        )
        catalogue = OffenceCatalogue(
            municipality=municipality,
            ordenamiento=ordenamiento,
            valid_from=valid_from,
            valid_to=valid_to
            or (later.valid_from - dt.timedelta(days=1) if later is not None else None),
            fine_unit=fine_unit,
            unit_value=unit_value,
            reincidents_may_commute=reincidents_may_commute,
            source=source_note,
            synthetic=synthetic,
        )
        catalogue.full_clean()
        catalogue.save()
        classes = {}
        for item in items:
            if item["class"] not in classes:
                classes[item["class"]] = SanctionClass.objects.create(
                    catalogue=catalogue, code=item["class"], **item["ranges"]
                )
        Offence.objects.bulk_create(
            Offence(
                catalogue=catalogue,
                code=item["code"],
                article=item["article"],
                fraction=item["fraction"],
                text=item["text"],
                family=item["family"],
                sanction_class=classes[item["class"]],
                commutable=item["commutable"],
                conciliable=item["conciliable"],
                needs_complaint=item["needs_complaint"],
                note=item["note"],
            )
            for item in items
        )
        record(
            actor=actor,
            action=Action.CREATE,
            obj=catalogue,
            detail={"faltas": len(items), "classes": sorted(classes)},
        )
        created["catalogue"] = catalogue
        return Written(created=len(items), ids=(catalogue.pk,))

    summary = import_records(
        dataset="justice.OffenceCatalogue",
        what=_("catalogue of faltas"),
        source=source,
        name=name,
        known=CATALOGUE_COLUMNS,
        required=REQUIRED_COLUMNS,
        actor=actor,
        stage=stage,
        write=write,
        audit_detail={"municipality": municipality.cvegeo, "valid_from": valid_from.isoformat()},
    )
    return created["catalogue"], summary


def cdmx_catalogue_csv(folder: Path) -> bytes:
    """The CDMX faltas and classes (the shared data folder's two files) as one catalogue CSV."""
    folder = Path(folder)
    with (folder / CDMX_CLASSES_FILE).open(encoding="utf-8-sig", newline="") as handle:
        classes = {row["clase_sancion"].strip(): row for row in csv.DictReader(handle)}
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CATALOGUE_COLUMNS)
    with (folder / CDMX_FALTAS_FILE).open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            code = row["clase_sancion"].strip()
            ranges = classes.get(CDMX_CLASS_ALIASES.get(code, code), {})
            note = (row.get("nota_conciliacion") or "").strip()
            # The law names the faltas that may be settled by conciliation in the note or in
            # the text itself ("solo procederá la conciliación cuando…").
            conciliable = "concilia" in _fold(note + " " + row["descripcion"])
            writer.writerow(
                [
                    row["codigo"],
                    row["articulo"],
                    row["fraccion"],
                    row["descripcion"],
                    row["categoria"],
                    CDMX_CLASS_ALIASES.get(code, code),
                    ranges.get("multa_uc_min", ""),
                    ranges.get("multa_uc_max", ""),
                    ranges.get("trabajo_comunitario_h_min", ""),
                    ranges.get("trabajo_comunitario_h_max", ""),
                    ranges.get("arresto_h_min", ""),
                    ranges.get("arresto_h_max", ""),
                    "sí",
                    "sí" if conciliable else "no",
                    "no",
                    note,
                ]
            )
    return out.getvalue().encode("utf-8")


def load_cdmx_catalogue(
    folder: Path,
    *,
    municipalities=None,
    valid_from: dt.date = CDMX_LCC_DATE,
    unit_value: Decimal | None = None,
    actor=SYSTEM,
    synthetic: bool = False,
) -> list[OffenceCatalogue]:
    """Load the CDMX Ley de Cultura Cívica catalogue for each municipality (default: every
    alcaldía of state 09 in the territory catalogue); one already loaded for that date is
    left as it is."""
    if municipalities is None:
        municipalities = Municipality.objects.filter(state__code="09").order_by("cvegeo")
    data = cdmx_catalogue_csv(folder)
    loaded = []
    for municipality in municipalities:
        existing = OffenceCatalogue.objects.filter(
            municipality=municipality, valid_from=valid_from
        ).first()
        if existing is not None:
            loaded.append(existing)
            continue
        with transaction.atomic():
            catalogue, _summary = import_catalogue_csv(
                source=data,
                name=CDMX_FALTAS_FILE,
                municipality=municipality,
                valid_from=valid_from,
                ordenamiento=CDMX_LCC,
                actor=actor,
                fine_unit=FineUnit.LOCAL,
                unit_value=unit_value,
                source_note=(
                    "Gaceta Oficial de la Ciudad de México, 7 de junio de 2019, arts. 26–29 y 32; "
                    "data/cdmx_lcc_catalogo_faltas (texto de 2019: verificar contra el vigente)."
                ),
                synthetic=synthetic,
            )
        loaded.append(catalogue)
    return loaded


def catalogue_on(municipality_id: int, day: dt.date) -> OffenceCatalogue | None:
    """The version of the municipality's catalogue in force on ``day``."""
    return (
        OffenceCatalogue.objects.filter(municipality_id=municipality_id, valid_from__lte=day)
        .exclude(valid_to__lt=day)
        .order_by("-valid_from")
        .first()
    )
