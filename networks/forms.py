from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stakeholders.models import Gmina, Organisation

from .models import AgreementStatus, HubTask, MemberRole, Network, Partnership, PartnershipMember

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class LsrFoundingForm(forms.ModelForm):
    """Step 1 of the guided flow: where, what and how the LSR is founded."""

    gmina = forms.ModelChoiceField(label=_("Gmina"), queryset=Gmina.objects.none())

    class Meta:
        model = Network
        fields = [
            "gmina",
            "name",
            "variant",
            "act_kind",
            "act_number",
            "act_date",
            "initiators",
            "founded_on",
        ]
        widgets = {"variant": forms.RadioSelect, "act_date": DATE, "founded_on": DATE}

    def __init__(self, *args, gminas=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["gmina"].queryset = gminas if gminas is not None else Gmina.objects.none()
        self.fields["variant"].required = True
        self.fields["name"].help_text = _("E.g. Lokalna Sieć Reintegracji w Gminie Żmudź.")


class NetworkGoalsForm(forms.ModelForm):
    """Step 2: vision, mission, goals and the way of working."""

    class Meta:
        model = Network
        fields = [
            "vision",
            "mission",
            "main_goal",
            "specific_goals",
            "legal_form",
            "seat",
            "meeting_rhythm",
            "stage",
        ]
        widgets = {
            "vision": forms.Textarea(attrs={"rows": 3}),
            "mission": forms.Textarea(attrs={"rows": 3}),
            "main_goal": forms.Textarea(attrs={"rows": 2}),
            "specific_goals": forms.Textarea(attrs={"rows": 4}),
        }


class MembershipAddForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none()
    )
    role = forms.ChoiceField(
        label=_("Role in the network"), choices=MemberRole.choices, initial=MemberRole.MEMBER
    )
    joined_on = forms.DateField(label=_("Joined on"), initial=timezone.localdate, widget=DATE)

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        qs = organisations if organisations is not None else Organisation.objects.none()
        self.fields["organisation"].queryset = qs
        self.fields["organisation"].label_from_instance = lambda o: (
            f"{o.name} – {o.stakeholder_type} ({o.get_institution_kind_display()})"
        )


class MembershipEndForm(forms.Form):
    left_on = forms.DateField(label=_("Left on"), initial=timezone.localdate, widget=DATE)


class MembershipRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role in the network"), choices=MemberRole.choices)


class HubTaskForm(forms.ModelForm):
    class Meta:
        model = HubTask
        fields = ["status", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}


class PartnershipForm(forms.ModelForm):
    class Meta:
        model = Partnership
        fields = ["name", "goal", "leader", "starts_on", "ends_on"]
        widgets = {"goal": forms.Textarea(attrs={"rows": 3}), "starts_on": DATE, "ends_on": DATE}

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = (
            organisations if organisations is not None else Organisation.objects.none()
        )
        self.fields["leader"].required = False
        self.fields["leader"].help_text = _("Leave empty: the KIS (main node) leads.")


class PartnerForm(forms.ModelForm):
    class Meta:
        model = PartnershipMember
        fields = ["organisation", "role", "contribution_kind", "contribution", "amount"]
        widgets = {"contribution": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = (
            organisations if organisations is not None else Organisation.objects.none()
        )


class AgreementStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=AgreementStatus.choices)
    signed_on = forms.DateField(label=_("Signed on"), required=False, widget=DATE)


class ParticipationForm(forms.Form):
    """A member network (an LSR in its RSR) stops taking part, or takes part again."""

    takes_part = forms.TypedChoiceField(
        label=_("Takes part in the network above"),
        choices=[("1", _("yes, takes part")), ("0", _("no, does not take part"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    left_on = forms.DateField(label=_("Not taking part since"), required=False, widget=DATE)
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
