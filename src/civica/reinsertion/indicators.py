"""The reinsertion records' indicator computations, registered in :mod:`civica.indicators`
when the app starts (``ReinsertionConfig.ready``): one computation, ``reinsertion_women``,
whose ``measure`` is one of

* ``women_served`` — women with an attended session or a work record in the period (each
  counted once);
* ``hours_completed`` — hours of attended sessions dated in the period;
* ``certificates`` — certificates of cohorts completed in the period;
* ``plan_30_days`` — percent of the women released in the period whose transition plan
  started at least 30 days before the release;
* ``working_or_studying_6`` / ``working_or_studying_12`` — percent of the 6-/12-month
  follow-ups dated in the period finding her working or studying;
* ``reimprisoned_12`` — percent of the 12-month follow-ups dated in the period finding a new
  imprisonment.

``by`` breaks counts down by ``facility`` or ``age_band`` (the woman's age on the day that
counts). Counts are aggregates only; the monitoring report suppresses small cells of counts
(``disclosure_control``); a percent is not available when its denominator is below the
suppression threshold, in the total and in each group (its parts name numerator and
denominator). Nothing in a period is "not available", never zero.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.utils.translation import gettext as _

from civica.indicators import Cell, Result, registry
from civica.reinsertion.models import (
    Attendance,
    CohortMember,
    Custody,
    ReleaseFollowUp,
    WorkRecord,
)

MEASURES = (
    "women_served",
    "hours_completed",
    "certificates",
    "plan_30_days",
    "working_or_studying_6",
    "working_or_studying_12",
    "reimprisoned_12",
)
BY = ("facility", "age_band")


def _places(qs, context, path: str):
    ids = context.municipality_ids
    if ids is None:
        return qs
    return qs.filter(**{f"{path}__municipality_id__in": list(ids)})


def _group(by, facility_name: str, person, day: dt.date) -> str:
    return facility_name if by == "facility" else person.age_band_on(day)


def _counts(rows, by):
    """``rows``: (key, value, facility, person, day). Unique keys per group, summed values."""
    total, groups = {}, defaultdict(dict)
    for key, value, facility, person, day in rows:
        total[key] = total.get(key, 0) + value
        for name in by:
            label = _group(name, facility, person, day)
            groups[(name, label)][key] = groups[(name, label)].get(key, 0) + value
    return total, groups


def _count_result(rows, by, *, unique: bool) -> Result:
    total, groups = _counts(rows, by)
    value = float(len(total) if unique else sum(total.values()))
    if not total:
        return Result.missing(_("not available: no reinsertion records in the period"))
    cells = tuple(
        Cell(((name, str(label)),), float(len(keys) if unique else sum(keys.values())))
        for (name, label), keys in sorted(groups.items())
    )
    return Result(value=value, cells=cells)


def _share_result(rows, by) -> Result:
    """``rows``: (yes, facility, person, day). Percent, hidden below the threshold."""
    threshold = settings.CIVICA_SUPPRESSION_THRESHOLD
    if not rows:
        return Result.missing(_("not available: no reinsertion records in the period"))
    if len(rows) < threshold:
        return Result.missing(
            _("not available: fewer than %(n)s women in the period") % {"n": threshold}
        )
    numerator = sum(1 for yes, *_ in rows if yes)
    cells = []
    for name in by:
        groups = defaultdict(list)
        for yes, facility, person, day in rows:
            groups[_group(name, facility, person, day)].append(yes)
        for label, values in sorted(groups.items()):
            if len(values) >= threshold:
                cells.append(Cell(((name, str(label)),), round(100 * sum(values) / len(values), 1)))
    return Result(
        value=round(100 * numerator / len(rows), 1),
        parts={"numerator": numerator, "denominator": len(rows)},
        cells=tuple(cells),
    )


@registry.register(
    "reinsertion_women",
    parameters={"measure": MEASURES, "by": BY},
    description="Women in detention and after release (reinsertion records).",
    reads=("reinsertion", "participants", "territory"),
)
def reinsertion_women(context, measure="women_served", by=None) -> Result:
    by = [by] if isinstance(by, str) else list(by or [])
    start, end = context.period.start, context.period.end
    if measure in ("women_served", "hours_completed"):
        marks = _places(
            Attendance.objects.filter(
                present=True, session__date__gte=start, session__date__lte=end
            ).select_related(
                "session", "member__custody__facility", "member__custody__enrollment__person"
            ),
            context,
            "member__custody__facility",
        )
        rows = [
            (
                a.member.custody.enrollment.person_id if measure == "women_served" else a.pk,
                float(a.session.hours),
                a.member.custody.facility.name,
                a.member.custody.enrollment.person,
                a.session.date,
            )
            for a in marks
        ]
        if measure == "women_served":
            work = _places(
                WorkRecord.objects.filter(
                    month__gte=start.replace(day=1), month__lte=end
                ).select_related("custody__facility", "custody__enrollment__person"),
                context,
                "custody__facility",
            )
            rows += [
                (
                    w.custody.enrollment.person_id,
                    1.0,
                    w.custody.facility.name,
                    w.custody.enrollment.person,
                    w.month,
                )
                for w in work
            ]
        return _count_result(rows, by, unique=measure == "women_served")
    if measure == "certificates":
        done = _places(
            CohortMember.objects.filter(completed_on__gte=start, completed_on__lte=end)
            .exclude(certificate="")
            .select_related("custody__facility", "custody__enrollment__person"),
            context,
            "custody__facility",
        )
        rows = [
            (m.pk, 1.0, m.custody.facility.name, m.custody.enrollment.person, m.completed_on)
            for m in done
        ]
        return _count_result(rows, by, unique=False)
    if measure == "plan_30_days":
        released = _places(
            Custody.objects.filter(
                actual_release__gte=start, actual_release__lte=end
            ).select_related("facility", "enrollment__person", "plan"),
            context,
            "facility",
        )
        rows = []
        for stay in released:
            plan = getattr(stay, "plan", None) if hasattr(stay, "plan") else None
            early = plan is not None and (stay.actual_release - plan.started_on).days >= 30
            rows.append((early, stay.facility.name, stay.enrollment.person, stay.actual_release))
        return _share_result(rows, by)
    months = 12 if measure.endswith("_12") else 6
    follow_ups = ReleaseFollowUp.objects.filter(months=months, date__gte=start, date__lte=end)
    follow_ups = follow_ups.select_related("enrollment__person")
    stays = {
        c.enrollment_id: c
        for c in Custody.objects.filter(
            enrollment__in=[f.enrollment_id for f in follow_ups]
        ).select_related("facility")
    }
    ids = context.municipality_ids
    rows = []
    for f in follow_ups:
        stay = stays.get(f.enrollment_id)
        if stay is None:  # community cases: not women in detention
            continue
        if ids is not None and stay.facility.municipality_id not in ids:
            continue
        yes = f.new_imprisonment if measure == "reimprisoned_12" else f.employed_or_studying
        rows.append((yes, stay.facility.name, f.enrollment.person, f.date))
    return _share_result(rows, by)
