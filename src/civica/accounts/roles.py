"""Roles and what each may do.

A role grants capabilities; a user's scope (territories, organizations) limits the records
the capabilities apply to. The table below is the one place this is decided.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Administrator")
    ME_OFFICER = "me_officer", _("Program M&E officer")
    ANALYST = "analyst", _("National/state analyst")
    MUNICIPAL_ANALYST = "municipal_analyst", _("Municipal analyst")
    CASE_WORKER = "case_worker", _("Case worker")
    SUPERVISOR = "supervisor", _("Case supervisor")
    CIVIC_JUDGE = "civic_judge", _("Civic judge")
    JUZGADO_STAFF = "juzgado_staff", _("Civic court staff (intake)")
    PHYSICIAN = "physician", _("Civic court physician")
    PSYCHOLOGIST = "psychologist", _("Civic court psychologist (screening)")
    MEDIATOR = "mediator", _("Civic court mediator")
    COMMUNITY_SUPERVISOR = "community_supervisor", _("Community-work supervisor")
    DONOR_VIEWER = "donor_viewer", _("Donor viewer (read-only)")


class Capability(models.TextChoices):
    VIEW_AGGREGATES = "view_aggregates", _("See statistics and aggregate reports")
    VIEW_RECORDS = "view_records", _("See records of the scope")
    EDIT_RECORDS = "edit_records", _("Create and change records of the scope")
    VIEW_PERSONAL_DATA = "view_personal_data", _("See personal data of the scope")
    EXPORT = "export", _("Export records of the scope")
    MANAGE_TERRITORY = "manage_territory", _("Import and edit the territory catalogue")
    MANAGE_USERS = "manage_users", _("Create users and assign roles")
    VIEW_AUDIT = "view_audit", _("Read the audit log")
    CIVIC_JUSTICE = "civic_justice", _("Work on the civic-court cases of the scope")


C = Capability
CAPABILITIES: dict[str, frozenset[str]] = {
    Role.ADMINISTRATOR: frozenset(C.values),
    Role.ME_OFFICER: frozenset({C.VIEW_AGGREGATES, C.VIEW_RECORDS, C.EDIT_RECORDS, C.EXPORT}),
    Role.ANALYST: frozenset({C.VIEW_AGGREGATES, C.VIEW_RECORDS, C.EDIT_RECORDS, C.EXPORT}),
    Role.MUNICIPAL_ANALYST: frozenset(
        {C.VIEW_AGGREGATES, C.VIEW_RECORDS, C.EDIT_RECORDS, C.EXPORT}
    ),
    Role.CASE_WORKER: frozenset({C.VIEW_RECORDS, C.EDIT_RECORDS, C.VIEW_PERSONAL_DATA}),
    # A supervisor sees the whole caseload of their organization(s), a case worker the persons
    # enrolled with their organization(s) and, in the caseload list, their own cases.
    Role.SUPERVISOR: frozenset(
        {C.VIEW_AGGREGATES, C.VIEW_RECORDS, C.EDIT_RECORDS, C.VIEW_PERSONAL_DATA}
    ),
    Role.CIVIC_JUDGE: frozenset(
        {C.VIEW_AGGREGATES, C.VIEW_RECORDS, C.EDIT_RECORDS, C.VIEW_PERSONAL_DATA, C.CIVIC_JUSTICE}
    ),
    # The juzgado's other staff work on its cases (which stage each may record is decided by
    # civica.justice.permissions) and read the statistics; no other records. Analysts, M&E
    # and donors see civic justice in aggregates only.
    Role.JUZGADO_STAFF: frozenset({C.VIEW_AGGREGATES, C.CIVIC_JUSTICE}),
    Role.PHYSICIAN: frozenset({C.VIEW_AGGREGATES, C.CIVIC_JUSTICE}),
    Role.PSYCHOLOGIST: frozenset({C.VIEW_AGGREGATES, C.CIVIC_JUSTICE}),
    Role.MEDIATOR: frozenset({C.VIEW_AGGREGATES, C.CIVIC_JUSTICE}),
    Role.COMMUNITY_SUPERVISOR: frozenset({C.VIEW_AGGREGATES, C.CIVIC_JUSTICE}),
    Role.DONOR_VIEWER: frozenset({C.VIEW_AGGREGATES}),
}


def capabilities_of(role: str) -> frozenset[str]:
    return CAPABILITIES.get(role, frozenset())
