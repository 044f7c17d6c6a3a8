"""Forms of support to LSRs and of potential stakeholders: they validate only."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stakeholders.models import ContactPerson, Organisation

from .models import (
    CandidateStatus,
    Network,
    PotentialStakeholder,
    SupportEvent,
    SupportKind,
    SupportRequest,
    SupportStatus,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SupportRequestForm(forms.ModelForm):
    class Meta:
        model = SupportRequest
        fields = ["kind", "subject", "description"]
        widgets = {
            "kind": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 5}),
        }
        help_texts = {
            "subject": _("E.g. how to write the partnership agreement."),
            "description": _("What the KIS team needs, by when, and what you have tried."),
        }


class SupportQueueFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("all"))] + list(SupportStatus.choices),
    )
    kind = forms.ChoiceField(
        label=_("Kind of support"),
        required=False,
        choices=[("", _("all"))] + list(SupportKind.choices),
    )
    lsr = forms.ModelChoiceField(
        label=_("LSR"), required=False, queryset=Network.objects.none(), empty_label=_("all")
    )

    def __init__(self, *args, lsrs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lsr"].queryset = lsrs if lsrs is not None else Network.objects.none()


class SupportDeclineForm(forms.Form):
    decline_reason = forms.CharField(
        label=_("Reason for declining"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The animator reads it with the answer."),
    )


class SupportDoneForm(forms.Form):
    helpers = forms.CharField(
        label=_("Who helped"),
        max_length=255,
        required=False,
        help_text=_("People or organisations that gave the support."),
    )
    given_on = forms.DateField(label=_("Support given on"), widget=DATE)
    outcome = forms.CharField(
        label=_("Outcome"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("given_on", timezone.localdate())
        super().__init__(*args, **kwargs)


def _person_label(person: ContactPerson) -> str:
    return f"{person.name} – {person.organisation.name}"


class SupportEventForm(forms.ModelForm):
    participants = forms.ModelMultipleChoiceField(
        label=_("Participants"),
        queryset=ContactPerson.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("People of the region's LSRs (contact persons of their member organisations)."),
    )
    requests = forms.ModelMultipleChoiceField(
        label=_("Support requests it answers"),
        queryset=SupportRequest.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = SupportEvent
        fields = ["kind", "title", "held_on", "place", "trainers", "notes"]
        widgets = {"held_on": DATE, "notes": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, participants=None, requests=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["participants"]
        field.queryset = participants if participants is not None else ContactPerson.objects.none()
        field.label_from_instance = _person_label
        self.fields["requests"].queryset = (
            requests if requests is not None else SupportRequest.objects.none()
        )
        self.fields["requests"].label_from_instance = lambda r: f"{r.lsr.name}: {r.subject}"


class CandidateForm(forms.ModelForm):
    class Meta:
        model = PotentialStakeholder
        fields = ["name", "stakeholder_type", "institution_kind", "sector", "contact_note"]
        widgets = {
            "stakeholder_type": forms.RadioSelect,
            "contact_note": forms.Textarea(attrs={"rows": 3}),
        }


class CandidateStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=CandidateStatus.choices)
    organisation = forms.ModelChoiceField(
        label=_("Existing organisation"),
        required=False,
        queryset=Organisation.objects.none(),
        empty_label=_("— create a new organisation from the candidate —"),
        help_text=_("For “joined”: link an organisation already in the register, or leave empty."),
    )

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = (
            organisations if organisations is not None else Organisation.objects.none()
        )
