from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Delivery, Kind


class PreferenceForm(forms.Form):
    delivery = forms.ChoiceField(
        label=_("E-mail me"), choices=Delivery.choices, widget=forms.RadioSelect
    )
    emailed_kinds = forms.MultipleChoiceField(
        label=_("E-mail me about"),
        choices=Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Unticked kinds still appear in the portal, without an e-mail."),
    )
