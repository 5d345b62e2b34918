"""What ``civica demo`` loads for civic justice: the CDMX Ley de Cultura Cívica catalogue
(real legal text from the data folder) and a demo juzgado in Cuauhtémoc, labelled synthetic.

The demo accounts ``juez`` (civic judge) and ``barandilla`` (juzgado staff) are created by
``civica.demo.content`` with Cuauhtémoc as their scope. A synthetic case book (labelled as
such) is loaded by ``civica.justice.synthetic`` when that module provides ``load_demo``.
"""

from __future__ import annotations

from pathlib import Path

from django.utils.translation import gettext as _

from civica.justice.catalogue import load_cdmx_catalogue
from civica.justice.models import Juzgado
from civica.territory.models import Municipality

DEMO_MUNICIPALITY = "09015"
DEMO_JUZGADO = "Juzgado Cívico CUH-1 (demo)"
CATALOGUE_FOLDER = "cdmx_lcc_catalogo_faltas"


def demo_juzgado() -> Juzgado | None:
    municipality = Municipality.objects.filter(cvegeo=DEMO_MUNICIPALITY).first()
    if municipality is None:
        return None
    juzgado, _created = Juzgado.objects.get_or_create(
        municipality=municipality, name=DEMO_JUZGADO, defaults={"synthetic": True}
    )
    return juzgado


def load(folder: Path | None) -> list[str]:
    """Load the catalogue (when the folder has it) and the demo juzgado; lines to print."""
    lines = []
    source = Path(folder) / CATALOGUE_FOLDER if folder is not None else None
    if source is not None and (source / "faltas_lcc_cdmx.csv").exists():
        loaded = load_cdmx_catalogue(source)
        lines.append(
            _("Catalogue of faltas of the Ley de Cultura Cívica (CDMX) for %(n)d alcaldías.")
            % {"n": len(loaded)}
        )
    else:
        lines.append(_("No CDMX catalogue of faltas in the data folder: skipped."))
    juzgado = demo_juzgado()
    if juzgado is None:
        lines.append(_("Cuauhtémoc is not in the territory: no demo juzgado."))
        return lines
    lines.append(_("Demo juzgado: %(name)s.") % {"name": juzgado.name})
    try:
        from civica.justice import synthetic
    except ImportError:
        return lines
    loader = getattr(synthetic, "load_demo", None)
    if loader is not None:
        lines += list(loader(juzgado))
    return lines
