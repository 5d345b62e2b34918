"""People reached over time: the persons-reached computation by quarter of the fiscal year."""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse

from civica.monitoring import kept
from civica.monitoring.periods import parse_period
from civica.web.charts import Series, line_chart


def reach_over_time(context) -> dict:
    """Unique persons reached in each fiscal quarter of the context's fiscal year(s).

    Returns ``{"chart": …, "unavailable": reason, "links": [(quarter, url), …]}``; the reason
    is set when no quarter has a value (no participant records), so the page shows it instead
    of an empty line. ``links`` lead from each drawn quarter to the breakdown behind it."""
    first = context.period.start.year + (1 if context.period.start.month >= 10 else 0)
    last = context.period.end.year + (1 if context.period.end.month >= 10 else 0)
    labels, values, reason, links = [], [], "", []
    quarters = [
        f"FY{fiscal_year}Q{quarter}"
        for fiscal_year in range(first, last + 1)
        for quarter in range(1, 5)
    ]
    results = kept.compute_all(
        ("persons_reached", replace(context, period=parse_period(label)), {}) for label in quarters
    )
    for label, result in zip(quarters, results, strict=True):
        labels.append(label)
        value = result.value
        # Counts of people: a quarter below the threshold is left out, not drawn.
        if value is not None and 0 < value < settings.CIVICA_SUPPRESSION_THRESHOLD:
            value = None
        values.append(value)
        if value is not None and result.records:
            name, query = result.records
            links.append((label, reverse(name) + "?" + urlencode(query)))
        reason = reason or result.unavailable
    if all(v is None for v in values):
        return {"chart": None, "unavailable": reason, "links": []}
    chart = line_chart(labels, [Series("", tuple(values))])
    return {"chart": chart, "unavailable": "", "links": links}
