from django import forms
from django.utils.translation import gettext_lazy as _

from civica.police.models import Scenario


class ScenarioForm(forms.ModelForm):
    class Meta:
        model = Scenario
        fields = [
            "name",
            "target",
            "ratio_per_1000",
            "calls_per_hour",
            "service_minutes",
            "standard_minutes",
            "share_within",
            "officers_per_unit",
            "weekly_hours",
            "absence_share",
            "current_officers",
            "monthly_pay",
            "monthly_benefits",
            "one_off_per_hire",
            "attrition_rate",
            "first_year",
            "years",
            "budget",
            "budget_growth",
            "funds_per_year",
        ]
        widgets = {"target": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].required = False  # needed to save, not to compute

    def clean(self):
        data = super().clean()
        if data.get("years") is not None and not 1 <= data["years"] <= 15:
            self.add_error("years", _("From 1 to 15 years."))
        if data.get("share_within") is not None and not 0 < data["share_within"] < 100:
            self.add_error("share_within", _("More than 0 and less than 100."))
        if data.get("absence_share") is not None and not 0 <= data["absence_share"] < 100:
            self.add_error("absence_share", _("From 0 to less than 100."))
        if data.get("attrition_rate") is not None and not 0 <= data["attrition_rate"] < 100:
            self.add_error("attrition_rate", _("From 0 to less than 100."))
        if data.get("weekly_hours") is not None and not 0 < data["weekly_hours"] <= 168:
            self.add_error("weekly_hours", _("More than 0 and at most 168."))
        if data.get("service_minutes") is not None and data["service_minutes"] <= 0:
            self.add_error("service_minutes", _("More than 0."))
        if data.get("officers_per_unit") is not None and data["officers_per_unit"] < 1:
            self.add_error("officers_per_unit", _("At least 1."))
        if data.get("first_year") is not None and not 2000 <= data["first_year"] <= 2100:
            self.add_error("first_year", _("A year from 2000 to 2100."))
        return data


class ScenarioEditForm(ScenarioForm):
    """A saved scenario's values, with the version they were loaded at (a save from an older
    copy is refused: ``scenarios.update_scenario``)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].required = True
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version

    def changes(self) -> dict:
        return {f: self.cleaned_data[f] for f in self.Meta.fields}
