from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stakeholders.models import ContactPerson, Organisation

from ..models import Meeting, MeetingKind, MonitoringTerm

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _person_label(person: ContactPerson) -> str:
    function = f", {person.function}" if person.function else ""
    return f"{person.name}{function} – {person.organisation.name}"


def meeting_label(meeting: Meeting) -> str:
    when = timezone.localtime(meeting.held_at).strftime("%d.%m.%Y %H:%M")
    return f"{when} – {meeting.place}" if meeting.place else when


class MeetingCancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for cancelling"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Everyone in the network is told, with the reason."),
    )


class MeetingForm(forms.ModelForm):
    """A meeting of the LSR; attendance among the representatives of active members (the service
    checks the choice again)."""

    attendees = forms.ModelMultipleChoiceField(
        label=_("Attendance"),
        queryset=ContactPerson.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Representatives of the LSR's active member institutions."),
    )

    class Meta:
        model = Meeting
        fields = ["kind", "held_at", "place", "agenda", "attendees", "minutes", "decisions"]
        widgets = {
            "kind": forms.RadioSelect,
            "held_at": DATETIME,
            "agenda": forms.Textarea(attrs={"rows": 4}),
            "minutes": forms.Textarea(attrs={"rows": 6}),
            "decisions": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, attendees=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["attendees"]
        field.queryset = attendees if attendees is not None else ContactPerson.objects.none()
        field.label_from_instance = _person_label
        self.fields["kind"].required = False  # an ordinary meeting unless the seminar is chosen

    def clean_kind(self):
        return self.cleaned_data.get("kind") or MeetingKind.MEETING


class MonitoringTermForm(forms.ModelForm):
    class Meta:
        model = MonitoringTerm
        fields = ["due_date", "scope"]
        widgets = {"due_date": DATE, "scope": forms.Textarea(attrs={"rows": 3})}


class MonitoringPresentForm(forms.Form):
    meeting = forms.ModelChoiceField(
        label=_("Meeting at which the information was presented"),
        queryset=Meeting.objects.none(),
        required=False,
        empty_label=_("— not presented yet —"),
    )

    def __init__(self, *args, meetings=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["meeting"]
        field.queryset = meetings if meetings is not None else Meeting.objects.none()
        field.label_from_instance = meeting_label


class MonitoringReportForm(forms.Form):
    """The information of one institution for a term. The organisation is chosen only by the
    animator entering it for a member; a partner always reports for its own organisation."""

    organisation = forms.ModelChoiceField(
        label=_("Institution"), queryset=Organisation.objects.none()
    )
    information = forms.CharField(
        label=_("Information supplied"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organisations is None:
            del self.fields["organisation"]
        else:
            self.fields["organisation"].queryset = organisations
