"""What problem-oriented policing names: SARA's stages beside the SESNSP proximity-policing
steps, the CHEERS test, and the 25 techniques of situational crime prevention (Cornish &
Clarke 2003), held as data so pages, forms, the CLI and the API read one list."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Stage(models.TextChoices):
    SCANNING = "scanning", _("Scanning")
    ANALYSIS = "analysis", _("Analysis")
    RESPONSE = "response", _("Response")
    ASSESSMENT = "assessment", _("Assessment")
    CLOSED = "closed", _("Closed")


STAGE_ORDER = [s.value for s in Stage]

# SESNSP's proximity-policing toolkit names five steps (DOMAIN.md §5): define, analyze,
# respond, measure, act; each SARA stage is shown with its step.
SESNSP_STEP = {
    Stage.SCANNING: _("Define"),
    Stage.ANALYSIS: _("Analyze"),
    Stage.RESPONSE: _("Respond"),
    Stage.ASSESSMENT: _("Measure"),
    Stage.CLOSED: _("Act"),
}


class Priority(models.TextChoices):
    HIGH = "high", pgettext_lazy("priority", "High")
    MEDIUM = "medium", pgettext_lazy("priority", "Medium")
    LOW = "low", pgettext_lazy("priority", "Low")


# The CHEERS test (Clarke & Eck): a problem is taken on only when all six hold.
CHEERS = (
    ("community", _("Community: members of the public experience it")),
    ("harm", _("Harm: it causes harm to people or property")),
    ("expectation", _("Expectation: the public expects the police to act")),
    ("events", _("Events: it is made of events that can be counted")),
    ("recurring", _("Recurring: the events recur")),
    ("similarity", _("Similarity: the events are alike (offender, victim, place, time)")),
)
CHEERS_KEYS = tuple(key for key, _label in CHEERS)

# The problem-analysis triangle: three sides and the controller of each.
TRIANGLE = (
    ("offender", _("Offender")),
    ("target", _("Target or victim")),
    ("place", _("Place")),
    ("handler", _("Handler (of the offender)")),
    ("guardian", _("Guardian (of the target)")),
    ("manager", _("Place manager")),
)


@dataclass(frozen=True)
class Technique:
    number: int
    code: str
    group: str  # a key of GROUPS
    label: object  # lazy translation


GROUPS = {
    "effort": _("Increase the effort"),
    "risk": _("Increase the risks"),
    "rewards": _("Reduce the rewards"),
    "provocations": _("Reduce provocations"),
    "excuses": _("Remove excuses"),
}

_TECHNIQUES = (
    ("target_harden", "effort", _("Target harden")),
    ("control_access", "effort", _("Control access to facilities")),
    ("screen_exits", "effort", _("Screen exits")),
    ("deflect_offenders", "effort", _("Deflect offenders")),
    ("control_tools", "effort", _("Control tools and weapons")),
    ("extend_guardianship", "risk", _("Extend guardianship")),
    ("natural_surveillance", "risk", _("Assist natural surveillance")),
    ("reduce_anonymity", "risk", _("Reduce anonymity")),
    ("place_managers", "risk", _("Utilize place managers")),
    ("formal_surveillance", "risk", _("Strengthen formal surveillance")),
    ("conceal_targets", "rewards", _("Conceal targets")),
    ("remove_targets", "rewards", _("Remove targets")),
    ("identify_property", "rewards", _("Identify property")),
    ("disrupt_markets", "rewards", _("Disrupt markets")),
    ("deny_benefits", "rewards", _("Deny benefits")),
    ("reduce_frustration", "provocations", _("Reduce frustrations and stress")),
    ("avoid_disputes", "provocations", _("Avoid disputes")),
    ("reduce_arousal", "provocations", _("Reduce emotional arousal and temptation")),
    ("neutralize_peer_pressure", "provocations", _("Neutralize peer pressure")),
    ("discourage_imitation", "provocations", _("Discourage imitation")),
    ("set_rules", "excuses", _("Set rules")),
    ("post_instructions", "excuses", _("Post instructions")),
    ("alert_conscience", "excuses", _("Alert conscience")),
    ("assist_compliance", "excuses", _("Assist compliance")),
    ("control_drugs_alcohol", "excuses", _("Control drugs and alcohol")),
)
TECHNIQUES = tuple(
    Technique(number, code, group, label)
    for number, (code, group, label) in enumerate(_TECHNIQUES, start=1)
)
BY_CODE = {t.code: t for t in TECHNIQUES}


def technique_choices() -> list:
    """Grouped choices for a select: (group label, [(code, "n. label"), …])."""
    return [
        (
            GROUPS[group],
            [
                (t.code, format_lazy("{}. {}", t.number, t.label))
                for t in TECHNIQUES
                if t.group == group
            ],
        )
        for group in GROUPS
    ]
