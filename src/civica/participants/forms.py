"""Forms of the case-worker pages. Validation beyond field types is the models' and services'."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from civica.organizations.models import Organization
from civica.participants.models import (
    PERSONAL_FIELDS,
    Consent,
    Contact,
    Enrollment,
    Goal,
    Instrument,
    NetworkMember,
    Outcome,
    Person,
    Service,
)
from civica.territory.models import Municipality
from civica.web.widgets import SearchableSelect

DATE = forms.DateInput(attrs={"type": "date"})


class PersonForm(forms.ModelForm):
    birth_date = forms.DateField(label=_("birth date"), required=False, widget=DATE)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Person
        fields = [*PERSONAL_FIELDS, "sex", "municipality", "sector"]
        widgets = {
            "given_names": forms.TextInput,
            "family_names": forms.TextInput,
            "curp": forms.TextInput(attrs={"autocapitalize": "characters"}),
            "address": forms.TextInput,
            "phone": forms.TextInput(attrs={"type": "tel"}),
        }

    def __init__(self, *args, organizations=None, sectors=None, **kwargs):
        super().__init__(*args, **kwargs)
        if sectors is not None:  # the user's scope only (civica.territory.selectors.sectors)
            self.fields["sector"].queryset = sectors
        if organizations is not None and len(organizations) > 1:
            # Only asked of users in several organizations: the record belongs to one.
            self.fields["organization"] = forms.ModelChoiceField(
                label=_("registered by"), queryset=organizations, empty_label=None
            )
        municipality = self.fields["municipality"]
        municipality.widget = SearchableSelect()
        municipality.queryset = Municipality.objects.for_choices()
        municipality.label_from_instance = Municipality.choice_label
        if self.instance.pk:
            self.initial["birth_date"] = self.instance.birth
            self.initial["version"] = self.instance.version

    def personal_values(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        data.pop("organization", None)
        birth = data.get("birth_date")
        data["birth_date"] = birth.isoformat() if birth else ""
        return data

    def _post_clean(self):
        # The model is validated by the service (with the ISO birth date), not here.
        pass


class ConsentForm(forms.ModelForm):
    class Meta:
        model = Consent
        fields = [
            "given_by",
            "guardian_name",
            "given_on",
            "participation",
            "follow_up",
            "share_with",
            "shared_fields",
        ]
        widgets = {
            "given_on": DATE,
            "guardian_name": forms.TextInput,
            "share_with": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["share_with"].queryset = Organization.objects.serving_persons()

    shared_fields = forms.MultipleChoiceField(
        label=_("personal fields that may be shared"),
        required=False,
        choices=[(f, Person._meta.get_field(f).verbose_name) for f in PERSONAL_FIELDS],
        widget=forms.CheckboxSelectMultiple,
    )

    def _post_clean(self):
        pass


class EnrollmentForm(forms.ModelForm):
    class Meta:
        model = Enrollment
        fields = ["track", "organization", "referral_source", "start_date"]
        widgets = {"start_date": DATE}

    def __init__(self, *args, organizations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organizations is not None:
            self.fields["organization"].queryset = organizations

    def _post_clean(self):
        pass


class _OfEnrollment(forms.ModelForm):
    def __init__(self, *args, enrollments=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enrollment"] = forms.ModelChoiceField(
            label=_("enrollment"), queryset=enrollments, empty_label=None
        )

    def _post_clean(self):
        pass


class ServiceForm(_OfEnrollment):
    class Meta:
        model = Service
        fields = ["enrollment", "kind", "provider", "date", "attended"]
        widgets = {"date": DATE}


class OutcomeForm(_OfEnrollment):
    class Meta:
        model = Outcome
        fields = [
            "enrollment",
            "months",
            "after_exit",
            "recorded_on",
            "school_enrolled",
            "employed",
            "wellness_score",
            "justice_contact",
        ]
        widgets = {"recorded_on": DATE}


class ReferralForm(forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=200)

    def __init__(self, *args, enrollments=None, organizations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enrollment"] = forms.ModelChoiceField(
            label=_("enrollment"), queryset=enrollments, empty_label=None
        )
        self.fields["to_organization"] = forms.ModelChoiceField(
            label=_("referred to"),
            queryset=organizations.serving_persons() if organizations is not None else None,
        )
        self.order_fields(["enrollment", "to_organization", "reason"])


class ContactForm(forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["date", "channel", "note"]
        widgets = {"date": DATE, "note": forms.Textarea(attrs={"rows": 3})}

    def _post_clean(self):
        pass


class ScreeningForm(forms.Form):
    """The instrument's items become number fields, grouped by scale in the template."""

    date = forms.DateField(label=_("date"), widget=DATE)

    def __init__(self, *args, instrument: Instrument, **kwargs):
        super().__init__(*args, **kwargs)
        self.instrument = instrument
        bounds = instrument.definition.get("answers") or {}
        for scale in instrument.scales:
            labels = scale.get("item_labels") or {}
            for item in scale["items"]:
                self.fields[f"item_{item}"] = forms.FloatField(
                    label=labels.get(item) or item,
                    min_value=bounds.get("min"),
                    max_value=bounds.get("max"),
                    widget=forms.NumberInput(attrs={"inputmode": "decimal"}),
                )

    def scales(self):
        return [
            (scale, [self[f"item_{item}"] for item in scale["items"]])
            for scale in self.instrument.scales
        ]

    def answers(self) -> dict:
        return {
            name[5:]: value for name, value in self.cleaned_data.items() if name.startswith("item_")
        }


class GoalForm(_OfEnrollment):
    class Meta:
        model = Goal
        fields = ["enrollment", "description", "target_date"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2}), "target_date": DATE}


class _Versioned(forms.ModelForm):
    """An edit of a versioned record: the hidden version is the one the user loaded, so a
    save after someone else's is refused (``services.save_versioned``)."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["version"] = self.instance.version

    def changes(self) -> dict:
        return {f: v for f, v in self.cleaned_data.items() if f != "version"}

    def _post_clean(self):
        # The model is validated by the service, after the version check.
        pass


class GoalUpdateForm(_Versioned):
    class Meta:
        model = Goal
        fields = ["status", "target_date"]
        widgets = {"target_date": DATE}


class ClosureForm(_Versioned):
    class Meta:
        model = Enrollment
        fields = ["exit_date", "closure_reason"]
        widgets = {"exit_date": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Optional on the model (an open case has neither); both are the point of this form.
        self.fields["exit_date"].required = True
        self.fields["closure_reason"].required = True


class NetworkMemberForm(forms.ModelForm):
    class Meta:
        model = NetworkMember
        fields = ["relationship", "name", "phone", "engaged"]
        widgets = {
            "relationship": forms.TextInput,
            "name": forms.TextInput(attrs={"autocomplete": "off"}),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
        }

    def _post_clean(self):
        pass


class WithdrawalForm(forms.Form):
    """Withdraw one of the person's consents in force; what it shared goes with it."""

    consent = forms.ModelChoiceField(label=_("consent"), queryset=Consent.objects.none())
    withdrawn_on = forms.DateField(label=_("withdrawn on"), widget=DATE)

    def __init__(self, *args, consents=None, **kwargs):
        super().__init__(*args, **kwargs)
        if consents is not None:
            self.fields["consent"].queryset = consents
        self.fields["consent"].label_from_instance = lambda c: ", ".join(
            [c.given_on.isoformat(), str(c.get_given_by_display())]
            + [o.name for o in c.share_with.all()]
        )
