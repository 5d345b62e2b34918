"""Forms of the problem pages; the choices offered are those of the user's scope."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from civica.problems.catalog import CHEERS, TRIANGLE, Priority, technique_choices
from civica.problems.models import AnalysisKind
from civica.web.widgets import SearchableSelect


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ScanForm(forms.Form):
    layer = forms.ChoiceField(label=_("incident layer"))
    end = forms.DateField(
        label=_("last day"),
        required=False,
        widget=DateInput(),
        help_text=_("Empty: the layer's last whole quarter."),
    )

    def __init__(self, *args, layers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["layer"].choices = [(name, name) for name in layers]


class AcceptForm(forms.Form):
    """The CHEERS test, a priority, a title: what taking on a candidate records."""

    key = forms.CharField(widget=forms.HiddenInput)
    layer = forms.CharField(widget=forms.HiddenInput)
    end = forms.DateField(widget=forms.HiddenInput, required=False)
    title = forms.CharField(label=_("title"), max_length=200, required=False)
    priority = forms.ChoiceField(label=_("priority"), choices=Priority.choices)
    cheers_notes = forms.CharField(
        label=_("CHEERS notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in CHEERS:
            self.fields[f"cheers_{key}"] = forms.BooleanField(label=label, required=False)

    def cheers(self) -> dict:
        return {key: self.cleaned_data.get(f"cheers_{key}", False) for key, _label in CHEERS}


class AnalysisForm(forms.Form):
    hypotheses = forms.CharField(
        label=_("hypotheses"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    description = forms.CharField(
        label=_("description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in reversed(TRIANGLE):
            self.fields = {
                key: forms.CharField(
                    label=label, required=False, widget=forms.Textarea(attrs={"rows": 2})
                ),
                **self.fields,
            }


class AttachForm(forms.Form):
    kind = forms.ChoiceField(label=_("analysis"), choices=AnalysisKind.choices)
    crime = forms.ChoiceField(label=_("crime"), required=False)
    start = forms.DateField(label=_("first day"), required=False, widget=DateInput())
    end = forms.DateField(label=_("last day"), required=False, widget=DateInput())

    def __init__(self, *args, problem, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["crime"].choices = [("", _("All the problem's crimes"))] + [
            (c, c) for c in problem.crimes
        ]


class ResponseForm(forms.Form):
    intervention = forms.ModelChoiceField(label=_("intervention"), queryset=None)
    technique = forms.ChoiceField(label=_("situational technique"), choices=technique_choices())
    partners = forms.ModelMultipleChoiceField(label=_("partners"), queryset=None, required=False)
    owner = forms.CharField(label=_("owner"), max_length=200)
    start_date = forms.DateField(label=_("start date"), widget=DateInput())
    end_date = forms.DateField(label=_("end date"), required=False, widget=DateInput())
    description = forms.CharField(
        label=_("description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, interventions, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["intervention"].queryset = interventions
        self.fields["partners"].queryset = organizations


class MilestoneForm(forms.Form):
    name = forms.CharField(label=_("milestone"), max_length=200)
    planned_date = forms.DateField(label=_("planned"), widget=DateInput())


class DoneForm(forms.Form):
    done_date = forms.DateField(label=_("done"), widget=DateInput())


class PriorityOwnerForm(forms.Form):
    """An accepted problem's priority and owner; the owner is chosen among the people who may
    work on its municipalities (``selectors.owner_candidates``)."""

    priority = forms.ChoiceField(label=_("priority"), choices=Priority.choices)
    owner = forms.ModelChoiceField(
        label=_("owner"), queryset=None, required=False, widget=SearchableSelect
    )
    # The version the person loaded; a save over a newer version is refused (no lost edits).
    loaded_version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = candidates
        self.fields["owner"].empty_label = _("Nobody yet")
        self.fields["owner"].label_from_instance = lambda user: (
            f"{user.get_full_name()} ({user.get_username()})"
            if user.get_full_name()
            else user.get_username()
        )
