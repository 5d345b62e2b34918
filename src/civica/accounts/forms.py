from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from civica.accounts.models import User


def _language_choices():
    return [("", _("Browser default")), *settings.LANGUAGES]


class PreferencesForm(forms.ModelForm):
    preferred_language = forms.ChoiceField(
        label=_("Language"),
        choices=_language_choices,
        required=False,
    )

    class Meta:
        model = User
        fields = ["first_name", "last_name", "email", "preferred_language"]
