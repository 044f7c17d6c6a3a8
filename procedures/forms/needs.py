from django import forms
from django.utils.translation import gettext_lazy as _

from stakeholders.models import Organisation

from ..models import Need, NeedKind, ResponseKind
from ..services.needs import NeedStatus


def _organisation_label(organisation: Organisation) -> str:
    return f"{organisation.name} ({organisation.stakeholder_type})"


class NeedForm(forms.ModelForm):
    """A need of the KIS/OPS: what, when, for which classes, and to whom."""

    posted_by = forms.ModelChoiceField(
        label=_("Posted by"),
        queryset=Organisation.objects.none(),
        help_text=_("The LSR's main node (KIS) or a type B member (OPS)."),
    )
    addressed_to_all = forms.BooleanField(
        label=_("Address to all members of the LSR"),
        required=False,
        help_text=_("Every active member except the posting organisation."),
    )
    addressees = forms.ModelMultipleChoiceField(
        label=_("Or choose the partners"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Need
        fields = ["kind", "description", "needed_when", "for_classes"]
        widgets = {
            "kind": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    field_order = [
        "posted_by",
        "kind",
        "description",
        "needed_when",
        "for_classes",
        "addressed_to_all",
        "addressees",
    ]

    def __init__(self, *args, posters=None, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["posted_by"].queryset = (
            posters if posters is not None else Organisation.objects.none()
        )
        self.fields["posted_by"].label_from_instance = _organisation_label
        self.fields["addressees"].queryset = (
            members if members is not None else Organisation.objects.none()
        )
        self.fields["addressees"].label_from_instance = _organisation_label
        self.fields["kind"].choices = NeedKind.choices
        self.fields["for_classes"].help_text = _("E.g. the KIS carpentry workshop.")


class NeedResponseForm(forms.Form):
    """A partner's answer: a resource on offer, or a reason why it cannot fulfil the need."""

    kind = forms.ChoiceField(
        label=_("Your answer"), choices=ResponseKind.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(
        label=_("What you offer, or why you cannot fulfil the need"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=4000,
        help_text=_("Needed in both cases: describe the resource, or give the reason."),
    )


class NeedStatusFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("all"))] + NeedStatus.choices, required=False
    )
