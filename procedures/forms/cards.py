from django import forms
from django.utils.translation import gettext_lazy as _

from stakeholders.models import ContactPerson, Organisation

from ..files import allowed_extensions, validate_document
from ..models import ActivityStatus, EvidenceKind

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CardFieldsForm(forms.Form):
    """The MLW template fields; choices limited to the LSR's members (the service checks again)."""

    responsible = forms.ModelChoiceField(
        label=_("Person responsible for the procedure in the institution"),
        queryset=ContactPerson.objects.none(),
        required=False,
    )
    cooperating = forms.ModelMultipleChoiceField(
        label=_("Cooperating institutions"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    informed = forms.ModelMultipleChoiceField(
        label=_("Institutions receiving information within the procedure"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, contacts=None, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        # every contact/organisation may be posted; the service refuses those outside the LSR
        self.fields["responsible"].queryset = (
            contacts if contacts is not None else ContactPerson.objects.all()
        )
        self.fields["responsible"].label_from_instance = lambda c: (
            f"{c.name} – {c.function} ({c.organisation.label})"
        )
        self.fields["cooperating"].queryset = (
            organisations if organisations is not None else Organisation.objects.all()
        )
        self.fields["informed"].queryset = (
            organisations if organisations is not None else Organisation.objects.all()
        )


class ActivityTransitionForm(forms.Form):
    """One action on an activity. The target status comes from the button the user pressed (a
    hidden field of that action's own form): no control on the card page defaults to a status."""

    to = forms.ChoiceField(
        label=_("New status"), choices=ActivityStatus.choices, widget=forms.HiddenInput
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Why does the activity not apply?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    done_date = forms.DateField(label=_("Done date"), required=False, widget=DATE)
    evidence_kind = forms.ChoiceField(
        label=_("Kind of evidence"),
        choices=[("", "—"), *EvidenceKind.choices],
        required=False,
    )
    evidence_file = forms.FileField(
        label=_("Evidence (optional)"),
        required=False,
        help_text=_("Allowed: %(types)s; up to 10 MB.") % {"types": allowed_extensions()},
    )

    def clean_evidence_file(self):
        upload = self.cleaned_data.get("evidence_file")
        if upload:
            validate_document(upload)
        return upload

    def clean(self):
        data = super().clean()
        to = data.get("to")
        if to == ActivityStatus.NOT_APPLICABLE and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Say why the activity does not apply."))
        if (
            to == ActivityStatus.DONE
            and data.get("evidence_file")
            and not data.get("evidence_kind")
        ):
            self.add_error("evidence_kind", _("Choose the kind of the attached evidence."))
        return data


class ActivityPlanForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    planned_date = forms.DateField(label=_("Planned date"), required=False, widget=DATE)
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )


class EvidenceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of evidence"), choices=EvidenceKind.choices)
    file = forms.FileField(
        label=_("File"),
        help_text=_("Allowed: %(types)s; up to 10 MB.") % {"types": allowed_extensions()},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        validate_document(upload)
        return upload


class CardReopenForm(forms.Form):
    reason = forms.CharField(label=_("Why is the card reopened?"), max_length=2000)


class TypeBAssignForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Type B institution"), queryset=Organisation.objects.none()
    )

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = (
            organisations if organisations is not None else Organisation.objects.none()
        )
