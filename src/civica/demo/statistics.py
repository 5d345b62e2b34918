"""The demo's statistics and incidents: every shared SESNSP file the platform reads, the CDMX
incidents, and an illustrative intervention with a locked design on them.

Each file is optional: a folder without it loads the rest and says what was skipped. The
publication cut of a SESNSP file is read from the ``SOURCE.md`` beside it (the sentence that
says "cut of November 2024", "cut: January 2025", "cut *November 2025*"); when that file is
missing or says nothing readable, the cut documented here is used, and the demo prints which
one it took.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

from civica.accounts.access import SYSTEM

__all__ = ["SESNSP_FILES", "cut_from_source", "load_example_intervention", "load_statistics"]

MONTHS = {
    name: number
    for number, name in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ],
        start=1,
    )
}
CUT_SENTENCE = re.compile(
    r"\bcut\b\W{0,4}(?:of\s+)?\**\s*(" + "|".join(MONTHS) + r")\s+(\d{4})", re.IGNORECASE
)

# "year 2026 only, January–March filled": the last month filled is the cut.
FILLED_SENTENCE = re.compile(
    r"\byear\s+(\d{4})\s+only\W+(?:"
    + "|".join(MONTHS)
    + r")\s*[–-]\s*("
    + "|".join(MONTHS)
    + r")\s+filled",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class SesnspFile:
    relative_path: str
    default_cut: str  # YYYY-MM, documented in docs/cli.md; used when SOURCE.md says nothing


SESNSP_FILES = [
    SesnspFile("sesnsp_estatal/IDEFC_NM_estatal_2015-2024.csv.gz", "2024-11"),
    SesnspFile("sesnsp_estatal/RNID_estatal_2026.csv.gz", "2026-03"),
    SesnspFile("sesnsp_victimas_estatal/IDVFC_NM_ene25.csv.gz", "2025-01"),
    SesnspFile("sesnsp_municipal/guanajuato_homicidios_2020-2025_formato_IDM.csv", "2025-11"),
]
INCIDENTS_FILE = "cdmx_hoyodecrimen/crime_lat_long_2013-2016.csv.gz"
INCIDENT_LAYER = "cdmx-ssp"
SECTORS_LAYER = "SSP sectores 2016"
CUADRANTES_LAYER = "SSP cuadrantes 2016"

# The README's worked example ("did an intervention work?"), illustrative, not a real program.
EXAMPLE = {
    "name": "Ejemplo ilustrativo (demo): patrullaje de proximidad",
    "municipality": "09015",
    "sectors": ["ASTURIAS", "MIXCALCO-HERALDO"],
    "crimes": ["ROBO A TRANSEUNTE C.V."],
    "start": dt.date(2015, 1, 1),
    "comparison": ["BUENAVISTA", "TLATELOLCO", "MOCTEZUMA", "NAPOLES", "TACUBAYA", "DEL VALLE"],
    "before": (dt.date(2014, 1, 1), dt.date(2014, 12, 31)),
    "after": (dt.date(2015, 1, 1), dt.date(2015, 12, 31)),
    "buffer_metres": 500,
}


def cut_from_source(source: Path, file_name: str) -> str | None:
    """The cut (``YYYY-MM``) that ``source`` (a SOURCE.md) states for ``file_name``.

    The file's own section (a ``##`` heading or paragraph naming it) is read first, so a
    folder describing two files gives each its own cut.
    """
    if not source.is_file():
        return None
    text = source.read_text(encoding="utf-8", errors="replace")
    sections = re.split(r"(?m)^## ", text)
    naming = [s for s in sections if file_name in s] or [text]
    for section in naming:
        found = CUT_SENTENCE.search(section)
        if found:
            return f"{int(found.group(2)):04d}-{MONTHS[found.group(1).lower()]:02d}"
        found = FILLED_SENTENCE.search(section)
        if found:
            return f"{int(found.group(1)):04d}-{MONTHS[found.group(2).lower()]:02d}"
    return None


def load_statistics(folder: Path, echo) -> None:
    """Ingest every SESNSP file of :data:`SESNSP_FILES` and the CDMX incidents found in
    ``folder``; a file that is not there is named and skipped."""
    from civica.incidents import services as incidents
    from civica.official import services as official

    for item in SESNSP_FILES:
        path = folder / item.relative_path
        if not path.is_file():
            echo(_("· %(file)s not found; skipped.") % {"file": item.relative_path})
            continue
        cut = cut_from_source(path.parent / "SOURCE.md", path.name)
        origin = _("from SOURCE.md") if cut else _("documented default")
        cut = cut or item.default_cut
        echo(f"· {item.relative_path} ({_('cut')} {cut}, {origin})…")
        for line in official.ingest_sesnsp(path=path, cut=cut).lines():
            echo(f"  {line}")
    path = folder / INCIDENTS_FILE
    if not path.is_file():
        echo(_("· %(file)s not found; skipped.") % {"file": INCIDENTS_FILE})
        return
    echo(f"· {INCIDENTS_FILE}…")
    result = incidents.ingest_incidents(
        path=path,
        layer=INCIDENT_LAYER,
        preset="cdmx-ssp",
        mapping=None,
        sectors_layer=SECTORS_LAYER,
        cuadrantes_layer=CUADRANTES_LAYER,
        version="2016-09",
    )
    for line in result.lines():
        echo(f"  {line}")


def load_example_intervention(echo) -> None:
    """The README's illustrative intervention with its design locked, once."""
    from civica.interventions.models import METHOD_SOURCE, Intervention, Method
    from civica.interventions.services import create_design, create_intervention, lock_design
    from civica.territory.models import Municipality, Sector

    if Intervention.objects.filter(name=EXAMPLE["name"]).exists():
        echo(_("· example intervention already present; kept as it is."))
        return
    municipality = Municipality.objects.filter(cvegeo=EXAMPLE["municipality"]).first()
    sectors = list(
        Sector.objects.filter(
            municipality=municipality, layer=SECTORS_LAYER, name__in=EXAMPLE["sectors"]
        )
    )
    comparison = list(Sector.objects.filter(layer=SECTORS_LAYER, name__in=EXAMPLE["comparison"]))
    if municipality is None or len(sectors) != len(EXAMPLE["sectors"]):
        echo(_("· no CDMX sectors: the example intervention is skipped."))
        return
    intervention = create_intervention(
        actor=SYSTEM,
        target_sectors=sectors,
        name=EXAMPLE["name"],
        kind="patrol",
        municipality=municipality,
        target_crimes=EXAMPLE["crimes"],
        start_date=EXAMPLE["start"],
        ramp_up_days=0,
        description=_("Illustrative example of the user guide; not a real program."),
    )
    design = create_design(
        actor=SYSTEM,
        intervention=intervention,
        comparison_sectors=comparison,
        method=Method.BEFORE_AFTER,
        source=METHOD_SOURCE[Method.BEFORE_AFTER],
        incident_layer=INCIDENT_LAYER,
        before_start=EXAMPLE["before"][0],
        before_end=EXAMPLE["before"][1],
        after_start=EXAMPLE["after"][0],
        after_end=EXAMPLE["after"][1],
        buffer_metres=EXAMPLE["buffer_metres"],
    )
    lock_design(design=design, actor=SYSTEM)
    echo(
        _("· example intervention “%(name)s” with its design locked.") % {"name": intervention.name}
    )
