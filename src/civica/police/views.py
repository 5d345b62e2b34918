"""Pages of official police figures: the nation, a state, a municipality."""

from __future__ import annotations

import io

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from civica import tables
from civica.accounts.access import audited_download, requires
from civica.accounts.roles import Capability
from civica.police import selectors
from civica.police.selectors import PoliceDataMissing
from civica.territory import selectors as territory
from civica.web.charts import Series, line_chart


def _context(request, profile_kwargs: dict) -> dict:
    context = {
        "category_note": selectors.CATEGORY_NOTE,
        "reference": selectors.MODELO_OPTIMO_REFERENCE,
    }
    try:
        profile = selectors.official_profile(request.user, **profile_kwargs)
    except PoliceDataMissing as error:
        context["error"] = str(error)
        return context
    context["profile"] = profile
    if profile.family_violence_911:
        labels = [month for month, _count in profile.family_violence_911]
        context["chart_911"] = line_chart(
            labels,
            [
                Series(
                    profile.state_name or _("Nation"),
                    tuple(c for _m, c in profile.family_violence_911),
                )
            ],
        )
    return context


@requires(Capability.VIEW_AGGREGATES)
def overview(request):
    code = (request.GET.get("municipality") or "").strip()
    if code:
        return redirect("police:municipality", cvegeo=code)
    context = _context(request, {})
    context["states"] = territory.states(request.user)
    return render(request, "police/profile.html", context)


@requires(Capability.VIEW_AGGREGATES)
def state_profile(request, code):
    state = territory.state_by_code(request.user, code)
    context = _context(request, {"state_code": code})
    context["state"] = state
    context["peers"] = selectors.peers(request.user, state_code=code)
    return render(request, "police/profile.html", context)


@requires(Capability.VIEW_AGGREGATES)
def municipality_profile(request, cvegeo):
    municipality = territory.municipality_by_code(request.user, cvegeo)
    context = _context(request, {"municipality_code": cvegeo})
    context["municipality"] = municipality
    context["csv_url"] = reverse("police:municipality-csv", args=[cvegeo])
    return render(request, "police/profile.html", context)


@requires((Capability.VIEW_AGGREGATES, Capability.EXPORT))
def profile_csv(request, cvegeo):
    """The figures of the page as one long table: area, topic, item, value, status, source."""
    try:
        profile = selectors.official_profile(request.user, municipality_code=cvegeo)
    except PoliceDataMissing:
        raise Http404(cvegeo) from None
    rows = [["area", "topic", "item", "value", "status"]]
    if profile.staff:
        for row in profile.staff.categories:
            rows.append(
                [profile.code, "staff_total", f"category {row.code}", row.total, row.status]
            )
            rows.append(
                [profile.code, "staff_women", f"category {row.code}", row.women, row.status]
            )
    for comparison in profile.comparisons:
        rows.append([profile.code, "police_per_1000", comparison.label, comparison.rate, ""])
    if profile.spending:
        for row in profile.spending.chapters:
            rows.append([profile.code, "spending", row.chapter, row.amount, row.status])
    for fund in profile.funds:
        rows.append(
            [
                profile.code,
                f"funds_year_{fund.reference_year}",
                fund.fund_name,
                fund.amount,
                fund.status,
            ]
        )
    if profile.calls:
        for item in ("total", "genuine", "not_genuine", "other", "unspecified"):
            rows.append(
                [profile.code, "calls", item, getattr(profile.calls, item), profile.calls.status]
            )
    buffer = io.StringIO()
    writer = tables.writer(buffer)
    for row in rows:
        writer.writerow([tables.csv_value(v) for v in row])
    return audited_download(
        request,
        buffer.getvalue(),
        filename=f"police-{cvegeo}.csv",
        content_type="text/csv; charset=utf-8",
        object_type="police.official",
        object_label=_("Official police figures of %(code)s") % {"code": cvegeo},
    )
