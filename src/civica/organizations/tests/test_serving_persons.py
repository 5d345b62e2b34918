"""Consent and referral lists offer only organizations that work with persons."""

import pytest

from civica.organizations.models import Organization, OrganizationKind
from civica.participants.forms import ConsentForm, ReferralForm

pytestmark = pytest.mark.django_db


@pytest.fixture
def organizations():
    for name, kind in [
        ("Fundación", OrganizationKind.CIVIL_SOCIETY),
        ("Municipio", OrganizationKind.MUNICIPAL_GOVERNMENT),
        ("Donante", OrganizationKind.DONOR),
        ("Empresa", OrganizationKind.PRIVATE_SECTOR),
    ]:
        Organization.objects.create(name=name, kind=kind)


def test_the_consent_form_offers_no_donor_or_company(organizations):
    offered = {o.name for o in ConsentForm().fields["share_with"].queryset}
    assert offered == {"Fundación", "Municipio"}


def test_the_referral_form_offers_no_donor_or_company(organizations):
    from civica.participants.models import Enrollment

    form = ReferralForm(
        enrollments=Enrollment.objects.none(), organizations=Organization.objects.all()
    )
    assert {o.name for o in form.fields["to_organization"].queryset} == {"Fundación", "Municipio"}
