from civica import __version__
from civica.accounts import scope
from civica.accounts.roles import Capability


def civica(request):
    """The version, and what the signed-in user may see, for the navigation."""
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    return {
        "civica_version": __version__,
        "can_view_records": signed_in and user.can(Capability.VIEW_RECORDS),
        "can_view_aggregates": signed_in and user.can(Capability.VIEW_AGGREGATES),
        # The caseload and reinsertion pages hold the persons of the user's organizations: a
        # civic judge sees personal data (their juzgado's cases) but belongs to none, and is
        # not offered two pages that could only ever be empty for them.
        "has_caseload": signed_in and scope.person_organization_ids(user) != set(),
        "can_work_civic_justice": signed_in and user.can(Capability.CIVIC_JUSTICE),
        # Incidents and interventions belong to a territory: an account scoped only by its
        # organizations (a case worker) has none, and is not offered those pages.
        "has_territory": signed_in and scope.municipality_ids(user) != set(),
    }
