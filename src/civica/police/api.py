"""REST endpoint of official police figures: ``GET /api/police/profiles/<code>/``.

``code`` is a CVEGEO (5 digits), a state code (2 digits) or ``00`` for the nation; the
answer is :meth:`OfficialProfile.as_dict` (the same figures as the page and
``civica police profile CODE --format json``).
"""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from civica.accounts.access import CapabilityMixin
from civica.accounts.roles import Capability
from civica.police import selectors


class OfficialProfileView(CapabilityMixin, APIView):
    """Official police figures of an area beside its state and the nation."""

    required_capability = Capability.VIEW_AGGREGATES

    @extend_schema(responses={200: dict})
    def get(self, request, code):
        arguments = selectors.profile_arguments(code)
        if arguments is None:
            raise NotFound()
        try:
            profile = selectors.official_profile(request.user, **arguments)
        except (Http404, selectors.PoliceDataMissing):
            raise NotFound() from None
        return Response(profile.as_dict())
