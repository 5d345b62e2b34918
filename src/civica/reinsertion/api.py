"""``GET /api/lotteries/{id}/evaluation/``: a drawn lottery's CONSORT flow, balance and
effects as JSON numbers (aggregates only, no person), for roles that read aggregates of the
lottery's organization."""

from __future__ import annotations

import math
from dataclasses import asdict

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from civica.accounts.access import CapabilityMixin
from civica.accounts.roles import Capability
from civica.reinsertion import selectors
from civica.reinsertion.evaluation import evaluate


def _numbers(value):
    """NaN and infinity (a field nobody in a group has) as null: JSON has no NaN."""
    if isinstance(value, dict):
        return {k: _numbers(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_numbers(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


class LotteryEvaluationView(CapabilityMixin, APIView):
    """Balance and effects of a drawn lottery in the user's scope."""

    required_capability = Capability.VIEW_AGGREGATES

    @extend_schema(responses={200: dict})
    def get(self, request, pk):
        try:
            lottery = selectors.lottery_by_id(request.user, pk)
        except Http404:
            raise NotFound() from None
        if not lottery.drawn:
            raise ApiValidationError({"lottery": ["The lottery has not been drawn."]})
        result = evaluate(lottery)
        return Response(
            _numbers(
                {
                    "lottery": lottery.pk,
                    "name": lottery.name,
                    "places": lottery.places,
                    "strata": lottery.strata,
                    "seed": str(lottery.seed),
                    "fingerprint": lottery.fingerprint,
                    "take_up_program": result.take_up_program,
                    "take_up_control": result.take_up_control,
                    "balance": [asdict(row) for row in result.balance],
                    "effects": [
                        {
                            "outcome": e.outcome,
                            "months": e.months,
                            "flow": asdict(e.flow),
                            "mean_program": e.mean_program,
                            "mean_control": e.mean_control,
                            "itt": asdict(e.itt) if e.itt else None,
                            "tot": asdict(e.tot) if e.tot else None,
                            "problem": str(e.problem),
                            "lost_program": e.lost_program,
                            "lost_control": e.lost_control,
                            "from_follow_ups": e.from_follow_ups,
                            "from_other_source": e.from_other_source,
                        }
                        for e in result.effects
                    ],
                }
            )
        )
