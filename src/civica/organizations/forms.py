"""The form of the organization page."""

from __future__ import annotations

from django import forms

from civica.organizations.models import Organization
from civica.territory.models import Municipality
from civica.web.widgets import SearchableSelect


class OrganizationForm(forms.ModelForm):
    class Meta:
        model = Organization
        fields = ["name", "kind", "municipality"]
        widgets = {"name": forms.TextInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        municipality = self.fields["municipality"]
        municipality.widget = SearchableSelect()
        municipality.queryset = Municipality.objects.for_choices()
        municipality.label_from_instance = Municipality.choice_label

    def _post_clean(self):
        # Validated by services.create_organization, which also audits.
        pass
