"""The fact-sheet PDF as a background job: building the indicators and laying out the PDF
take seconds, so the download link starts a job, shows its progress, and the file is
delivered (audited, as before) once the worker has written it.

The PDF is kept by period, filters, language, the user's scope, the day (the sheet prints
it), the last audited change to any record and the versions of the records the indicators
read (``civica.monitoring.kept``), so the same download the same day with nothing changed is
served without rendering again.
"""

from __future__ import annotations

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from civica.jobs.registry import register

FACTSHEET_PDF = "monitoring.factsheet_pdf"


def factsheet_inputs(filters: dict, language: str) -> dict:
    return {
        "period": filters["period"].label,
        "activity_id": filters["activity_id"],
        "state_code": filters["state_code"],
        "language": language,
    }


def _depends(user, inputs: dict) -> dict:
    from civica.audit.models import Action, AuditEvent
    from civica.indicators import WAREHOUSE
    from civica.monitoring.kept import input_versions, kept_apps

    last_change = AuditEvent.objects.filter(
        action__in=[Action.CREATE, Action.UPDATE, Action.DELETE]
    ).aggregate(last=Max("id"))["last"]
    return {
        "day": timezone.localdate().isoformat(),
        "last_change": last_change,
        # The versions the sheet's kept figures are checked against: a change no audit
        # event records (a bulk update) still writes the PDF again.
        "inputs": input_versions([*kept_apps(), WAREHOUSE]),
    }


def _compute(user, inputs: dict, progress) -> dict:
    from civica.monitoring import selectors
    from civica.monitoring.periods import parse_period
    from civica.monitoring.reports import factsheet

    progress(0, 2, _("Computing the indicators of the period"))
    context = selectors.context_for(
        user,
        parse_period(inputs["period"]),
        activity_id=inputs["activity_id"],
        state_code=inputs["state_code"],
    )
    sheet = factsheet.build(context, language=inputs["language"])
    progress(1, 2, _("Laying out the PDF"))
    pdf = factsheet.render_pdf(sheet)
    progress(2, 2, "")
    return {"pdf": pdf, "period": context.period.label}


register(FACTSHEET_PDF, compute=_compute, depends=_depends, pickled=True)
