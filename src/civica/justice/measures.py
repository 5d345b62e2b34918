"""The civic-justice indicators by name (:data:`MEASURES`) and their disaggregations (:data:`BY`).

Apart from :mod:`.analysis`, which computes them with pandas: the indicator registry reads
these names and labels at every Django start (``JusticeConfig.ready``), which should not
import pandas.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

__all__ = ["AGE_BANDS", "BY", "BY_NAMES", "MEASURES", "UNKNOWN", "Measure"]

#: The disaggregations every indicator offers.
BY = ("sex", "age_band", "juzgado", "family", "month")
BY_NAMES = {
    "sex": _("sex"),
    "age_band": _("age band"),
    "juzgado": _("juzgado"),
    "family": _("offence family"),
    "month": _("month"),
}
AGE_BANDS = ((12, 18, "12–17"), (18, 25, "18–24"), (25, 35, "25–34"), (35, 45, "35–44"))
UNKNOWN = "—"


@dataclass(frozen=True)
class Measure:
    """One indicator: its name, what it counts, its unit (``percent``, ``rate``, ``hours``)."""

    name: str
    label: object
    unit: str
    numerator: object = ""
    denominator: object = ""
    parameter: str = ""
    choices: tuple[str, ...] = ()


MEASURES: dict[str, Measure] = {
    m.name: m
    for m in (
        Measure(
            "presentations_rate",
            _("Presentations per 100,000 inhabitants (a year)"),
            "rate",
            _("presentations in the period"),
            _("CONAPO population"),
        ),
        Measure(
            "medical_certificate",
            _("Share of presentations with a medical certificate"),
            "percent",
            _("with a medical certificate"),
            _("presentations"),
        ),
        Measure(
            "screened",
            _("Share of presentations screened (tamizaje)"),
            "percent",
            _("screened"),
            _("presentations"),
        ),
        Measure(
            "risk_level",
            _("Share of screened persons by risk level"),
            "percent",
            _("with the risk level"),
            _("screened presentations"),
            "level",
            ("low", "medium", "high"),
        ),
        Measure(
            "sanction_mix",
            _("Share of sanctions of one kind"),
            "percent",
            _("with the sanction"),
            _("resolutions of responsibility"),
            "sanction",
            ("amonestacion", "multa", "arresto", "trabajo", "mmcc"),
        ),
        Measure(
            "alternative_sanctions",
            _("Share of alternative sanctions (community work or measures)"),
            "percent",
            _("community work (direct or commuted) or a measure (MMCC)"),
            _("resolutions of responsibility"),
        ),
        Measure(
            "commutation",
            _("Commutation rate"),
            "percent",
            _("commutations granted"),
            _("commutations asked"),
        ),
        Measure(
            "community_work_compliance",
            _("Community-work compliance"),
            "percent",
            _("closed as complied"),
            _("closed cases with community work"),
        ),
        Measure(
            "mediation_kept",
            _("Mediation agreements kept"),
            "percent",
            _("agreements kept at the check"),
            _("agreements checked"),
            "days",
            ("30", "90"),
        ),
        Measure(
            "hours_to_resolution",
            _("Median hours from presentation to resolution"),
            "hours",
            _("median hours"),
            _("resolved presentations"),
        ),
        Measure(
            "arrests_within_36h",
            _("Share of arrests within 36 hours of the detention"),
            "percent",
            _("custody of 36 hours or less"),
            _("arrests"),
        ),
        Measure(
            "rnd_folio",
            _("Share of presentations with an RND folio"),
            "percent",
            _("with an RND folio"),
            _("presentations"),
        ),
        Measure(
            "reincidence",
            _("Reincidence (adults)"),
            "percent",
            _("with a new presentation within the window"),
            _("adults resolved in the period and observed the whole window"),
            "months",
            ("6", "12"),
        ),
    )
}
