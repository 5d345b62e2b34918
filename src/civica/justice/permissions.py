"""Which role records which stage of a case, and who takes the case list away as a file.

The capability ``civic_justice`` lets a role open the juzgado's pages at all (roles.py); the
stage a user may record is decided here, as data. The civic judge may record every stage;
administrators too. Analysts, M&E officers and donors have no civic-justice capability: they
see civic justice only in aggregates (the indicators and their exports).

The case-list export (``/justice/cases/export/``) is decided here too (``EXPORT_ROLES``), not
by the global *export* capability, which would open every other export to a civic judge:
the civic judge (and an administrator) may download their juzgados' case list; the
juzgado's other roles read it on the board only.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civica.accounts import access
from civica.accounts.roles import Capability, Role

__all__ = [
    "EXPORT_CASES",
    "EXPORT_ROLES",
    "JUSTICE_ROLES",
    "STAGES",
    "STAGE_ROLES",
    "can_export_cases",
    "can_record",
    "require_stage",
    "stages_of",
]

#: The stages of a case, in order, with their names.
STAGES = {
    "intake": gettext_lazy("Intake (police report and presentation)"),
    "medical": gettext_lazy("Medical certificate"),
    "screening": gettext_lazy("Tamizaje (risk screening)"),
    "hearing": gettext_lazy("Hearing"),
    "resolution": gettext_lazy("Resolution"),
    "mediation": gettext_lazy("Mediation"),
    "follow_up": gettext_lazy("Follow-up"),
    "closure": gettext_lazy("Closure"),
}

STAGE_ROLES: dict[str, frozenset[str]] = {
    "intake": frozenset({Role.CIVIC_JUDGE, Role.JUZGADO_STAFF}),
    "medical": frozenset({Role.CIVIC_JUDGE, Role.PHYSICIAN}),
    "screening": frozenset({Role.CIVIC_JUDGE, Role.PSYCHOLOGIST}),
    "hearing": frozenset({Role.CIVIC_JUDGE, Role.JUZGADO_STAFF}),
    "resolution": frozenset({Role.CIVIC_JUDGE}),
    "mediation": frozenset({Role.CIVIC_JUDGE, Role.MEDIATOR}),
    "follow_up": frozenset({Role.CIVIC_JUDGE, Role.COMMUNITY_SUPERVISOR, Role.JUZGADO_STAFF}),
    "closure": frozenset({Role.CIVIC_JUDGE}),
}

#: The roles that work in a juzgado (and so may be its members).
JUSTICE_ROLES = frozenset().union(*STAGE_ROLES.values())


def can_record(user, stage: str) -> bool:
    """``access.SYSTEM`` (an import, the synthetic generator) records every stage; ``None``
    is refused."""
    if access.is_system(user):
        return True
    if not user.is_authenticated or not user.can(Capability.CIVIC_JUSTICE):
        return False
    return user.is_administrator or user.role in STAGE_ROLES[stage]


#: The roles that may download the case list of their juzgados (besides administrators).
EXPORT_ROLES: frozenset[str] = frozenset({Role.CIVIC_JUDGE})


def can_export_cases(user) -> bool:
    """Whether ``user`` may download the case list of their juzgados (``exports.py``)."""
    if access.is_system(user):
        return True
    if not user.is_authenticated or not user.can(Capability.CIVIC_JUSTICE):
        return False
    return user.is_administrator or user.role in EXPORT_ROLES


#: The need a page declares for the case-list file (``accounts.access.download_rule``).
EXPORT_CASES = access.download_rule("justice.export_cases", can_export_cases)


def stages_of(user) -> list[str]:
    return [stage for stage in STAGES if can_record(user, stage)]


def require_stage(user, stage: str) -> None:
    if not can_record(user, stage):
        raise PermissionDenied(
            _("Your role does not record this stage: %(stage)s.") % {"stage": STAGES[stage]}
        )
