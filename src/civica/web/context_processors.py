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
        "can_view_personal_data": signed_in and user.can(Capability.VIEW_PERSONAL_DATA),
        "can_work_civic_justice": signed_in and user.can(Capability.CIVIC_JUSTICE),
        # Incidents and interventions belong to a territory: an account scoped only by its
        # organizations (a case worker) has none, and is not offered those pages.
        "has_territory": signed_in and scope.municipality_ids(user) != set(),
    }
