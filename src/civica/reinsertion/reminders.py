"""Reinsertion's reminders on the participants caseload (``participants.reminders``): the
transition plan 30 days before the expected release and the follow-ups 1/3/6/12 months
after release (or exit) — the same ones the reinsertion page lists."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from civica.participants import reminders
from civica.participants.models import Track
from civica.reinsertion import selectors


@reminders.register
def after_release(user, enrollments, today):
    cases = [e for e in enrollments if e.track in (Track.WOMEN_DETENTION, Track.REINSERTION)]
    if not cases:
        return {}
    pids = {e.pk: e.person.pid for e in cases}
    found = {}
    for pk, items in selectors.due_after_release(cases, today=today).items():
        found[pk] = [
            reminders.Reminder(
                label=_("transition plan")
                if what == "plan"
                else _("follow-up at %(months)s months after release") % {"months": what},
                due_on=day,
                overdue=overdue,
                url=reverse("reinsertion:path", args=[pids[pk]]),
            )
            for what, day, overdue in items
        ]
    return found
