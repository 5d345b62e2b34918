"""Forms of the reinsertion pages. The rules are the models' and services'."""

from __future__ import annotations

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from civica.participants.forms import ScreeningForm
from civica.participants.models import ReferralSource
from civica.reinsertion.models import (
    OUTCOME_MONTHS,
    RELEASE_FOLLOW_UP_MONTHS,
    Activity,
    CohortKind,
    Housing,
    LegalStatus,
    PaidHow,
    RiskLevel,
    StratumField,
    TransitionArea,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MONTH = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
NUMBER = forms.NumberInput(attrs={"inputmode": "decimal", "step": "any"})


class _Form(forms.Form):
    """Labels start with a capital letter, whatever the catalogue's case."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.label = capfirst(field.label)


def _date(label, required=True):
    return forms.DateField(label=label, required=required, widget=DATE)


class AdmitForm(_Form):
    facility = forms.ModelChoiceField(label=_("facility"), queryset=None, empty_label=None)
    organization = forms.ModelChoiceField(label=_("organization"), queryset=None, empty_label=None)
    legal_status = forms.ChoiceField(label=_("legal status"), choices=LegalStatus.choices)
    admission_date = _date(_("admission"))
    expected_release = _date(_("expected release"), required=False)

    def __init__(self, *args, facilities, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["facility"].queryset = facilities
        self.fields["organization"].queryset = organizations


class ReleaseForm(_Form):
    actual_release = _date(_("release"))
    legal_status = forms.ChoiceField(label=_("legal status"), choices=LegalStatus.choices)


class PlanForm(_Form):
    started_on = _date(_("started"))
    received_by = forms.CharField(label=_("who receives her"), required=False)


class TaskForm(_Form):
    area = forms.ChoiceField(label=_("area"), choices=TransitionArea.choices)
    description = forms.CharField(label=_("task"))
    owner = forms.ModelChoiceField(label=_("owner"), queryset=None, required=False)
    due_date = _date(_("due"), required=False)

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners


class TaskDoneForm(_Form):
    on = _date(_("done"))
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class WorkForm(_Form):
    month = forms.DateField(label=_("month"), widget=MONTH)
    product = forms.CharField(label=_("what was made"))
    units_sold = forms.IntegerField(label=_("units sold"), min_value=0, initial=0)
    income = forms.DecimalField(label=_("income earned (MXN)"), min_value=0, widget=NUMBER)
    paid_how = forms.ChoiceField(label=_("paid how"), choices=PaidHow.choices)


class FollowUpForm(_Form):
    months = forms.TypedChoiceField(
        label=_("months after release"),
        coerce=int,
        choices=[(m, str(m)) for m in RELEASE_FOLLOW_UP_MONTHS],
    )
    date = _date(_("date"))
    housing = forms.ChoiceField(label=_("housing"), choices=Housing.choices)
    activity = forms.ChoiceField(label=_("work or study"), choices=Activity.choices)
    monthly_income = forms.DecimalField(
        label=_("monthly income (MXN)"), required=False, min_value=0, widget=NUMBER
    )
    family_contact = forms.BooleanField(label=_("in contact with family"), required=False)
    new_arrest = forms.BooleanField(label=_("new arrest"), required=False)
    new_imprisonment = forms.BooleanField(label=_("new imprisonment"), required=False)


#: Where a community-based reinsertion case comes from: the justice system's doors.
COMMUNITY_SOURCES = ("detention", "civic_judge", "court", "police")


class CommunityCaseForm(_Form):
    pid = forms.CharField(label=_("Pseudonymous id"), max_length=8)
    organization = forms.ModelChoiceField(label=_("organization"), queryset=None, empty_label=None)
    referral_source = forms.ChoiceField(
        label=_("referral source"),
        choices=[(c, label) for c, label in ReferralSource.choices if c in COMMUNITY_SOURCES],
    )
    start_date = _date(_("start"))

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations


class CohortForm(_Form):
    facility = forms.ModelChoiceField(label=_("facility"), queryset=None, empty_label=None)
    organization = forms.ModelChoiceField(label=_("organization"), queryset=None, empty_label=None)
    kind = forms.ChoiceField(label=_("kind"), choices=CohortKind.choices)
    name = forms.CharField(label=_("name"))
    start_date = _date(_("start"))
    end_date = _date(_("end"), required=False)
    required_hours = forms.DecimalField(label=_("hours to complete"), min_value=0, widget=NUMBER)
    certifies = forms.BooleanField(label=_("gives a certificate"), required=False)

    def __init__(self, *args, facilities, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["facility"].queryset = facilities
        self.fields["organization"].queryset = organizations


class MemberForm(_Form):
    pid = forms.CharField(label=_("pseudonymous id"), max_length=8)


class SessionForm(_Form):
    date = _date(_("date"))
    hours = forms.DecimalField(label=_("hours"), min_value=0, widget=NUMBER)
    topic = forms.CharField(label=_("topic"), required=False)
    present = forms.MultipleChoiceField(
        label=_("present"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = [(m.pk, m.custody.enrollment.person.pid) for m in members]


class LotteryForm(_Form):
    organization = forms.ModelChoiceField(label=_("organization"), queryset=None, empty_label=None)
    name = forms.CharField(label=_("name"))
    places = forms.IntegerField(label=_("places"), min_value=1)
    strata = forms.MultipleChoiceField(
        label=_("stratified by"),
        choices=StratumField.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations


class ApplicantForm(_Form):
    pid = forms.CharField(label=_("pseudonymous id"), max_length=8)
    applied_on = _date(_("applied"))
    risk_level = forms.ChoiceField(label=_("risk level"), choices=RiskLevel.choices)
    eligible = forms.BooleanField(label=_("eligible"), required=False, initial=True)


class ApplicantsFileForm(_Form):
    file = forms.FileField(
        label=_("CSV file of applicants"),
        help_text=_(
            "Columns: pid, applied_on (YYYY-MM-DD), risk_level (low, medium, high), eligible "
            "(yes/no, optional). All rows or none."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )


class InstrumentForm(_Form):
    instrument = forms.ModelChoiceField(
        label=_("eligibility screening instrument"), queryset=None, empty_label=None
    )

    def __init__(self, *args, instruments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instrument"].queryset = instruments


class ApplicantScreeningForm(ScreeningForm):
    """The lottery instrument's items (participants' screening form), with who is screened
    and her risk level."""

    pid = forms.CharField(label=_("Pseudonymous id"), max_length=8)
    risk_level = forms.ChoiceField(label=_("Risk level"), choices=RiskLevel.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields(["pid", "risk_level", "date"])


class EnrollApplicantForm(_Form):
    start_date = _date(_("start"))
    referral_source = forms.ChoiceField(label=_("referral source"), choices=ReferralSource.choices)
    crossover_reason = forms.CharField(label=_("crossover reason"), required=False)


class OutcomeForm(_Form):
    months = forms.TypedChoiceField(
        label=_("months after the draw"), coerce=int, choices=[(m, str(m)) for m in OUTCOME_MONTHS]
    )
    recorded_on = _date(_("recorded"))
    employed_or_studying = forms.BooleanField(label=_("working or studying"), required=False)
    new_justice_contact = forms.BooleanField(
        label=_("new arrest or justice contact"), required=False
    )
