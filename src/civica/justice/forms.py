"""Forms of the juzgado's pages: a fast intake and one form per stage of a case.

Times are ``<input type="datetime-local">`` (ISO, so they round-trip in both languages), shown
to the minute: a time left as shown keeps its stored seconds (``StageForm.changes``);
stage forms carry the version the user loaded, so a save over someone else's is refused
(``services.record_stage``).
"""

from __future__ import annotations

import datetime as dt
from textwrap import shorten

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civica.justice.models import Case, Detection, FollowUpKind, Juzgado, Offence
from civica.justice.services import STAGE_FIELDS
from civica.participants.models import ConsentGiver, Sex, Track

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
NUMBER = {"inputmode": "decimal"}


def _to_the_minute(moment: dt.datetime) -> dt.datetime:
    return moment.replace(second=0, microsecond=0)


def _now_local():
    return _to_the_minute(timezone.localtime()).replace(tzinfo=None)


class OffenceChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Offence) -> str:
        where = f"{obj.article}" + (f"-{obj.fraction}" if obj.fraction else "")
        # Cut at a word, not inside one: a half word reads as another word ("in…").
        return f"{where} ({obj.sanction_class.code}) {shorten(obj.text, 90, placeholder=' …')}"


class IntakeForm(forms.Form):
    """The minimum a busy night needs: who, when detained and presented, which faltas."""

    juzgado = forms.ModelChoiceField(queryset=None, label=_("juzgado"))
    given_names = forms.CharField(label=_("given names"), max_length=200)
    family_names = forms.CharField(label=_("family names"), max_length=200)
    birth_date = forms.DateField(label=_("birth date"), required=False, widget=DATE)
    curp = forms.CharField(label=_("CURP"), required=False, max_length=18)
    sex = forms.ChoiceField(label=_("sex"), choices=Sex.choices, initial=Sex.UNRECORDED)
    detained_at = forms.DateTimeField(label=_("detained at"), widget=DATETIME)
    presented_at = forms.DateTimeField(label=_("presented at"), widget=DATETIME)
    offences = OffenceChoices(
        queryset=Offence.objects.none(),
        label=_("faltas"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    detection = forms.ChoiceField(
        label=_("how it came to light"), choices=Detection.choices, initial=Detection.FLAGRANCY
    )
    iph_folio = forms.CharField(label=_("IPH folio"), required=False, max_length=60)
    call_911_folio = forms.CharField(label=_("911 folio"), required=False, max_length=60)
    rnd_folio = forms.CharField(label=_("RND folio"), required=False, max_length=60)
    boleta = forms.CharField(label=_("boleta de remisión"), required=False, max_length=60)
    officer = forms.CharField(label=_("officer (name or badge)"), required=False, max_length=120)
    police_unit = forms.CharField(label=_("police unit"), required=False, max_length=60)
    event_at = forms.DateTimeField(
        label=_("date and time of the falta"), required=False, widget=DATETIME
    )
    place_description = forms.CharField(label=_("place"), required=False, max_length=300)
    latitude = forms.FloatField(label=_("latitude"), required=False)
    longitude = forms.FloatField(label=_("longitude"), required=False)
    narrative = forms.CharField(
        label=_("narrative"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    use_of_force = forms.BooleanField(label=_("use of force"), required=False)

    PERSON = ("given_names", "family_names", "birth_date", "curp", "sex")

    def __init__(self, *args, juzgados=None, offences=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["juzgado"].queryset = (
            juzgados if juzgados is not None else Juzgado.objects.none()
        )
        if juzgados is not None and len(juzgados) == 1:
            self.fields["juzgado"].initial = juzgados[0].pk
        if offences is not None:
            self.fields["offences"].queryset = offences
        if not self.is_bound:
            now = _now_local()
            self.initial.setdefault("presented_at", now)
            self.initial.setdefault("detained_at", now)

    def person(self) -> dict:
        data = {f: self.cleaned_data.get(f) for f in self.PERSON}
        birth = data.get("birth_date")
        data["birth_date"] = birth.isoformat() if birth else ""
        return data

    def case_fields(self) -> dict:
        skip = {*self.PERSON, "juzgado", "offences", "presented_at"}
        values = {f: v for f, v in self.cleaned_data.items() if f not in skip}
        return {f: v for f, v in values.items() if v not in (None, "")} | {
            "use_of_force": bool(self.cleaned_data.get("use_of_force"))
        }


class StageForm(forms.ModelForm):
    """One stage of a case; the hidden version is the one the user loaded."""

    stage = ""
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, offences=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["version"] = self.instance.version
        if "offences" in self.fields:
            self.fields["offences"].queryset = (
                offences if offences is not None else Offence.objects.none()
            )
            if self.instance.pk:
                self.initial["offences"] = list(self.instance.offences.values_list("pk", flat=True))
        if "measure_organization" in self.fields:
            from civica.organizations.models import Organization

            # A measure is served with an organization that works with persons.
            self.fields["measure_organization"].queryset = Organization.objects.serving_persons()

    def changes(self) -> dict:
        changes = {
            f: v
            for f, v in self.cleaned_data.items()
            if f not in ("version", "offences") and f in STAGE_FIELDS[self.stage]
        }
        # A time is shown to the minute (``DATETIME``); one sent back as shown keeps the
        # seconds it was stored with (a case-book import keeps them), so a stage saved
        # untouched changes nothing, and a time the user did change is stored as typed.
        for name, value in changes.items():
            stored = getattr(self.instance, name, None) if self.instance.pk else None
            if isinstance(stored, dt.datetime) and value == _to_the_minute(stored):
                changes[name] = stored
        return changes

    def chosen_offences(self):
        if "offences" not in self.fields:
            return None
        return list(self.cleaned_data.get("offences") or [])

    def _post_clean(self):
        # The legal guards run in the service, after the version check.
        pass


def _stage_form(stage: str, fields: tuple[str, ...], *, with_offences=False, required=()):
    from django.db import models

    times = {
        name: DATETIME
        for name in fields
        if isinstance(Case._meta.get_field(name), models.DateTimeField)
    }
    attrs = {
        "__module__": __name__,
        "stage": stage,
        "Meta": type(
            "Meta",
            (),
            {
                "model": Case,
                "fields": list(fields),
                "widgets": {
                    "injuries": forms.Textarea(attrs={"rows": 2}),
                    "narrative": forms.Textarea(attrs={"rows": 3}),
                }
                | times,
            },
        ),
    }
    if with_offences:
        attrs["offences"] = OffenceChoices(
            queryset=Offence.objects.none(),
            label=_("faltas"),
            required=False,
            widget=forms.SelectMultiple(attrs={"size": 6}),
        )

    def __init__(self, *args, **kwargs):
        StageForm.__init__(self, *args, **kwargs)
        for name in required:
            self.fields[name].required = True

    attrs["__init__"] = __init__
    return type(f"{stage.title().replace('_', '')}Form", (StageForm,), attrs)


IntakeStageForm = _stage_form(
    "intake",
    (
        *(f for f in STAGE_FIELDS["intake"] if f not in ("place_description", "narrative")),
        "place_description",
        "narrative",
    ),
    with_offences=True,
)
MedicalForm = _stage_form("medical", STAGE_FIELDS["medical"], required=("medical_at",))
ScreeningStageForm = _stage_form(
    "screening",
    tuple(f for f in STAGE_FIELDS["screening"] if f not in ("instrument", "screening_scores")),
    required=("screened_at", "risk_level"),
)


class ScoredScreeningForm(ScreeningStageForm):
    """The tamizaje: with the juzgado's instrument, its items (the participants' screening
    form builds them) replace the hand-entered risk level, which its scoring sets
    (``justice.screening``); without one, the risk level is entered by hand."""

    def __init__(self, *args, instrument=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.instrument = instrument
        self._scored = {}
        if instrument is not None:
            from civica.participants.forms import ScreeningForm

            del self.fields["risk_level"]
            items = ScreeningForm(instrument=instrument).fields
            self.fields.update({k: f for k, f in items.items() if k.startswith("item_")})

    def clean(self):
        data = super().clean()
        if self.instrument is not None and not self.errors:
            from django.core.exceptions import ValidationError

            from civica.justice.screening import scored

            answers = {k[5:]: v for k, v in data.items() if k.startswith("item_")}
            try:
                self._scored = scored(self.instrument, answers)
            except ValidationError as error:
                self.add_error(None, error)
        return data

    def changes(self) -> dict:
        return super().changes() | self._scored


def stage_form_options(stage: str, case) -> dict:
    """What a stage's form needs beyond the case: the tamizaje, the juzgado's instrument."""
    return {"instrument": case.juzgado.instrument} if stage == "screening" else {}


HearingForm = _stage_form("hearing", STAGE_FIELDS["hearing"])
ResolutionForm = _stage_form(
    "resolution",
    STAGE_FIELDS["resolution"],
    with_offences=True,
    required=("resolved_at", "sanction"),
)
ClosureForm = _stage_form("closure", STAGE_FIELDS["closure"], required=("closed_at", "closure"))

STAGE_FORMS = {
    "intake": IntakeStageForm,
    "medical": MedicalForm,
    "screening": ScoredScreeningForm,
    "hearing": HearingForm,
    "resolution": ResolutionForm,
    "closure": ClosureForm,
}


class MediationForm(forms.Form):
    parties = forms.CharField(label=_("parties"), widget=forms.Textarea(attrs={"rows": 2}))
    agreement = forms.CharField(
        label=_("agreement"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    agreed_on = forms.DateField(label=_("agreed on"), required=False, widget=DATE)


class MediationCheckForm(forms.Form):
    days = forms.TypedChoiceField(
        label=_("check"), choices=[(30, _("30 days")), (90, _("90 days"))], coerce=int
    )
    on = forms.DateField(label=_("date"), widget=DATE)
    kept = forms.TypedChoiceField(
        label=_("agreement kept"),
        choices=[("1", _("Yes")), ("0", _("No"))],
        coerce=lambda value: value == "1",
    )


class FollowUpForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=FollowUpKind.choices)
    on = forms.DateField(label=_("date"), widget=DATE)
    hours = forms.DecimalField(
        label=_("hours"), required=False, max_digits=5, decimal_places=1, min_value=0
    )
    attended = forms.NullBooleanField(label=_("attended"), required=False)
    note = forms.CharField(label=_("note"), required=False, max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("on", timezone.localdate())


class DiversionForm(forms.Form):
    """The consent a diversion to the measure's organization needs (participants' rules)."""

    consent = forms.BooleanField(
        label=_(
            "Consent recorded: the person (or, for a minor, a parent or guardian) agrees to take "
            "part in the program and to be known to the organization"
        ),
        required=False,
    )
    given_by = forms.ChoiceField(label=_("consent given by"), choices=ConsentGiver.choices)
    guardian_name = forms.CharField(
        label=_("name of the parent or guardian"), required=False, max_length=200
    )
    given_on = forms.DateField(label=_("consent given on"), widget=DATE)
    track = forms.ChoiceField(label=_("track"), choices=Track.choices, initial=Track.PREVENTION)

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("given_on", timezone.localdate())
            if case is not None and case.minor:
                self.initial.setdefault("given_by", ConsentGiver.GUARDIAN)


class MemberForm(forms.Form):
    """Add a member: one of the users who may be (``selectors.member_candidates``)."""

    user = forms.ModelChoiceField(queryset=None, label=_("user"))

    def __init__(self, *args, candidates=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = candidates
        self.fields["user"].label_from_instance = lambda u: (
            f"{u.get_full_name() or u.username} ({u.get_role_display()})"
        )


class InstrumentForm(forms.Form):
    """The screening instrument (a version) the juzgado's tamizaje applies, or none."""

    instrument = forms.ModelChoiceField(
        queryset=None, label=_("screening instrument"), required=False
    )

    def __init__(self, *args, instruments=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instrument"].queryset = instruments
