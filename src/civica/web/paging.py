"""One way to paginate a list page, keeping the other query parameters on every link."""

from __future__ import annotations

from django.core.paginator import Page, Paginator


def paginate(request, queryset, per_page: int) -> tuple[Page, str]:
    page = Paginator(queryset, per_page).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return page, params.urlencode()
