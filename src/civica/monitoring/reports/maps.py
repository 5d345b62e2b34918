"""The coverage map: covered municipalities coloured by support type over their states."""

from __future__ import annotations

from django.urls import reverse

from civica.indicators import Context
from civica.monitoring import kept
from civica.monitoring.selectors import coverage_in_context, support_by_municipality
from civica.territory import svg
from civica.territory.models import Municipality, State

# What the drawing is made of: coverage and activities, boundaries and names.
READS = ("monitoring", "territory")


def coverage_map(context: Context, *, component: str | None = None, links: bool = False) -> dict:
    """An inline SVG drawing (``civica.territory.svg``): states with coverage as the
    background, each covered municipality in the colour of its support type. Kept by the
    selection and the versions of coverage and boundaries (``civica.monitoring.kept``):
    drawing the boundaries is most of a dashboard's second view otherwise."""
    parts = [
        context.period.start.isoformat(),
        context.period.end.isoformat(),
        sorted(context.municipality_ids) if context.municipality_ids is not None else None,
        context.activity_id,
        context.state_code,
        context.municipality_code,
        component,
        links,
    ]
    return kept.keep_value(
        "coverage_map", parts, READS, lambda: _draw(context, component=component, links=links)
    )


def _draw(context: Context, *, component: str | None, links: bool) -> dict:
    rows = coverage_in_context(context, component, None).values_list(
        "municipality_id", "support_type"
    )
    support = support_by_municipality(rows)
    places = Municipality.objects.filter(pk__in=support).select_related("state")
    states = State.objects.filter(municipalities__in=places).distinct()
    shapes = [svg.SvgShape(s.geometry, s.name, css_class="boundary") for s in states]
    for place in places.order_by("cvegeo"):
        shapes.append(
            svg.SvgShape(
                place.geometry,
                f"{place.name}, {place.state.name}",
                href=reverse("territory:municipality", args=[place.cvegeo]) if links else "",
                css_class=f"support-{support[place.pk]}",
            )
        )
    drawing = svg.render(shapes)
    drawing["missing"] = sum(1 for p in places if not p.geometry)
    return drawing
