"""Forms of the intervention pages: the choices offered are limited to the user's scope."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from civica.accounts import scope
from civica.interventions.layer_checks import closest_crimes
from civica.interventions.models import EvaluationDesign, Intervention, OutcomeScale
from civica.territory.models import Municipality, Sector


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class CrimesField(forms.CharField):
    """Target crimes typed one per line, as the incident layer or the SESNSP subtipo writes them."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value):
        return [line.strip() for line in (value or "").splitlines() if line.strip()]


class InterventionForm(forms.ModelForm):
    target_crimes = CrimesField(
        label=_("target crimes"), help_text=_("One per line, written as in the data source.")
    )
    # The version the person loaded; a save over a newer version is refused (no lost edits).
    loaded_version = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Intervention
        fields = [
            "name",
            "kind",
            "more_municipalities",
            "target_sectors",
            "target_crimes",
            "start_date",
            "end_date",
            "ramp_up_days",
            "organization",
            "activity_name",
            "description",
        ]
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            # Hundreds of sectors in a city: typed letters filter them (civica/searchable.js).
            "target_sectors": forms.SelectMultiple(
                attrs={"size": 10, "data-searchable": _("Type to filter")}
            ),
            "more_municipalities": forms.SelectMultiple(attrs={"size": 6}),
        }

    def __init__(self, *args, municipality, known_crimes=(), user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.municipality = municipality
        ids = scope.municipality_ids(user) if user is not None else None
        # A program across places: other municipalities of the same state, in the scope.
        places = Municipality.objects.filter(state_id=municipality.state_id).exclude(
            pk=municipality.pk
        )
        if ids is not None:
            places = places.filter(pk__in=ids)
        # Without the boundaries: a choice list needs names (see MunicipalityQuerySet.for_choices).
        self.fields["more_municipalities"].queryset = places.defer("geometry").order_by("name")
        self.fields["more_municipalities"].help_text = _(
            "Target sectors of another municipality of the state add it by themselves."
        )
        # Only part of an intervention across places is the user's: its own sectors.
        self.partial = bool(
            self.instance.pk and ids is not None and not self.instance.municipality_ids <= ids
        )
        sector_places = [municipality.pk, *places.values_list("pk", flat=True)]
        if self.partial:
            sector_places = [pk for pk in self.instance.municipality_ids if pk in ids]
            for name, field in self.fields.items():
                if name not in ("target_sectors", "loaded_version"):
                    field.disabled = True
            self.fields["more_municipalities"].queryset = self.instance.more_municipalities.all()
        # Names of the incident layers and the SESNSP catalogue: offered as a datalist
        # (civica/searchable.js) and the only names accepted when there are any.
        self.known_crimes = list(known_crimes)
        if self.known_crimes:
            self.fields["target_crimes"].widget.attrs["data-datalist"] = "known-crimes"
            self.fields["target_crimes"].widget.attrs["data-add-label"] = _("Add a known crime")
        self.fields["target_sectors"].queryset = (
            Sector.objects.filter(municipality_id__in=sector_places)
            .select_related("municipality")
            .order_by("layer", "name")
        )
        self.fields["target_sectors"].label_from_instance = lambda s: (
            f"{s.name} · {s.municipality.name} ({s.layer})"
        )
        if self.partial and not self.is_bound:
            self.initial["target_sectors"] = [
                s.pk for s in self.instance.target_sectors.all() if s.municipality_id in ids
            ]
        if self.instance.pk and not self.is_bound:
            self.initial["loaded_version"] = self.instance.updated_at.isoformat()

    def clean_target_crimes(self):
        wanted = self.cleaned_data["target_crimes"]
        known = set(self.known_crimes)
        # A name the intervention already holds was accepted when it was typed: a layer
        # ingested since may spell it otherwise, and the rest of the form must still save.
        # Only names typed now are checked.
        held = set(self.instance.target_crimes or []) if self.instance.pk else set()
        unknown = [name for name in wanted if known and name not in known and name not in held]
        if unknown:
            raise forms.ValidationError(
                [
                    _("Unknown crime “%(name)s”.") % {"name": name}
                    + (
                        " " + _("Closest: %(names)s.") % {"names": ", ".join(close)}
                        if (close := closest_crimes(name, known))
                        else ""
                    )
                    for name in unknown
                ],
                code="unknown_crime",
            )
        return wanted

    def clean(self):
        data = super().clean()
        if not self.partial:
            sectors = list(data.get("target_sectors") or [])
            self.instance.stage_target_sectors(sectors)
            lead = self.instance.municipality
            more = {m.pk: m for m in data.get("more_municipalities") or []}
            for sector in sectors:
                if sector.municipality_id != lead.pk:
                    more.setdefault(sector.municipality_id, sector.municipality)
            self.instance.stage_more_municipalities(list(more.values()))
        return data


class DesignForm(forms.ModelForm):
    class Meta:
        model = EvaluationDesign
        fields = [
            "method",
            "source",
            "incident_layer",
            "donor_pool",
            "outcome_scale",
            "before_start",
            "before_end",
            "after_start",
            "after_end",
            "comparison_sectors",
            "buffer_metres",
            "notes",
        ]
        widgets = {
            "before_start": DateInput(),
            "before_end": DateInput(),
            "after_start": DateInput(),
            "after_end": DateInput(),
            "comparison_sectors": forms.SelectMultiple(attrs={"size": 12}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, intervention: Intervention, sectors, layers: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.intervention = intervention
        self.fields["comparison_sectors"].queryset = sectors
        self.fields["incident_layer"].widget = forms.Select(
            choices=[("", "—"), *[(name, name) for name in layers]]
        )
        # Only a synthetic control reads it; a form that leaves it out keeps the default.
        self.fields["outcome_scale"].required = False

    def clean_outcome_scale(self):
        return self.cleaned_data.get("outcome_scale") or OutcomeScale.AUTO

    def clean(self):
        data = super().clean()
        self.instance.stage_comparison_sectors(data.get("comparison_sectors") or [])
        return data
