from django import forms
from django.utils.translation import gettext_lazy as _

from stakeholders.models import Organisation

from ..models import Need, NeedKind, NeedOutcome, ResponseKind
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
        fields = ["kind", "description", "needed_when", "for_classes", "answer_by"]
        widgets = {
            "kind": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 3}),
            "answer_by": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    field_order = [
        "posted_by",
        "kind",
        "description",
        "needed_when",
        "for_classes",
        "answer_by",
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


class NeedReaddressForm(forms.Form):
    """More partners for a need nobody could meet yet."""

    addressees = forms.ModelMultipleChoiceField(
        label=_("Partners to address the need to"),
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one more partner.")},
    )

    def __init__(self, *args, candidates=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["addressees"].queryset = (
            candidates if candidates is not None else Organisation.objects.none()
        )
        self.fields["addressees"].label_from_instance = _organisation_label


class NeedCloseForm(forms.Form):
    """The outcome of a need, recorded when it is closed."""

    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=NeedOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether the need was met, partly met or not met.")},
    )
    outcome_text = forms.CharField(
        label=_("What came of it"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        help_text=_("E.g. who helped, with what, and what is still missing."),
        error_messages={"required": _("Say in a sentence what came of the need.")},
    )


class NeedAcceptForm(forms.Form):
    response = forms.IntegerField(widget=forms.HiddenInput)


class NeedOfferForm(forms.Form):
    """An offer for an escalated need: by a representative for its organisation, or by the
    coordinator for an organisation of the tier."""

    organisation = forms.ModelChoiceField(
        label=_("Offering organisation"),
        queryset=Organisation.objects.none(),
        error_messages={"required": _("Choose the organisation that offers.")},
    )
    text = forms.CharField(
        label=_("What the organisation offers"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        help_text=_("What, when and on what terms; the animator of the LSR reads it."),
        error_messages={
            "required": _("Describe the resource you offer: what, when and on what terms.")
        },
    )

    def __init__(self, *args, candidates=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = (
            candidates if candidates is not None else Organisation.objects.none()
        )
        self.fields["organisation"].label_from_instance = _organisation_label
